//! What the benchmarks share: bulk-built users in either database, a schema of its own on
//! PostgreSQL, temporary SQLite files, percentiles and memory readings.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use nocontact::store::{Backend, Store};
use sqlx::{AnyPool, AssertSqlSafe, Row};

/// The environment variable naming the PostgreSQL server benchmarks may use.
pub const POSTGRES_URL_VAR: &str = "NOCONTACT_BENCH_POSTGRES_URL";

/// chat_id of bulk-built user i (from 1) is CHAT_BASE + i.
pub const CHAT_BASE: i64 = 1_000_000_000;

/// Rows per INSERT ... SELECT statement while building the data.
const CHUNK: u64 = 250_000;

/// One zone per whole-hour UTC offset in late November: 09:00 local in each falls in a
/// different UTC hour, so a day's morning jobs cover 24 hours, 1/24 of them in each.
pub const ZONES: [&str; 24] = [
    "Asia/Kamchatka",
    "Pacific/Noumea",
    "Australia/Brisbane",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Bangkok",
    "Asia/Dhaka",
    "Asia/Karachi",
    "Asia/Dubai",
    "Europe/Moscow",
    "Europe/Athens",
    "Europe/Berlin",
    "Europe/London",
    "Atlantic/Cape_Verde",
    "Atlantic/South_Georgia",
    "America/Sao_Paulo",
    "America/Halifax",
    "America/New_York",
    "America/Chicago",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Pacific/Pago_Pago",
];

/// Users to bulk-create: user i lives in `zones[i % zones.len()]` and has one pending
/// `morning` job at that zone's base instant plus `(i / zones.len()) % 60` minutes.
pub struct Population<'a> {
    /// The first user index (chat id `CHAT_BASE + first`).
    pub first: u64,
    pub count: u64,
    /// (zone name, base instant in Unix seconds).
    pub zones: &'a [(&'a str, i64)],
    /// Onboarded with a running streak from this day; `None`: onboarded without one.
    pub streak_from: Option<NaiveDate>,
    /// When the rows say they were created (Unix seconds).
    pub created_at: i64,
}

/// Bulk-creates the users and their jobs with a few INSERT ... SELECT statements, then
/// refreshes the planner's statistics.
pub async fn populate(store: &Store, population: &Population<'_>) -> Result<()> {
    let pool = store.pool();
    let zone_rows: Vec<String> = population
        .zones
        .iter()
        .enumerate()
        .map(|(idx, (name, base))| format!("({idx}, '{name}', {base})"))
        .collect();
    let zones = format!(
        "zones(idx, name, base) AS (VALUES {})",
        zone_rows.join(", ")
    );
    let zone_count = population.zones.len();
    let created = population.created_at;
    let end = population.first + population.count - 1;
    let mut first = population.first;
    while first <= end {
        let last = (first + CHUNK - 1).min(end);
        let seq_and_zones = match store.backend() {
            Backend::Sqlite => format!(
                "WITH RECURSIVE seq(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM seq \
                 WHERE i < {last}), {zones}"
            ),
            Backend::Postgres => format!(
                "WITH seq(i) AS (SELECT CAST(g AS BIGINT) FROM generate_series({first}, {last}) g), \
                 {zones}"
            ),
        };
        let minute_text = match store.backend() {
            Backend::Sqlite => format!("printf('09:%02d', (seq.i / {zone_count}) % 60)"),
            Backend::Postgres => {
                format!("'09:' || lpad(CAST((seq.i / {zone_count}) % 60 AS TEXT), 2, '0')")
            }
        };
        let sql = format!(
            "INSERT INTO users (chat_id, created_at, updated_at, timezone, morning_time, onboarded) \
             {seq_and_zones} \
             SELECT {CHAT_BASE} + seq.i, {created}, {created}, zones.name, {minute_text}, 1 \
             FROM seq JOIN zones ON zones.idx = seq.i % {zone_count} ORDER BY seq.i"
        );
        sqlx::query(AssertSqlSafe(sql))
            .execute(pool)
            .await
            .context("insert users")?;
        let (lo, hi) = (CHAT_BASE + first as i64, CHAT_BASE + last as i64);
        let sql = format!(
            "INSERT INTO scheduled_jobs (user_id, kind, due_at, payload, status, created_at) \
             WITH {zones} \
             SELECT u.id, 'morning', \
                    zones.base + 60 * (((u.chat_id - {CHAT_BASE}) / {zone_count}) % 60), \
                    '{{}}', 'pending', {created} \
             FROM users u JOIN zones ON zones.idx = (u.chat_id - {CHAT_BASE}) % {zone_count} \
             WHERE u.chat_id BETWEEN {lo} AND {hi} ORDER BY u.id"
        );
        sqlx::query(AssertSqlSafe(sql))
            .execute(pool)
            .await
            .context("insert jobs")?;
        if let Some(day) = population.streak_from {
            let sql = format!(
                "INSERT INTO streaks (user_id, started_on, created_at) \
                 SELECT u.id, '{day}', {created} FROM users u \
                 WHERE u.chat_id BETWEEN {lo} AND {hi} ORDER BY u.id"
            );
            sqlx::query(AssertSqlSafe(sql))
                .execute(pool)
                .await
                .context("insert streaks")?;
        }
        first = last + 1;
    }
    match store.backend() {
        Backend::Sqlite => {
            sqlx::query("ANALYZE").execute(pool).await?;
        }
        Backend::Postgres => {
            for table in ["users", "scheduled_jobs", "streaks"] {
                sqlx::query(AssertSqlSafe(format!("ANALYZE {table}")))
                    .execute(pool)
                    .await?;
            }
        }
    }
    let (lo, hi) = (CHAT_BASE + population.first as i64, CHAT_BASE + end as i64);
    let jobs: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM scheduled_jobs j JOIN users u ON u.id = j.user_id \
         WHERE u.chat_id BETWEEN $1 AND $2",
    )
    .bind(lo)
    .bind(hi)
    .fetch_one(pool)
    .await?
    .try_get("n")?;
    if jobs != population.count as i64 {
        bail!("expected {} jobs, found {jobs}", population.count);
    }
    Ok(())
}

