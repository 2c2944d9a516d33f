//! The bot under load, side by side with a bare teloxide echo bot: `cargo bench --bench load`.
//!
//! Everything runs against the project's fake Bot API (tests/support/fake_bot_api) in this
//! process, on 127.0.0.1, with the real `nocontact run` binary (long polling) in a child
//! process. The echo bot is this same benchmark binary started again with
//! `NOCONTACT_BENCH_ROLE=echo`: teloxide's dispatcher, the same teloxide version and the
//! same polling settings, answering each message with its text and each button press with
//! answerCallbackQuery plus a message.
//!
//! 1. **Updates.** `USERS` simulated users, `NEW_USERS` of them first-timers (their script
//!    starts with `/start` and onboarding), the rest already onboarded (bulk-created in the
//!    database, with a streak). A closed loop keeps `CONCURRENCY` updates in flight: when
//!    the reply to a user's update reaches the fake server, that user goes to the back of
//!    the queue and the next user writes. Each user's day cycles through a coaching
//!    question (from the labelled sets), `/streak`, a press of a button from the bot's last
//!    keyboard, and another question. It measures updates per second and the time from an
//!    update being offered (queued in the fake) to the first reply arriving at the fake,
//!    p50 and p99, for the echo bot and for the bot on each database, and the ratio.
//! 2. **Dispatch.** `DISPATCH_JOBS` morning nudges already due; the fake answers 429 like
//!    Telegram beyond 30 sends in any one second; the bot's configured rate is 25 per second. On PostgreSQL two replicas share the database and so the rate. It measures
//!    the sends per second that reached the fake, the busiest one-second window and the
//!    429 answers (there must be none).
//! 3. **Memory.** Resident memory of each bot process idle and at its peak under load, and
//!    of a bot whose database holds `BIG_USERS` users, idle and under a short load.
//!
//! Settings (environment): `NOCONTACT_BENCH_USERS` (10000), `NOCONTACT_BENCH_NEW_USERS`
//! (1000), `NOCONTACT_BENCH_UPDATES` (30000), `NOCONTACT_BENCH_CONCURRENCY` (200),
//! `NOCONTACT_BENCH_ROUNDS` (1: echo and bot alternate this many times, the median ratio
//! is reported), `NOCONTACT_BENCH_DISPATCH_JOBS` (500), `NOCONTACT_BENCH_BIG_USERS`
//! (1000000; 0 skips), `NOCONTACT_BENCH_POSTGRES_URL` (PostgreSQL runs too when set).

mod support;

