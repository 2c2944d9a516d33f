//! Scheduler claim cost against the number of users: `cargo bench --bench scheduler`.
//!
//! For each size N it builds a fresh database with `Store::connect` (which migrates),
//! bulk-creates N users and one pending `morning` job per user (09:00–09:59 local time,
//! users spread evenly over 24 real timezones, so about 1/24 of the jobs fall in one
//! "busy hour", the earliest of the day, and the rest later), runs ANALYZE, and measures:
//!
//! - (a) one claim batch: `claim_due_jobs(worker, now, lease, 100)` with `now` in the middle
//!   of the busy hour, repeated (the claimed jobs are put back to pending, untimed, after
//!   each batch so every repetition sees the same data); median and p90 in ms;
//! - (b) claiming every job due in the busy hour in batches of 1000 (`now` = its last
//!   second): the count claimed and the time taken;
//! - (c) jobs per second for (b).
//!
//! It prints a table, the ratio of the largest size's batch median to the smallest size's
//! (claiming must not grow with the number of users, so it should stay near 1) and the
//! peak RSS of the process.
//!
//! SQLite runs in a temporary file under the system temp directory (removed at the end).
//! When `NOCONTACT_BENCH_POSTGRES_URL` is set, PostgreSQL runs too, in a fresh schema
//! `bench_<pid>` that is dropped at the end.
//!
//! ```sh
//! nice cargo bench --bench scheduler
//! NOCONTACT_BENCH_SIZES=1000,20000 \
//!   NOCONTACT_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!   nice cargo bench --bench scheduler
//! ```
//!
//! Settings (environment): `NOCONTACT_BENCH_SIZES` (comma-separated user counts, default
//! `10000,1000000`), `NOCONTACT_BENCH_REPEATS` (batches timed for (a), default 20),
//! `NOCONTACT_BENCH_EXPLAIN=1` (also print the plan of the claim's row selection).

use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use nocontact::store::{Backend, Store};
use secrecy::SecretString;
use sqlx::{AssertSqlSafe, Row};

mod support;

use support::{Database, POSTGRES_URL_VAR, Population, ZONES, ms, percentile, populate};

const WORKER: &str = "bench-worker";
const BATCH: u32 = 100;
const CLAIM_ALL_BATCH: u32 = 1000;

/// The day whose morning jobs are scheduled.
fn bench_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date")
}

/// When the users were created (and the jobs scheduled).
fn created_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

/// The data's time layout: 09:00 local in every zone, as Unix seconds, and the busy hour.
struct Layout {
    /// (zone index, zone name, 09:00 local on the bench day in Unix seconds)
    zones: Vec<(usize, &'static str, i64)>,
    busy_start: i64,
}

impl Layout {
    fn new() -> Result<Layout> {
        let nine = bench_day().and_hms_opt(9, 0, 0).expect("valid time");
        let mut zones = Vec::new();
        for (idx, name) in ZONES.iter().enumerate() {
            let tz: Tz = name
                .parse()
                .map_err(|e| anyhow::anyhow!("zone {name}: {e}"))?;
            let at = tz
                .from_local_datetime(&nine)
                .single()
                .with_context(|| format!("09:00 in {name} is ambiguous"))?;
            zones.push((idx, *name, at.timestamp()));
        }
        let mut hours: Vec<i64> = zones.iter().map(|z| z.2.div_euclid(3600)).collect();
        hours.sort_unstable();
        hours.dedup();
        if hours.len() != ZONES.len() {
            bail!("two zones share a UTC hour at 09:00 local; pick other zones");
        }
        let busy_start = zones.iter().map(|z| z.2).min().expect("zones");
        Ok(Layout { zones, busy_start })
    }

    /// `now` for single batches: the middle of the busy hour.
    fn batch_now(&self) -> DateTime<Utc> {
        instant(self.busy_start + 1800)
    }

    /// `now` for claiming the whole busy hour: its last second.
    fn claim_all_now(&self) -> DateTime<Utc> {
        instant(self.busy_start + 3599)
    }

    /// (zone, 09:00 local on the bench day) for [`populate`].
    fn zone_bases(&self) -> Vec<(&'static str, i64)> {
        self.zones
            .iter()
            .map(|(_, name, at)| (*name, *at))
            .collect()
    }
}

fn instant(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).expect("timestamp in range")
}

/// The numbers of one run (one backend, one size).
struct Measurement {
    backend: &'static str,
    users: u64,
    batch_median_ms: f64,
    batch_p90_ms: f64,
    batch_rows: usize,
    busy_jobs: u64,
    claim_all_secs: f64,
}

impl Measurement {
    fn jobs_per_sec(&self) -> f64 {
        if self.claim_all_secs > 0.0 {
            self.busy_jobs as f64 / self.claim_all_secs
        } else {
            f64::NAN
        }
    }
}

