//! Accounts: passwords, sign-in with throttling, self-registration of startups, invitations of
//! staff, password resets, and the account administration.

use crate::audit::{self, By, Change};
use crate::authz::{self, Actor};
use crate::entity::{carrier, login_attempt, membership, one_time_token, startup, user};
use crate::{Result, ServiceError, db, password};
use chrono::{DateTime, Duration, Utc};
use domain::account::{
    self, AccountRow, ApprovalSubject, Invitation, Me, Membership, OneTimeLink, PendingApproval, Registration, Role,
    field,
};
use domain::{CarrierId, FieldErrors, Problem, StartupId, UserId};
use rand_core::{OsRng, RngCore};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, Statement,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Failed sign-ins allowed per account, and per client address, within the window.
pub const ACCOUNT_FAILURES: u64 = 5;
pub const CLIENT_FAILURES: u64 = 30;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
/// Registrations allowed per client address within an hour.
pub const CLIENT_REGISTRATIONS: u64 = 20;

/// How often one kind of attempt is allowed.
struct Throttle {
    kind: &'static str,
    window_minutes: i64,
    /// Failures allowed per account within the window (none: not counted per account).
    per_account: Option<u64>,
    /// Attempts allowed per client address within the window.
    per_client: u64,
    /// Count successful attempts too (registrations), not only failures (sign-ins).
    count_successes: bool,
}

const SIGN_IN: Throttle = Throttle {
    kind: "sign_in",
    window_minutes: THROTTLE_WINDOW_MINUTES,
    per_account: Some(ACCOUNT_FAILURES),
    per_client: CLIENT_FAILURES,
    count_successes: false,
};

const REGISTER: Throttle = Throttle {
    kind: "register",
    window_minutes: 60,
    per_account: None,
    per_client: CLIENT_REGISTRATIONS,
    count_successes: true,
};

/// The forms in which an account name and a client address are counted and stored: the same
/// text in both places, so a long value cannot slip past the count by being cut when stored.
///
/// An IPv6 client counts by its /64 network: one subscriber usually holds a whole /64, and
/// could otherwise change address for every attempt.
fn attempt_keys(account: &str, client: &str) -> (String, String) {
    let client = match client.parse::<std::net::IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(std::net::IpAddr::V6(ip)) => {
            let network = std::net::Ipv6Addr::from(u128::from(ip) & (u128::MAX << 64));
            format!("{network}/64")
        }
        _ => client.chars().take(64).collect(),
    };
    (account.trim().to_lowercase().chars().take(254).collect(), client)
}

/// Checks the throttle and records the attempt, as one locked step: on SQLite the write lock is
/// taken at `BEGIN`, on PostgreSQL a transaction-scoped advisory lock per account and per client
/// address, so concurrent attempts queue and each one counts those before it. The attempt is
/// recorded as failed; the caller marks it succeeded. Returns the attempt's id.
async fn reserve_attempt(db: &DatabaseConnection, throttle: &Throttle, account: &str, client: &str) -> Result<i64> {
    let txn = db::begin_write(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // Always account first, then client: no two attempts can wait for each other in a cycle.
        // A throttle without a per-account limit locks the client only.
        let account_key = throttle.per_account.map(|_| (1, format!("{}:{account}", throttle.kind)));
        for (space, key) in account_key.into_iter().chain([(2, format!("{}:{client}", throttle.kind))]) {
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                [space.into(), key.into()],
            ))
            .await?;
        }
    }
    let since = Utc::now() - Duration::minutes(throttle.window_minutes);
    let counted = |column: login_attempt::Column, value: &str| {
        let mut query = login_attempt::Entity::find()
            .filter(login_attempt::Column::Kind.eq(throttle.kind))
            .filter(column.eq(value))
            .filter(login_attempt::Column::At.gte(since));
        if !throttle.count_successes {
            query = query.filter(login_attempt::Column::Succeeded.eq(false));
        }
        query.count(&txn)
    };
    let over_account = match throttle.per_account {
        Some(limit) => counted(login_attempt::Column::Account, account).await? >= limit,
        None => false,
    };
    if over_account || counted(login_attempt::Column::Client, client).await? >= throttle.per_client {
        tracing::warn!(kind = throttle.kind, client, "attempt throttled");
        return Err(ServiceError::TooManyAttempts {
            retry_after_minutes: u32::try_from(throttle.window_minutes).unwrap_or(15),
        });
    }
    let attempt = login_attempt::ActiveModel {
        at: Set(Utc::now()),
        kind: Set(throttle.kind.to_owned()),
        account: Set(account.to_owned()),
        client: Set(client.to_owned()),
        succeeded: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(attempt.id)
}

