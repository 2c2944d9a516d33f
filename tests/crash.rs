//! The real binary under faults, against the fake Bot API, on the backend the run asks for:
//! a load of updates with `kill -9` at random moments and restarts, after which every
//! acknowledged update must have been acted on exactly once and every committed reply must
//! have reached Telegram (polling and webhook); and a webhook flooded by stalled clients,
//! which must keep its memory and go on serving.

#![cfg(unix)]

use crate::support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use support::fake_bot_api::FakeBotApi;
use support::test_app::fresh_database_url;

const SECRET: &str = "crash-Test_secret";
/// Chats in the load, and reasons each one sends with `/why`.
const CHATS: i64 = 12;
const PER_CHAT: i64 = 20;
/// How many times the bot is killed during the load.
const KILLS: usize = 4;
/// How long the real binary may take to start (a debug build trains the matcher first).
const STARTUP_WAIT: Duration = Duration::from_secs(120);

/// A small deterministic generator: the kill moments differ per run seed, printed on
/// failure so a run can be repeated.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Bot {
    database_url: String,
    api_url: String,
    token: String,
    webhook_port: Option<u16>,
}

impl Bot {
    fn spawn(&self) -> std::process::Child {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_nocontact"));
        command
            .arg("run")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DATABASE_URL", &self.database_url)
            .env("TELOXIDE_TOKEN", &self.token)
            .env("TELOXIDE_API_URL", &self.api_url)
            .env("NOCONTACT__TELEGRAM__POLLING_TIMEOUT_SECS", "1")
            // messages left in the outbox by a killed process go out after a second
            .env("NOCONTACT__SCHEDULER__OUTBOX_LEASE_SECONDS", "1")
            .env("NOCONTACT__SCHEDULER__POLL_INTERVAL_MS", "100")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        match self.webhook_port {
            Some(port) => command
                .arg("--webhook")
                .env("NOCONTACT__TELEGRAM__LISTEN", format!("127.0.0.1:{port}"))
                .env("NOCONTACT__TELEGRAM__WEBHOOK_SECRET", SECRET),
            None => command.env("NOCONTACT__TELEGRAM__LISTEN", "127.0.0.1:0"),
        };
        command.spawn().unwrap()
    }
}

