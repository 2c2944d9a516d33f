//! Persistence: one repository API over SQLite (embedded default) and PostgreSQL
//! (scale-out), through sqlx's `Any` driver. Instants are stored as Unix seconds and
//! calendar dates as ISO text, so one set of queries (with `$n` placeholders, which both
//! backends accept) serves both; only schema DDL and job claiming differ per backend.

mod events;
mod export;
mod inbox;
mod jobs;
mod journal;
mod rate;
mod reasons;
mod streaks;
mod users;

use std::str::FromStr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

pub use events::{EventKind, EventRecord};
pub use inbox::Receipt;
pub use jobs::{Job, JobKind, NewJob};
pub use journal::{JournalEntry, JournalKind};
pub use reasons::Reason;
pub use streaks::{NewSlip, Slip};
pub use users::{Safety, User, UserSettings};

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Storage failures, with enough context to act on and nothing sensitive.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error("cannot create the directory for the SQLite file: {0}")]
    CreateDir(std::io::Error),
    #[error("cannot create the SQLite file: {0}")]
    CreateFile(std::io::Error),
    #[error("the write-ahead log stayed busy, so it could not be emptied")]
    WalBusy,
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("{0} returned no row")]
    NoRow(&'static str),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The repository. Cheap to clone (a pool handle).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Connects (creating the SQLite file and its directory when needed) and runs migrations.
    pub async fn connect(url: &SecretString, max_connections: u32) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let raw = url.expose_secret();
        let backend = if raw.starts_with("sqlite:") {
            Backend::Sqlite
        } else if raw.starts_with("postgres:") || raw.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        if backend == Backend::Sqlite {
            prepare_sqlite_file(raw)?;
        }
        let options = AnyConnectOptions::from_str(raw)?;
        // No ping before each use: it doubled the round trips of every statement (to the
        // SQLite connection's thread, or to the PostgreSQL server). A PostgreSQL connection
        // broken by a server restart fails one statement and is then replaced; connections
        // are also recycled after a while idle.
        let mut pool_options = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire(false)
            .idle_timeout(Duration::from_secs(300));
        if backend == Backend::Sqlite {
            pool_options = pool_options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers and a writer (even in another process) work side by
                    // side; sqlx sets a 5 s busy timeout and enables foreign keys.
                    // secure_delete overwrites deleted rows, so /delete leaves no readable
                    // draft or journal text behind in the file's free pages.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA secure_delete = ON;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = pool_options.connect_with(options).await?;
        let store = Store { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies any migrations not yet applied. Safe to run from several processes: on
    /// PostgreSQL sqlx holds an advisory lock; SQLite has none, so a process that finds
    /// another one migrating the same file at the same moment tries again once it is done.
    pub async fn migrate(&self) -> StoreResult<()> {
        let migrator = migrator(self.backend);
        let mut attempts = 0;
        loop {
            match migrator.run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(_) if self.backend == Backend::Sqlite && attempts < 10 => {
                    attempts += 1;
                    tokio::time::sleep(Duration::from_millis(100 * attempts)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for tests and health checks that need raw SQL.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// The tables that hold a user's data: `users` and every table with a `user_id`.
    pub async fn user_table_names(&self) -> StoreResult<Vec<String>> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT m.name AS name FROM sqlite_master m WHERE m.type = 'table' \
                 AND (m.name = 'users' OR EXISTS \
                     (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'user_id')) \
                 ORDER BY m.name"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables t \
                 WHERE table_schema = current_schema() AND (table_name = 'users' OR EXISTS \
                     (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema \
                      AND c.table_name = t.table_name AND c.column_name = 'user_id')) \
                 ORDER BY 1"
            }
        };
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| sqlx::Row::try_get::<String, _>(r, "name").map_err(Into::into))
            .collect()
    }

    /// Names of every table of the application (for export/delete completeness checks).
    pub async fn table_names(&self) -> StoreResult<Vec<String>> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' \
                 ORDER BY table_name"
            }
        };
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| sqlx::Row::try_get::<String, _>(r, "name").map_err(Into::into))
            .collect()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the SQLite file's directory (0700) and the file itself (0600) when they do not