/// Marks a recorded attempt as succeeded, or forgets it (the server was too busy to judge it,
/// which must not count against the user).
async fn settle_attempt(db: &DatabaseConnection, attempt: i64, outcome: Option<bool>) -> Result<()> {
    match outcome {
        Some(true) => {
            login_attempt::Entity::update_many()
                .col_expr(login_attempt::Column::Succeeded, sea_orm::sea_query::Expr::value(true))
                .filter(login_attempt::Column::Id.eq(attempt))
                .exec(db)
                .await?;
        }
        Some(false) => {}
        None => {
            login_attempt::Entity::delete_by_id(attempt).exec(db).await?;
        }
    }
    Ok(())
}

/// Signs in: returns the user when the account exists, is active and the password is right.
/// Unknown account and wrong password are the same error. After too many failures for the
/// account or from the client, every attempt is refused until the window passes, without even
/// checking the password. Every sign-in and every failed one lands in the audit trail with the
/// account typed.
pub async fn sign_in(db: &DatabaseConnection, email: &str, password: &str, client: &str) -> Result<UserId> {
    let (account, client) = attempt_keys(email, client);
    let attempt = reserve_attempt(db, &SIGN_IN, &account, &client).await?;
    let user = user::Entity::find().filter(user::Column::Email.eq(account.as_str())).one(db).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let checked = match stored.clone() {
        Some(hash) => password::verify(hash, password).await,
        None => match password::dummy_hash().await {
            Ok(hash) => password::verify(hash, password).await,
            Err(error) => Err(error),
        },
    };
    let verified = match checked {
        Ok(verified) => verified,
        Err(error) => {
            settle_attempt(db, attempt, None).await?;
            return Err(error);
        }
    };
    let succeeded = verified && stored.is_some() && user.as_ref().is_some_and(|u| u.active);
    settle_attempt(db, attempt, Some(succeeded)).await?;
    let user_id = user.as_ref().map(|u| u.id);
    let by = match user_id {
        Some(id) => By::User { id, email: &account },
        None => By::Claimed(&account),
    };
    let change = |action| Change {
        action,
        entity_type: "user",
        entity_id: user_id.unwrap_or(0),
        carrier: None,
        startup: None,
        before: None,
        after: audit::snapshot(&serde_json::json!({ "client": client })),
    };
    match user {
        Some(user) if succeeded => {
            audit::record(db, by, change("sign_in")).await?;
            tracing::info!(user = user.id, "signed in");
            Ok(UserId(user.id))
        }
        _ => {
            audit::record(db, by, change("sign_in_failed")).await?;
            tracing::info!(client, "sign-in refused");
            Err(ServiceError::InvalidCredentials)
        }
    }
}

/// Records a sign-out in the audit trail.
pub async fn record_sign_out(db: &DatabaseConnection, actor: &Actor) -> Result<()> {
    audit::record(
        db,
        By::Actor(actor),
        Change {
            action: "sign_out",
            entity_type: "user",
            entity_id: actor.user.0,
            carrier: None,
            startup: None,
            before: None,
            after: None,
        },
    )
    .await
}