#[path = "../tests/support/fake_bot_api/mod.rs"]
mod fake_bot_api;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::{Days, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use fake_bot_api::{FakeBotApi, RecordedRequest};
use nocontact::store::Store;
use secrecy::SecretString;
use serde_json::Value;
use tokio::process::{Child, Command};

use support::{CHAT_BASE, Database, Population, ZONES, env_u64, ms, percentile, populate, report};

const ROLE_VAR: &str = "NOCONTACT_BENCH_ROLE";
/// The bot's configured send rate for scheduled messages, and Telegram's as the fake plays it.
const BOT_RATE: f64 = 25.0;
const TELEGRAM_RATE: usize = 30;
/// How long the load may go without a single reply before the run is declared stalled.
const STALL: Duration = Duration::from_secs(60);

fn main() -> Result<()> {
    match std::env::var(ROLE_VAR).as_deref() {
        Ok("echo") => return echo::run(None),
        Ok("durable-echo") => return echo::run(Some(std::env::var("DATABASE_URL")?)),
        _ => {}
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

/// The bare teloxide bot the real one is compared with, and its durable twin: the same bot
/// that first commits each update's id to the bot's database (the inbox table, through the
/// bot's own store: same backend, same pool settings), the least a bot that keeps its
/// promises must do.
mod echo {
    use std::time::Duration;

    use nocontact::store::Store;
    use teloxide::prelude::*;
    use teloxide::update_listeners::Polling;

    /// Commits the update's id when the echo is durable.
    async fn commit(store: &Option<Store>, update: &Update) -> anyhow::Result<()> {
        if let Some(store) = store {
            store
                .inbox_settle(i64::from(update.id.0), chrono::Utc::now())
                .await?;
        }
        Ok(())
    }

    pub fn run(database_url: Option<String>) -> anyhow::Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let token = std::env::var("TELOXIDE_TOKEN")?;
            let url = std::env::var("TELOXIDE_API_URL")?;
            let bot = Bot::new(token).set_api_url(url.parse()?);
            let store = match database_url {
                Some(url) => {
                    let pool = nocontact::config::Settings::load(std::path::Path::new(env!(
                        "CARGO_MANIFEST_DIR"
                    )))?
                    .database
                    .max_connections;
                    Some(Store::connect(&secrecy::SecretString::from(url), pool).await?)
                }
                None => None,
            };
            let handler =
                dptree::entry()
                    .branch(Update::filter_message().endpoint(
                        |bot: Bot, store: Option<Store>, update: Update, msg: Message| async move {
                            commit(&store, &update).await?;
                            if let Some(text) = msg.text() {
                                bot.send_message(msg.chat.id, text).await?;
                            }
                            anyhow::Ok(())
                        },
                    ))
                    .branch(
                        Update::filter_callback_query().endpoint(
                            |bot: Bot,
                             store: Option<Store>,
                             update: Update,
                             query: CallbackQuery| async move {
                                commit(&store, &update).await?;
                                bot.answer_callback_query(query.id.clone()).await?;
                                if let Some(message) = query.regular_message() {
                                    bot.send_message(message.chat.id, "pressed").await?;
                                }
                                anyhow::Ok(())
                            },
                        ),
                    );
            let updates = Polling::builder(bot.clone())
                .timeout(Duration::from_secs(10))
                .delete_webhook()
                .await
                .build();
            Dispatcher::builder(bot, handler)
                .dependencies(dptree::deps![store])
                .default_handler(|_| async {})
                .build()
                .dispatch_with_listener(
                    updates,
                    LoggingErrorHandler::with_custom_text("echo bot: polling failed"),
                )
                .await;
            anyhow::Ok(())
        })
    }
}

/// The benchmark's sizes.
struct Settings {
    users: u64,
    new_users: u64,
    updates: u64,
    concurrency: u64,
    rounds: u64,
    dispatch_jobs: u64,
    big_users: u64,
}

impl Settings {
    fn from_env() -> Result<Settings> {
        let settings = Settings {
            users: env_u64("NOCONTACT_BENCH_USERS", 10_000)?,
            new_users: env_u64("NOCONTACT_BENCH_NEW_USERS", 1_000)?,
            updates: env_u64("NOCONTACT_BENCH_UPDATES", 30_000)?,
            concurrency: env_u64("NOCONTACT_BENCH_CONCURRENCY", 200)?,
            rounds: env_u64("NOCONTACT_BENCH_ROUNDS", 1)?.max(1),
            dispatch_jobs: env_u64("NOCONTACT_BENCH_DISPATCH_JOBS", 500)?,
            big_users: env_u64("NOCONTACT_BENCH_BIG_USERS", 1_000_000)?,
        };
        if settings.users == 0 || settings.new_users > settings.users {
            bail!("NOCONTACT_BENCH_USERS must be positive and at least NOCONTACT_BENCH_NEW_USERS");
        }
        if settings.concurrency == 0 || settings.updates == 0 {
            bail!("NOCONTACT_BENCH_CONCURRENCY and NOCONTACT_BENCH_UPDATES must be positive");
        }
        Ok(settings)
    }
}

