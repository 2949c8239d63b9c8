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
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

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

/// Creates the baselines' tables and fills Fortunes, once; later calls leave them as they are.
pub async fn prepare(db: &DatabaseConnection) -> Result<()> {
    let serial = match db.get_database_backend() {
        DbBackend::Postgres => "SERIAL PRIMARY KEY",
        _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
    };
    let txn = crate::db::begin_write(db).await?;
    txn.execute_unprepared("CREATE TABLE IF NOT EXISTS bench_fortune (id INTEGER PRIMARY KEY, message TEXT NOT NULL)")
        .await?;
    txn.execute_unprepared(&format!("CREATE TABLE IF NOT EXISTS bench_commit (id {serial}, at TEXT NOT NULL)")).await?;
    let present = txn
        .query_one_raw(Statement::from_string(txn.get_database_backend(), "SELECT COUNT(*) AS n FROM bench_fortune"))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if present == 0 {
        for (i, message) in FORTUNES.iter().enumerate() {
            let id = i32::try_from(i + 1).unwrap_or(i32::MAX);
            txn.execute_raw(Statement::from_sql_and_values(
                txn.get_database_backend(),
                placeholders(txn.get_database_backend(), "INSERT INTO bench_fortune (id, message) VALUES (?, ?)"),
                [id.into(), (*message).into()],
            ))
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Fortunes: the stored rows and the one added now, sorted by message.
pub async fn fortunes(db: &DatabaseConnection) -> Result<Vec<Fortune>> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT id, message FROM bench_fortune"))
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
    txn.execute_raw(Statement::from_sql_and_values(
        txn.get_database_backend(),
        placeholders(txn.get_database_backend(), "INSERT INTO bench_commit (at) VALUES (?)"),
        [crate::now().to_rfc3339().into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(())
}

/// `?` placeholders as the backend writes them.
fn placeholders(backend: DbBackend, sql: &str) -> String {
    if backend != DbBackend::Postgres {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}