/// Records a refused request of a signed-in user in the audit trail: which account asked for
/// what (method and path, never the query string).
pub async fn record_refusal(db: &DatabaseConnection, user: UserId, method: &str, path: &str) -> Result<()> {
    let Some(row) = user::Entity::find_by_id(user.0).one(db).await? else { return Ok(()) };
    let path: String = path.chars().take(200).collect();
    audit::record(
        db,
        By::User { id: row.id, email: &row.email },
        Change {
            action: "access_refused",
            entity_type: "request",
            entity_id: row.id,
            carrier: None,
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({ "method": method, "path": path })),
        },
    )
    .await
}

/// The actor behind a session: `None` when the user no longer exists, is deactivated, or changed
/// their password after `authenticated_at` (which ends every other session).
pub async fn load_actor(
    db: &impl ConnectionTrait,
    user_id: UserId,
    authenticated_at: DateTime<Utc>,
) -> Result<Option<Actor>> {
    let Some(user) = user::Entity::find_by_id(user_id.0).one(db).await? else { return Ok(None) };
    if !user.active || user.password_changed_at.is_some_and(|changed| changed > authenticated_at) {
        return Ok(None);
    }
    let memberships = membership::Entity::find().filter(membership::Column::UserId.eq(user.id)).all(db).await?;
    let mut actor = Actor {
        user: user_id,
        email: user.email,
        admin: false,
        bureau: false,
        carriers: BTreeSet::new(),
        startups: BTreeSet::new(),
    };
    for m in memberships {
        match (Role::from_code(&m.role), m.carrier_id, m.startup_id) {
            (Some(Role::Admin), _, _) => actor.admin = true,
            (Some(Role::Bureau), _, _) => actor.bureau = true,
            (Some(Role::Operator), Some(carrier), _) => {
                actor.carriers.insert(CarrierId(carrier));
            }
            (Some(Role::Startup), _, Some(startup)) => {
                actor.startups.insert(StartupId(startup));
            }
            _ => return Err(ServiceError::Corrupt(format!("membership {} is malformed", m.id))),
        }
    }
    Ok(Some(actor))
}

/// The signed-in user as the UI shows them.
pub async fn me(db: &impl ConnectionTrait, actor: &Actor) -> Result<Me> {
    let user = user::Entity::find_by_id(actor.user.0).one(db).await?.ok_or(ServiceError::Unauthenticated)?;
    let memberships = memberships_of(db, &[user.id]).await?.remove(&user.id).unwrap_or_default();
    Ok(Me { id: actor.user, email: user.email, display_name: user.display_name, memberships })
}