/// A database for one benchmark run, removed by [`Database::remove`].
pub enum Database {
    Sqlite(PathBuf),
    Postgres { base: String, schema: String },
}

impl Database {
    /// A new SQLite file in the temp directory (created by the first connection).
    pub fn sqlite(label: &str) -> Database {
        Database::Sqlite(
            std::env::temp_dir().join(format!("nocontact-bench-{label}-{}.db", std::process::id())),
        )
    }

    /// A fresh schema `bench_<label>_<pid>` on the server at `base`.
    pub async fn postgres(base: &str, label: &str) -> Result<Database> {
        let schema = format!("bench_{label}_{}", std::process::id());
        let pool = admin_pool(base).await?;
        sqlx::query(AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE"
        )))
        .execute(&pool)
        .await?;
        sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&pool)
            .await
            .context("create the bench schema")?;
        pool.close().await;
        Ok(Database::Postgres {
            base: base.to_owned(),
            schema,
        })
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres { .. } => "postgres",
        }
    }

    /// The URL the bot and the store connect with.
    pub fn url(&self) -> String {
        match self {
            Database::Sqlite(path) => format!("sqlite://{}?mode=rwc", path.display()),
            Database::Postgres { base, schema } => {
                let separator = if base.contains('?') { '&' } else { '?' };
                format!("{base}{separator}options=-c%20search_path%3D{schema}")
            }
        }
    }

    pub async fn remove(self) -> Result<()> {
        match self {
            Database::Sqlite(path) => {
                remove_sqlite_files(&path);
                Ok(())
            }
            Database::Postgres { base, schema } => {
                let pool = admin_pool(&base).await?;
                sqlx::query(AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE"
                )))
                .execute(&pool)
                .await
                .context("drop the bench schema")?;
                pool.close().await;
                Ok(())
            }
        }
    }
}

async fn admin_pool(base: &str) -> Result<AnyPool> {
    sqlx::any::install_default_drivers();
    AnyPool::connect(base)
        .await
        .context("connect to PostgreSQL")
}

fn remove_sqlite_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// The PostgreSQL server to benchmark against, if one is configured.
pub fn postgres_base() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|url| !url.is_empty())
}

/// A size from the environment, or the default.
pub fn env_u64(name: &str, default: u64) -> Result<u64> {
    match std::env::var(name) {
        Ok(raw) => raw
            .trim()
            .replace('_', "")
            .parse()
            .with_context(|| format!("{name}={raw:?} is not a whole number")),
        Err(_) => Ok(default),
    }
}

/// The messages of a labelled TSV file (a header line, then `situation<TAB>message`);
/// `None` when it is missing or empty.
pub fn labelled_messages(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let messages: Vec<String> = text
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| Some(l.split_once('\t')?.1.trim().to_owned()))
        .filter(|m| !m.is_empty())
        .collect();
    (!messages.is_empty()).then_some(messages)
}

/// The p-th percentile (0..=100) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Memory of a process from /proc: (current RSS, peak RSS) in MiB.
pub fn rss_mib(pid: u32) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<f64> {
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(name))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// CPU time (user + system) a process has used so far; `pid` `None` is this process.
pub fn cpu_time(pid: Option<u32>) -> Option<Duration> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/stat"),
        None => "/proc/self/stat".to_owned(),
    };
    let stat = std::fs::read_to_string(path).ok()?;
    // Fields after the command name (which may hold spaces) end with ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

/// One row of the summary table every benchmark appends to `NOCONTACT_BENCH_REPORT` (a TSV
/// file; `.ci/bench` prints them all together at the end).
pub fn report(benchmark: &str, figure: &str, value: &str, ratio: &str, note: &str) {
    println!("  {benchmark} | {figure}: {value} {ratio} {note}");
    let Ok(path) = std::env::var("NOCONTACT_BENCH_REPORT") else {
        return;
    };
    let line = format!("{benchmark}\t{figure}\t{value}\t{ratio}\t{note}\n");
    use std::io::Write;
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(error) = written {
        eprintln!("could not append to {path}: {error}");
    }
}
