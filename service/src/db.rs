//! Connecting to SQLite or PostgreSQL, chosen by the URL alone.

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// How long a SQLite writer waits for another's transaction before giving up (then the request
/// is answered 503 with `Retry-After`, see [`is_contention`]). The longest writer, an import of
/// the largest file, holds the lock for about five seconds on two cores: three times that leaves
/// room for a slower machine, and stays well inside the request timeout.
const BUSY_TIMEOUT_SECONDS: u64 = 15;

/// The most ids one `IN (…)` list carries: a city-wide read (every startup a carrier holds, say)
/// is sent in slices of this many, well inside SQLite's 32,766 parameters a statement and
/// PostgreSQL's 65,535, whatever the size of the city.
pub(crate) const IN_LIST: usize = 10_000;

/// SQLite in WAL mode with foreign keys and the busy timeout, flushing as `synchronous` says.
fn sqlite(opts: SqliteConnectOptions, synchronous: SqliteSynchronous) -> SqliteConnectOptions {
    opts.journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(BUSY_TIMEOUT_SECONDS))
}

/// What every pool for `url` starts from: its timeouts, and statements not logged unless
/// `FUHUA_LOG_SQL` is set (for profiling: each statement with its time, at info level under
/// `sqlx::query`; `bench/statements.py` counts them per page).
fn options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(std::env::var_os("FUHUA_LOG_SQL").is_some())
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    options
}

/// Opens a connection pool for `url` (`sqlite://…` or `postgres://…`).
///
/// SQLite runs in WAL mode, so readers never wait for the writer, with foreign keys enforced,
/// a busy timeout of [`BUSY_TIMEOUT_SECONDS`], and `synchronous=FULL`: every commit is on disk before it is
/// acknowledged, because a lost area change is worse than a slower write.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = options(url);
    if url.starts_with("sqlite:") {
        if url.contains(":memory:") || url.contains("mode=memory") {
            // Every connection to an in-memory database is a database of its own: keep one,
            // forever.
            options.max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None);
        } else {
            options.max_connections(8);
        }
        options.map_sqlx_sqlite_opts(|opts| sqlite(opts, SqliteSynchronous::Full));
    } else {
        options.max_connections(16);
    }
    Database::connect(options).await
}

/// Opens a pool for loading a whole city at once (the demonstration city): one connection, and
/// commits that are written but not flushed one by one — SQLite's `synchronous=NORMAL` in WAL
/// mode, PostgreSQL's `synchronous_commit=off`. Ten thousand dated writes then take seconds, not
/// minutes. Each step still commits on its own: a process that dies mid-load leaves the steps
/// before it (load again into an empty database); only a power cut can lose the last of them.
/// [`finish_loading`] flushes everything at the end. Only for a load that runs before the server
/// takes requests.
pub async fn connect_for_loading(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = options(url);
    options.max_connections(1).min_connections(1);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|opts| sqlite(opts, SqliteSynchronous::Normal));
    } else {
        options.map_sqlx_postgres_opts(|opts| opts.options([("synchronous_commit", "off")]));
    }
    Database::connect(options).await
}

/// Ends a load begun with [`connect_for_loading`]: everything written is on disk when it returns,
/// and the pool is closed. On SQLite a checkpoint copies the log into the database and flushes
/// it; one that another reader blocks is an error, not a silent half-flush. On PostgreSQL one
/// synchronous commit flushes the log up to it, and so every commit before it.
pub async fn finish_loading(db: DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(DbBackend::Sqlite, "PRAGMA wal_checkpoint(TRUNCATE)"))
            .await?
            .ok_or_else(|| DbErr::Custom("the checkpoint answered nothing".to_owned()))?;
        let busy: i32 = row.try_get_by_index(0)?;
        if busy != 0 {
            return Err(DbErr::Custom("the checkpoint was blocked by another connection".to_owned()));
        }
    } else {
        let txn = db.begin().await?;
        txn.execute_unprepared("SET LOCAL synchronous_commit = on").await?;
        txn.execute_unprepared("SELECT pg_current_xact_id()").await?;
        txn.commit().await?;
    }
    db.close().await
}

/// How many migrations are not applied yet.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

