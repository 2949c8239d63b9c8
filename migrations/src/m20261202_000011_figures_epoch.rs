//! The figures' epoch: a number that moves with every committed change to a table the city's
//! figures are computed from, kept by the database itself (triggers), so that a cache of those
//! figures is valid exactly while the number stands, whichever process or code path wrote.
//!
//! The number is the sum of a few counters. On PostgreSQL each transaction adds one to a counter
//! chosen by its transaction id, once, at commit (a deferred constraint trigger): transactions
//! never wait for each other on one hot row, and the row lock is taken last, after every other
//! lock of the transaction, so it cannot close a cycle of waits. On SQLite, where one writer
//! holds the database at a time, every changed row adds one to the first counter.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables the bureau's city-wide figures read: the dashboard, the city portfolio, the
/// readiness list, the Torch report and the city's occupancy.
pub const FIGURE_TABLES: &[&str] = &[
    "districts",
    "carriers",
    "carrier_states",
    "sites",
    "area_ledger",
    "carrier_area_days",
    "carrier_leased_days",
    "leases",
    "lease_units",
    "tenant_events",
    "startups",
    "startup_years",
    "area_targets",
    "equity_holders",
    "equity_events",
    "equity_lines",
    "annual_returns",
    "rule_sets",
    "criteria",
];

/// How many counters the epoch is the sum of.
const COUNTERS: i64 = 16;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE TABLE figures_epoch (id BIGINT PRIMARY KEY, epoch BIGINT NOT NULL)").await?;
        let rows: Vec<String> = (0..COUNTERS).map(|i| format!("({i}, 0)")).collect();
        db.execute_unprepared(&format!("INSERT INTO figures_epoch (id, epoch) VALUES {}", rows.join(", "))).await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION fuhua_bump_figures_epoch() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN \
                       IF current_setting('fuhua.figures_bumped', true) IS DISTINCT FROM 'yes' THEN \
                         PERFORM set_config('fuhua.figures_bumped', 'yes', true); \
                         UPDATE figures_epoch SET epoch = epoch + 1 WHERE id = txid_current() % {COUNTERS}; \
                       END IF; \
                       RETURN NULL; \
                     END $$"
                ))
                .await?;
                for table in FIGURE_TABLES {
                    db.execute_unprepared(&format!(
                        "CREATE CONSTRAINT TRIGGER figures_epoch_{table} \
                         AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                         EXECUTE FUNCTION fuhua_bump_figures_epoch()"
                    ))
                    .await?;
                }
            }
            _ => {
                for table in FIGURE_TABLES {
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
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                for table in FIGURE_TABLES {
                    db.execute_unprepared(&format!("DROP TRIGGER figures_epoch_{table} ON {table}")).await?;
                }
                db.execute_unprepared("DROP FUNCTION fuhua_bump_figures_epoch()").await?;
            }
            _ => {
                for table in FIGURE_TABLES {
                    for event in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER figures_epoch_{table}_{event}")).await?;
                    }
                }
            }
        }
        db.execute_unprepared("DROP TABLE figures_epoch").await?;
        Ok(())
    }
}
