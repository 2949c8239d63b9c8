//! Start-up: what every process does to a database before it serves from it. It stands above the
//! features (it calls into the area ledgers of `spaces` and the reference data of `reference`),
//! so that nothing below it has to call up.

use crate::reference::{self, CheckedCity};
use crate::{Result, spaces};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait};

/// Brings the schema up to date, the data derived from it (the area ledgers and their roll-up),
/// and the reference data every installation starts with (the founding target, the national
/// accreditation criteria).
///
/// On PostgreSQL, where several instances may start at once against one database, the whole
/// step runs under an advisory lock: exactly one instance applies the migrations and adds the
/// reference data, and the others wait for it and then find nothing left to do.
pub async fn migrate(db: &DatabaseConnection) -> Result<()> {
    migrate_with(db, None).await
}

/// [`migrate`], with the city a database without districts starts with (the built-in Linyi if
/// none is given).
pub async fn migrate_with(db: &DatabaseConnection, city: Option<&CheckedCity>) -> Result<()> {
    let lock = if db.get_database_backend() == DbBackend::Postgres {
        // A transaction-scoped lock on a connection of its own, held until that transaction
        // ends; the migrations run on other connections of the pool.
        let lock = db.begin().await?;
        lock.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")).await?;
        Some(lock)
    } else {
        None
    };
    Migrator::up(db, None).await?;
    spaces::ensure_ledgers(db).await?;
    reference::ensure(db, city).await?;
    if let Some(lock) = lock {
        lock.commit().await?;
    }
    Ok(())
}

/// The advisory lock key of `migrate` ("fuhua" in ASCII).
const MIGRATION_LOCK: i64 = 0x66_7568_7561;
