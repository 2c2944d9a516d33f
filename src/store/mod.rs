//! Persistence: one repository API over SQLite (embedded default) and PostgreSQL
//! (scale-out), through sqlx's `Any` driver. Instants are stored as Unix seconds and
//! calendar dates as ISO text, so one set of queries (with `$n` placeholders, which both
//! backends accept) serves both; only schema DDL and job claiming differ per backend.

mod events;
mod export;
mod inbox;
mod jobs;
mod journal;
mod outbox;
mod rate;
mod reasons;
mod streaks;
mod users;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use secrecy::{ExposeSecret, SecretString};
use sqlx::AnyConnection;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor, Transaction};
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

pub use events::{EventKind, EventRecord};
pub use inbox::{Receipt, Settle};
pub use jobs::{Job, JobKind, NewJob};
pub use journal::{JournalEntry, JournalKind};
pub use outbox::Parcel;
pub use reasons::Reason;
pub use streaks::{NewSlip, Slip};
pub use users::{Rotation, Safety, User, UserSettings};

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
    #[error("cannot create the directory {} for the SQLite file: {source}", path.display())]
    CreateDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the SQLite file {}: {source}", path.display())]
    CreateFile {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// Connecting failed; `target` names the file or the server, never a password.
    #[error("cannot connect to {target}: {source}")]
    Connect { target: String, source: sqlx::Error },
    #[error("the write-ahead log stayed busy, so it could not be emptied")]
    WalBusy,
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("{0} returned no row")]
    NoRow(&'static str),
    #[error("a statement came after its turn was committed or rolled back")]
    TurnOver,
    /// A write grouped with others (confirmed outbox rows deleted together) failed.
    #[error("a grouped write failed")]
    GroupWrite,
    /// What the store was doing when `source` happened, so a log line names the operation.
    #[error("{operation} failed: {source}")]
    During {
        operation: &'static str,
        source: Box<StoreError>,
    },
}

/// The label of a store operation's latency series.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabels {
    pub operation: &'static str,
}

/// Operation latencies: one histogram per operation, created at its first use.
pub type Latency = Family<OperationLabels, Histogram, fn() -> Histogram>;

impl StoreError {
    /// True for a failure that says nothing about the data and may pass on a second try: a
    /// lost or refused connection, a busy or locked SQLite file, a PostgreSQL serialization
    /// failure or deadlock, a server shutting down. Nothing of a failed transaction was
    /// committed, so the turn can simply be run again. A full disk or a read-only database
    /// is not transient.
    pub fn is_transient(&self) -> bool {
        let StoreError::Database(error) = self.cause() else {
            return false;
        };
        match error {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Protocol(_) => true,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                // SQLite: 5 BUSY, 6 LOCKED and their extended codes (low byte).
                let sqlite = code.parse::<u32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
                // PostgreSQL: serialization failure, deadlock, connection failures, admin
                // shutdown / crash shutdown / cannot connect now.
                let postgres = matches!(
                    code.as_ref(),
                    "40001" | "40P01" | "57P01" | "57P02" | "57P03"
                ) || code.starts_with("08");
                sqlite || postgres
            }
            _ => false,
        }
    }
}

impl StoreError {
    /// The failure itself, past the operations it happened in.
    pub fn cause(&self) -> &StoreError {
        match self {
            StoreError::During { source, .. } => source.cause(),
            other => other,
        }
    }

    /// The store operation that failed, when one is known.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            StoreError::During { operation, .. } => Some(operation),
            _ => None,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The repository. Cheap to clone (a pool handle). A store from [`Store::begin_turn`] runs
/// every statement in that turn's one transaction instead.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// SQLite: the one connection turns and outbox writes use, held under `writer`. One
    /// connection keeps its page cache across turns (SQLite empties a connection's cache
    /// when another connection has written since its last read). PostgreSQL: `pool`.
    write_pool: AnyPool,
    backend: Backend,
    turn: Option<Arc<TurnTx>>,
    /// SQLite has one writer: turns of this process queue here rather than in SQLite's busy
    /// handler, which sleeps and retries and is unfair under load.
    writer: Arc<Mutex<()>>,
    /// Statements sent to the database (begin and commit included), for the benchmarks.
    round_trips: Arc<std::sync::atomic::AtomicU64>,
    /// How long each operation took, for `/metrics`.
    latency: Latency,
    /// Outbox rows confirmed by Telegram, waiting to be deleted together.
    confirmed: Arc<outbox::Confirmed>,
}

