//! Who may read a startup's cap table and record in its ledger.

use crate::authz::{self, Actor};
use crate::entity::{equity_holder, lease, startup};
use crate::{Result, ServiceError};
use domain::{CarrierId, StartupId};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeSet;

/// Carriers that lease (or leased) space to the startup.
async fn landlords(db: &impl ConnectionTrait, startup: StartupId) -> Result<BTreeSet<CarrierId>> {
    Ok(lease::Entity::find()
        .filter(lease::Column::StartupId.eq(startup.0))
        .all(db)
        .await?
        .into_iter()
        .map(|l| CarrierId(l.carrier_id))
        .collect())
}

pub(super) async fn check_read(db: &impl ConnectionTrait, actor: &Actor, startup: StartupId) -> Result<()> {
    if authz::read_startup(actor, startup).is_ok() {
        return Ok(());
    }
    if actor.carriers.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    if landlords(db, startup).await?.iter().any(|c| actor.operates(*c)) {
        return Ok(());
    }
    let holds = equity_holder::Entity::find()
        .filter(equity_holder::Column::StartupId.eq(startup.0))
        .filter(equity_holder::Column::CarrierId.is_in(actor.carriers.iter().map(|c| c.0)))
        .one(db)
        .await?
        .is_some();
    if holds { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// The carriers `actor` records for on this startup's ledger: those it operates that hold an
/// active lease with the startup (a former landlord still reads, but records no more).
pub(super) async fn recording_carriers(
    db: &impl ConnectionTrait,
    actor: &Actor,
    startup: StartupId,
) -> Result<Vec<CarrierId>> {
    if actor.carriers.is_empty() {
        return Ok(Vec::new());
    }
    let mut carriers: Vec<CarrierId> = lease::Entity::find()
        .filter(lease::Column::StartupId.eq(startup.0))
        .filter(lease::Column::State.eq(domain::lease::LeaseState::Active.code()))
        .filter(lease::Column::CarrierId.is_in(actor.carriers.iter().map(|c| c.0)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| CarrierId(l.carrier_id))
        .collect();
    carriers.sort_unstable();
    carriers.dedup();
    Ok(carriers)
}

/// Serializes writers of one startup's ledger. SQLite's `BEGIN IMMEDIATE` already does; on
/// PostgreSQL the startup's row is locked until the transaction ends.
pub(super) async fn lock_startup(txn: &impl ConnectionTrait, startup: StartupId) -> Result<()> {
    let query = startup::Entity::find_by_id(startup.0);
    let found = if txn.get_database_backend() == DbBackend::Postgres {
        query.lock_exclusive().one(txn).await?
    } else {
        query.one(txn).await?
    };
    found.map(|_| ()).ok_or(ServiceError::NotFound)
}