/// The memberships of several users, with carrier and startup names.
async fn memberships_of(db: &impl ConnectionTrait, users: &[i64]) -> Result<BTreeMap<i64, Vec<Membership>>> {
    let rows =
        membership::Entity::find().filter(membership::Column::UserId.is_in(users.iter().copied())).all(db).await?;
    let carrier_ids: Vec<i64> = rows.iter().filter_map(|m| m.carrier_id).collect();
    let startup_ids: Vec<i64> = rows.iter().filter_map(|m| m.startup_id).collect();
    let carriers: BTreeMap<i64, String> = carrier::Entity::find()
        .filter(carrier::Column::Id.is_in(carrier_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let startups: BTreeMap<i64, String> = startup::Entity::find()
        .filter(startup::Column::Id.is_in(startup_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut by_user: BTreeMap<i64, Vec<Membership>> = BTreeMap::new();
    for m in rows {
        let membership = match (Role::from_code(&m.role), m.carrier_id, m.startup_id) {
            (Some(Role::Admin), _, _) => Membership::Admin,
            (Some(Role::Bureau), _, _) => Membership::Bureau,
            (Some(Role::Operator), Some(c), _) => Membership::Operator {
                carrier: CarrierId(c),
                carrier_name: carriers.get(&c).cloned().unwrap_or_default(),
            },
            (Some(Role::Startup), _, Some(s)) => Membership::Startup {
                startup: StartupId(s),
                startup_name: startups.get(&s).cloned().unwrap_or_default(),
            },
            _ => return Err(ServiceError::Corrupt(format!("membership {} is malformed", m.id))),
        };
        by_user.entry(m.user_id).or_default().push(membership);
    }
    for list in by_user.values_mut() {
        list.sort();
    }
    Ok(by_user)
}

/// A startup registers itself: the startup, its first member's account and the membership, in
/// one transaction. Returns the new user, to be signed in.
pub async fn register_startup(db: &DatabaseConnection, registration: &Registration, client: &str) -> Result<UserId> {
    // The attempt counts first, so that asking whether an email has an account is limited like
    // any registration; then everything that can be checked is checked before the password is
    // hashed, so a form that will be refused costs no hash.
    let (_, client) = attempt_keys("", client);
    let attempt = reserve_attempt(db, &REGISTER, "", &client).await?;
    taken(db, registration).await?;
    let hash = match password::hash(&registration.password).await {
        Ok(hash) => hash,
        Err(error) => {
            settle_attempt(db, attempt, None).await?;
            return Err(error);
        }
    };
    create_registered(db, registration, hash).await
}

/// Registers a startup for the demonstration data: no throttle, which is for the public form.
pub(crate) async fn register_startup_unthrottled(
    db: &DatabaseConnection,
    registration: &Registration,
) -> Result<UserId> {
    taken(db, registration).await?;
    let hash = password::hash(&registration.password).await?;
    create_registered(db, registration, hash).await
}

/// The startup, its first member and the membership, in one transaction.
async fn create_registered(db: &DatabaseConnection, registration: &Registration, hash: String) -> Result<UserId> {
    let txn = db::begin_write(db).await?;
    // Checked again inside the transaction: another registration may have taken the name since.
    taken(&txn, registration).await?;
    let now = Utc::now();
    let startup = startup::ActiveModel {
        name: Set(registration.startup_name.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| taken_on_unique_violation(e, field::STARTUP_NAME))?;
    let user = insert_user(&txn, &registration.email, &registration.display_name, Some(hash))
        .await
        .map_err(|e| taken_on_unique_violation(e, field::EMAIL))?;
    insert_membership(&txn, user.id, Role::Startup, None, Some(startup.id)).await?;
    let by = By::User { id: user.id, email: &user.email };
    audit::record(
        &txn,
        by,
        Change {
            action: "register",
            entity_type: "startup",
            entity_id: startup.id,
            carrier: None,
            startup: Some(StartupId(startup.id)),
            before: None,
            after: audit::snapshot(&serde_json::json!({ "name": startup.name, "member": user.email })),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(startup = startup.id, user = user.id, "startup registered");
    Ok(UserId(user.id))
}

/// Refuses a registration whose email or startup name is taken.
async fn taken(db: &impl ConnectionTrait, registration: &Registration) -> Result<()> {
    let mut errors = FieldErrors::new();
    if user::Entity::find().filter(user::Column::Email.eq(registration.email.as_str())).count(db).await? > 0 {
        errors.add(field::EMAIL, Problem::EmailTaken);
    }
    if startup::Entity::find().filter(startup::Column::Name.eq(registration.startup_name.as_str())).count(db).await? > 0
    {
        errors.add(field::STARTUP_NAME, Problem::NameTaken);
    }
    if errors.is_empty() { Ok(()) } else { Err(ServiceError::Invalid(errors)) }
}

/// A unique index refusing a row that a concurrent request inserted first: the same message as
/// the check before it would have given.
fn taken_on_unique_violation(error: impl Into<ServiceError>, field_name: &str) -> ServiceError {
    match error.into() {
        ServiceError::Db(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
            let problem = if field_name == field::EMAIL { Problem::EmailTaken } else { Problem::NameTaken };
            ServiceError::Invalid(FieldErrors::single(field_name, problem))
        }
        other => other,
    }
}

async fn insert_user(
    txn: &impl ConnectionTrait,
    email: &str,
    display_name: &str,
    hash: Option<String>,
) -> Result<user::Model> {
    let now = Utc::now();
    Ok(user::ActiveModel {
        email: Set(email.to_owned()),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(hash),
        active: Set(true),
        password_changed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

async fn insert_membership(
    txn: &impl ConnectionTrait,
    user: i64,
    role: Role,
    carrier: Option<i64>,
    startup: Option<i64>,
) -> Result<()> {
    let exists = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user))
        .filter(membership::Column::Role.eq(role.code()))
        .filter(match carrier {
            Some(c) => membership::Column::CarrierId.eq(c),
            None => membership::Column::CarrierId.is_null(),
        })
        .filter(match startup {
            Some(s) => membership::Column::StartupId.eq(s),
            None => membership::Column::StartupId.is_null(),
        })
        .count(txn)
        .await?
        > 0;
    if !exists {
        membership::ActiveModel {
            user_id: Set(user),
            role: Set(role.code().to_owned()),
            carrier_id: Set(carrier),
            startup_id: Set(startup),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// A fresh random token and the hash that is stored in its place.
fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    (token, hash)
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

const INVITE: &str = "invite";
const RESET: &str = "reset";

/// Invites someone to join as admin, bureau staff or operator of a carrier. Admins invite any of
/// these; bureau staff invite operators. The link is returned once and never stored.
pub async fn invite(db: &DatabaseConnection, actor: &Actor, invitation: &Invitation) -> Result<OneTimeLink> {
    match invitation.role {
        Role::Operator if actor.admin || actor.bureau => {}
        Role::Admin | Role::Bureau if actor.admin => {}
        _ => return Err(ServiceError::Forbidden),
    }
    let txn = db::begin_write(db).await?;
    if let Some(carrier) = invitation.carrier
        && carrier::Entity::find_by_id(carrier.0).one(&txn).await?.is_none()
    {
        return Err(ServiceError::Invalid(FieldErrors::single(field::CARRIER, Problem::NotAChoice)));
    }
    // A role granted to oneself needs a second admin's approval before the link works.
    let needs_approval = invitation.email.eq_ignore_ascii_case(&actor.email);
    let (token, hash) = new_token();
    let now = Utc::now();
    let expires_at = now + Duration::days(7);
    let row = one_time_token::ActiveModel {
        token_hash: Set(hash),
        purpose: Set(INVITE.to_owned()),
        email: Set(Some(invitation.email.clone())),
        role: Set(Some(invitation.role.code().to_owned())),
        carrier_id: Set(invitation.carrier.map(|c| c.0)),
        user_id: Set(None),
        created_by: Set(Some(actor.user.0)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        needs_approval: Set(needs_approval),
        approved_by: Set(None),
        approved_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        By::Actor(actor),
        Change {
            action: "invite",
            entity_type: "invitation",
            entity_id: row.id,
            carrier: invitation.carrier,
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "email": invitation.email, "role": invitation.role, "expires_at": expires_at,
                "needs_approval": needs_approval
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(OneTimeLink { path: format!("/invite/{token}"), expires_at, needs_approval })
}

/// What an invitation offers, for the page that accepts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationDetails {
    pub email: String,
    pub role: Role,
    pub carrier_name: Option<String>,
    /// The email already has an account: accepting adds the role to it.
    pub existing_account: bool,
}

async fn valid_token(db: &impl ConnectionTrait, token: &str, purpose: &str) -> Result<one_time_token::Model> {
    let row = one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(token_hash(token.trim())))
        .filter(one_time_token::Column::Purpose.eq(purpose))
        .one(db)
        .await?
        .ok_or(ServiceError::LinkExpired)?;
    if row.used_at.is_some() || row.revoked_at.is_some() || row.expires_at <= Utc::now() {
        return Err(ServiceError::LinkExpired);
    }
    if row.needs_approval && row.approved_by.is_none() {
        return Err(ServiceError::AwaitingApproval);
    }
    Ok(row)
}

/// Spends a one-time link: a conditional write that succeeds for exactly one of several
/// concurrent users of the link. On PostgreSQL the losers' updates wait for the winner's
/// transaction and then find `used_at` set; on SQLite the write lock orders them the same way.
async fn use_token(txn: &impl ConnectionTrait, row: &one_time_token::Model) -> Result<()> {
    let spent = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(Utc::now())))
        .filter(one_time_token::Column::Id.eq(row.id))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    if spent.rows_affected == 1 { Ok(()) } else { Err(ServiceError::LinkExpired) }
}

/// The names on a link that needed approval, for the audit record of its use.
async fn approval_names(txn: &impl ConnectionTrait, row: &one_time_token::Model) -> Result<serde_json::Value> {
    if !row.needs_approval {
        return Ok(serde_json::Value::Null);
    }
    let email = |id: Option<i64>| async move {
        Ok::<_, ServiceError>(match id {
            Some(id) => user::Entity::find_by_id(id).one(txn).await?.map(|u| u.email),
            None => None,
        })
    };
    Ok(
        serde_json::json!({ "requested_by": email(row.created_by).await?, "approved_by": email(row.approved_by).await? }),
    )
}

/// The links waiting for a second admin's approval (admins only).
pub async fn pending_approvals(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<PendingApproval>> {
    authz::administer_accounts(actor)?;
    let rows = one_time_token::Entity::find()
        .filter(one_time_token::Column::NeedsApproval.eq(true))
        .filter(one_time_token::Column::ApprovedBy.is_null())
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .filter(one_time_token::Column::ExpiresAt.gt(Utc::now()))
        .order_by_asc(one_time_token::Column::CreatedAt)
        .all(db)
        .await?;
    let mut pending = Vec::with_capacity(rows.len());
    for row in rows {
        let requested_by = match row.created_by {
            Some(id) => user::Entity::find_by_id(id).one(db).await?.map(|u| u.email).unwrap_or_default(),
            None => String::new(),
        };
        let email = row.email.clone().unwrap_or_default();
        let subject = if row.purpose == INVITE {
            let role = row
                .role
                .as_deref()
                .and_then(Role::from_code)
                .ok_or_else(|| ServiceError::Corrupt(format!("invitation {} without role", row.id)))?;
            let carrier_name = match row.carrier_id {
                Some(id) => carrier::Entity::find_by_id(id).one(db).await?.map(|c| c.name),
                None => None,
            };
            ApprovalSubject::Invitation { email, role, carrier_name }
        } else {
            let memberships = match row.user_id {
                Some(id) => memberships_of(db, &[id]).await?.remove(&id).unwrap_or_default(),
                None => Vec::new(),
            };
            ApprovalSubject::Reset { email, memberships }
        };
        pending.push(PendingApproval {
            id: row.id,
            subject,
            requested_by,
            created_at: row.created_at,
            expires_at: row.expires_at,
            own: row.created_by == Some(actor.user.0),
        });
    }
    Ok(pending)
}

/// A second admin approves a link that waits for it. The admin who issued the link cannot; an
/// approval is a conditional write, so two admins approving at once record one approval.
pub async fn approve_link(db: &DatabaseConnection, actor: &Actor, link: i64) -> Result<()> {
    authz::administer_accounts(actor)?;
    let txn = db::begin_write(db).await?;
    let row = one_time_token::Entity::find_by_id(link).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    if !row.needs_approval || row.used_at.is_some() || row.revoked_at.is_some() || row.expires_at <= Utc::now() {
        return Err(ServiceError::LinkExpired);
    }
    // Neither the issuer nor the person the link is for approves it.
    let subject = match row.user_id {
        Some(id) => Some(id),
        None => match row.email.as_deref() {
            Some(email) => user::Entity::find().filter(user::Column::Email.eq(email)).one(&txn).await?.map(|u| u.id),
            None => None,
        },
    };
    if row.created_by == Some(actor.user.0) || subject == Some(actor.user.0) {
        return Err(ServiceError::Forbidden);
    }
    let now = Utc::now();
    let approved = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::ApprovedBy, sea_orm::sea_query::Expr::value(Some(actor.user.0)))
        .col_expr(one_time_token::Column::ApprovedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(one_time_token::Column::Id.eq(row.id))
        .filter(one_time_token::Column::ApprovedBy.is_null())
        .exec(&txn)
        .await?;
    if approved.rows_affected != 1 {
        return Err(ServiceError::Stale);
    }
    let approved_row = one_time_token::Model { approved_by: Some(actor.user.0), ..row.clone() };
    audit::record(
        &txn,
        By::Actor(actor),
        Change {
            action: "approve_link",
            entity_type: if row.purpose == INVITE { "invitation" } else { "user" },
            entity_id: if row.purpose == INVITE { row.id } else { row.user_id.unwrap_or(row.id) },
            carrier: row.carrier_id.map(CarrierId),
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "link": row.id, "purpose": row.purpose, "email": row.email,
                "names": approval_names(&txn, &approved_row).await?
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn invitation_details(db: &impl ConnectionTrait, token: &str) -> Result<InvitationDetails> {
    let row = valid_token(db, token, INVITE).await?;
    let email = row.email.clone().ok_or_else(|| ServiceError::Corrupt("invitation without email".into()))?;
    let role = row
        .role
        .as_deref()
        .and_then(Role::from_code)
        .ok_or_else(|| ServiceError::Corrupt("invitation without role".into()))?;
    let carrier_name = match row.carrier_id {
        Some(id) => carrier::Entity::find_by_id(id).one(db).await?.map(|c| c.name),
        None => None,
    };
    let existing_account = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).count(db).await? > 0;
    Ok(InvitationDetails { email, role, carrier_name, existing_account })
}

/// Accepts an invitation. A new account sets its name and password; an existing account proves
/// it is theirs with its current password, and gains the role. Returns the user to sign in.
pub async fn accept_invitation(
    db: &DatabaseConnection,
    token: &str,
    display_name: &str,
    password: &str,
    confirm: &str,
) -> Result<UserId> {
    let details = invitation_details(db, token).await?;
    let existing = user::Entity::find().filter(user::Column::Email.eq(details.email.as_str())).one(db).await?;
    let new_hash = match &existing {
        Some(user) => {
            let stored = user.password_hash.clone().ok_or(ServiceError::InvalidCredentials)?;
            if !user.active || !password::verify(stored, password).await? {
                return Err(ServiceError::Invalid(FieldErrors::single(field::PASSWORD, Problem::PasswordWrong)));
            }
            None
        }
        None => {
            let mut errors = FieldErrors::new();
            errors.check(field::DISPLAY_NAME, domain::validation::text(display_name, 1, 50));
            for e in account::new_password(password, confirm, &[details.email.as_str(), display_name]).iter() {
                errors.add(&e.field, e.problem.clone());
            }
            if !errors.is_empty() {
                return Err(ServiceError::Invalid(errors));
            }
            Some(password::hash(password).await?)
        }
    };

    let txn = db::begin_write(db).await?;
    let row = valid_token(&txn, token, INVITE).await?;
    // The link is spent first, by a write that only one of several concurrent acceptances can
    // make; the others find it spent.
    use_token(&txn, &row).await?;
    let user = match existing {
        Some(user) => user,
        None => insert_user(&txn, &details.email, display_name.trim(), new_hash)
            .await
            .map_err(|e| taken_on_unique_violation(e, field::EMAIL))?,
    };
    insert_membership(&txn, user.id, details.role, row.carrier_id, None).await?;
    audit::record(
        &txn,
        By::User { id: user.id, email: &user.email },
        Change {
            action: "accept_invitation",
            entity_type: "membership",
            entity_id: user.id,
            carrier: row.carrier_id.map(CarrierId),
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "email": user.email, "role": details.role, "approval": approval_names(&txn, &row).await?
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(UserId(user.id))
}

/// An admin issues a one-time link with which a user sets a new password (24 hours). The link
/// hands whoever holds it the account, with all its rights: a reset of anyone else's account
/// therefore works only after a second admin — neither the issuer nor the account's owner — has
/// approved it. (Were resets of fellow admins exempt, one admin could take over a second and
/// approve their own links with it.) `fuhua reset-link` issues one from the command line.
pub async fn issue_password_reset(db: &DatabaseConnection, actor: &Actor, user_id: UserId) -> Result<OneTimeLink> {
    authz::administer_accounts(actor)?;
    let txn = db::begin_write(db).await?;
    let user = user::Entity::find_by_id(user_id.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    let needs_approval = user.id != actor.user.0;
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
        created_by: Set(Some(actor.user.0)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        needs_approval: Set(needs_approval),
        approved_by: Set(None),
        approved_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        By::Actor(actor),
        Change {
            action: "issue_password_reset",
            entity_type: "user",
            entity_id: user.id,
            carrier: None,
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "reset_link_id": row.id, "expires_at": expires_at, "needs_approval": needs_approval
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(OneTimeLink { path: format!("/reset/{token}"), expires_at, needs_approval })
}

/// The email of the account a reset link is for, for the page that uses it.
pub async fn password_reset_email(db: &impl ConnectionTrait, token: &str) -> Result<String> {
    valid_token(db, token, RESET).await?.email.ok_or(ServiceError::LinkExpired)
}

/// Sets a new password with a reset link. Every existing session of the user ends.
pub async fn reset_password(db: &DatabaseConnection, token: &str, password: &str, confirm: &str) -> Result<UserId> {
    let email = password_reset_email(db, token).await?;
    let errors = account::new_password(password, confirm, &[email.as_str()]);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = password::hash(password).await?;
    let txn = db::begin_write(db).await?;
    let row = valid_token(&txn, token, RESET).await?;
    let user_id = row.user_id.ok_or(ServiceError::LinkExpired)?;
    use_token(&txn, &row).await?;
    set_password(&txn, user_id, hash).await?;
    audit::record(
        &txn,
        By::User { id: user_id, email: &email },
        Change {
            action: "reset_password",
            entity_type: "user",
            entity_id: user_id,
            carrier: None,
            startup: None,
            before: None,
            after: audit::snapshot(&serde_json::json!({ "approval": approval_names(&txn, &row).await? })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(UserId(user_id))
}

/// Sets a user's password. Every session from before ends (they are checked against
/// `password_changed_at`), and every reset link still outstanding for the account is revoked: a
/// link issued before the change must not undo it.
async fn set_password(txn: &impl ConnectionTrait, user_id: i64, hash: String) -> Result<()> {
    let user = user::Entity::find_by_id(user_id).one(txn).await?.ok_or(ServiceError::NotFound)?;
    let now = Utc::now();
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(one_time_token::Column::UserId.eq(user_id))
        .filter(one_time_token::Column::Purpose.eq(RESET))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    let mut model: user::ActiveModel = user.into();
    model.password_hash = Set(Some(hash));
    model.password_changed_at = Set(Some(now));
    model.updated_at = Set(now);
    model.update(txn).await?;
    Ok(())
}

/// A user changes their own password, proving the current one. Other sessions end.
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
        By::Actor(actor),
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
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<AccountRow>> {
    if !actor.admin && !actor.bureau {
        return Err(ServiceError::Forbidden);
    }
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
pub async fn set_active(db: &DatabaseConnection, actor: &Actor, user_id: UserId, active: bool) -> Result<()> {
    authz::administer_accounts(actor)?;
    if user_id == actor.user && !active {
        return Err(ServiceError::Forbidden);
    }
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
            By::Actor(actor),
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

/// Deletes sign-in attempts older than a day (they only matter for throttling).
pub async fn prune_login_attempts(db: &DatabaseConnection) -> Result<u64> {
    let cutoff = Utc::now() - Duration::days(1);
    let result = login_attempt::Entity::delete_many().filter(login_attempt::Column::At.lt(cutoff)).exec(db).await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_stored_only_as_its_hash() {
        let (token, hash) = new_token();
        assert_eq!(token.len(), 64);
        assert_ne!(token, hash);
        assert_eq!(token_hash(&token), hash);
    }
}
