//! Backups: every table copied, consistently, while the server keeps serving; and restored into
//! an empty database of either engine.
//!
//! A backup is one text file of JSON lines: a header naming the format, the engine it came from
//! and the migrations its schema had; then, table by table in the order they can be restored
//! (parents before children), a line `{"table": …, "rows": n}` followed by the `n` rows, each
//! serialised from its entity (so a value means the same on SQLite and PostgreSQL); and a last
//! line `{"end": …}` with the number of tables, so a cut-off file is refused. The rows are read
//! in one read-only transaction — a snapshot on PostgreSQL (`REPEATABLE READ`) and on SQLite (a
//! read transaction in WAL mode) — so the copy is of one moment, however many writes run
//! meanwhile, and it blocks none of them.
//!
//! A backup restores into the version of Fuhua that wrote it: a file whose schema has migrations
//! this program does not know (a newer version's) is refused, and so is one with fewer (an older
//! version's: restore it with that version, then start this one, which migrates). The target
//! database must be empty; it is migrated, filled in one transaction, and on PostgreSQL its id
//! sequences are moved past the restored ids.

use crate::entity;
use crate::{Result, ServiceError, db};
use futures_util::StreamExt;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityName, EntityTrait,
    IntoActiveModel, IsolationLevel, Iterable, PaginatorTrait, PrimaryKeyToColumn, PrimaryKeyTrait, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

/// The format of the file this module writes.
pub const FORMAT: u32 = 1;

/// Rows inserted per statement when restoring, at most: a statement also stops at
/// [`BATCH_BYTES`] of row text, so that a table of 10 MB documents goes in a few at a time.
const BATCH: usize = 500;
const BATCH_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    fuhua_backup: u32,
    created_at: chrono::DateTime<chrono::Utc>,
    backend: String,
    migrations: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct TableStart {
    table: String,
    rows: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct End {
    end: usize,
}

/// What a backup or a restore copied: each table with its rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub tables: Vec<(String, u64)>,
}

impl Summary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

fn io(error: impl std::fmt::Display) -> ServiceError {
    ServiceError::Corrupt(format!("backup file: {error}"))
}

/// Writes every row of `E`, in primary-key order, as one JSON line each.
async fn dump<E, W>(txn: &DatabaseTransaction, out: &mut W) -> Result<(String, u64)>
where
    E: EntityTrait,
    E::Model: Serialize + Send + Sync,
    W: Write,
{
    let table = E::default().table_name().to_owned();
    let rows = E::find().count(txn).await?;
    writeln!(out, "{}", serde_json::to_string(&TableStart { table: table.clone(), rows }).map_err(io)?).map_err(io)?;
    let mut select = E::find();
    for key in E::PrimaryKey::iter() {
        select = select.order_by_asc(key.into_column());
    }
    let mut stream = select.stream(txn).await?;
    let mut written = 0;
    while let Some(model) = stream.next().await {
        serde_json::to_writer(&mut *out, &model?).map_err(io)?;
        out.write_all(b"\n").map_err(io)?;
        written += 1;
    }
    if written != rows {
        return Err(ServiceError::Corrupt(format!("{table}: counted {rows} rows but read {written}")));
    }
    Ok((table, rows))
}

