//! Accounts: passwords, sign-in with throttling, self-registration of startups, invitations of
//! staff, password resets, and the account administration.

use crate::audit::{self, By, Change};
use crate::authz::{self, Actor};
use crate::entity::{carrier, login_attempt, membership, one_time_token, startup, user};
use crate::{Result, ServiceError, db};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Duration, Utc};
use domain::account::{self, AccountRow, Invitation, Me, Membership, OneTimeLink, Registration, Role, field};
use domain::{CarrierId, FieldErrors, Problem, StartupId, UserId};
use rand_core::{OsRng, RngCore};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Argon2id at OWASP's recommended minimum: 19 MiB of memory, two passes, one lane.
pub fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password off the async threads (≈35 ms of CPU).
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| ServiceError::Corrupt(format!("hashing failed: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Corrupt(format!("hashing task failed: {e}")))?
}

/// Checks a password against a stored hash, off the async threads.
async fn verify_password(hash: String, password: &str) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A hash to check against when the account does not exist, so that an unknown account takes as
/// long to refuse as a wrong password.
async fn dummy_hash() -> String {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return hash.clone();
    }
    let hash = hash_password("not a password anyone has").await.unwrap_or_default();
    DUMMY.get_or_init(|| hash).clone()
}

/// Failed sign-ins allowed per account, and per client address, within the window.
pub const ACCOUNT_FAILURES: u64 = 5;
pub const CLIENT_FAILURES: u64 = 30;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// Signs in: returns the user when the account exists, is active and the password is right.
/// Unknown account and wrong password are the same error. After too many failures for the
/// account or from the client, every attempt is refused until the window passes, without even
/// checking the password.
pub async fn sign_in(db: &DatabaseConnection, email: &str, password: &str, client: &str) -> Result<UserId> {
    let account = email.trim().to_lowercase();
    let since = Utc::now() - Duration::minutes(THROTTLE_WINDOW_MINUTES);
    let failures = |column: login_attempt::Column, value: String| {
        login_attempt::Entity::find()
            .filter(column.eq(value))
            .filter(login_attempt::Column::Succeeded.eq(false))
            .filter(login_attempt::Column::At.gte(since))
            .count(db)
    };
    if failures(login_attempt::Column::Account, account.clone()).await? >= ACCOUNT_FAILURES
        || failures(login_attempt::Column::Client, client.to_owned()).await? >= CLIENT_FAILURES
    {
        tracing::warn!(client, "sign-in throttled");
        return Err(ServiceError::TooManyAttempts {
            retry_after_minutes: u32::try_from(THROTTLE_WINDOW_MINUTES).unwrap_or(15),
        });
    }

    let user = user::Entity::find().filter(user::Column::Email.eq(account.as_str())).one(db).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let verified = verify_password(stored.clone().unwrap_or(dummy_hash().await), password).await;
    let succeeded = verified && stored.is_some() && user.as_ref().is_some_and(|u| u.active);

    login_attempt::ActiveModel {
        at: Set(Utc::now()),
        account: Set(account.chars().take(254).collect()),
        client: Set(client.chars().take(64).collect()),
        succeeded: Set(succeeded),
        ..Default::default()
    }
    .insert(db)
    .await?;

    match user {
        Some(user) if succeeded => {
            tracing::info!(user = user.id, "signed in");
            Ok(UserId(user.id))
        }
        _ => {
            tracing::info!(client, "sign-in refused");
            Err(ServiceError::InvalidCredentials)
        }
    }
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
pub async fn register_startup(db: &DatabaseConnection, registration: &Registration) -> Result<UserId> {
    let hash = hash_password(&registration.password).await?;
    let txn = db::begin_write(db).await?;
    let mut errors = FieldErrors::new();
    if user::Entity::find().filter(user::Column::Email.eq(registration.email.as_str())).count(&txn).await? > 0 {
        errors.add(field::EMAIL, Problem::EmailTaken);
    }
    if startup::Entity::find().filter(startup::Column::Name.eq(registration.startup_name.as_str())).count(&txn).await?
        > 0
    {
        errors.add(field::STARTUP_NAME, Problem::NameTaken);
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = Utc::now();
    let startup = startup::ActiveModel {
        name: Set(registration.startup_name.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let user = insert_user(&txn, &registration.email, &registration.display_name, Some(hash)).await?;
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
                "email": invitation.email, "role": invitation.role, "expires_at": expires_at
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(OneTimeLink { path: format!("/invite/{token}"), expires_at })
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
    if row.used_at.is_some() || row.expires_at <= Utc::now() {
        return Err(ServiceError::LinkExpired);
    }
    Ok(row)
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
            if !user.active || !verify_password(stored, password).await {
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
            Some(hash_password(password).await?)
        }
    };

    let txn = db::begin_write(db).await?;
    // Re-read inside the transaction: two tabs accepting the same link get one success.
    let row = valid_token(&txn, token, INVITE).await?;
    let user = match existing {
        Some(user) => user,
        None => insert_user(&txn, &details.email, display_name.trim(), new_hash).await?,
    };
    insert_membership(&txn, user.id, details.role, row.carrier_id, None).await?;
    let mut used: one_time_token::ActiveModel = row.clone().into();
    used.used_at = Set(Some(Utc::now()));
    used.update(&txn).await?;
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
            after: audit::snapshot(&serde_json::json!({ "email": user.email, "role": details.role })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(UserId(user.id))
}

/// An admin issues a one-time link with which a user sets a new password (24 hours).
pub async fn issue_password_reset(db: &DatabaseConnection, actor: &Actor, user_id: UserId) -> Result<OneTimeLink> {
    authz::administer_accounts(actor)?;
    let txn = db::begin_write(db).await?;
    let user = user::Entity::find_by_id(user_id.0).one(&txn).await?.ok_or(ServiceError::NotFound)?;
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
            after: audit::snapshot(&serde_json::json!({ "reset_link_id": row.id, "expires_at": expires_at })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(OneTimeLink { path: format!("/reset/{token}"), expires_at })
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
    let hash = hash_password(password).await?;
    let txn = db::begin_write(db).await?;
    let row = valid_token(&txn, token, RESET).await?;
    let user_id = row.user_id.ok_or(ServiceError::LinkExpired)?;
    set_password(&txn, user_id, hash).await?;
    let mut used: one_time_token::ActiveModel = row.into();
    used.used_at = Set(Some(Utc::now()));
    used.update(&txn).await?;
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
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(UserId(user_id))
}

async fn set_password(txn: &impl ConnectionTrait, user_id: i64, hash: String) -> Result<()> {
    let user = user::Entity::find_by_id(user_id).one(txn).await?.ok_or(ServiceError::NotFound)?;
    let now = Utc::now();
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
    if !verify_password(stored, current).await {
        return Err(ServiceError::Invalid(FieldErrors::single(field::CURRENT_PASSWORD, Problem::PasswordWrong)));
    }
    let errors = account::new_password(password, confirm, &[user.email.as_str(), user.display_name.as_str()]);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = hash_password(password).await?;
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
        Some(p) => Some(hash_password(p).await?),
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
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Some(OneTimeLink { path: format!("/reset/{token}"), expires_at })
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

    #[test]
    fn hashes_are_argon2id_at_owasp_parameters() {
        let salt = SaltString::generate(&mut OsRng);
        let hash = argon2().hash_password(b"correct horse battery staple", &salt).unwrap().to_string();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    }
}
