//! The performance harness's baselines (`bench/run.sh`), served by the same process, pool and
//! database as the pages they are compared with, and only when the server is started with
//! `--bench-baseline` (never in production: the flag is hidden and off by default).
//!
//! - **Fortunes**, as TechEmpower's benchmark defines it: one query reads a dozen rows, one row is
//!   added at request time, the list is sorted by message and rendered as an HTML-escaped table.
//! - **One commit**: one row inserted in a transaction of its own, the cost of a durable write on
//!   this database (what a lease signing is compared with).
//!
//! Their tables (`bench_fortune`, `bench_commit`) are created by [`prepare`] and belong to no
//! migration: a database the harness did not prepare does not have them.

use crate::Result;
use sea_orm::sea_query::{Alias, ColumnDef, Expr, OnConflict, Query, Table};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};

/// One row of the Fortunes table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fortune {
    pub id: i32,
    pub message: String,
}

/// The rows of TechEmpower's Fortunes test (the benchmark's published data set).
const FORTUNES: [&str; 12] = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
    "フレームワークのベンチマーク",
];

/// The message Fortunes adds at request time.
pub const ADDED_FORTUNE: &str = "Additional fortune added at request time.";

/// The advisory lock under which [`prepare`] runs on PostgreSQL, so that several processes
/// started at once create the tables once ("bench" in ASCII).
const PREPARE_LOCK: i64 = 0x62_656e_6368;

/// Creates the baselines' tables and fills Fortunes, once; later calls, from this process or
/// another started at the same moment, leave them as they are.
pub async fn prepare(db: &DatabaseConnection) -> Result<()> {
    let txn = crate::db::begin_write(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({PREPARE_LOCK})")).await?;
    }
    txn.execute(
        Table::create()
            .table(Alias::new("bench_fortune"))
            .if_not_exists()
            .col(ColumnDef::new(Alias::new("id")).integer().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("message")).text().not_null()),
    )
    .await?;
    txn.execute(
        Table::create()
            .table(Alias::new("bench_commit"))
            .if_not_exists()
            .col(ColumnDef::new(Alias::new("id")).integer().not_null().auto_increment().primary_key())
            .col(ColumnDef::new(Alias::new("at")).text().not_null()),
    )
    .await?;
    let mut rows = Query::insert();
    rows.into_table(Alias::new("bench_fortune"))
        .columns([Alias::new("id"), Alias::new("message")])
        .on_conflict(OnConflict::column(Alias::new("id")).do_nothing().to_owned());
    for (id, message) in (1..).zip(FORTUNES) {
        rows.values_panic([Expr::val(id), Expr::val(message)]);
    }
    txn.execute(&rows).await?;
    txn.commit().await?;
    Ok(())
}

/// Fortunes: the stored rows and the one added now, sorted by message.
pub async fn fortunes(db: &DatabaseConnection) -> Result<Vec<Fortune>> {
    let rows = db
        .query_all(Query::select().columns([Alias::new("id"), Alias::new("message")]).from(Alias::new("bench_fortune")))
        .await?;
    let mut fortunes = Vec::with_capacity(rows.len() + 1);
    for row in rows {
        fortunes.push(Fortune { id: row.try_get("", "id")?, message: row.try_get("", "message")? });
    }
    fortunes.push(Fortune { id: 0, message: ADDED_FORTUNE.to_owned() });
    fortunes.sort_by(|a, b| a.message.cmp(&b.message));
    Ok(fortunes)
}

/// One row written and committed in a transaction of its own.
pub async fn commit_one(db: &DatabaseConnection) -> Result<()> {
    let txn = crate::db::begin_write(db).await?;
    txn.execute(
        Query::insert()
            .into_table(Alias::new("bench_commit"))
            .columns([Alias::new("at")])
            .values_panic([Expr::val(crate::now().to_rfc3339())]),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