/// exist yet, so the user's words are readable by the owner only; SQLite gives the `-wal`
/// and `-shm` files the database file's permissions.
fn prepare_sqlite_file(url: &str) -> StoreResult<()> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    let path = std::path::Path::new(path);
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
        && !dir.exists()
    {
        private_dir_builder()
            .create(dir)
            .map_err(StoreError::CreateDir)?;
    }
    let read_only = query.split('&').any(|pair| pair == "mode=ro");
    if !read_only && !path.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path).map_err(StoreError::CreateFile)?;
    }
    Ok(())
}

/// A recursive directory builder whose directories are the owner's only (0700 on unix).
pub fn private_dir_builder() -> std::fs::DirBuilder {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
}

/// Every migration, embedded in the binary: (version, description, SQLite, PostgreSQL).
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "nudges",
        include_str!("../../migrations/sqlite/0002_nudges.sql"),
        include_str!("../../migrations/postgres/0002_nudges.sql"),
    ),
    (
        3,
        "reasons",
        include_str!("../../migrations/sqlite/0003_reasons.sql"),
        include_str!("../../migrations/postgres/0003_reasons.sql"),
    ),
    (
        4,
        "uniqueness",
        include_str!("../../migrations/sqlite/0004_uniqueness.sql"),
        include_str!("../../migrations/postgres/0004_uniqueness.sql"),
    ),
    (
        5,
        "lease index",
        include_str!("../../migrations/sqlite/0005_lease_index.sql"),
        include_str!("../../migrations/postgres/0005_lease_index.sql"),
    ),
    (
        6,
        "safety",
        include_str!("../../migrations/sqlite/0006_safety.sql"),
        include_str!("../../migrations/postgres/0006_safety.sql"),
    ),
    (
        7,
        "inbox",
        include_str!("../../migrations/sqlite/0007_inbox.sql"),
        include_str!("../../migrations/postgres/0007_inbox.sql"),
    ),
];

/// The migrations of one backend.
fn migrator(backend: Backend) -> Migrator {
    Migrator::with_migrations(
        MIGRATIONS
            .iter()
            .map(|&(version, description, sqlite, postgres)| {
                let sql: &'static str = match backend {
                    Backend::Sqlite => sqlite,
                    Backend::Postgres => postgres,
                };
                Migration::new(
                    version,
                    description.into(),
                    MigrationType::Simple,
                    sqlx::SqlSafeStr::into_sql_str(sql),
                    false,
                )
            })
            .collect(),
    )
}

/// The first row of a statement's result, which was read to the end with `fetch_all`.
///
/// Every `… RETURNING` is read that way: SQLite commits a statement outside a transaction
/// when it is stepped to completion, and `fetch_one` / `fetch_optional` stop at the first
/// row, so a commit that failed (a full disk) went unseen and the caller was told it worked.
pub(crate) fn first_row(
    rows: Vec<sqlx::any::AnyRow>,
    what: &'static str,
) -> StoreResult<sqlx::any::AnyRow> {
    rows.into_iter().next().ok_or(StoreError::NoRow(what))
}

/// Unix seconds for an instant.
pub(crate) fn secs(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp()
}

/// The instant for stored Unix seconds.
pub(crate) fn instant(secs: i64) -> StoreResult<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp {secs} out of range")))
}

/// A calendar date from its stored ISO form.
pub(crate) fn date(text: &str) -> StoreResult<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("date {text:?}")))
}

/// The stored ISO form of a calendar date.
pub(crate) fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    #[test]
    fn every_migration_file_is_embedded_for_both_backends() {
        for backend in ["sqlite", "postgres"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(backend);
            let files = std::fs::read_dir(&dir).unwrap().count();
            assert_eq!(files, MIGRATIONS.len(), "{}", dir.display());
        }
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.0, i as i64 + 1, "versions are consecutive");
        }
    }
}
