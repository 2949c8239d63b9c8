//! Signing in, registering a startup, accepting an invitation, resetting and changing a password.
//!
//! These forms post natively (no client-side interception): a change of user deserves a fresh
//! page load. A refused post comes back to the same page with its error in the URL, which
//! `ServerAction::new()` reads, so the errors show with or without JavaScript.

use super::api::{self, AcceptInvitation, ChangePassword, Login, RegisterStartup, ResetPassword};
use crate::components::{ErrorNotice, ErrorPage, FieldProblems, Loading, TextField};
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use domain::FieldErrors;
use domain::account::{RegistrationForm, field};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_fluent::tr;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The error a refused post came back with.
fn returned_error<S>(action: ServerAction<S>) -> Option<AppError>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    action.value().with_untracked(|value| value.as_ref().and_then(|r| r.as_ref().err()).cloned())
}

fn field_errors(error: &Option<AppError>) -> Signal<FieldErrors> {
    let errors = error.as_ref().and_then(AppError::field_errors).cloned().unwrap_or_default();
    Signal::derive(move || errors.clone())
}

/// The request error to show above a form (field errors show next to their fields instead).
#[component]
fn FormError(error: Option<AppError>) -> impl IntoView {
    error.filter(|e| !matches!(e, AppError::Invalid { .. })).map(|error| view! { <ErrorNotice error /> })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = returned_error(action);
    let query = use_query_map();
    let next = query.with_untracked(|q| q.get("next")).unwrap_or_default();
    view! {
        <PageTitle text=|i18n| tr!(i18n, "login-title") />
        <section class="narrow">
            <h1>{move || tr!("login-title")}</h1>
            <FormError error />
            <form method="post" action=Login::url() class="stack">
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="field-email">{move || tr!("field-email")}</label>
                    <input id="field-email" type="email" name="email" autocomplete="username" required />
                </div>
                <div class="field">
                    <label for="field-password">{move || tr!("field-password")}</label>
                    <input id="field-password" type="password" name="password" autocomplete="current-password" required />
                </div>
                <div class="form-buttons">
                    <button type="submit" class="button button-primary">{move || tr!("login-submit")}</button>
                </div>
            </form>
            <p class="muted">{move || tr!("login-forgot")}</p>
            <p>
                {move || tr!("login-new-startup")} " " <a href="/register">{move || tr!("nav-register")}</a>
            </p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<RegisterStartup>::new();
    let error = returned_error(action);
    let echo: RegistrationForm = error.as_ref().and_then(AppError::echo).unwrap_or_default();
    let errors = field_errors(&error);
    view! {
        <PageTitle text=|i18n| tr!(i18n, "register-title") />
        <section class="narrow">
            <h1>{move || tr!("register-title")}</h1>
            <p class="lead">{move || tr!("register-lead")}</p>
            <FormError error />
            <form method="post" action=RegisterStartup::url() class="stack">
                <TextField field=field::STARTUP_NAME label=|| tr!("field-startup-name") value=echo.startup_name errors />
                <TextField field=field::DISPLAY_NAME label=|| tr!("field-display-name") value=echo.display_name errors />
                <TextField
                    field=field::EMAIL
                    label=|| tr!("field-email")
                    value=echo.email
                    errors
                    input_type="email"
                    autocomplete="username"
                />
                <NewPasswordFields errors prefix="form" />
                <div class="form-buttons">
                    <button type="submit" class="button button-primary">{move || tr!("register-submit")}</button>
                </div>
            </form>
        </section>
    }
}

/// A new password, typed twice, with the policy explained.
#[component]
fn NewPasswordFields(errors: Signal<FieldErrors>, #[prop(default = "")] prefix: &'static str) -> impl IntoView {
    view! {
        <TextField
            field=field::NEW_PASSWORD
            label=|| tr!("field-new-password")
            value=String::new()
            errors
            input_type="password"
            autocomplete="new-password"
            hint=|| tr!("password-policy")
            prefix
        />
        <TextField
            field=field::CONFIRM
            label=|| tr!("field-confirm-password")
            value=String::new()
            errors
            input_type="password"
            autocomplete="new-password"
            prefix
        />
    }
}

fn token_param() -> String {
    use_params_map().with_untracked(|p| p.get("token")).unwrap_or_default()
}

#[component]
pub fn InvitePage() -> impl IntoView {
    let token = token_param();
    let action = ServerAction::<AcceptInvitation>::new();
    let error = returned_error(action);
    let errors = field_errors(&error);
    let echoed_name = error
        .as_ref()
        .and_then(AppError::echo::<serde_json::Value>)
        .and_then(|v| v["display_name"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let invitation = Resource::new(move || token.clone(), api::get_invitation);
    view! {
        <PageTitle text=|i18n| tr!(i18n, "invite-title") />
        <section class="narrow">
            <h1>{move || tr!("invite-title")}</h1>
            <Suspense fallback=Loading>
                {move || {
                    let error = error.clone();
                    let echoed_name = echoed_name.clone();
                    Suspend::new(async move {
                        match invitation.await {
                            Err(failure) => view! { <ErrorPage error=failure /> }.into_any(),
                            Ok(invitation) => {
                                let role = invitation.role;
                                let place = invitation.carrier_name.clone().unwrap_or_default();
                                let existing = invitation.existing_account;
                                view! {
                                    <p class="lead">
                                        {move || {
                                            tr!("invite-lead", {
                                                "email" => invitation.email.clone(),
                                                "role" => i18n::role(role),
                                                "place" => place.clone(),
                                            })
                                        }}
                                    </p>
                                    <FormError error />
                                    <form method="post" action=AcceptInvitation::url() class="stack">
                                        <input type="hidden" name="token" value=token_param() />
                                        {if existing {
                                            view! {
                                                <p>{move || tr!("invite-existing")}</p>
                                                <input type="hidden" name="display_name" value="" />
                                                <TextField
                                                    field=field::PASSWORD
                                                    label=|| tr!("field-password")
                                                    value=String::new()
                                                    errors
                                                    input_type="password"
                                                    autocomplete="current-password"
                                                    prefix=""
                                                />
                                            }
                                                .into_any()
                                        } else {
                                            view! {
                                                <TextField
                                                    field=field::DISPLAY_NAME
                                                    label=|| tr!("field-display-name")
                                                    value=echoed_name
                                                    errors
                                                    prefix=""
                                                />
                                                <InvitePasswordFields errors />
                                            }
                                                .into_any()
                                        }}
                                        <div class="form-buttons">
                                            <button type="submit" class="button button-primary">
                                                {move || tr!("invite-submit")}
                                            </button>
                                        </div>
                                    </form>
                                }
                                    .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The new password of an invited user: posted as `password` and `confirm`.
#[component]
fn InvitePasswordFields(errors: Signal<FieldErrors>) -> impl IntoView {
    // The service reports problems of the new password under `new_password`.
    view! {
        <div class="field">
            <label for="field-password">{move || tr!("field-new-password")}</label>
            <input id="field-password" type="password" name="password" autocomplete="new-password" />
            <p class="hint">{move || tr!("password-policy")}</p>
            <FieldProblems field=field::NEW_PASSWORD errors />
        </div>
        <div class="field">
            <label for="field-confirm">{move || tr!("field-confirm-password")}</label>
            <input id="field-confirm" type="password" name="confirm" autocomplete="new-password" />
            <FieldProblems field=field::CONFIRM errors />
        </div>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let token = token_param();
    let action = ServerAction::<ResetPassword>::new();
    let error = returned_error(action);
    let errors = field_errors(&error);
    let email = Resource::new(move || token.clone(), api::get_password_reset);
    view! {
        <PageTitle text=|i18n| tr!(i18n, "reset-title") />
        <section class="narrow">
            <h1>{move || tr!("reset-title")}</h1>
            <Suspense fallback=Loading>
                {move || {
                    let error = error.clone();
                    Suspend::new(async move {
                        match email.await {
                            Err(failure) => view! { <ErrorPage error=failure /> }.into_any(),
                            Ok(email) => view! {
                                <p class="lead">{move || tr!("reset-lead", { "email" => email.clone() })}</p>
                                <FormError error />
                                <form method="post" action=ResetPassword::url() class="stack">
                                    <input type="hidden" name="token" value=token_param() />
                                    <NewPasswordFields errors />
                                    <div class="form-buttons">
                                        <button type="submit" class="button button-primary">
                                            {move || tr!("reset-submit")}
                                        </button>
                                    </div>
                                </form>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The signed-in user's own account: who they are, their roles, and changing the password.
#[component]
pub fn AccountPage() -> impl IntoView {
    let me = crate::components::use_current_user();
    let action = ServerAction::<ChangePassword>::new();
    let errors = Signal::derive(move || {
        action
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::field_errors).cloned())
            .unwrap_or_default()
    });
    let failure = move || action.value().get().and_then(Result::err).filter(|e| !matches!(e, AppError::Invalid { .. }));
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <PageTitle text=|i18n| tr!(i18n, "account-title") />
        <section class="narrow">
            <h1>{move || tr!("account-title")}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(me)) => view! {
                            <dl class="facts">
                                <dt>{move || tr!("field-display-name")}</dt>
                                <dd>{me.display_name.clone()}</dd>
                                <dt>{move || tr!("field-email")}</dt>
                                <dd>{me.email.clone()}</dd>
                                <dt>{move || tr!("account-roles")}</dt>
                                <dd>
                                    <ul class="tags">
                                        {me
                                            .memberships
                                            .clone()
                                            .into_iter()
                                            .map(|m| view! { <li>{move || i18n::membership(&m)}</li> })
                                            .collect_view()}
                                    </ul>
                                </dd>
                            </dl>
                        }
                        .into_any(),
                        Ok(None) => view! { <ErrorPage error=AppError::Unauthenticated /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })}
            </Suspense>
            <h2>{move || tr!("account-change-password")}</h2>
            {move || done().then(|| view! { <p class="notice" role="status">{move || tr!("account-password-changed")}</p> })}
            {move || failure().map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action>
                <TextField
                    field=field::CURRENT_PASSWORD
                    label=|| tr!("field-current-password")
                    value=String::new()
                    errors
                    input_type="password"
                    autocomplete="current-password"
                    prefix=""
                />
                <NewPasswordFields errors />
                <div class="form-buttons">
                    <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                        {move || tr!("account-change-password")}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