fn env_sizes() -> Result<Vec<u64>> {
    let raw = std::env::var("NOCONTACT_BENCH_SIZES").unwrap_or_else(|_| "10000,1000000".into());
    let sizes = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.replace('_', "")
                .parse::<u64>()
                .with_context(|| format!("NOCONTACT_BENCH_SIZES: {s:?} is not a number"))
        })
        .collect::<Result<Vec<_>>>()?;
    if sizes.is_empty() || sizes.contains(&0) {
        bail!("NOCONTACT_BENCH_SIZES needs positive user counts");
    }
    Ok(sizes)
}

fn env_repeats() -> Result<usize> {
    match std::env::var("NOCONTACT_BENCH_REPEATS") {
        Ok(s) => {
            let n: usize = s.trim().parse().context("NOCONTACT_BENCH_REPEATS")?;
            Ok(n.max(1))
        }
        Err(_) => Ok(20),
    }
}

fn main() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> Result<()> {
    let sizes = env_sizes()?;
    let repeats = env_repeats()?;
    let explain = std::env::var("NOCONTACT_BENCH_EXPLAIN").is_ok_and(|v| v != "0");
    let layout = Layout::new()?;
    println!(
        "scheduler bench: sizes {sizes:?}, {repeats} timed batches of {BATCH}; busy hour {} .. +1h",
        instant(layout.busy_start).format("%Y-%m-%d %H:%M UTC")
    );

    let mut results = Vec::new();
    let mut failure = None;

    for &n in &sizes {
        let database = Database::sqlite(&format!("scheduler-{n}"));
        let outcome = bench_one("sqlite", &database.url(), n, repeats, &layout, explain).await;
        database.remove().await?;
        match outcome {
            Ok(m) => results.push(m),
            Err(e) => {
                failure = Some(e.context(format!("sqlite, {n} users")));
                break;
            }
        }
    }

    if failure.is_none()
        && let Some(base) = support::postgres_base()
    {
        for &n in &sizes {
            let outcome = async {
                let database = Database::postgres(&base, "scheduler").await?;
                let outcome =
                    bench_one("postgres", &database.url(), n, repeats, &layout, explain).await;
                let removed = database.remove().await;
                let m = outcome?;
                removed?;
                anyhow::Ok(m)
            }
            .await;
            match outcome {
                Ok(m) => results.push(m),
                Err(e) => {
                    failure = Some(e.context(format!("postgres, {n} users")));
                    break;
                }
            }
        }
    } else if failure.is_none() {
        println!("({POSTGRES_URL_VAR} not set: PostgreSQL skipped)");
    }

    print_table(&results);
    if let Some((_, peak)) = support::rss_mib(std::process::id()) {
        println!("peak RSS: {peak:.1} MiB");
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

async fn bench_one(
    label: &'static str,
    url: &str,
    n: u64,
    repeats: usize,
    layout: &Layout,
    explain: bool,
) -> Result<Measurement> {
    println!("\n== {label}, {n} users");
    let started = Instant::now();
    let store = Store::connect(&SecretString::from(url.to_owned()), 2)
        .await
        .context("connect and migrate")?;
    let result = async {
        let zones = layout.zone_bases();
        let population = Population {
            first: 1,
            count: n,
            zones: &zones,
            streak_from: None,
            created_at: created_at().timestamp(),
        };
        populate(&store, &population).await?;
        println!(
            "   built and analyzed in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        if explain {
            print_plan(&store, layout).await?;
        }
        measure(&store, label, n, repeats, layout).await
    }
    .await;
    store.close().await;
    let m = result?;
    println!(
        "   batch median {:.3} ms, p90 {:.3} ms ({} jobs per batch); {} busy-hour jobs in {:.3} s",
        m.batch_median_ms, m.batch_p90_ms, m.batch_rows, m.busy_jobs, m.claim_all_secs
    );
    Ok(m)
}

/// Puts every claimed job back to pending (between timed runs, untimed).
async fn unclaim_all(store: &Store) -> Result<()> {
    sqlx::query(
        "UPDATE scheduled_jobs SET status = 'pending', claimed_by = NULL, lease_until = NULL, \
         attempts = 0 WHERE status = 'claimed'",
    )
    .execute(store.pool())
    .await?;
    Ok(())
}

async fn measure(
    store: &Store,
    label: &'static str,
    n: u64,
    repeats: usize,
    layout: &Layout,
) -> Result<Measurement> {
    let lease = chrono::Duration::minutes(10);

    // (a) single batches of 100 in the middle of the busy hour, each on the same data.
    let now = layout.batch_now();
    let mut times = Vec::with_capacity(repeats);
    let mut batch_rows = 0;
    for i in 0..repeats + 2 {
        let start = Instant::now();
        let jobs = store.claim_due_jobs(WORKER, now, lease, BATCH).await?;
        let took = start.elapsed();
        unclaim_all(store).await?;
        if i >= 2 {
            // the first two warm the caches
            times.push(took);
        }
        batch_rows = jobs.len();
        if let Some(late) = jobs.iter().find(|j| j.due_at > now) {
            bail!("claimed a job not yet due: {late:?}");
        }
    }
    times.sort_unstable();

    // (b) every job of the busy hour, in batches of 1000.
    let now = layout.claim_all_now();
    let expected: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM scheduled_jobs WHERE status = 'pending' AND due_at <= $1",
    )
    .bind(now.timestamp())
    .fetch_one(store.pool())
    .await?
    .try_get("n")?;
    let mut claimed = 0u64;
    let start = Instant::now();
    loop {
        let jobs = store
            .claim_due_jobs(WORKER, now, lease, CLAIM_ALL_BATCH)
            .await?;
        claimed += jobs.len() as u64;
        if jobs.len() < CLAIM_ALL_BATCH as usize {
            break;
        }
    }
    let claim_all = start.elapsed();
    if claimed != expected as u64 {
        bail!("claimed {claimed} jobs of the busy hour, expected {expected}");
    }

    Ok(Measurement {
        backend: label,
        users: n,
        batch_median_ms: ms(percentile(&times, 50.0)),
        batch_p90_ms: ms(percentile(&times, 90.0)),
        batch_rows,
        busy_jobs: claimed,
        claim_all_secs: claim_all.as_secs_f64(),
    })
}

/// Prints the plan the database picks for the claim's selection of pending jobs (a copy
/// of that branch of the claim query in src/store/jobs.rs, with literal values).
async fn print_plan(store: &Store, layout: &Layout) -> Result<()> {
    let now = layout.batch_now().timestamp();
    let select = format!(
        "SELECT id, due_at FROM scheduled_jobs \
         WHERE status = 'pending' AND due_at <= {now} \
         ORDER BY due_at LIMIT {BATCH}"
    );
    let (sql, column) = match store.backend() {
        Backend::Sqlite => (format!("EXPLAIN QUERY PLAN {select}"), "detail"),
        Backend::Postgres => (
            format!("EXPLAIN (ANALYZE, BUFFERS) {select} FOR UPDATE SKIP LOCKED"),
            "QUERY PLAN",
        ),
    };
    let rows = sqlx::query(AssertSqlSafe(sql))
        .fetch_all(store.pool())
        .await?;
    println!("   plan of the claim's selection:");
    for row in rows {
        let line: String = row.try_get(column)?;
        println!("     {line}");
    }
    Ok(())
}

fn print_table(results: &[Measurement]) {
    println!();
    println!(
        "{:<9} {:>9} {:>16} {:>13} {:>14} {:>17} {:>10}",
        "backend",
        "users",
        "batch median ms",
        "batch p90 ms",
        "busy-hour jobs",
        "claim-all seconds",
        "jobs/s"
    );
    for m in results {
        println!(
            "{:<9} {:>9} {:>16.3} {:>13.3} {:>14} {:>17.3} {:>10.0}",
            m.backend,
            m.users,
            m.batch_median_ms,
            m.batch_p90_ms,
            m.busy_jobs,
            m.claim_all_secs,
            m.jobs_per_sec()
        );
    }
    for backend in ["sqlite", "postgres"] {
        let runs: Vec<&Measurement> = results.iter().filter(|m| m.backend == backend).collect();
        let smallest = runs.iter().min_by_key(|m| m.users);
        let largest = runs.iter().max_by_key(|m| m.users);
        if let (Some(s), Some(l)) = (smallest, largest)
            && s.users != l.users
        {
            println!(
                "{backend}: batch median at {} users / at {} users = {:.2} (should stay near 1)",
                l.users,
                s.users,
                l.batch_median_ms / s.batch_median_ms
            );
        }
    }
    println!();
    for m in results {
        let ratio = results
            .iter()
            .filter(|o| o.backend == m.backend)
            .min_by_key(|o| o.users)
            .filter(|smallest| smallest.users != m.users)
            .map(|smallest| {
                format!(
                    "{:.2}x the batch at {} users",
                    m.batch_median_ms / smallest.batch_median_ms,
                    smallest.users
                )
            })
            .unwrap_or_default();
        support::report(
            "scheduler",
            &format!(
                "{}, {} users: one claim batch of {BATCH}, median",
                m.backend, m.users
            ),
            &format!("{:.2} ms", m.batch_median_ms),
            &ratio,
            "",
        );
        support::report(
            "scheduler",
            &format!(
                "{}, {} users: claim every job of the busy hour",
                m.backend, m.users
            ),
            &format!("{:.2} s", m.claim_all_secs),
            "",
            &format!("{} jobs, {:.0} jobs/s", m.busy_jobs, m.jobs_per_sec()),
        );
    }
}