/// Answers whether the database takes queries.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.ping().await
}

/// The name of the database engine behind `db`.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        _ => "other",
    }
}

/// Starts a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so that what it reads stays true until it commits; a deferred
/// transaction could read, lose the race for the lock and fail half-way.
///
/// On a SQLite file the writers of this process also queue for their turn first ([`write_gate`]),
/// in the order they came: SQLite's own busy handler lets a waiting writer sleep up to 100 ms
/// between tries, so under many concurrent writes the lock stood free while the writers slept.
/// The wait is bounded like the busy timeout, and answered the same way ([`is_contention`]).
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    let turn = match write_gate(db) {
        Some(gate) => Some(
            tokio::time::timeout(Duration::from_secs(BUSY_TIMEOUT_SECONDS), gate.lock_owned())
                .await
                .map_err(|_| DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout))?,
        ),
        None => None,
    };
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(WriteTxn { txn, _turn: turn })
}

/// The queue of the writers of `db`'s SQLite file in this process (one per file), or none where
/// writers need no queue: PostgreSQL (row locks order them), and a pool of one connection (in
/// memory, or loading), which queues them itself.
fn write_gate(db: &DatabaseConnection) -> Option<std::sync::Arc<tokio::sync::Mutex<()>>> {
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, Mutex, PoisonError};
    static GATES: LazyLock<Mutex<HashMap<std::path::PathBuf, Arc<tokio::sync::Mutex<()>>>>> =
        LazyLock::new(Mutex::default);
    if db.get_database_backend() != DbBackend::Sqlite {
        return None;
    }
    let pool = db.get_sqlite_connection_pool();
    if pool.options().get_max_connections() <= 1 {
        return None;
    }
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut gates = GATES.lock().unwrap_or_else(PoisonError::into_inner);
    Some(gates.entry(file).or_default().clone())
}

/// A writing transaction ([`begin_write`]): a [`DatabaseTransaction`] that holds its writer's
/// turn until it commits, rolls back or is dropped.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: sea_orm::Statement) -> Result<sea_orm::ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: sea_orm::Statement) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: sea_orm::Statement) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

/// Whether `error` is the database telling a writer to wait its turn rather than a fault: SQLite's
/// busy or locked database after the busy timeout, PostgreSQL's serialization failure, deadlock
/// or lock timeout. Such a request can simply be repeated, and is answered 503 with
/// `Retry-After`, not 500.
pub fn is_contention(error: &DbErr) -> bool {
    let (DbErr::Exec(sea_orm::RuntimeErr::SqlxError(cause))
    | DbErr::Query(sea_orm::RuntimeErr::SqlxError(cause))
    | DbErr::Conn(sea_orm::RuntimeErr::SqlxError(cause))) = error
    else {
        return matches!(error, DbErr::ConnectionAcquire(_));
    };
    match cause.as_ref() {
        sea_orm::sqlx::Error::Database(database) => {
            let code = database.code().unwrap_or_default();
            // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6) with their extended codes.
            let sqlite_busy = matches!(code.parse::<i32>(), Ok(n) if n & 0xff == 5 || n & 0xff == 6);
            let postgres = matches!(code.as_ref(), "40001" | "40P01" | "55P03");
            sqlite_busy || postgres
        }
        sea_orm::sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

/// Takes an edit of row `id` of `E` from version `expected` to the next, or refuses it as
/// stale. The write is conditional on the version, so of several edits made from the same
/// version exactly one passes: on PostgreSQL the others wait for its row lock, then find the
/// version moved on and update nothing; on SQLite the write lock orders them the same way.
pub async fn claim_version<E: sea_orm::EntityTrait>(
    txn: &impl ConnectionTrait,
    id: (E::Column, i64),
    version: E::Column,
    expected: i32,
) -> Result<(), crate::ServiceError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let claimed = E::update_many()
        .col_expr(version, sea_orm::sea_query::Expr::value(expected + 1))
        .filter(id.0.eq(id.1))
        .filter(version.eq(expected))
        .exec(txn)
        .await?;
    if claimed.rows_affected == 1 { Ok(()) } else { Err(crate::ServiceError::Stale) }
}