fn kill_9(child: &mut std::process::Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Queues part `part` of `parts` of the load: each chat sends its reasons in order, chats
/// interleaved.
fn queue_load(fake: &FakeBotApi, part: i64, parts: i64) {
    let per_part = (PER_CHAT + parts - 1) / parts;
    for n in part * per_part..((part + 1) * per_part).min(PER_CHAT) {
        for chat in 1..=CHATS {
            fake.user(1000 + chat)
                .send_command(&format!("/why reason {chat}-{n} marker"));
        }
    }
}

/// Waits until every update was confirmed and every chat has all its replies.
async fn wait_until_settled(fake: &FakeBotApi, url: &str, webhook: bool, deadline: Instant) {
    loop {
        if webhook {
            fake.deliver_to_webhook().await;
        }
        let replied =
            (1..=CHATS).all(|chat| fake.sent_messages(1000 + chat).len() as i64 >= PER_CHAT);
        if fake.pending_updates().is_empty() && replied && outbox_is_empty(url).await {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the load did not settle: {} updates pending, replies {:?}",
            fake.pending_updates().len(),
            (1..=CHATS)
                .map(|c| fake.sent_messages(1000 + c).len())
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn outbox_is_empty(url: &str) -> bool {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let waiting: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap_or(1);
    pool.close().await;
    waiting == 0
}

/// Each reason the load sent, with how many times the database holds it.
async fn stored_reasons(url: &str) -> HashMap<String, i64> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT body, CAST(COUNT(*) AS BIGINT) FROM reasons GROUP BY body")
            .fetch_all(&pool)
            .await
            .unwrap();
    pool.close().await;
    rows.into_iter().collect()
}

async fn crash_during_load(webhook: bool) {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut random = Lcg(seed);
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeBotApi::start().await;
    let port = webhook.then(free_port);
    let bot = Bot {
        database_url: fresh_database_url(dir.path()).await,
        api_url: fake.url(),
        token: fake.token().to_owned(),
        webhook_port: port,
    };
    if let Some(port) = port {
        let set = fake
            .post_json(
                "setWebhook",
                &serde_json::json!({
                    "url": format!("http://127.0.0.1:{port}/telegram/webhook"),
                    "secret_token": SECRET,
                }),
            )
            .await;
        assert_eq!(set.status, 200, "{set:?}");
    }
    let total = CHATS * PER_CHAT;
    let parts = KILLS as i64 + 1;

    // Up; a part of the load; killed at a random moment while it works on it; again.
    let mut asked = 0;
    let mut child = bot.spawn();
    for part in 0..parts {
        let started = Instant::now();
        // up: it asks who it is once the matcher is trained and the database migrated
        fake.wait_until(STARTUP_WAIT, "the bot starts", |f| {
            f.requests_for("getMe").len() > asked
        })
        .await;
        queue_load(&fake, part, parts);
        if part == parts - 1 {
            break;
        }
        let delay = Duration::from_millis(50 + random.below(300));
        if webhook {
            let _ = tokio::time::timeout(delay, fake.deliver_to_webhook()).await;
        } else {
            tokio::time::sleep(delay).await;
        }
        kill_9(&mut child);
        eprintln!(
            "seed {seed}: killed {:?} after start, {delay:?} into part {part}: {} replies, {} updates pending",
            started.elapsed(),
            fake.all_sent_messages().len(),
            fake.pending_updates().len()
        );
        asked = fake.requests_for("getMe").len();
        child = bot.spawn();
    }
    let deadline = Instant::now() + STARTUP_WAIT;
    wait_until_settled(&fake, &bot.database_url, webhook, deadline).await;
    child.kill().unwrap();
    child.wait().unwrap();

    let reasons = stored_reasons(&bot.database_url).await;
    let mut missing = Vec::new();
    let mut twice = Vec::new();
    for chat in 1..=CHATS {
        for n in 0..PER_CHAT {
            let body = format!("reason {chat}-{n} marker");
            match reasons.get(&body).copied().unwrap_or(0) {
                0 => missing.push(body),
                1 => {}
                _ => twice.push(body),
            }
        }
    }
    assert!(missing.is_empty(), "seed {seed}: lost: {missing:?}");
    assert!(twice.is_empty(), "seed {seed}: acted on twice: {twice:?}");
    assert_eq!(reasons.len() as i64, total, "seed {seed}: {reasons:?}");

    // Every reply arrived; one can come twice only when the bot died between Telegram
    // accepting it and the outbox noting that (a few per kill at most: one per send in
    // flight).
    let replies: i64 = (1..=CHATS)
        .map(|chat| fake.sent_messages(1000 + chat).len() as i64)
        .sum();
    let duplicates = replies - total;
    eprintln!("seed {seed}: {replies} replies for {total} updates, {duplicates} sent twice");
    assert!(duplicates >= 0, "seed {seed}: replies lost");
    assert!(
        duplicates <= (KILLS as i64) * CHATS,
        "seed {seed}: {duplicates} duplicate replies for {KILLS} kills"
    );
    fake.assert_no_violations();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_polling_load_loses_nothing_and_does_nothing_twice() {
    crash_during_load(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_webhook_load_loses_nothing_and_does_nothing_twice() {
    crash_during_load(true).await;
}

/// Resident memory of a process, in MiB.
fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib / 1024.0
}

/// Opens a connection that announces a body of `announced` bytes, sends `sent` of them and
/// then stalls, holding the connection open.
async fn stalled_post(
    port: u16,
    secret: Option<&str>,
    announced: usize,
    sent: usize,
) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let mut head = format!(
        "POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {announced}\r\n"
    );
    if let Some(secret) = secret {
        head.push_str(&format!("X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"));
    }
    head.push_str("\r\n");
    // The server may refuse early and close: a failed write is part of the game.
    let _ = stream.write_all(head.as_bytes()).await;
    let chunk = vec![b' '; 16 * 1024];
    let mut left = sent;
    while left > 0 {
        let n = left.min(chunk.len());
        let written =
            tokio::time::timeout(Duration::from_millis(200), stream.write_all(&chunk[..n])).await;
        if !matches!(written, Ok(Ok(()))) {
            break;
        }
        left -= n;
    }
    stream
}

/// Hundreds of clients that announce big bodies, send part of them (with and without the
/// secret) and stall: memory stays within a small multiple of idle, stalled connections are
/// closed, and a real update is still answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_webhook_clients_neither_exhaust_memory_nor_stop_real_updates() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeBotApi::start().await;
    let port = free_port();
    let bot = Bot {
        database_url: fresh_database_url(dir.path()).await,
        api_url: fake.url(),
        token: fake.token().to_owned(),
        webhook_port: Some(port),
    };
    let mut child = bot.spawn();
    fake.wait_until(STARTUP_WAIT, "the bot starts", |f| {
        !f.requests_for("getMe").is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let pid = child.id();
    let idle = rss_mib(pid);

    let mut attackers = Vec::new();
    for i in 0..300 {
        let attack = match i % 3 {
            // no secret, a body over the limit
            0 => stalled_post(port, None, 2_000_000, 600_000),
            // the secret, a body over the limit
            1 => stalled_post(port, Some(SECRET), 2_000_000, 600_000),
            // the secret, a body under the limit that never finishes
            _ => stalled_post(port, Some(SECRET), 200_000, 150_000),
        };
        attackers.push(tokio::spawn(attack));
    }
    let mut streams = Vec::new();
    for attacker in attackers {
        streams.push(attacker.await.unwrap());
    }
    let mut peak = rss_mib(pid);

    // A real update still gets through (at worst once stalled clients are timed out).
    let url = format!("http://127.0.0.1:{port}/telegram/webhook");
    let update = support::text_update(1, 77, 1, "/help");
    let started = Instant::now();
    let status = loop {
        let status = tokio::time::timeout(
            Duration::from_secs(40),
            support::fake_bot_api::post_update_to(&url, Some(SECRET), &update),
        )
        .await;
        peak = peak.max(rss_mib(pid));
        match status {
            Ok(Ok(200)) => break 200,
            _ if started.elapsed() > Duration::from_secs(60) => break 0,
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    };
    assert_eq!(status, 200, "a real update was answered");
    fake.wait_for_messages(77, 1, Duration::from_secs(10)).await;

    // Every stalled connection has been closed by the bot by now or soon.
    let mut closed = 0;
    for mut stream in streams {
        use tokio::io::AsyncReadExt;
        let mut buf = [0u8; 1024];
        let ended = tokio::time::timeout(Duration::from_secs(45), async {
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await;
        if ended.is_ok() {
            closed += 1;
        }
    }
    peak = peak.max(rss_mib(pid));
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!("RSS idle {idle:.1} MiB, peak {peak:.1} MiB; {closed} of 300 closed");
    assert_eq!(closed, 300, "stalled connections are closed");
    assert!(
        peak < idle * 4.0,
        "memory stays within a small multiple of idle: {idle:.1} → {peak:.1} MiB"
    );
}