/// Inserts rows of `E` given as JSON lines.
async fn load<E>(txn: &DatabaseTransaction, lines: &[String]) -> Result<()>
where
    E: EntityTrait,
    E::Model: for<'de> Deserialize<'de> + sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: Send,
{
    let mut models = Vec::with_capacity(lines.len());
    for line in lines {
        let model: E::Model = serde_json::from_str(line)
            .map_err(|e| ServiceError::Corrupt(format!("{}: a row cannot be read: {e}", E::default().table_name())))?;
        models.push(model.into_active_model());
    }
    if !models.is_empty() {
        E::insert_many(models).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Moves the id sequence of `E` past its largest id (PostgreSQL; SQLite needs nothing).
async fn reset_sequence<E: EntityTrait>(txn: &DatabaseTransaction) -> Result<()> {
    let keys: Vec<_> = E::PrimaryKey::iter().collect();
    if txn.get_database_backend() != DbBackend::Postgres
        || !<E::PrimaryKey as PrimaryKeyTrait>::auto_increment()
        || keys.len() != 1
    {
        return Ok(());
    }
    let table = E::default().table_name().to_owned();
    let column = sea_orm::IdenStatic::as_str(&keys[0].into_column()).to_owned();
    txn.execute_unprepared(&format!(
        "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), \
         COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)"
    ))
    .await?;
    Ok(())
}

macro_rules! tables {
    ($($module:ident),* $(,)?) => {
        /// Every table, in the order it is written and restored: parents before children.
        pub fn tables() -> Vec<&'static str> {
            vec![$(entity::$module::Entity.table_name()),*]
        }

        async fn dump_all<W: Write>(txn: &DatabaseTransaction, out: &mut W) -> Result<Summary> {
            let mut summary = Summary::default();
            $( summary.tables.push(dump::<entity::$module::Entity, W>(txn, out).await?); )*
            Ok(summary)
        }

        async fn load_table(txn: &DatabaseTransaction, table: &str, lines: &[String]) -> Result<()> {
            $( if table == entity::$module::Entity.table_name() {
                return load::<entity::$module::Entity>(txn, lines).await;
            } )*
            Err(ServiceError::Corrupt(format!("backup file: unknown table {table}")))
        }

        async fn count_all(db: &impl ConnectionTrait) -> Result<Vec<(&'static str, u64)>> {
            Ok(vec![$( (entity::$module::Entity.table_name(), entity::$module::Entity::find().count(db).await?) ),*])
        }

        pub(crate) async fn reset_sequences(txn: &DatabaseTransaction) -> Result<()> {
            $( reset_sequence::<entity::$module::Entity>(txn).await?; )*
            Ok(())
        }
    };
}

tables!(
    district,
    carrier,
    carrier_state,
    carrier_industry,
    user,
    startup,
    membership,
    session,
    one_time_token,
    login_attempt,
    audit_log,
    maintenance,
    site,
    building,
    floor,
    unit,
    unit_change,
    area_ledger,
    unit_import,
    startup_year,
    document,
    application,
    lease,
    lease_unit,
    lease_event,
    tenant_event,
    equity_holder,
    equity_event,
    equity_line,
    area_target,
    carrier_area_day,
    carrier_leased_day,
    rule_set,
    criterion,
    annual_return,
);

/// The names of the migrations this program knows, in order.
fn known_migrations() -> Vec<String> {
    Migrator::migrations().iter().map(|m| m.name().to_owned()).collect()
}

/// Writes a consistent copy of every table of `db` to `out`.
pub async fn backup(db: &DatabaseConnection, out: &mut impl Write) -> Result<Summary> {
    let migrations: Vec<String> =
        Migrator::get_applied_migrations(db).await?.iter().map(|m| m.name().to_owned()).collect();
    let txn = db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?;
    let header = Header {
        fuhua_backup: FORMAT,
        created_at: chrono::Utc::now(),
        backend: db::backend_name(db).to_owned(),
        migrations,
    };
    writeln!(out, "{}", serde_json::to_string(&header).map_err(io)?).map_err(io)?;
    let summary = dump_all(&txn, out).await?;
    writeln!(out, "{}", serde_json::to_string(&End { end: summary.tables.len() }).map_err(io)?).map_err(io)?;
    out.flush().map_err(io)?;
    txn.commit().await?;
    Ok(summary)
}

/// Why a backup file cannot be restored here.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("not a Fuhua backup file, or one of another format")]
    NotABackup,
    #[error("the backup comes from a newer version of Fuhua (its schema has {0}); restore it with that version")]
    NewerSchema(String),
    #[error(
        "the backup comes from an older version of Fuhua (its schema lacks {0}); restore it with that version, then \
         start this one, which migrates it"
    )]
    OlderSchema(String),
    #[error("the target database is not empty ({0} has rows); restore into a new, empty database")]
    NotEmpty(String),
    #[error("the backup file is incomplete or damaged: {0}")]
    Damaged(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<sea_orm::DbErr> for RestoreError {
    fn from(error: sea_orm::DbErr) -> Self {
        RestoreError::Service(error.into())
    }
}

/// A row that cannot be read means a damaged file, not a broken database.
fn damaged(error: ServiceError) -> RestoreError {
    match error {
        ServiceError::Corrupt(message) => RestoreError::Damaged(message),
        other => RestoreError::Service(other),
    }
}

fn next_line(input: &mut impl BufRead, line: &mut String) -> std::result::Result<bool, RestoreError> {
    line.clear();
    let read = input.read_line(line).map_err(|e| RestoreError::Damaged(e.to_string()))?;
    while line.ends_with('\n') || line.ends_with('\r') {
        line.pop();
    }
    Ok(read > 0)
}

/// Checks that `input` starts with a backup of this program's schema, and returns its header's
/// migrations.
fn read_header(input: &mut impl BufRead) -> std::result::Result<(), RestoreError> {
    let mut line = String::new();
    if !next_line(input, &mut line)? {
        return Err(RestoreError::NotABackup);
    }
    let header: Header = serde_json::from_str(&line).map_err(|_| RestoreError::NotABackup)?;
    if header.fuhua_backup != FORMAT {
        return Err(RestoreError::NotABackup);
    }
    let known = known_migrations();
    if let Some(unknown) = header.migrations.iter().find(|m| !known.contains(m)) {
        return Err(RestoreError::NewerSchema(unknown.clone()));
    }
    if let Some(missing) = known.iter().find(|m| !header.migrations.contains(m)) {
        return Err(RestoreError::OlderSchema(missing.clone()));
    }
    Ok(())
}

/// Restores a backup into `db`, which must be empty. All of it or nothing: the rows go in one
/// transaction, and a damaged file leaves the database as it was.
pub async fn restore(db: &DatabaseConnection, input: &mut impl BufRead) -> std::result::Result<Summary, RestoreError> {
    read_header(input)?;
    Migrator::up(db, None).await?;
    if let Some((table, _)) = count_all(db).await?.into_iter().find(|(_, rows)| *rows > 0) {
        return Err(RestoreError::NotEmpty(table.to_owned()));
    }
    let txn = db::begin_write(db).await?;
    let mut summary = Summary::default();
    let mut line = String::new();
    let expected = tables();
    loop {
        if !next_line(input, &mut line)? {
            return Err(RestoreError::Damaged("the file ends before its last line".into()));
        }
        if let Ok(end) = serde_json::from_str::<End>(&line) {
            if end.end != summary.tables.len() || summary.tables.len() != expected.len() {
                return Err(RestoreError::Damaged(format!(
                    "{} tables in the file, {} expected",
                    summary.tables.len(),
                    expected.len()
                )));
            }
            break;
        }
        let start: TableStart =
            serde_json::from_str(&line).map_err(|_| RestoreError::Damaged(format!("unexpected line: {line:.80}")))?;
        if expected.get(summary.tables.len()) != Some(&start.table.as_str()) {
            return Err(RestoreError::Damaged(format!("table {} out of order", start.table)));
        }
        let mut batch = Vec::with_capacity(BATCH);
        let mut bytes = 0;
        for _ in 0..start.rows {
            if !next_line(input, &mut line)? {
                return Err(RestoreError::Damaged(format!("{} ends early", start.table)));
            }
            bytes += line.len();
            batch.push(std::mem::take(&mut line));
            if batch.len() == BATCH || bytes >= BATCH_BYTES {
                load_table(&txn, &start.table, &batch).await.map_err(damaged)?;
                batch.clear();
                bytes = 0;
            }
        }
        load_table(&txn, &start.table, &batch).await.map_err(damaged)?;
        summary.tables.push((start.table, start.rows));
    }
    reset_sequences(&txn).await?;
    txn.commit().await?;
    Ok(summary)
}

/// Every row of every table of `db`, as the backup writes them: for comparing two databases.
pub async fn snapshot(db: &DatabaseConnection) -> Result<Vec<String>> {
    let txn = db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?;
    let mut out = Vec::new();
    dump_all(&txn, &mut out).await?;
    txn.commit().await?;
    Ok(String::from_utf8_lossy(&out).lines().map(str::to_owned).collect())
}

/// The tables of `db`'s schema (without the migrations' own table, and the figures' epoch, which
/// counts changes rather than holding data: a restored database keeps its own count), for
/// checking that a backup covers every one.
pub async fn schema_tables(db: &DatabaseConnection) -> Result<Vec<String>> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    let rows = db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await?;
    let mut names = Vec::new();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        if name != "seaql_migrations" && name != "figures_epoch" {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}
