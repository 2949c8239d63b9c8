//! Account administration: the list, activation, password changes, and the command line's accounts.

use super::links::{RESET, new_token, set_password};
use super::registration::{insert_membership, insert_user};
use super::sign_in::memberships_of;
use crate::audit::{self, By, Change};
use crate::entity::{one_time_token, user};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, db, password};
use chrono::{Duration, Utc};
use domain::account::{self, AccountRow, OneTimeLink, Role, field};
use domain::{CarrierId, FieldErrors, Problem, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

/// A user changes their own password, proving the current one. Other sessions end.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn change_password(
    db: &DatabaseConnection,
    actor: &Actor,
    current: &str,
    password: &str,
    confirm: &str,
) -> Result<()> {
    let user = user::Entity::find_by_id(actor.user.0).one(db).await?.ok_or(ServiceError::Unauthenticated)?;
    let stored = user.password_hash.clone().unwrap_or_default();
    if !password::verify(stored, current).await? {
        return Err(ServiceError::Invalid(FieldErrors::single(field::CURRENT_PASSWORD, Problem::PasswordWrong)));
    }
    let errors = account::new_password(password, confirm, &[user.email.as_str(), user.display_name.as_str()]);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = password::hash(password).await?;
    let txn = db::begin_write(db).await?;
    set_password(&txn, user.id, hash).await?;
    audit::record(
        &txn,
        By::Actor(policy::own_account(actor)),
        Change {
            action: "change_password",
            entity_type: "user",
            entity_id: user.id,
            carrier: None,
            startup: None,
            before: None,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Accounts, for the accounts page: admins see all; bureau staff see the operators (whom they
/// invite); nobody else sees any.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<AccountRow>> {
    policy::list_accounts(actor)?;
    let users = user::Entity::find().order_by_asc(user::Column::Email).all(db).await?;
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let mut memberships = memberships_of(db, &ids).await?;
    Ok(users
        .into_iter()
        .map(|u| AccountRow {
            id: UserId(u.id),
            memberships: memberships.remove(&u.id).unwrap_or_default(),
            email: u.email,
            display_name: u.display_name,
            active: u.active,
            has_password: u.password_hash.is_some(),
        })
        .filter(|row| actor.admin || row.memberships.iter().any(|m| m.role() == Role::Operator))
        .collect())
}

/// An admin deactivates an account (its sessions stop working at once) or reactivates it.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0, user_id = ?user_id))]
pub async fn set_active(db: &DatabaseConnection, actor: &Actor, user_id: UserId, active: bool) -> Result<()> {
    let permit = policy::set_account_active(actor, user_id, active)?;
    let txn = db::begin_write(db).await?;
    let user = user::Entity::find_by_id(user_id.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    if user.active != active {
        let before = user.active;
        let mut model: user::ActiveModel = user.into();
        model.active = Set(active);
        model.updated_at = Set(Utc::now());
        model.update(&txn).await?;
        audit::record(
            &txn,
            By::Actor(permit),
            Change {
                action: if active { "activate" } else { "deactivate" },
                entity_type: "user",
                entity_id: user_id.0,
                carrier: None,
                startup: None,
                before: audit::snapshot(&serde_json::json!({ "active": before })),
                after: audit::snapshot(&serde_json::json!({ "active": active })),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A password-reset link for `email`, from the command line: for the installation's last admin,
/// or whoever has no second admin to approve a reset. Whoever runs the command has the server's
/// database in hand already.
pub async fn reset_link_from_cli(db: &DatabaseConnection, email: &str) -> Result<OneTimeLink> {
    let email =
        account::account_email(email).map_err(|p| ServiceError::Invalid(FieldErrors::single(field::EMAIL, p)))?;
    let txn = db::begin_write(db).await?;
    let user = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&txn).await?;
    let user = user.ok_or_else(|| ServiceError::Invalid(FieldErrors::single(field::EMAIL, Problem::UnknownAccount)))?;
    let (token, hash) = new_token();
    let now = Utc::now();
    let expires_at = now + Duration::hours(24);
    let row = one_time_token::ActiveModel {
        token_hash: Set(hash),
        purpose: Set(RESET.to_owned()),
        email: Set(Some(user.email.clone())),
        role: Set(None),
        carrier_id: Set(None),
        user_id: Set(Some(user.id)),
        created_by: Set(None),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        needs_approval: Set(false),
        approved_by: Set(None),
        approved_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        By::System("command-line"),
        Change {
            action: "issue_password_reset",
            entity_type: "user",
            entity_id: user.id,
            carrier: None,
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({ "reset_link_id": row.id, "expires_at": expires_at })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(OneTimeLink { path: format!("/reset/{token}"), expires_at, needs_approval: false })
}

/// Creates an account from the command line (the first admin or bureau user), with a password,
/// or without one and with a reset link to set it.
pub async fn create_from_cli(
    db: &DatabaseConnection,
    email: &str,
    display_name: &str,
    roles: &[Role],
    password: Option<&str>,
) -> Result<(UserId, Option<OneTimeLink>)> {
    let mut errors = FieldErrors::new();
    let email = errors.check(field::EMAIL, account::account_email(email));
    let name = errors.check(field::DISPLAY_NAME, domain::validation::text(display_name, 1, 50));
    if let Some(password) = password
        && let Err(problem) = account::check_password(password, &[email.as_deref().unwrap_or_default(), display_name])
    {
        errors.add(field::NEW_PASSWORD, problem);
    }
    let (Some(email), Some(name)) = (email, name) else { return Err(ServiceError::Invalid(errors)) };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = match password {
        Some(p) => Some(password::hash(p).await?),
        None => None,
    };
    let txn = db::begin_write(db).await?;
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).count(&txn).await? > 0 {
        return Err(ServiceError::Invalid(FieldErrors::single(field::EMAIL, Problem::EmailTaken)));
    }
    let user = insert_user(&txn, &email, &name, hash).await?;
    for role in roles {
        if matches!(role, Role::Admin | Role::Bureau) {
            insert_membership(&txn, user.id, *role, None, None).await?;
        }
    }
    audit::record(
        &txn,
        By::System("command-line"),
        Change {
            action: "create_user",
            entity_type: "user",
            entity_id: user.id,
            carrier: None,
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({ "email": email, "roles": roles })),
        },
    )
    .await?;
    let link = if password.is_none() {
        let (token, hash) = new_token();
        let now = Utc::now();
        let expires_at = now + Duration::hours(24);
        one_time_token::ActiveModel {
            token_hash: Set(hash),
            purpose: Set(RESET.to_owned()),
            email: Set(Some(email.clone())),
            role: Set(None),
            carrier_id: Set(None),
            user_id: Set(Some(user.id)),
            created_by: Set(None),
            created_at: Set(now),
            expires_at: Set(expires_at),
            used_at: Set(None),
            needs_approval: Set(false),
            approved_by: Set(None),
            approved_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Some(OneTimeLink { path: format!("/reset/{token}"), expires_at, needs_approval: false })
    } else {
        None
    };
    txn.commit().await?;
    Ok((UserId(user.id), link))
}

/// Makes `user` an operator of `carrier` (demonstration data; staff otherwise join by invitation).
pub(crate) async fn grant_operator(db: &DatabaseConnection, user: UserId, carrier: CarrierId) -> Result<()> {
    let txn = db::begin_write(db).await?;
    insert_membership(&txn, user.0, Role::Operator, Some(carrier.0), None).await?;
    audit::record(
        &txn,
        By::System("seed"),
        Change {
            action: "grant",
            entity_type: "membership",
            entity_id: user.0,
            carrier: Some(carrier),
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({ "role": Role::Operator })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