/// Whose row a turn locks on PostgreSQL (SQLite turns run one at a time anyway).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    Chat(crate::domain::ChatId),
    User(i64),
    Nothing,
}

/// The open transaction of a turn, and what to do once it is committed.
struct TurnTx {
    tx: Mutex<Option<Transaction<'static, Any>>>,
    /// SQLite turn lock (held until commit or rollback).
    _writer: Option<tokio::sync::OwnedMutexGuard<()>>,
    /// A user was deleted: empty the write-ahead log after the commit.
    truncate_wal: std::sync::atomic::AtomicBool,
}

/// A connection for one statement: from the pool, or the turn's transaction.
pub(crate) enum Conn<'a> {
    Pool(PoolConnection<Any>),
    Turn(MappedMutexGuard<'a, AnyConnection>),
    /// SQLite's writer connection outside a turn, with this process's write lock.
    Writer {
        conn: PoolConnection<Any>,
        _slot: tokio::sync::OwnedMutexGuard<()>,
    },
}

impl std::ops::Deref for Conn<'_> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self {
            Conn::Pool(conn) | Conn::Writer { conn, .. } => conn,
            Conn::Turn(conn) => conn,
        }
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Conn::Pool(conn) | Conn::Writer { conn, .. } => conn,
            Conn::Turn(conn) => conn,
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Runs one store operation: names it in any error it returns, and times it.
    pub(crate) async fn during<T>(
        &self,
        operation: &'static str,
        work: impl std::future::Future<Output = StoreResult<T>>,
    ) -> StoreResult<T> {
        let started = std::time::Instant::now();
        let done = work.await;
        self.latency
            .get_or_create(&OperationLabels { operation })
            .observe(started.elapsed().as_secs_f64());
        done.map_err(|source| match source {
            // The outermost operation is the one a caller asked for; an inner one is detail.
            StoreError::During { source, .. } => StoreError::During { operation, source },
            source => StoreError::During {
                operation,
                source: Box::new(source),
            },
        })
    }

    /// The operation latencies, to register with the metrics.
    pub fn latency(&self) -> Latency {
        self.latency.clone()
    }

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
        let write_pool = match backend {
            Backend::Sqlite => Some(
                pool_options
                    .clone()
                    .max_connections(1)
                    .connect_lazy_with(options.clone()),
            ),
            Backend::Postgres => None,
        };
        let pool = match pool_options.connect_with(options.clone()).await {
            Ok(pool) => pool,
            Err(error) => {
                // the pool reports only "timed out"; one direct attempt says why
                let source = match error {
                    sqlx::Error::PoolTimedOut => {
                        match <AnyConnection as sqlx::Connection>::connect_with(&options).await {
                            Err(cause) => cause,
                            Ok(_) => sqlx::Error::PoolTimedOut,
                        }
                    }
                    other => other,
                };
                return Err(StoreError::Connect {
                    target: describe_target(raw),
                    source,
                });
            }
        };
        let store = Store {
            write_pool: write_pool.unwrap_or_else(|| pool.clone()),
            pool,
            backend,
            turn: None,
            writer: Arc::new(Mutex::new(())),
            round_trips: Arc::default(),
            confirmed: Arc::default(),
            latency: Family::new_with_constructor(|| {
                Histogram::new(crate::metrics::latency_buckets())
            }),
        };
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

    /// A connection for the next statement: the turn's, or one from the pool.
    pub(crate) async fn conn(&self) -> StoreResult<Conn<'_>> {
        self.count_round_trips(1);
        match &self.turn {
            None => Ok(Conn::Pool(self.pool.acquire().await?)),
            Some(turn) => {
                let guard = turn.tx.lock().await;
                MutexGuard::try_map(guard, |tx| tx.as_mut().map(|tx| &mut **tx))
                    .map(Conn::Turn)
                    .map_err(|_| StoreError::TurnOver)
            }
        }
    }

    /// Opens a turn: a store whose statements all run in one new transaction, committed by
    /// [`Store::commit`] and rolled back when dropped uncommitted. On SQLite the transaction
    /// takes the write lock at once (`BEGIN IMMEDIATE`), so a turn that reads and then
    /// writes never fails halfway on a lock; on PostgreSQL the user's row is locked, so two
    /// turns of one user (two replicas, a nudge and a message) run one after the other.
    pub async fn begin_turn(&self, lock: Lock) -> StoreResult<Store> {
        self.during("begin_turn", async {
            if self.turn.is_some() {
                return Ok(self.clone());
            }
            // BEGIN, and on PostgreSQL the row lock
            let locks = self.backend == Backend::Postgres && lock != Lock::Nothing;
            self.count_round_trips(if locks { 2 } else { 1 });
            let (tx, writer) = match self.backend {
                Backend::Sqlite => {
                    let writer = self.writer.clone().lock_owned().await;
                    let tx = self.write_pool.begin_with("BEGIN IMMEDIATE").await?;
                    (tx, Some(writer))
                }
                Backend::Postgres => {
                    let mut tx = self.pool.begin().await?;
                    let lock = match lock {
                        Lock::Chat(chat) => Some(
                            sqlx::query("SELECT id FROM users WHERE chat_id = $1 FOR UPDATE")
                                .bind(chat.0),
                        ),
                        Lock::User(id) => Some(
                            sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE").bind(id),
                        ),
                        Lock::Nothing => None,
                    };
                    if let Some(query) = lock {
                        query.fetch_all(&mut *tx).await?;
                    }
                    (tx, None)
                }
            };
            Ok(Store {
                turn: Some(Arc::new(TurnTx {
                    tx: Mutex::new(Some(tx)),
                    _writer: writer,
                    truncate_wal: std::sync::atomic::AtomicBool::new(false),
                })),
                ..self.clone()
            })
        })
        .await
    }

    /// Commits the turn's transaction (a store outside a turn has nothing to commit). After
    /// this the turn's store answers every statement with [`StoreError::TurnOver`].
    pub async fn commit(&self) -> StoreResult<()> {
        self.during("commit", async {
            let Some(turn) = &self.turn else {
                return Ok(());
            };
            let tx = turn.tx.lock().await.take().ok_or(StoreError::TurnOver)?;
            self.count_round_trips(1);
            tx.commit().await?;
            if turn.truncate_wal.load(std::sync::atomic::Ordering::Relaxed) {
                let outside = self.outside();
                if let Err(error) = outside.truncate_wal().await {
                    tracing::warn!(%error, "could not empty the write-ahead log after a delete");
                }
            }
            Ok(())
        })
        .await
    }

    /// A connection for a write: on SQLite outside a turn, the writer connection, queued
    /// with this process's turns for the one write lock (first come, first served) instead
    /// of sleeping in SQLite's busy handler, where a stream of turns can keep it waiting.
    pub(crate) async fn write_conn(&self) -> StoreResult<Conn<'_>> {
        if self.backend == Backend::Sqlite && self.turn.is_none() {
            self.count_round_trips(1);
            let slot = self.writer.clone().lock_owned().await;
            let conn = self.write_pool.acquire().await?;
            return Ok(Conn::Writer { conn, _slot: slot });
        }
        self.conn().await
    }

    fn count_round_trips(&self, n: u64) {
        self.round_trips
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// Statements sent to the database by this store and its clones so far (begin and
    /// commit included; the savepoints of a few multi-statement writes are not counted).
    pub fn round_trips(&self) -> u64 {
        self.round_trips.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The same database, outside any turn.
    pub fn outside(&self) -> Store {
        Store {
            turn: None,
            ..self.clone()
        }
    }

    /// Inside a turn, empties the write-ahead log once the turn is committed; outside, now.
    pub(crate) async fn truncate_wal_after_commit(&self) -> StoreResult<()> {
        match &self.turn {
            Some(turn) => {
                turn.truncate_wal
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                Ok(())
            }
            None => self.truncate_wal().await,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for tests and health checks that need raw SQL.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool of the connection turns write with (on SQLite one connection of its own; on
    /// PostgreSQL the pool), for tests that set a per-connection limit.
    pub fn write_pool(&self) -> &AnyPool {
        &self.write_pool
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// The tables that hold a user's data: `users` and every table with a `user_id`.
    pub async fn user_table_names(&self) -> StoreResult<Vec<String>> {
        self.during("user_table_names", async {
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
            let rows = sqlx::query(sql).fetch_all(&mut *self.conn().await?).await?;
            rows.iter()
                .map(|r| sqlx::Row::try_get::<String, _>(r, "name").map_err(Into::into))
                .collect()
        })
        .await
    }

    /// Names of every table of the application (for export/delete completeness checks).
    pub async fn table_names(&self) -> StoreResult<Vec<String>> {
        self.during("table_names", async {
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
            let rows = sqlx::query(sql).fetch_all(&mut *self.conn().await?).await?;
            rows.iter()
                .map(|r| sqlx::Row::try_get::<String, _>(r, "name").map_err(Into::into))
                .collect()
        })
        .await
    }

    pub async fn close(&self) {
        self.write_pool.close().await;
        self.pool.close().await;
    }
}

/// Creates the SQLite file's directory (0700) and the file itself (0600) when they do not
/// exist yet, so the user's words are readable by the owner only; SQLite gives the `-wal`
/// and `-shm` files the database file's permissions.
/// Where a database URL points, without its password: the SQLite file, or the
/// PostgreSQL server and database.
fn describe_target(url: &str) -> String {
    if let Some((path, _)) = sqlite_path(url) {
        return format!("the SQLite file {path}");
    }
    match url::Url::parse(url) {
        Ok(parsed) => format!(
            "PostgreSQL at {}:{}{}",
            parsed.host_str().unwrap_or("localhost"),
            parsed.port().unwrap_or(5432),
            parsed.path()
        ),
        Err(_) => "the database".to_owned(),
    }
}

/// The file path and the query of an `sqlite:` URL; `None` for any other URL.
fn sqlite_path(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    Some(rest.split_once('?').unwrap_or((rest, "")))
}

fn prepare_sqlite_file(url: &str) -> StoreResult<()> {
    let Some((path, query)) = sqlite_path(url) else {
        return Ok(());
    };
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
            .map_err(|source| StoreError::CreateDir {
                path: dir.to_owned(),
                source,
            })?;
    }
    let read_only = query.split('&').any(|pair| pair == "mode=ro");
    if !read_only && !path.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(path)
            .map_err(|source| StoreError::CreateFile {
                path: path.to_owned(),
                source,
            })?;
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
    (
        8,
        "outbox",
        include_str!("../../migrations/sqlite/0008_outbox.sql"),
        include_str!("../../migrations/postgres/0008_outbox.sql"),
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
    use super::{MIGRATIONS, Store};
    use secrecy::SecretString;

    #[tokio::test]
    async fn a_store_error_names_the_operation_that_failed() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let store = Store::connect(&SecretString::from(url), 1).await.unwrap();
        store.migrate().await.unwrap();
        store.close().await;
        let error = store
            .save_dialogue(
                1,
                &crate::domain::dialogue::Dialogue::Idle,
                chrono::Utc::now(),
            )
            .await
            .expect_err("a closed pool fails");
        assert_eq!(error.operation(), Some("save_dialogue"));
        assert!(
            error.to_string().starts_with("save_dialogue failed: "),
            "{error}"
        );
        // The operation wraps the cause; it does not hide what kind of failure it was.
        assert!(error.is_transient(), "a closed pool may pass on a retry");
    }

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
