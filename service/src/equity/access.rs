//! Serializing the writers of one startup's ledger. (Who may read and record: `crate::policy`.)

use crate::entity::startup;
use crate::{Result, ServiceError};
use domain::StartupId;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QuerySelect};

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
