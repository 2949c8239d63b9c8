//! Account administration: the accounts, invitations with one-time links, password-reset links,
//! and deactivation. Admins see and do everything; bureau staff see operators and invite them.

use super::api::{self, ApproveLink, Invite, IssuePasswordReset, SetAccountActive};
use crate::components::{ErrorNotice, ErrorPage, FieldProblems, Loading, use_current_user};
use crate::error::AppError;
use crate::i18n::{self, PageTitle};
use domain::CarrierId;
use domain::account::{AccountRow, ApprovalSubject, OneTimeLink, PendingApproval, Role, field};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_fluent::tr;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let me = use_current_user();
    let invite = ServerAction::<Invite>::new();
    let reset = ServerAction::<IssuePasswordReset>::new();
    let activate = ServerAction::<SetAccountActive>::new();
    let approve = ServerAction::<ApproveLink>::new();
    let accounts = Resource::new(move || (invite.version().get(), activate.version().get()), |_| api::list_accounts());
    let pending = Resource::new(
        move || (invite.version().get(), reset.version().get(), approve.version().get()),
        |_| async move {
            // Only admins approve; for others there is nothing to list.
            match api::list_pending_approvals().await {
                Ok(list) => Ok(list),
                Err(AppError::Forbidden) => Ok(Vec::new()),
                Err(error) => Err(error),
            }
        },
    );
    let carriers = Resource::new(|| (), |()| api::list_carrier_choices());
    view! {
        <PageTitle text=|i18n| tr!(i18n, "accounts-title") />
        <h1>{move || tr!("accounts-title")}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let admin = matches!(me.await, Ok(Some(ref me)) if me.has(Role::Admin));
                match (accounts.await, carriers.await) {
                    (Ok(accounts), Ok(carriers)) => view! {
                        <InviteForm action=invite carriers admin />
                        <Suspense fallback=Loading>
                            {move || Suspend::new(async move {
                                pending.await.ok().filter(|list| !list.is_empty()).map(|list| {
                                    view! { <PendingApprovals list approve /> }
                                })
                            })}
                        </Suspense>
                        <h2>{move || tr!("accounts-list")}</h2>
                        <OneTimeLinkNotice link=Signal::derive(move || reset.value().get().and_then(Result::ok)) />
                        {move || reset.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                        {move || activate.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                        <AccountTable accounts admin reset activate />
                    }
                    .into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Shows a freshly created one-time link, with the site's address in front.
#[component]
fn OneTimeLinkNotice(link: Signal<Option<OneTimeLink>>) -> impl IntoView {
    move || {
        link.get().map(|link| {
            let origin = window_origin();
            let url = format!("{origin}{}", link.path);
            let expires = i18n::date_time(domain::time::china_date_time(link.expires_at));
            let needs_approval = link.needs_approval;
            view! {
                <div class="notice" role="status" data-testid="one-time-link">
                    <p>{move || tr!("accounts-link-once", { "expires" => expires.clone() })}</p>
                    {needs_approval.then(|| view! {
                        <p class="notice-error" data-testid="needs-approval">{move || tr!("accounts-link-needs-approval")}</p>
                    })}
                    <p>
                        <input class="link-field" type="text" readonly value=url.clone() aria-label=move || tr!("accounts-link") />
                    </p>
                </div>
            }
        })
    }
}

/// `https://host:port` of the page (links are created in the browser, after a click).
fn window_origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window().location().origin().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

#[component]
fn InviteForm(action: ServerAction<Invite>, carriers: Vec<(CarrierId, String)>, admin: bool) -> impl IntoView {
    let errors = Signal::derive(move || {
        action
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(AppError::field_errors).cloned())
            .unwrap_or_default()
    });
    let failure = move || action.value().get().and_then(Result::err).filter(|e| !matches!(e, AppError::Invalid { .. }));
    let roles: Vec<Role> = if admin { vec![Role::Operator, Role::Bureau, Role::Admin] } else { vec![Role::Operator] };
    view! {
        <section class="form-section">
            <h2>{move || tr!("accounts-invite")}</h2>
            <p class="hint">{move || tr!("accounts-invite-hint")}</p>
            {move || failure().map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action>
                <div class="field-row">
                    <div class="field">
                        <label for="invite-email">{move || tr!("field-email")}</label>
                        <input id="invite-email" type="email" name="form[email]" />
                        <FieldProblems field=field::EMAIL errors />
                    </div>
                    <div class="field">
                        <label for="invite-role">{move || tr!("field-role")}</label>
                        <select id="invite-role" name="form[role]">
                            {roles
                                .into_iter()
                                .map(|role| view! { <option value=role.code()>{move || i18n::role(role)}</option> })
                                .collect_view()}
                        </select>
                        <FieldProblems field=field::ROLE errors />
                    </div>
                </div>
                <div class="field">
                    <label for="invite-carrier">{move || tr!("field-carrier")}</label>
                    <select id="invite-carrier" name="form[carrier_id]">
                        <option value="">{move || tr!("accounts-no-carrier")}</option>
                        {carriers
                            .into_iter()
                            .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
                            .collect_view()}
                    </select>
                    <FieldProblems field=field::CARRIER errors />
                </div>
                <div class="form-buttons">
                    <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                        {move || tr!("accounts-create-invitation")}
                    </button>
                </div>
            </ActionForm>
            <OneTimeLinkNotice link=Signal::derive(move || action.value().get().and_then(Result::ok)) />
        </section>
    }
}

#[component]
fn AccountTable(
    accounts: Vec<AccountRow>,
    admin: bool,
    reset: ServerAction<IssuePasswordReset>,
    activate: ServerAction<SetAccountActive>,
) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data-table" data-testid="accounts">
                <thead>
                    <tr>
                        <th scope="col">{move || tr!("field-email")}</th>
                        <th scope="col">{move || tr!("field-display-name")}</th>
                        <th scope="col">{move || tr!("account-roles")}</th>
                        <th scope="col">{move || tr!("accounts-status")}</th>
                        {admin.then(|| view! { <th scope="col">{move || tr!("accounts-actions")}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {accounts
                        .into_iter()
                        .map(|account| {
                            let id = account.id;
                            let active = account.active;
                            view! {
                                <tr class:archived=!active>
                                    <th scope="row">{account.email.clone()}</th>
                                    <td>{account.display_name.clone()}</td>
                                    <td>
                                        {account
                                            .memberships
                                            .into_iter()
                                            .map(|m| view! { <span class="badge">{move || i18n::membership(&m)}</span> " " })
                                            .collect_view()}
                                    </td>
                                    <td>
                                        {move || match (active, account.has_password) {
                                            (false, _) => tr!("accounts-deactivated"),
                                            (true, false) => tr!("accounts-pending"),
                                            (true, true) => tr!("accounts-active"),
                                        }}
                                    </td>
                                    {admin
                                        .then(|| {
                                            view! {
                                                <td class="actions">
                                                    <ActionForm action=reset>
                                                        <input type="hidden" name="user" value=id.to_string() />
                                                        <button type="submit" class="button button-quiet">
                                                            {move || tr!("accounts-reset-link")}
                                                        </button>
                                                    </ActionForm>
                                                    <ActionForm action=activate>
                                                        <input type="hidden" name="user" value=id.to_string() />
                                                        <input type="hidden" name="active" value=(!active).to_string() />
                                                        <button type="submit" class="button button-quiet">
                                                            {move || {
                                                                if active { tr!("accounts-deactivate") } else { tr!("accounts-activate") }
                                                            }}
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            }
                                        })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Links waiting for a second admin: what each grants, who asked, and an approval button for
/// every admin but the one who asked.
#[component]
fn PendingApprovals(list: Vec<PendingApproval>, approve: ServerAction<ApproveLink>) -> impl IntoView {
    view! {
        <section class="form-section" data-testid="pending-approvals">
            <h2>{move || tr!("accounts-approvals")}</h2>
            <p class="hint">{move || tr!("accounts-approvals-hint")}</p>
            {move || approve.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <div class="table-scroll">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr!("accounts-approval-subject")}</th>
                            <th scope="col">{move || tr!("accounts-approval-requested-by")}</th>
                            <th scope="col">{move || tr!("accounts-actions")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list
                            .into_iter()
                            .map(|item| {
                                let subject = item.subject.clone();
                                let own = item.own;
                                let id = item.id;
                                view! {
                                    <tr>
                                        <td>{move || approval_subject(&subject)}</td>
                                        <td>{item.requested_by.clone()}</td>
                                        <td class="actions">
                                            {if own {
                                                view! { <span class="hint">{move || tr!("accounts-approval-own")}</span> }.into_any()
                                            } else {
                                                view! {
                                                    <ActionForm action=approve>
                                                        <input type="hidden" name="link" value=id.to_string() />
                                                        <button type="submit" class="button button-quiet">
                                                            {move || tr!("accounts-approve")}
                                                        </button>
                                                    </ActionForm>
                                                }
                                                .into_any()
                                            }}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn approval_subject(subject: &ApprovalSubject) -> String {
    match subject {
        ApprovalSubject::Invitation { email, role, carrier_name } => {
            let role = match carrier_name {
                Some(carrier) => tr!("accounts-role-at", { "role" => i18n::role(*role), "carrier" => carrier.clone() }),
                None => i18n::role(*role),
            };
            tr!("accounts-approval-invitation", { "email" => email.clone(), "role" => role })
        }
        ApprovalSubject::Reset { email, memberships } => {
            let roles: Vec<String> = memberships.iter().map(i18n::membership).collect();
            tr!("accounts-approval-reset", { "email" => email.clone(), "roles" => roles.join(&tr!("list-separator")) })
        }
    }
}
