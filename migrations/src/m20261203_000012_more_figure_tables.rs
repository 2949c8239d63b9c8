//! More tables under the figures' epoch: the units, buildings, floors and carrier industries
//! that the space catalogue reads (which vacant units each carrier has, named by building and
//! floor, and the carriers of an industry), so that the catalogue can be cached under the epoch
//! like the bureau's figures. The triggers are those of `m20261202_000011_figures_epoch`.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables this migration puts under the epoch.
const ADDED: &[&str] = &["units", "buildings", "floors", "carrier_industries"];

/// Every table under the figures' epoch: those of `m20261202_000011_figures_epoch`, then
/// [`ADDED`]. A cache under the epoch may read these and no other table.
pub fn figure_tables() -> impl Iterator<Item = &'static str> {
    crate::m20261202_000011_figures_epoch::FIGURE_TABLES.iter().chain(ADDED).copied()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in ADDED {
            match manager.get_database_backend() {
                DbBackend::Postgres => {
                    db.execute_unprepared(&format!(
                        "CREATE CONSTRAINT TRIGGER figures_epoch_{table} \
                         AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                         EXECUTE FUNCTION fuhua_bump_figures_epoch()"
                    ))
                    .await?;
                }
                _ => {
                    for event in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER figures_epoch_{table}_{event} AFTER {event} ON {table} \
                             BEGIN UPDATE figures_epoch SET epoch = epoch + 1 WHERE id = 0; END"
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in ADDED {
            match manager.get_database_backend() {
                DbBackend::Postgres => {
                    db.execute_unprepared(&format!("DROP TRIGGER figures_epoch_{table} ON {table}")).await?;
                }
                _ => {
                    for event in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER figures_epoch_{table}_{event}")).await?;
                    }
                }
            }
        }
        Ok(())
    }
}
