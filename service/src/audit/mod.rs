//! The audit trail: who changed what, when, and the values before and after. Rows are written in
//! the same transaction as the change they describe, so neither exists without the other.

mod subjects;

use crate::Result;
use crate::entity::audit_log;
use crate::policy::{self, Actor, CarrierScope, Permit};
use chrono::{Duration, NaiveTime};
use domain::account::{AuditEntry, AuditQuery};
use domain::{CarrierId, Page, StartupId};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set,
};

use serde::Serialize;

/// One change to record.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: i64,
    pub carrier: Option<CarrierId>,
    pub startup: Option<StartupId>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Who did it, for the record: an actor holding a permit for the change, or the system (seeding,
/// the command line).
#[derive(Clone, Copy)]
pub enum By<'a> {
    /// A signed-in actor, by the permit of the rule that allows the change: there is no other
    /// way to name an actor as an author, so a change made without asking `crate::policy` does
    /// not compile.
    Actor(Permit<'a>),
    /// A user acting before they hold a session (registration, accepting an invitation).
    User {
        id: i64,
        email: &'a str,
    },
    System(&'a str),
    /// Someone not signed in, naming an account that may not exist (a failed sign-in).
    Claimed(&'a str),
}

impl By<'_> {
    /// The author as the trail names it.
    pub fn email(&self) -> String {
        match self {
            By::Actor(permit) => permit.actor().email.clone(),
            By::User { email, .. } => (*email).to_owned(),
            By::System(name) => format!("system:{name}"),
            By::Claimed(account) => (*account).to_owned(),
        }
    }
}

/// Serialises a record's state for the trail.
pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Appends `change` to the trail, inside the caller's transaction.
pub async fn record(txn: &impl ConnectionTrait, by: By<'_>, change: Change<'_>) -> Result<()> {
    covered(by, &change)?;
    row(by, change).insert(txn).await?;
    Ok(())
}

/// A permit is for the records its rule names: one for carrier A authors no change to carrier
/// B's records. A change outside its permit is refused here, inside the transaction, so the
/// write it describes is rolled back with it.
fn covered(by: By<'_>, change: &Change<'_>) -> Result<()> {
    match by {
        By::Actor(permit) if !permit.covers(change.carrier, change.startup, change.entity_type, change.entity_id) => {
            tracing::error!(rule = ?permit.rule(), action = change.action, entity = change.entity_type, "a change outside its permit");
            Err(crate::ServiceError::Forbidden)
        }
        _ => Ok(()),
    }
}

/// Appends many changes by one author (an import's units), in statements of a few hundred rows.
pub async fn record_many(txn: &impl ConnectionTrait, by: By<'_>, changes: Vec<Change<'_>>) -> Result<()> {
    for change in &changes {
        covered(by, change)?;
    }
    let rows: Vec<audit_log::ActiveModel> = changes.into_iter().map(|change| row(by, change)).collect();
    for chunk in rows.chunks(400) {
        audit_log::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    Ok(())
}

fn row(by: By<'_>, change: Change<'_>) -> audit_log::ActiveModel {
    let actor_id = match by {
        By::Actor(permit) => Some(permit.actor().user.0),
        By::User { id, .. } => Some(id),
        By::System(_) | By::Claimed(_) => None,
    };
    let actor_email = by.email();
    audit_log::ActiveModel {
        at: Set(crate::now()),
        actor_id: Set(actor_id),
        actor_email: Set(actor_email),
        action: Set(change.action.to_owned()),
        entity_type: Set(change.entity_type.to_owned()),
        entity_id: Set(change.entity_id),
        carrier_id: Set(change.carrier.map(|c| c.0)),
        startup_id: Set(change.startup.map(|s| s.0)),
        before: Set(change.before.map(|v| v.to_string())),
        after: Set(change.after.map(|v| v.to_string())),
        ..Default::default()
    }
}

/// A page of the trail, newest first. The bureau reads all of it; operators read the entries
/// about their carriers; nobody else reads it. The newest [`AuditQuery::LISTED`] entries that
/// match are listed; `more` says there are older ones, which narrower filters reach.
#[tracing::instrument(level = "debug", skip_all, fields(actor = actor.user.0))]
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, query: &AuditQuery) -> Result<Page<AuditEntry>> {
    let mut condition = Condition::all();
    match policy::carrier_scope(actor)? {
        CarrierScope::All => {}
        CarrierScope::Only(carriers) => {
            condition = condition.add(audit_log::Column::CarrierId.is_in(carriers.iter().map(|c| c.0)));
        }
    }
    if let Some(entity) = &query.entity_type {
        condition = condition.add(audit_log::Column::EntityType.eq(entity.as_str()));
    }
    if let Some(action) = &query.action {
        condition = condition.add(audit_log::Column::Action.eq(action.as_str()));
    }
    if let Some(carrier) = query.carrier {
        condition = condition.add(audit_log::Column::CarrierId.eq(carrier.0));
    }
    if let Some(actor_email) = &query.actor {
        condition = condition.add(audit_log::Column::ActorEmail.contains(actor_email.to_lowercase()));
    }
    // Dates are Beijing dates: a day runs from 16:00 UTC the day before.
    let china = |date: chrono::NaiveDate| date.and_time(NaiveTime::MIN).and_utc() - Duration::hours(8);
    if let Some(from) = query.from {
        condition = condition.add(audit_log::Column::At.gte(china(from)));
    }
    if let Some(to) = query.to {
        condition = condition.add(audit_log::Column::At.lt(china(to) + Duration::days(1)));
    }
    // Counted only up to the entries listed: counting a city's whole trail cost every page a scan
    // of it, growing with the city.
    let listed = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Id)
        .filter(condition.clone())
        .limit(AuditQuery::LISTED + 1)
        .into_query();
    let counted = SelectStatement::new().expr(Expr::cust("COUNT(*) AS n")).from_subquery(listed, "listed").to_owned();
    let counted: i64 = match db.query_one(&counted).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    let counted = u64::try_from(counted).unwrap_or(0);
    let (total, more) = (counted.min(AuditQuery::LISTED), counted > AuditQuery::LISTED);
    // A page past the listed ones shows the last of them.
    let last = u32::try_from(total.div_ceil(u64::from(AuditQuery::PAGE_SIZE))).unwrap_or(u32::MAX).max(1);
    let page = query.page.clamp(1, last);
    let rows = audit_log::Entity::find()
        .filter(condition)
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .limit(u64::from(AuditQuery::PAGE_SIZE))
        .offset(u64::from(page - 1) * u64::from(AuditQuery::PAGE_SIZE))
        .all(db)
        .await?;
    let mut subjects = subjects::subjects(db, &rows).await?;
    let actor_names = subjects::actor_names(db, &rows).await?;
    let items = rows
        .into_iter()
        .map(|row| AuditEntry {
            subject: subjects.remove(&row.id),
            // The account's name, if the account is still the one that acted.
            actor_name: row
                .actor_id
                .and_then(|id| actor_names.get(&id))
                .filter(|(email, _)| *email == row.actor_email)
                .map(|(_, name)| name.clone()),
            id: row.id,
            at: row.at,
            actor: row.actor_email,
            action: row.action,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            carrier: row.carrier_id.map(CarrierId),
            before: row.before,
            after: row.after,
        })
        .collect();
    Ok(Page { items, total, more, page, page_size: AuditQuery::PAGE_SIZE })
}
