//! Signing in and out, registering, invitations, password resets and account administration.
//!
//! The forms that change who is signed in (sign-in, sign-out, registration, invitations,
//! resets) are plain HTML posts, with or without JavaScript: the browser follows the redirect
//! and loads the next page with its new session, so nothing stale survives a change of user.

use crate::error::AppError;
use domain::account::{
    AccountRow, InvitationForm, InvitationSummary, Me, OneTimeLink, PendingApproval, RegistrationForm,
};
use domain::{CarrierId, LinkId, UserId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::{actor, client_address, current_actor, db, end_session, start_session};

/// The signed-in user, or `None`.
#[server(prefix = "/api", endpoint = "get_me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    match current_actor().await? {
        Some(actor) => Ok(Some(service::accounts::me(&db()?, &actor).await?)),
        None => Ok(None),
    }
}

/// Signs in and goes to `next`.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let client = client_address().await;
    let user = service::accounts::sign_in(&db()?, &email, &password, &client).await?;
    start_session(user).await?;
    // Where to go after signing in: a path on this site, never another site.
    leptos_axum::redirect(&domain::redirect::local_path(next.as_deref()));
    Ok(())
}

/// Ends the session and goes to the sign-in page.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    // Signing out never fails for want of its audit record: the session ends first.
    let actor = current_actor().await.ok().flatten();
    end_session().await?;
    if let Some(actor) = actor
        && let Err(error) = service::accounts::record_sign_out(&db()?, &actor).await
    {
        tracing::warn!(%error, "recording a sign-out failed");
    }
    leptos_axum::redirect("/login");
    Ok(())
}

/// A startup registers itself and its first member, who is then signed in.
#[server(prefix = "/api", endpoint = "register_startup")]
pub async fn register_startup(form: RegistrationForm) -> Result<(), AppError> {
    let echo = form.without_secrets();
    let registration = form.parse().map_err(|errors| AppError::invalid_with_echo(errors, &echo))?;
    let client = client_address().await;
    let user = service::accounts::register_startup(&db()?, &registration, &client)
        .await
        .map_err(|e| AppError::from(e).with_echo(&echo))?;
    start_session(user).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// What an invitation link offers.
#[server(prefix = "/api", endpoint = "get_invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationSummary, AppError> {
    let details = service::accounts::invitation_details(&db()?, &token).await?;
    Ok(InvitationSummary {
        email: details.email,
        role: details.role,
        carrier_name: details.carrier_name,
        existing_account: details.existing_account,
    })
}

/// Accepts an invitation and signs the user in.
#[server(prefix = "/api", endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    display_name: String,
    password: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    let user =
        service::accounts::accept_invitation(&db()?, &token, &display_name, &password, &confirm.unwrap_or_default())
            .await
            .map_err(|e| match e.into() {
                AppError::Invalid { errors, .. } => {
                    AppError::invalid_with_echo(errors, &serde_json::json!({ "display_name": display_name }))
                }
                other => other,
            })?;
    start_session(user).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// The account a password-reset link is for.
#[server(prefix = "/api", endpoint = "get_password_reset")]
pub async fn get_password_reset(token: String) -> Result<String, AppError> {
    Ok(service::accounts::password_reset_email(&db()?, &token).await?)
}

/// Sets a new password with a reset link and signs the user in.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String, confirm: String) -> Result<(), AppError> {
    let user = service::accounts::reset_password(&db()?, &token, &new_password, &confirm).await?;
    start_session(user).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Changes the signed-in user's password. Their other sessions end; this one goes on.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String, confirm: String) -> Result<(), AppError> {
    let actor = actor().await?;
    service::accounts::change_password(&db()?, &actor, &current_password, &new_password, &confirm).await?;
    start_session(actor.user).await
}

/// The accounts an admin (all) or bureau staff (operators) may see.
#[server(prefix = "/api", endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<Vec<AccountRow>, AppError> {
    Ok(service::accounts::list(&db()?, &actor().await?).await?)
}

/// Creates an invitation and returns its one-time link.
#[server(prefix = "/api", endpoint = "invite")]
pub async fn invite(form: InvitationForm) -> Result<OneTimeLink, AppError> {
    let actor = actor().await?;
    let invitation = form.parse().map_err(|errors| AppError::invalid_with_echo(errors, &form))?;
    Ok(service::accounts::invite(&db()?, &actor, &invitation).await?)
}

/// Issues a password-reset link for an account (admins).
#[server(prefix = "/api", endpoint = "issue_password_reset")]
pub async fn issue_password_reset(user: UserId) -> Result<OneTimeLink, AppError> {
    Ok(service::accounts::issue_password_reset(&db()?, &actor().await?, user).await?)
}

/// Deactivates or reactivates an account (admins).
#[server(prefix = "/api", endpoint = "set_account_active")]
pub async fn set_account_active(user: UserId, active: bool) -> Result<(), AppError> {
    Ok(service::accounts::set_active(&db()?, &actor().await?, user, active).await?)
}

/// The one-time links waiting for a second admin's approval (admins).
#[server(prefix = "/api", endpoint = "list_pending_approvals")]
pub async fn list_pending_approvals() -> Result<Vec<PendingApproval>, AppError> {
    Ok(service::accounts::pending_approvals(&db()?, &actor().await?).await?)
}

/// A second admin approves a one-time link that waits for it.
#[server(prefix = "/api", endpoint = "approve_link")]
pub async fn approve_link(link: LinkId) -> Result<(), AppError> {
    Ok(service::accounts::approve_link(&db()?, &actor().await?, link.0).await?)
}

/// The carriers an invitation can name: names only, for admins and bureau staff.
#[server(prefix = "/api", endpoint = "list_carrier_choices")]
pub async fn list_carrier_choices() -> Result<Vec<(CarrierId, String)>, AppError> {
    Ok(service::carriers::choices(&db()?, &actor().await?).await?)
}
