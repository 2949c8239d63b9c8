//! Signing in with throttling, the actor behind a session, signing out.

use crate::audit::{self, By, Change};
use crate::entity::{carrier, login_attempt, membership, startup, user};
use crate::policy::{self, Actor};
use crate::{Result, ServiceError, db, password};
use chrono::{DateTime, Duration, Utc};
use domain::account::{Me, Membership, Role};
use domain::{CarrierId, StartupId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set, Statement,
};
use std::collections::{BTreeMap, BTreeSet};

/// Failed sign-ins allowed per account, and per client address, within the window.
pub const ACCOUNT_FAILURES: u64 = 5;

pub const CLIENT_FAILURES: u64 = 30;

pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// Registrations allowed per client address within an hour.
pub const CLIENT_REGISTRATIONS: u64 = 20;

/// How often one kind of attempt is allowed.
pub(super) struct Throttle {
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

pub(super) const REGISTER: Throttle = Throttle {
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
pub(super) fn attempt_keys(account: &str, client: &str) -> (String, String) {
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
pub(super) async fn reserve_attempt(
    db: &DatabaseConnection,
    throttle: &Throttle,
    account: &str,
    client: &str,
) -> Result<i64> {
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
pub(super) async fn settle_attempt(db: &DatabaseConnection, attempt: i64, outcome: Option<bool>) -> Result<()> {
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn record_sign_out(db: &DatabaseConnection, actor: &Actor) -> Result<()> {
    audit::record(
        db,
        By::Actor(policy::own_account(actor)),
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
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn me(db: &impl ConnectionTrait, actor: &Actor) -> Result<Me> {
    let user = user::Entity::find_by_id(actor.user.0).one(db).await?.ok_or(ServiceError::Unauthenticated)?;
    let memberships = memberships_of(db, &[user.id]).await?.remove(&user.id).unwrap_or_default();
    Ok(Me { id: actor.user, email: user.email, display_name: user.display_name, memberships })
}

/// The memberships of several users, with carrier and startup names.
pub(super) async fn memberships_of(db: &impl ConnectionTrait, users: &[i64]) -> Result<BTreeMap<i64, Vec<Membership>>> {
    let rows =
        membership::Entity::find().filter(membership::Column::UserId.is_in(users.iter().copied())).all(db).await?;
    let carrier_ids: Vec<i64> = rows.iter().filter_map(|m| m.carrier_id).collect();
    let startup_ids: Vec<i64> = rows.iter().filter_map(|m| m.startup_id).collect();
    // Names only where there are memberships to name (the bureau's have none): each page's
    // navigation asks.
    let carriers: BTreeMap<i64, String> = if carrier_ids.is_empty() {
        BTreeMap::new()
    } else {
        carrier::Entity::find()
            .select_only()
            .columns([carrier::Column::Id, carrier::Column::Name])
            .filter(carrier::Column::Id.is_in(carrier_ids))
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let startups: BTreeMap<i64, String> = if startup_ids.is_empty() {
        BTreeMap::new()
    } else {
        startup::Entity::find()
            .select_only()
            .columns([startup::Column::Id, startup::Column::Name])
            .filter(startup::Column::Id.is_in(startup_ids))
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
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

/// Deletes sign-in attempts older than a day (they only matter for throttling).
pub async fn prune_login_attempts(db: &DatabaseConnection) -> Result<u64> {
    let cutoff = Utc::now() - Duration::days(1);
    let result = login_attempt::Entity::delete_many().filter(login_attempt::Column::At.lt(cutoff)).exec(db).await?;
    Ok(result.rows_affected)
}