async fn run() -> Result<()> {
    let settings = Settings::from_env()?;
    let questions = questions()?;
    let work = std::env::temp_dir().join(format!("nocontact-bench-load-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    println!(
        "load bench: {} users ({} new), {} updates, {} in flight, {} round(s); logs in {}",
        settings.users,
        settings.new_users,
        settings.updates,
        settings.concurrency,
        settings.rounds,
        work.display()
    );
    let mut backends = vec![None];
    if let Some(base) = support::postgres_base() {
        backends.push(Some(base));
    } else {
        println!(
            "({} not set: PostgreSQL skipped)",
            support::POSTGRES_URL_VAR
        );
    }

    for base in &backends {
        let backend = if base.is_some() { "postgres" } else { "sqlite" };
        let mut ratios = Vec::new();
        let mut durable_ratios = Vec::new();
        let mut last = None;
        for round in 1..=settings.rounds {
            println!("\n== {backend}, round {round}");
            let echo = load_echo(&settings, &questions, &work, None).await?;
            println!("   echo bot: {}", echo.summary());
            let database = new_database(base.as_deref(), "durable_echo").await?;
            let outcome = load_echo(&settings, &questions, &work, Some(&database)).await;
            database.remove().await?;
            let durable = outcome?;
            println!("   durable echo bot: {}", durable.summary());
            let database = new_database(base.as_deref(), "load").await?;
            let outcome = load_bot(&settings, &questions, &work, &database).await;
            database.remove().await?;
            let bot = outcome?;
            println!("   nocontact: {}", bot.summary());
            ratios.push(bot.per_second / echo.per_second);
            durable_ratios.push(bot.per_second / durable.per_second);
            last = Some((echo, durable, bot));
        }
        let (echo, durable, bot) = last.expect("at least one round");
        ratios.sort_by(f64::total_cmp);
        let ratio = ratios[ratios.len() / 2];
        durable_ratios.sort_by(f64::total_cmp);
        let durable_ratio = durable_ratios[durable_ratios.len() / 2];
        throughput_row(backend, "echo", echo.per_second, bot.per_second, ratio);
        throughput_row(
            backend,
            "durable echo",
            durable.per_second,
            bot.per_second,
            durable_ratio,
        );
        let database = new_database(base.as_deref(), "round_trips").await?;
        let trips = round_trips_per_update(&database, &questions).await;
        database.remove().await?;
        let (trips, updates) = trips?;
        report(
            "load",
            &format!("{backend}: database round trips per update"),
            &format!("{trips:.1}"),
            &format!("{updates} updates in process"),
            "coaching questions and /streak, one transaction each",
        );
        report(
            "load",
            &format!("{backend}: offered → first reply, p50 / p99"),
            &format!("{:.1} / {:.1} ms", ms(bot.p50), ms(bot.p99)),
            &format!("echo {:.1} / {:.1} ms", ms(echo.p50), ms(echo.p99)),
            &format!("{} in flight", settings.concurrency),
        );
        report(
            "memory",
            &format!("{backend}: bot RSS idle / peak under load"),
            &format!("{:.1} / {:.1} MiB", bot.rss_idle, bot.rss_peak),
            &format!("echo {:.1} / {:.1} MiB", echo.rss_idle, echo.rss_peak),
            &format!("{} users", settings.users),
        );
        if settings.big_users > 0 {
            let big = big_database(&settings, &questions, &work, base.as_deref()).await?;
            report(
                "memory",
                &format!(
                    "{backend}: bot RSS idle / peak with {} users",
                    settings.big_users
                ),
                &format!("{:.1} / {:.1} MiB", big.rss_idle, big.rss_peak),
                &format!(
                    "{:.2}x the peak at {} users",
                    big.rss_peak / bot.rss_peak,
                    settings.users
                ),
                &format!("short load of {} updates", big.updates),
            );
        }
        if settings.dispatch_jobs > 0 {
            let replicas = if base.is_some() { 2 } else { 1 };
            let dispatch = dispatch(&settings, &work, base.as_deref(), replicas).await?;
            report(
                "scheduler",
                &format!(
                    "{backend}: dispatch of {} due nudges, {replicas} replica(s)",
                    dispatch.sent
                ),
                &format!("{:.1} msg/s", dispatch.per_second),
                &format!(
                    "{:.2}x the configured {BOT_RATE}/s",
                    dispatch.per_second / BOT_RATE
                ),
                &format!(
                    "busiest second {}, 429 answers {}",
                    dispatch.busiest_second, dispatch.too_many_requests
                ),
            );
            if dispatch.too_many_requests > 0 {
                bail!(
                    "{backend}: the fake answered 429 {} times",
                    dispatch.too_many_requests
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

/// The report row of the bot's throughput against one of the echo bots (target 0.8x).
fn throughput_row(backend: &str, against: &str, theirs: f64, ours: f64, ratio: f64) {
    report(
        "load",
        &format!("{backend}: updates per second ({against} bot {theirs:.0})"),
        &format!("{ours:.0}"),
        &format!("{ratio:.2}x {against}"),
        if ratio >= 0.8 {
            "target 0.8: met"
        } else {
            "target 0.8: MISSED"
        },
    );
}

async fn new_database(postgres: Option<&str>, label: &str) -> Result<Database> {
    match postgres {
        Some(base) => Database::postgres(base, label).await,
        None => Ok(Database::sqlite(label)),
    }
}

/// Coaching questions people write: the labelled messages of the content pack and of the
/// held-out evaluation set.
fn questions() -> Result<Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut questions = Vec::new();
    for file in ["config/content/training.tsv", "tests/data/intents-eval.tsv"] {
        questions.extend(
            support::labelled_messages(&root.join(file))
                .with_context(|| format!("{file}: missing or empty"))?,
        );
    }
    Ok(questions)
}

/// The onboarded users' data: a streak that began 12 days ago and tomorrow's morning nudge.
async fn seed_onboarded(store: &Store, first: u64, count: u64) -> Result<()> {
    if count == 0 {
        return Ok(());
    }
    let today = Utc::now().date_naive();
    let tomorrow_nine = today
        .checked_add_days(Days::new(1))
        .context("a date")?
        .and_time(NaiveTime::from_hms_opt(9, 0, 0).context("a time")?);
    let mut zones = Vec::new();
    for name in ZONES {
        let tz: Tz = name.parse().map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let at = tz
            .from_local_datetime(&tomorrow_nine)
            .earliest()
            .context("09:00 exists")?;
        zones.push((name, at.timestamp()));
    }
    populate(
        store,
        &Population {
            first,
            count,
            zones: &zones,
            streak_from: today.checked_sub_days(Days::new(12)),
            created_at: Utc::now().timestamp() - 12 * 86_400,
        },
    )
    .await
}

/// What one target did under load.
struct LoadResult {
    updates: u64,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    rss_idle: f64,
    rss_peak: f64,
    failed_sends: u64,
    /// CPU time of the bot process per update, and of this process (fake server and load).
    bot_cpu_per_update: Duration,
    load_cpu_per_update: Duration,
    requests_per_update: f64,
}

impl LoadResult {
    fn summary(&self) -> String {
        format!(
            "{} updates, {:.0}/s, p50 {:.1} ms, p99 {:.1} ms, RSS idle {:.1} MiB, peak {:.1} MiB, \
             {} failed sends; CPU per update: bot {} µs, fake and load {} µs; {:.2} requests \
             per update",
            self.updates,
            self.per_second,
            ms(self.p50),
            ms(self.p99),
            self.rss_idle,
            self.rss_peak,
            self.failed_sends,
            self.bot_cpu_per_update.as_micros(),
            self.load_cpu_per_update.as_micros(),
            self.requests_per_update
        )
    }
}

async fn load_echo(
    settings: &Settings,
    questions: &[String],
    work: &Path,
    durable: Option<&Database>,
) -> Result<LoadResult> {
    let fake = FakeBotApi::start().await;
    let child = spawn_echo(&fake, &work.join("echo.log"), durable.map(Database::url))?;
    let sims = simulated_users(settings);
    drive(
        &fake,
        child,
        Target::Echo,
        sims,
        settings.updates,
        settings.concurrency,
        questions,
    )
    .await
}

async fn load_bot(
    settings: &Settings,
    questions: &[String],
    work: &Path,
    database: &Database,
) -> Result<LoadResult> {
    let store = Store::connect(&SecretString::from(database.url()), 2).await?;
    seed_onboarded(&store, 1, settings.users - settings.new_users).await?;
    store.close().await;
    let fake = FakeBotApi::start().await;
    let log = work.join(format!("bot-{}.log", database.backend_name()));
    let child = spawn_bot(&fake, &database.url(), &log, false)?;
    let sims = simulated_users(settings);
    drive(
        &fake,
        child,
        Target::Bot,
        sims,
        settings.updates,
        settings.concurrency,
        questions,
    )
    .await
}

/// Statements the bot sends to the database per update (begin and commit included), counted
/// in process: onboarded users each ask a coaching question and for their streak, through
/// the same turn path the Telegram adapter takes.
async fn round_trips_per_update(database: &Database, questions: &[String]) -> Result<(f64, u64)> {
    const USERS: u64 = 50;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let vars = [("DATABASE_URL".to_owned(), database.url())];
    let settings = nocontact::config::Settings::load_with_env(root, &vars)?;
    let app = nocontact::app::Application::build(settings).await?;
    seed_onboarded(&app.store, 1, USERS).await?;
    let before = app.store.round_trips();
    let mut updates = 0u64;
    for user in 1..=USERS {
        let chat = nocontact::domain::ChatId(CHAT_BASE + user as i64);
        let question = &questions[(user as usize * 31) % questions.len()];
        for line in [question.as_str(), "/streak"] {
            updates += 1;
            let incoming = nocontact::conversation::Incoming::from_text(line);
            app.engine
                .handle_update(
                    updates as i64,
                    chat,
                    incoming,
                    chrono::Duration::seconds(60),
                )
                .await?;
        }
    }
    let trips = app.store.round_trips() - before;
    app.store.close().await;
    Ok((trips as f64 / updates as f64, updates))
}

/// The bot on a database of `big_users` onboarded users; a short load from the first of them.
async fn big_database(
    settings: &Settings,
    questions: &[String],
    work: &Path,
    postgres: Option<&str>,
) -> Result<LoadResult> {
    let database = new_database(postgres, "big").await?;
    let outcome = async {
        let started = Instant::now();
        let store = Store::connect(&SecretString::from(database.url()), 2).await?;
        seed_onboarded(&store, 1, settings.big_users).await?;
        store.close().await;
        println!(
            "   {} users built in {:.1} s",
            settings.big_users,
            started.elapsed().as_secs_f64()
        );
        let fake = FakeBotApi::start().await;
        let log = work.join(format!("bot-big-{}.log", database.backend_name()));
        let child = spawn_bot(&fake, &database.url(), &log, false)?;
        let active = settings.users.min(settings.big_users);
        let sims = (1..=active)
            .map(|i| Sim::new(CHAT_BASE + i as i64, false))
            .collect();
        let updates = (settings.updates / 5).max(1);
        let result = drive(
            &fake,
            child,
            Target::Bot,
            sims,
            updates,
            settings.concurrency,
            questions,
        )
        .await?;
        println!(
            "   nocontact with {} users: {}",
            settings.big_users,
            result.summary()
        );
        anyhow::Ok(result)
    }
    .await;
    database.remove().await?;
    outcome
}

fn spawn_echo(fake: &FakeBotApi, log: &Path, database_url: Option<String>) -> Result<Child> {
    let exe = std::env::current_exe()?;
    let log = std::fs::File::create(log)?;
    let mut command = Command::new(exe);
    match database_url {
        Some(url) => command
            .env(ROLE_VAR, "durable-echo")
            .env("DATABASE_URL", url),
        None => command.env(ROLE_VAR, "echo"),
    };
    command
        .env("TELOXIDE_TOKEN", fake.token())
        .env("TELOXIDE_API_URL", fake.url())
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .context("start the echo bot")
}

/// `nocontact run` as an operator starts it (default log level), polling or on a webhook.
fn spawn_bot(fake: &FakeBotApi, database_url: &str, log: &Path, webhook: bool) -> Result<Child> {
    let log = std::fs::File::create(log)?;
    let mut command = Command::new(env!("CARGO_BIN_EXE_nocontact"));
    command.arg("run");
    if webhook {
        command
            .arg("--webhook")
            .env("NOCONTACT__TELEGRAM__WEBHOOK_SECRET", "bench-secret");
    }
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TELOXIDE_TOKEN", fake.token())
        .env("TELOXIDE_API_URL", fake.url())
        .env("DATABASE_URL", database_url)
        .env("NOCONTACT__TELEGRAM__LISTEN", "127.0.0.1:0")
        .env(
            "NOCONTACT__SCHEDULER__RATE_PER_SECOND",
            BOT_RATE.to_string(),
        )
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .context("start nocontact")
}

/// Waits until the process has called `method` at the fake.
async fn wait_until_calling(fake: &FakeBotApi, child: &mut Child, method: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while fake.requests_for(method).is_empty() {
        if let Some(status) = child.try_wait()? {
            bail!("the bot exited before calling {method}: {status}");
        }
        if Instant::now() > deadline {
            bail!("the bot did not call {method} within 2 minutes");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// Stops a bot with SIGTERM (SIGKILL after 10 seconds).
async fn stop(mut child: Child) -> Result<()> {
    if let Some(pid) = child.id() {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
    }
    if tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .is_err()
    {
        child.kill().await?;
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Echo,
    Bot,
}

/// One simulated person and where they are in their script.
struct Sim {
    chat: i64,
    step: usize,
    new: bool,
    /// The bot's last message in this chat, and the callback data of its buttons.
    last_message: Option<i32>,
    buttons: Vec<String>,
    offered_at: Option<Instant>,
}

impl Sim {
    fn new(chat: i64, new: bool) -> Sim {
        Sim {
            chat,
            // Onboarded users start their day at different points of it.
            step: if new { 0 } else { (chat % 4) as usize },
            new,
            last_message: None,
            buttons: Vec::new(),
            offered_at: None,
        }
    }
}

/// The population in the order they first write: onboarded users (chat ids from
/// `CHAT_BASE + 1`, as seeded) with the first-timers spread evenly among them.
fn simulated_users(settings: &Settings) -> Vec<Sim> {
    let onboarded = settings.users - settings.new_users;
    let every = (onboarded / settings.new_users.max(1)).max(1);
    let mut first_timers =
        (onboarded + 1..=settings.users).map(|i| Sim::new(CHAT_BASE + i as i64, true));
    let mut order = Vec::with_capacity(settings.users as usize);
    for i in 1..=onboarded {
        order.push(Sim::new(CHAT_BASE + i as i64, false));
        if i % every == 0
            && let Some(sim) = first_timers.next()
        {
            order.push(sim);
        }
    }
    order.extend(first_timers);
    order
}

const CITIES: [&str; 6] = [
    "new york",
    "Europe/Berlin",
    "london",
    "UTC+2",
    "tokyo",
    "sao paulo",
];

/// Offers the user's next update to the fake.
fn offer(fake: &FakeBotApi, target: Target, sim: &mut Sim, questions: &[String]) {
    let user = fake.user(sim.chat);
    let question = &questions[(sim.chat as usize * 31 + sim.step * 7) % questions.len()];
    let onboarding = if sim.new { 5 } else { 0 };
    let step = sim.step;
    sim.step += 1;
    sim.offered_at = Some(Instant::now());
    if step < onboarding {
        match step {
            0 => {
                user.send_command("/start");
            }
            1 => {
                user.send_text("3 days ago");
            }
            2 => {
                user.send_text(CITIES[sim.chat as usize % CITIES.len()]);
            }
            _ => press(&user, target, sim, question, 0),
        }
        return;
    }
    match (step - onboarding) % 4 {
        1 => {
            user.send_command("/streak");
        }
        2 => press(&user, target, sim, question, sim.chat as usize + step),
        _ => {
            user.send_text(question);
        }
    }
}

/// Presses a button of the bot's last keyboard (the echo bot has none: any data does);
/// without one the user writes instead.
fn press(
    user: &fake_bot_api::UserHandle<'_>,
    target: Target,
    sim: &Sim,
    question: &str,
    pick: usize,
) {
    match (target, sim.last_message) {
        (Target::Echo, Some(message)) => {
            user.press_button_unchecked(message, "echo");
        }
        (Target::Bot, Some(message)) if !sim.buttons.is_empty() => {
            let data = &sim.buttons[pick % sim.buttons.len()];
            user.press_button_unchecked(message, data);
        }
        _ => {
            user.send_text(question);
        }
    }
}

/// The message a send or edit produced and its buttons, from the fake's record.
fn keyboard_of(request: &RecordedRequest) -> Option<(i32, Vec<String>)> {
    let message_id = request
        .result()
        .and_then(|r| r.get("message_id"))
        .or_else(|| request.param("message_id"))
        .and_then(Value::as_i64)?;
    let buttons = request
        .param("reply_markup")
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|b| b.get("callback_data").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    Some((i32::try_from(message_id).ok()?, buttons))
}

/// Runs the closed loop against a started bot, then measures its memory and stops it.
async fn drive(
    fake: &FakeBotApi,
    mut child: Child,
    target: Target,
    mut sims: Vec<Sim>,
    total: u64,
    concurrency: u64,
    questions: &[String],
) -> Result<LoadResult> {
    let mut events = fake.subscribe();
    wait_until_calling(fake, &mut child, "getUpdates").await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pid = child.id().context("the bot's pid")?;
    let (rss_idle, _) = support::rss_mib(pid).context("the bot's memory")?;

    let index: HashMap<i64, usize> = sims.iter().enumerate().map(|(i, s)| (s.chat, i)).collect();
    let mut queue: VecDeque<usize> = (0..sims.len()).collect();
    let mut latencies = Vec::with_capacity(total as usize);
    let requests_before = fake.requests().len();
    let bot_cpu_before = support::cpu_time(Some(pid)).unwrap_or_default();
    let load_cpu_before = support::cpu_time(None).unwrap_or_default();
    let (mut offered, mut in_flight, mut failed_sends) = (0u64, 0u64, 0u64);
    let started = Instant::now();
    let mut finished = started;
    while latencies.len() < total as usize {
        while in_flight < concurrency && offered < total {
            let next = queue.pop_front().context("every user is waiting")?;
            offer(fake, target, &mut sims[next], questions);
            offered += 1;
            in_flight += 1;
        }
        let event = match tokio::time::timeout(STALL, events.recv()).await {
            Ok(Some(event)) => event,
            Ok(None) => bail!("the fake stopped"),
            Err(_) => bail!(
                "no reply for {} s with {in_flight} updates in flight ({} answered)",
                STALL.as_secs(),
                latencies.len()
            ),
        };
        let Some(&at) = event.chat_id().and_then(|chat| index.get(&chat)) else {
            continue;
        };
        if event.method == "sendchataction" {
            continue;
        }
        if !event.ok() {
            failed_sends += 1;
        }
        let sim = &mut sims[at];
        if let Some((message, buttons)) = keyboard_of(&event) {
            sim.last_message = Some(message);
            if !buttons.is_empty() || event.method.starts_with("send") {
                sim.buttons = buttons;
            }
        }
        if let Some(offered_at) = sim.offered_at.take() {
            latencies.push(offered_at.elapsed());
            finished = Instant::now();
            in_flight -= 1;
            queue.push_back(at);
        }
    }
    let elapsed = finished.duration_since(started);
    let (_, rss_peak) = support::rss_mib(pid).context("the bot's memory")?;
    let bot_cpu = support::cpu_time(Some(pid)).unwrap_or_default() - bot_cpu_before;
    let load_cpu = support::cpu_time(None).unwrap_or_default() - load_cpu_before;
    let requests = fake.requests().len() - requests_before;
    stop(child).await?;
    let violations = fake.violations();
    if !violations.is_empty() {
        bail!(
            "{} requests broke the Bot API spec, e.g. {:?}",
            violations.len(),
            violations[0]
        );
    }
    latencies.sort_unstable();
    Ok(LoadResult {
        updates: latencies.len() as u64,
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: percentile(&latencies, 50.0),
        p99: percentile(&latencies, 99.0),
        rss_idle,
        rss_peak,
        failed_sends,
        bot_cpu_per_update: bot_cpu / total as u32,
        load_cpu_per_update: load_cpu / total as u32,
        requests_per_update: requests as f64 / total as f64,
    })
}

/// What the scheduler delivered.
struct Dispatch {
    sent: u64,
    per_second: f64,
    busiest_second: usize,
    too_many_requests: u64,
}

/// Due nudges delivered by `replicas` bots sharing one database, under Telegram's flood limit.
async fn dispatch(
    settings: &Settings,
    work: &Path,
    postgres: Option<&str>,
    replicas: usize,
) -> Result<Dispatch> {
    let database = new_database(postgres, "dispatch").await?;
    let outcome = async {
        let store = Store::connect(&SecretString::from(database.url()), 2).await?;
        // Due over the last hour: late, but well within the grace window.
        let base = Utc::now().timestamp() - 3600;
        let zones: Vec<(&str, i64)> = ZONES.iter().map(|z| (*z, base)).collect();
        populate(
            &store,
            &Population {
                first: 1,
                count: settings.dispatch_jobs,
                zones: &zones,
                streak_from: Utc::now().date_naive().checked_sub_days(Days::new(5)),
                created_at: base - 86_400,
            },
        )
        .await?;
        store.close().await;

        let fake = FakeBotApi::start().await;
        fake.limit_send_rate(TELEGRAM_RATE);
        let mut events = fake.subscribe();
        let mut children = Vec::new();
        for replica in 0..replicas {
            let log: PathBuf = work.join(format!("dispatch-{}-{replica}.log", database.backend_name()));
            children.push(spawn_bot(&fake, &database.url(), &log, true)?);
        }
        let (mut sent_at, mut too_many) = (Vec::new(), 0u64);
        while (sent_at.len() as u64) < settings.dispatch_jobs {
            let event = match tokio::time::timeout(STALL, events.recv()).await {
                Ok(Some(event)) => event,
                Ok(None) => bail!("the fake stopped"),
                Err(_) => bail!(
                    "no send for {} s after {} of {} nudges",
                    STALL.as_secs(),
                    sent_at.len(),
                    settings.dispatch_jobs
                ),
            };
            if !event.method.starts_with("send") || event.chat_id().is_none_or(|c| c <= CHAT_BASE) {
                continue;
            }
            if event.status == Some(429) {
                too_many += 1;
            } else if event.ok() {
                sent_at.push(event.elapsed);
            }
        }
        for child in children {
            stop(child).await?;
        }
        let violations = fake.violations();
        if !violations.is_empty() {
            bail!("{} requests broke the spec, e.g. {:?}", violations.len(), violations[0]);
        }
        sent_at.sort_unstable();
        let span = sent_at.last().copied().unwrap_or_default() - sent_at[0];
        let per_second = if span.is_zero() {
            f64::NAN
        } else {
            (sent_at.len() - 1) as f64 / span.as_secs_f64()
        };
        let busiest_second = (0..sent_at.len())
            .map(|i| {
                sent_at[i..]
                    .iter()
                    .take_while(|t| **t < sent_at[i] + Duration::from_secs(1))
                    .count()
            })
            .max()
            .unwrap_or(0);
        println!(
            "   dispatch ({} replica(s)): {} nudges, {per_second:.1}/s, busiest second {busiest_second}, \
             429 answers {too_many}",
            replicas,
            sent_at.len()
        );
        anyhow::Ok(Dispatch {
            sent: sent_at.len() as u64,
            per_second,
            busiest_second,
            too_many_requests: too_many,
        })
    }
    .await;
    database.remove().await?;
    outcome
}
