//! Fresh databases for tests. Which engine is decided by the environment, so that the same tests
//! run on both: with `FUHUA_TEST_DATABASE_URL` set to a PostgreSQL server URL, every test gets a
//! new, migrated database on that server, dropped when the test ends; without it, a new SQLite
//! database.

use crate::db;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

/// The environment variable that points the test suite at PostgreSQL.
pub const POSTGRES_URL_VAR: &str = "FUHUA_TEST_DATABASE_URL";

/// A migrated database of its own for one test.
pub struct TestDb {
    pub conn: DatabaseConnection,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    None,
    SqliteFile(PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    format!(
        "fuhua_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    )
}

impl TestDb {
    /// A fresh database: SQLite in memory, or PostgreSQL when configured.
    pub async fn new() -> Self {
        announce_engine();
        match postgres_admin_url() {
            Some(admin) => Self::postgres(admin).await,
            None => Self::open("sqlite::memory:".to_owned(), Cleanup::None).await,
        }
    }

    /// A fresh database that several connections can share, as a running server needs: a SQLite
    /// file in the temporary directory, or PostgreSQL when configured.
    pub async fn shared() -> Self {
        announce_engine();
        match postgres_admin_url() {
            Some(admin) => Self::postgres(admin).await,
            None => {
                let (url, cleanup) = Self::sqlite_file();
                Self::open(url, cleanup).await
            }
        }
    }

    /// A fresh database with no schema at all (for migrating or restoring into): a SQLite file,
    /// or PostgreSQL when configured.
    pub async fn empty() -> Self {
        announce_engine();
        let (url, cleanup) = match postgres_admin_url() {
            Some(admin) => Self::create_postgres(admin).await,
            None => Self::sqlite_file(),
        };
        let conn = db::connect(&url).await.expect("connect to the test database");
        TestDb { conn, url, cleanup }
    }

    fn sqlite_file() -> (String, Cleanup) {
        let dir = std::env::temp_dir().join("fuhua-tests");
        std::fs::create_dir_all(&dir).expect("create the test database directory");
        let path = dir.join(format!("{}.db", unique_name()));
        (format!("sqlite://{}?mode=rwc", path.display()), Cleanup::SqliteFile(path))
    }

    /// The URL of this database, for a second pool (a spawned server's, say).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::PostgresDatabase { .. })
    }

    async fn postgres(admin_url: String) -> Self {
        let (url, cleanup) = Self::create_postgres(admin_url).await;
        Self::open(url, cleanup).await
    }

    async fn create_postgres(admin_url: String) -> (String, Cleanup) {
        let name = unique_name();
        let admin = db::connect(&admin_url).await.expect("connect to the PostgreSQL test server");
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create a test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        (url, Cleanup::PostgresDatabase { admin_url, name })
    }

    async fn open(url: String, cleanup: Cleanup) -> Self {
        let conn = db::connect(&url).await.expect("connect to the test database");
        crate::install::migrate(&conn).await.expect("migrate the test database");
        TestDb { conn, url, cleanup }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.cleanup, Cleanup::None) {
            Cleanup::None => {}
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                // Drop runs inside the test's runtime, which cannot block on itself: drop the
                // database from a thread with a runtime of its own.
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                    // Bounded, so that a stuck server cannot hang the test run.
                    // The timeout is made inside the runtime: its timer needs one.
                    runtime.block_on(async {
                        tokio::time::timeout(std::time::Duration::from_secs(20), async {
                            let admin = db::connect(&admin_url).await.map_err(std::io::Error::other)?;
                            admin
                                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                                .await
                                .map_err(std::io::Error::other)?;
                            admin.close().await.map_err(std::io::Error::other)
                        })
                        .await
                        .map_err(std::io::Error::other)?
                    })
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    eprintln!("could not drop test database {}", self.url);
                }
            }
        }
    }
}

/// The engine this test binary runs on, named once per process on standard error. The line is
/// written past the test harness's output capture, so a CI log shows which engine each pass used.
pub fn engine() -> &'static str {
    if postgres_admin_url().is_some() { "PostgreSQL" } else { "SQLite" }
}

fn announce_engine() {
    use std::io::Write;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let binary = std::env::args().next().unwrap_or_default();
        let binary = binary.rsplit('/').next().unwrap_or_default().to_owned();
        let line = format!("[fuhua tests] {binary}: database engine {}\n", engine());
        // `eprintln!` would be captured with the test's output; the raw handle is not.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    });
}

fn postgres_admin_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR).ok().filter(|url| !url.trim().is_empty())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_replaced_and_the_rest_kept() {
        assert_eq!(with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(with_database("postgres://u@h:5432", "x"), "postgres://u@h:5432/x");
        assert_eq!(with_database("postgres://u@h/db?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
    }
}
