//! End to end on Telegram: the application `main` runs, pointed at the project's fake Bot
//! API with TELOXIDE_API_URL. Every request the bot makes is checked against the Bot API
//! spec; faults are scripted per chat and method.

use crate::support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nocontact::domain::ChatId;
use nocontact::telegram::{self, Mode};
use support::fake_bot_api::{FakeBotApi, Fault, FaultRule, SentMessage};
use support::test_app::TestApp;
use support::text_update;
use tokio::sync::oneshot;

const WAIT: Duration = Duration::from_secs(10);
/// How long the real binary may take to start: a debug build trains the matcher first,
/// which takes a while on a busy machine.
#[cfg(unix)]
const STARTUP_WAIT: Duration = Duration::from_secs(90);
const SECRET: &str = "s3cret-Token_1";

/// The bot running against a fake Bot API.
struct Running {
    test: TestApp,
    fake: FakeBotApi,
    http: SocketAddr,
    /// The running bot's metrics: how many updates it has finished with.
    metrics: Arc<nocontact::metrics::Metrics>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), telegram::RunError>>,
}

impl Running {
    async fn start(mode: Mode) -> Running {
        let test = TestApp::new().await;
        let fake = FakeBotApi::start().await;
        Self::start_with(test, fake, mode).await
    }

    async fn start_with(test: TestApp, fake: FakeBotApi, mode: Mode) -> Running {
        let app = test
            .instance_with(&[
                ("TELOXIDE_TOKEN", fake.token()),
                ("TELOXIDE_API_URL", &fake.url()),
                ("NOCONTACT__TELEGRAM__POLLING_TIMEOUT_SECS", "1"),
                ("NOCONTACT__TELEGRAM__WEBHOOK_SECRET", SECRET),
            ])
            .await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let http = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let metrics = app.metrics.clone();
        let task = tokio::spawn(telegram::run_on(app, mode, listener, async move {
            let _ = stopped.await;
        }));
        Running {
            test,
            fake,
            http,
            metrics,
            stop: Some(stop),
            task,
        }
    }

    /// Waits until chat has `n` messages in all and returns them.
    async fn messages(&self, chat: i64, n: usize) -> Vec<SentMessage> {
        self.fake.wait_for_messages(chat, n, WAIT).await
    }

    /// A barrier: waits until the bot has finished with `n` updates (whatever it made of
    /// them), so that what it did not do can be asserted without sleeping.
    async fn handled(&self, n: u64) {
        let finished = async {
            while self.metrics.updates() < n {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(WAIT, finished)
            .await
            .unwrap_or_else(|_| panic!("{} of {n} updates handled", self.metrics.updates()));
    }

    fn last_text(&self, chat: i64) -> String {
        self.fake
            .sent_messages(chat)
            .last()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    /// Stops the bot like SIGTERM would and checks it exits promptly.
    async fn shutdown(mut self) -> (TestApp, FakeBotApi) {
        let _ = self.stop.take().unwrap().send(());
        let finished = tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the bot stops within 5 seconds");
        finished.unwrap().expect("the bot ran without error");
        (self.test, self.fake)
    }
}

fn data_of(message: &SentMessage, label: &str) -> String {
    message
        .buttons()
        .into_iter()
        .find(|(text, _)| text.contains(label))
        .and_then(|(_, data)| data)
        .unwrap_or_else(|| panic!("no button {label:?} in {:?}", message.buttons()))
}

#[tokio::test]
async fn onboarding_commands_and_the_menu() {
    let bot = Running::start(Mode::Polling).await;
    let user = bot.fake.user(42);
    user.send_command("/start");
    let sent = bot.messages(42, 2).await;
    assert!(sent[1].text.contains("last contact"), "{}", sent[1].text);
    user.send_text("2026-11-01");
    bot.messages(42, 4).await;
    user.send_text("Berlin");
    let sent = bot.messages(42, 5).await;
    assert!(sent[4].text.contains("Europe/Berlin"));
    user.press_button(sent[4].message_id, &data_of(&sent[4], "09:00"));
    let sent = bot.messages(42, 6).await;
    user.press_button(sent[5].message_id, &data_of(&sent[5], "21:00"));
    let sent = bot.messages(42, 8).await;
    assert!(sent[7].text.contains("Day 21"), "{}", sent[7].text);
    user.send_command("/streak");
    bot.messages(42, 9).await;
    assert!(bot.last_text(42).contains("Longest streak: 21 days"));
    // Every callback query was answered, so no spinner keeps turning.
    for request in bot.fake.requests_for("answerCallbackQuery") {
        assert!(request.ok());
    }
    assert_eq!(bot.fake.requests_for("answerCallbackQuery").len(), 2);
    // The command menu is the /help list.
    let menu = bot.fake.my_commands().expect("setMyCommands was called");
    let names: Vec<&str> = menu
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    let listed: Vec<&str> = nocontact::conversation::COMMANDS
        .iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, listed);
    assert!(
        !bot.fake.requests_for("deleteWebhook").is_empty(),
        "webhook deleted before polling"
    );
    bot.fake.assert_no_violations();
    bot.shutdown().await;
}

#[tokio::test]
async fn coaching_buttons_slip_and_delete_over_telegram() {
    let bot = Running::start(Mode::Polling).await;
    let user = bot.fake.user(7);
    user.send_command("/since 2026-11-10");
    bot.messages(7, 1).await;
    user.send_text("should I text him? I miss him so much");
    let sent = bot.messages(7, 2).await;
    let coached = &sent[1];
    let labels: Vec<String> = coached.buttons().into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        labels,
        [
            "Wait with me",
            "Write it here instead",
            "I resisted",
            "I reached out"
        ]
    );
    let press = user.press_button(coached.message_id, &data_of(coached, "I resisted"));
    bot.messages(7, 3).await;
    assert!(
        bot.fake
            .callback_answered(press.callback_query_id.as_deref().unwrap())
    );
    // The same button again: answered, counted once.
    user.press_button(coached.message_id, &data_of(coached, "I resisted"));
    bot.messages(7, 4).await;
    assert!(
        bot.last_text(7).contains("already logged"),
        "{}",
        bot.last_text(7)
    );
    // A forged callback: answered kindly, nothing happens.
    user.press_button_unchecked(coached.message_id, "r:999999");
    bot.messages(7, 5).await;
    assert!(bot.last_text(7).contains("expired"));

    user.send_command("/slip");
    let sent = bot.messages(7, 6).await;
    user.press_button(sent[5].message_id, &data_of(&sent[5], "Just now"));
    bot.messages(7, 9).await;
    let texts: Vec<String> = bot
        .fake
        .sent_messages(7)
        .iter()
        .map(|m| m.text.clone())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("today is day 0")),
        "{texts:#?}"
    );

    user.send_command("/export");
    let exported = bot.fake.wait_for_requests("sendDocument", 1, WAIT).await;
    let file_name = exported[0].files[0].file_name.clone().unwrap_or_default();
    assert!(file_name.ends_with(".json"), "{file_name}");
    let count = bot.fake.sent_messages(7).len();
    user.send_command("/delete");
    let sent = bot.messages(7, count + 1).await;
    let confirm = sent.last().unwrap();
    user.press_button(confirm.message_id, &data_of(confirm, "Yes, delete"));
    bot.messages(7, count + 2).await;
    assert!(bot.last_text(7).contains("gone"));
    assert!(bot.test.app.store.user(ChatId(7)).await.unwrap().is_none());
    bot.fake.assert_no_violations();
    bot.shutdown().await;
}

#[tokio::test]
async fn a_blocked_user_is_marked_inactive_and_comes_back_by_writing() {
    let bot = Running::start(Mode::Polling).await;
    let user = bot.fake.user(9);
    user.send_command("/since yesterday");
    bot.messages(9, 1).await;
    user.block_bot();
    user.send_text("are you there?");
    let store = &bot.test.app.store;
    let inactive = async {
        while store.user(ChatId(9)).await.unwrap().unwrap().active {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(WAIT, inactive)
        .await
        .expect("marked inactive");
    user.unblock_bot();
    user.send_text("hi again");
    bot.messages(9, 2).await;
    assert!(store.user(ChatId(9)).await.unwrap().unwrap().active);
    bot.shutdown().await;
}

#[tokio::test]
async fn a_429_storm_delays_replies_but_loses_none() {
    let bot = Running::start(Mode::Polling).await;
    bot.fake.fault(
        FaultRule::method("sendMessage").chat(11).times(3),
        Fault::TooManyRequests { retry_after: 1 },
    );
    let user = bot.fake.user(11);
    user.send_command("/help");
    user.send_command("/streak");
    let sent = bot.messages(11, 2).await;
    assert!(sent[0].text.contains("Commands"));
    assert!(sent[1].text.contains("/since"));
    let attempts = bot
        .fake
        .requests_for("sendMessage")
        .iter()
        .filter(|r| r.chat_id() == Some(11))
        .count();
    assert_eq!(attempts, 5, "three 429s, then both replies");
    bot.fake.assert_no_violations();
    bot.shutdown().await;
}

#[tokio::test]
async fn network_drops_are_retried_and_the_polling_loop_survives() {
    let bot = Running::start(Mode::Polling).await;
    bot.fake.fault(
        FaultRule::method("sendMessage").chat(12).times(2),
        Fault::Drop,
    );
    bot.fake
        .fault(FaultRule::method("getUpdates").times(2), Fault::Drop);
    let user = bot.fake.user(12);
    user.send_command("/help");
    bot.messages(12, 1).await;
    user.send_command("/streak");
    bot.messages(12, 2).await;
    bot.shutdown().await;
}

#[tokio::test]
async fn groups_get_one_note_and_nothing_is_stored() {
    let bot = Running::start(Mode::Polling).await;
    let group = bot.fake.group(-100_555);
    group.added_bot();
    let sent = bot.messages(-100_555, 1).await;
    assert!(sent[0].text.contains("private"));
    group.send_text("hello bot, should I text my ex?");
    group.send_command("/start");
    // A private message afterwards proves the group updates were processed.
    bot.fake.user(13).send_command("/help");
    bot.messages(13, 1).await;
    bot.handled(4).await;
    assert_eq!(bot.fake.sent_messages(-100_555).len(), 1, "said once");
    assert!(
        bot.test
            .app
            .store
            .user(ChatId(-100_555))
            .await
            .unwrap()
            .is_none()
    );
    bot.shutdown().await;
}

#[tokio::test]
async fn a_membership_change_delivered_twice_is_acted_on_once() {
    let bot = Running::start(Mode::Polling).await;
    let user = bot.fake.user(41);
    user.send_command("/since 2026-11-10");
    bot.messages(41, 1).await;
    let me = bot.fake.shared.cfg.bot.user_json();
    let change = |id: i64, chat: serde_json::Value, old: &str, new: serde_json::Value| {
        serde_json::json!({"update_id": id, "my_chat_member": {
            "chat": chat,
            "from": {"id": 41, "is_bot": false, "first_name": "R"},
            "date": 1_700_000_000,
            "old_chat_member": {"user": me, "status": old},
            "new_chat_member": new,
        }})
    };
    let group = serde_json::json!({"id": -100_777, "type": "group", "title": "Friends"});
    let added = change(
        5000,
        group,
        "left",
        serde_json::json!({"user": me, "status": "member"}),
    );
    let private = serde_json::json!({"id": 41, "type": "private", "first_name": "R"});
    let blocked = change(
        5001,
        private,
        "member",
        serde_json::json!({"user": me, "status": "kicked", "until_date": 0}),
    );
    // As getUpdates redelivers after a crash before the offset was confirmed.
    for update in [&added, &added, &blocked, &blocked] {
        bot.fake.push_raw_update(update.clone());
    }
    bot.fake.user(42).send_command("/help");
    bot.messages(42, 1).await;
    bot.handled(6).await;
    bot.outbox_empty().await;
    assert_eq!(bot.fake.sent_messages(-100_777).len(), 1, "the note once");
    let store = &bot.test.app.store;
    assert!(!store.user(ChatId(41)).await.unwrap().unwrap().active);
    for id in [5000, 5001] {
        assert!(store.inbox_is_done(id).await.unwrap(), "update {id} noted");
    }
    bot.fake.assert_no_violations();
    bot.shutdown().await;
}

#[tokio::test]
async fn media_forwards_locations_and_edits() {
    let bot = Running::start(Mode::Polling).await;
    let user = bot.fake.user(21);
    user.send_voice();
    bot.messages(21, 1).await;
    assert!(bot.last_text(21).contains("only read text"));
    user.send_sticker();
    bot.messages(21, 2).await;
    let forwarded = user.forward_text("hey... i miss you. can we talk?", "Alex");
    let sent = bot.messages(21, 3).await;
    assert_eq!(sent[2].buttons().len(), 4, "coaching with its buttons");
    user.send_location(52.52, 13.40);
    bot.messages(21, 4).await;
    assert!(
        bot.last_text(21).contains("Europe/Berlin"),
        "{}",
        bot.last_text(21)
    );
    user.edit_text(forwarded.message_id(), "edited text");
    user.send_command("/help");
    bot.messages(21, 5).await;
    bot.handled(6).await;
    assert_eq!(
        bot.fake.sent_messages(21).len(),
        5,
        "an edit does not act twice"
    );
    bot.fake.assert_no_violations();
    bot.shutdown().await;
}

#[tokio::test]
async fn a_restart_in_the_middle_of_a_conversation_continues_it() {
    let bot = Running::start(Mode::Polling).await;
    let user = bot.fake.user(31);
    user.send_command("/start");
    bot.messages(31, 2).await;
    user.send_text("yesterday");
    bot.messages(31, 4).await;
    let (test, fake) = bot.shutdown().await;
    let bot = Running::start_with(test, fake, Mode::Polling).await;
    bot.fake.user(31).send_text("new york");
    bot.messages(31, 5).await;
    assert!(
        bot.last_text(31).contains("America/New_York"),
        "{}",
        bot.last_text(31)
    );
    bot.shutdown().await;
}

#[tokio::test]
async fn webhook_mode_checks_the_secret_and_serves_health_and_metrics() {
    let bot = Running::start(Mode::Webhook).await;
    let update = serde_json::json!({
        "update_id": 1,
        "message": {
            "message_id": 1, "date": 1_700_000_000,
            "chat": {"id": 51, "type": "private", "first_name": "W"},
            "from": {"id": 51, "is_bot": false, "first_name": "W"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}]
        }
    });
    let url = format!("http://{}/telegram/webhook", bot.http);
    let post = |secret: Option<&'static str>| {
        let (url, update) = (url.clone(), update.clone());
        async move {
            support::fake_bot_api::post_update_to(&url, secret, &update)
                .await
                .unwrap()
        }
    };
    assert_eq!(post(None).await, 401);
    assert_eq!(post(Some("wrong")).await, 401);
    assert_eq!(post(Some(SECRET)).await, 200);
    bot.messages(51, 1).await;
    assert!(bot.last_text(51).contains("Commands"));
    assert!(
        bot.fake.requests_for("setWebhook").is_empty(),
        "replicas never set the webhook"
    );
    let health = http_get(bot.http, "/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    // The reply arrives before the handler counts its update: wait for the count.
    bot.handled(1).await;
    let metrics = http_get(bot.http, "/metrics").await;
    assert!(
        metrics.contains("nocontact_updates_total{kind=\"message\",outcome=\"committed\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("content-type: application/openmetrics-text"),
        "{metrics}"
    );
    assert!(
        metrics.contains("nocontact_database_seconds_count{operation=\"begin_turn\"}"),
        "store operations are timed: {metrics}"
    );
    assert!(
        metrics.contains("nocontact_replies_sent_total 1"),
        "{metrics}"
    );
    // The outbox depth: what waits for Telegram. Sends to chat 51 fail for now.
    bot.outbox_empty().await;
    assert!(
        http_get(bot.http, "/metrics")
            .await
            .contains("nocontact_outbox_depth 0"),
        "an empty outbox"
    );
    bot.fake.fault(
        FaultRule::method("sendMessage").chat(51).always(),
        Fault::Drop,
    );
    let again = text_update(2, 51, 2, "/help");
    let status = support::fake_bot_api::post_update_to(&url, Some(SECRET), &again)
        .await
        .unwrap();
    assert_eq!(status, 200, "committed, though not yet sent");
    let metrics = http_get(bot.http, "/metrics").await;
    assert!(metrics.contains("nocontact_outbox_depth 1"), "{metrics}");
    bot.fake.clear_faults();
    bot.shutdown().await;
}

async fn http_get(addr: SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

/// A log sink shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures this thread's log lines (no colours) with `filter`, while the guard lives.
fn capture_logs(filter: &str) -> (Captured, tracing::subscriber::DefaultGuard) {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

/// Each update is one span: its id, kind, the situation read and the outcome are logged with
/// it; its words and the chat id are not.
#[tokio::test]
async fn each_update_is_one_span_with_its_outcome_and_no_words() {
    let (logs, _guard) = capture_logs("nocontact=debug");
    let bot = Running::start(Mode::Polling).await;
    let words = "should I text him happy birthday tonight";
    bot.fake.user(987_654).send_text(words);
    bot.messages(987_654, 1).await;
    bot.shutdown().await;
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("update handled"))
        .unwrap_or_else(|| panic!("no update line:\n{text}"));
    for field in [
        "update_id=",
        "kind=\"message\"",
        "outcome=\"committed\"",
        "situation=",
        "duration_ms=",
    ] {
        assert!(line.contains(field), "{field} missing: {line}");
    }
    assert!(!text.contains(words), "the words were logged:\n{text}");
    assert!(!text.contains("987654"), "the chat id was logged:\n{text}");
}

#[tokio::test]
async fn the_token_never_reaches_the_logs_even_when_requests_fail() {
    // A current-thread test runtime: every task of the bot logs through this subscriber.
    let (logs, _guard) = capture_logs("trace");
    let bot = Running::start(Mode::Polling).await;
    bot.fake.fault(
        FaultRule::method("sendMessage").chat(61).times(2),
        Fault::Drop,
    );
    bot.fake.fault(
        FaultRule::method("sendMessage").chat(62).always(),
        Fault::BadRequest("Bad Request: something odd".into()),
    );
    bot.fake.user(61).send_command("/help");
    bot.messages(61, 1).await;
    bot.fake.user(62).send_command("/help");
    bot.fake
        .user(63)
        .send_text("I texted him last night and I feel awful");
    bot.messages(63, 1).await;
    let token = bot.fake.token().to_owned();
    let logged = |needle: &str| String::from_utf8_lossy(&logs.0.lock().unwrap()).contains(needle);
    for _ in 0..100 {
        if logged("giving up") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bot.shutdown().await;
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("send failed"),
        "the failures were logged:\n{text}"
    );
    assert!(
        text.contains("giving up"),
        "the rejected message was logged:\n{text}"
    );
    assert!(
        !text.contains(&token),
        "the token leaked into the logs:\n{text}"
    );
    assert!(
        !text.contains("TEST-token"),
        "part of the token leaked:\n{text}"
    );
    assert!(
        !text.contains("texted him last night"),
        "message text reached the logs"
    );
}

#[tokio::test]
async fn a_server_error_is_retried_until_the_reply_arrives() {
    // teloxide itself waits 10 s after a 5xx before handing the error back.
    let bot = Running::start(Mode::Polling).await;
    bot.fake.fault(
        FaultRule::method("sendMessage").chat(14).times(1),
        Fault::ServerError,
    );
    bot.fake.user(14).send_command("/help");
    let sent = bot
        .fake
        .wait_for_messages(14, 1, Duration::from_secs(25))
        .await;
    assert!(sent[0].text.contains("Commands"));
    bot.shutdown().await;
}

#[tokio::test]
async fn chat_not_found_marks_the_user_inactive() {
    let bot = Running::start(Mode::Polling).await;
    bot.fake.fault(
        FaultRule::method("sendMessage").chat(15).always(),
        Fault::ChatNotFound,
    );
    bot.fake.user(15).send_command("/streak");
    let store = &bot.test.app.store;
    let inactive = async {
        loop {
            if let Some(user) = store.user(ChatId(15)).await.unwrap()
                && !user.active
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(WAIT, inactive)
        .await
        .expect("marked inactive");
    bot.shutdown().await;
}

#[tokio::test]
async fn webhook_mode_refuses_to_start_without_a_secret() {
    let test = TestApp::new().await;
    let fake = FakeBotApi::start().await;
    let app = test
        .instance_with(&[
            ("TELOXIDE_TOKEN", fake.token()),
            ("TELOXIDE_API_URL", &fake.url()),
        ])
        .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let result = telegram::run_on(app, Mode::Webhook, listener, async {}).await;
    assert!(
        matches!(result, Err(telegram::RunError::NoWebhookSecret)),
        "{result:?}"
    );
}

#[tokio::test]
async fn progress_arrives_as_a_photo() {
    let bot = Running::start(Mode::Polling).await;
    let user = bot.fake.user(71);
    user.send_command("/since 2026-11-01");
    bot.messages(71, 1).await;
    user.send_command("/progress");
    let photos = bot.fake.wait_for_requests("sendPhoto", 1, WAIT).await;
    let file = &photos[0].files[0];
    assert!(file.bytes.starts_with(b"\x89PNG"), "a PNG was uploaded");
    bot.fake.assert_no_violations();
    bot.shutdown().await;
}

/// The real binary, started as an operator would, stops within seconds on SIGTERM.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_stops_gracefully_on_sigterm() {
    let fake = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_nocontact"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DATABASE_URL")
        .env("TELOXIDE_TOKEN", fake.token())
        .env("TELOXIDE_API_URL", fake.url())
        .env(
            "NOCONTACT__DATABASE__SQLITE_PATH",
            dir.path().join("bot.db"),
        )
        .env("NOCONTACT__TELEGRAM__LISTEN", "127.0.0.1:0")
        .env("NOCONTACT__TELEGRAM__POLLING_TIMEOUT_SECS", "1")
        .env("RUST_LOG", "error")
        .spawn()
        .unwrap();
    // It is up once it answers a message.
    fake.user(81).send_command("/help");
    fake.wait_for_messages(81, 1, STARTUP_WAIT).await;
    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(5), child.wait())
        .await
        .expect("exits within 5 seconds of SIGTERM")
        .unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn safety_over_telegram_crisis_care_sos_and_an_unsafe_ex() {
    let bot = Running::start(Mode::Polling).await;
    let user = bot.fake.user(61);
    user.send_command("/since 2026-11-10");
    bot.messages(61, 1).await;
    // no timezone known: /sos shows the worldwide directory and the common lines
    user.send_command("/sos");
    let sent = bot.messages(61, 2).await;
    assert!(
        sent[1].text.contains("findahelpline.com"),
        "{}",
        sent[1].text
    );
    let labels: Vec<String> = sent[1].buttons().into_iter().map(|(t, _)| t).collect();
    assert_eq!(labels, ["Check in on me later"]);

    // a crisis message: resources first, with the /sos button under them
    user.send_text("I don't want to wake up tomorrow. I've been saving my tablets");
    let sent = bot.messages(61, 3).await;
    assert!(
        sent[2].text.contains("findahelpline.com"),
        "{}",
        sent[2].text
    );
    let labels: Vec<String> = sent[2].buttons().into_iter().map(|(t, _)| t).collect();
    assert_eq!(labels, ["Talk to someone now"]);
    // the next ordinary message: no streak talk, help one tap away
    user.send_text("should I text him?");
    let sent = bot.messages(61, 4).await;
    assert!(!sent[3].text.contains("No-contact day"), "{}", sent[3].text);
    assert!(
        !sent[3].text.to_lowercase().contains("day 2"),
        "{}",
        sent[3].text
    );
    let labels: Vec<String> = sent[3].buttons().into_iter().map(|(t, _)| t).collect();
    assert!(
        labels.contains(&"Talk to someone now".to_owned()),
        "{labels:?}"
    );
    user.press_button(
        sent[3].message_id,
        &data_of(&sent[3], "Talk to someone now"),
    );
    let sent = bot.messages(61, 5).await;
    assert!(
        sent[4].text.contains("findahelpline.com"),
        "{}",
        sent[4].text
    );

    // an ex who hurt them: safety, and never coached to meet later
    let other = bot.fake.user(62);
    other.send_text("he used to choke me when he got angry");
    let sent = bot.messages(62, 1).await;
    let labels: Vec<String> = sent[0].buttons().into_iter().map(|(t, _)| t).collect();
    assert!(!labels.contains(&"Wait with me".to_owned()), "{labels:?}");
    other.send_text("he wants to meet for coffee this weekend");
    let sent = bot.messages(62, 2).await;
    let text = sent[1].text.to_lowercase();
    assert!(!text.contains("keep it short and easy"), "{text}");
    assert!(text.contains("safe"), "{text}");
    bot.fake.assert_no_violations();
    bot.shutdown().await;
}

async fn slips_of(test: &TestApp, chat: i64) -> usize {
    let user = test.app.store.user(ChatId(chat)).await.unwrap().unwrap();
    test.app.store.slips(user.id).await.unwrap().len()
}

/// Waits until the last message to `chat` contains `needle`.
impl Running {
    /// Waits until every committed reply left the outbox (sent and confirmed).
    async fn outbox_empty(&self) {
        let started = std::time::Instant::now();
        loop {
            let waiting: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox")
                .fetch_one(self.test.app.store.pool())
                .await
                .unwrap();
            if waiting == 0 {
                return;
            }
            assert!(
                started.elapsed() < WAIT,
                "{waiting} replies still in the outbox"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn wait_for_last(bot: &Running, chat: i64, needle: &str) {
    bot.fake
        .wait_until(WAIT, needle, |f| {
            f.sent_messages(chat)
                .last()
                .is_some_and(|m| m.text.contains(needle))
        })
        .await;
}

#[tokio::test]
async fn a_replayed_update_is_acted_on_once_in_polling_mode() {
    let bot = Running::start(Mode::Polling).await;
    let user = bot.fake.user(91);
    user.send_command("/since 2026-11-10");
    bot.messages(91, 1).await;
    // The same update twice, as getUpdates redelivers after a crash before the offset was
    // confirmed. A later message of the chat is handled after both (one chat, in order).
    let slip = text_update(1000, 91, 100, "/slip 2 hours ago");
    bot.fake.push_raw_update(slip.clone());
    bot.fake.push_raw_update(slip);
    user.send_command("/help");
    wait_for_last(&bot, 91, "Commands").await;
    assert_eq!(slips_of(&bot.test, 91).await, 1, "one slip logged");
    let once = bot.fake.sent_messages(91).len();

    // Seen before but never finished (a crash in between): handled again.
    bot.fake.user(92).send_command("/since 2026-11-10");
    bot.messages(92, 1).await;
    let store = &bot.test.app.store;
    let now = bot.test.clock_now();
    store.inbox_receive(2000, now).await.unwrap();
    bot.fake
        .push_raw_update(text_update(2000, 92, 1, "/slip 2 hours ago"));
    bot.fake.user(92).send_command("/help");
    wait_for_last(&bot, 92, "Commands").await;
    assert_eq!(
        slips_of(&bot.test, 92).await,
        1,
        "the unfinished update was handled"
    );
    // Finished before: not acted on again.
    store.inbox_receive(3000, now).await.unwrap();
    store.inbox_done(3000, now).await.unwrap();
    bot.fake
        .push_raw_update(text_update(3000, 93, 1, "/since 2026-11-01"));
    bot.fake.user(93).send_command("/help");
    wait_for_last(&bot, 93, "Commands").await;
    assert_eq!(bot.fake.sent_messages(93).len(), 1, "only /help answered");
    assert!(
        store
            .user(ChatId(93))
            .await
            .unwrap()
            .is_none_or(|u| u.active)
    );
    assert_eq!(once, bot.fake.sent_messages(91).len());
    bot.fake.assert_no_violations();
    bot.shutdown().await;
}

#[tokio::test]
async fn a_webhook_update_posted_twice_is_acted_on_once() {
    let bot = Running::start(Mode::Webhook).await;
    let url = format!("http://{}/telegram/webhook", bot.http);
    let post = |update: serde_json::Value| {
        let url = url.clone();
        async move {
            support::fake_bot_api::post_update_to(&url, Some(SECRET), &update)
                .await
                .unwrap()
        }
    };
    assert_eq!(post(text_update(1, 52, 1, "/since 2026-11-10")).await, 200);
    // Answered once the turn is committed: its reply is staged, and on its way.
    bot.outbox_empty().await;
    assert_eq!(bot.fake.sent_messages(52).len(), 1);
    let slip = text_update(2, 52, 2, "/slip 2 hours ago");
    assert_eq!(post(slip.clone()).await, 200);
    bot.outbox_empty().await;
    let after_one = bot.fake.sent_messages(52).len();
    assert!(after_one > 1);
    // Telegram retries a post it got no answer to: the same update again.
    assert_eq!(post(slip).await, 200);
    assert_eq!(post(text_update(3, 52, 3, "/help")).await, 200);
    bot.outbox_empty().await;
    assert!(bot.last_text(52).contains("Commands"));
    assert_eq!(bot.fake.sent_messages(52).len(), after_one + 1);
    assert_eq!(slips_of(&bot.test, 52).await, 1, "one slip logged");
    bot.fake.assert_no_violations();
    bot.shutdown().await;
}

#[tokio::test]
async fn the_webhook_answers_503_while_the_database_cannot_record_and_400_to_garbage() {
    let bot = Running::start(Mode::Webhook).await;
    let url = format!("http://{}/telegram/webhook", bot.http);
    let pool = bot.test.app.store.pool();
    // The inbox cannot be written (as when the database is down or the disk full).
    sqlx::query("ALTER TABLE inbox RENAME TO inbox_away")
        .execute(pool)
        .await
        .unwrap();
    let update = text_update(7, 53, 1, "/help");
    let status = support::fake_bot_api::post_update_to(&url, Some(SECRET), &update)
        .await
        .unwrap();
    assert_eq!(status, 503, "Telegram is told to post it again");
    sqlx::query("ALTER TABLE inbox_away RENAME TO inbox")
        .execute(pool)
        .await
        .unwrap();
    // Telegram posts it again: handled, once.
    let status = support::fake_bot_api::post_update_to(&url, Some(SECRET), &update)
        .await
        .unwrap();
    assert_eq!(status, 200);
    bot.outbox_empty().await;
    assert_eq!(bot.fake.sent_messages(53).len(), 1);
    assert!(bot.last_text(53).contains("Commands"));

    use support::fake_bot_api::http_request;
    let json = [("Content-Type", "application/json")];
    let with_secret = [
        ("Content-Type", "application/json"),
        ("X-Telegram-Bot-Api-Secret-Token", SECRET),
    ];
    let garbage = http_request("POST", &url, &with_secret, b"{\"update_id\": 8, \"mess")
        .await
        .unwrap();
    assert_eq!(garbage.status, 400, "unparsable JSON");
    let big = vec![b' '; 2 * 1024 * 1024];
    let too_big = http_request("POST", &url, &with_secret, &big)
        .await
        .unwrap();
    assert_eq!(too_big.status, 413);
    // The secret is checked before anything is read.
    let stranger = http_request("POST", &url, &json, &big).await.unwrap();
    assert_eq!(stranger.status, 401);
    bot.shutdown().await;
}

/// A Bot API error answer whose description echoes `text`.
fn echoing_error(status: u16, text: String) -> Fault {
    Fault::Custom {
        status,
        body: serde_json::json!({"ok": false, "error_code": status, "description": text}),
    }
}

#[tokio::test]
async fn start_up_waits_out_an_unreachable_failing_or_garbled_bot_api() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("info")
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let test = TestApp::new().await;
    let fake = FakeBotApi::start().await;
    fake.fault(FaultRule::method("getMe").times(2), Fault::Drop);
    fake.fault(
        FaultRule::method("getMe"),
        Fault::Custom {
            status: 200,
            body: serde_json::Value::String("garbage, not JSON".into()),
        },
    );
    let echoed = format!("Bad Request: no route /bot{}/getMe", fake.token());
    fake.fault(FaultRule::method("getMe"), echoing_error(400, echoed));
    let bot = Running::start_with(test, fake, Mode::Polling).await;
    bot.fake.user(91).send_command("/help");
    bot.messages(91, 1).await;
    assert!(bot.last_text(91).contains("Commands"));
    let token = bot.fake.token().to_owned();
    let (_, _fake) = bot.shutdown().await;
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert_eq!(
        text.matches("did not answer getMe; retrying").count(),
        4,
        "one line per failed attempt:\n{text}"
    );
    assert!(!text.contains(&token), "the token leaked:\n{text}");
}

#[tokio::test]
async fn webhook_set_sends_the_secret_and_refuses_without_one() {
    let test = TestApp::new().await;
    let fake = FakeBotApi::start().await;
    let without = test
        .instance_with(&[
            ("TELOXIDE_TOKEN", fake.token()),
            ("TELOXIDE_API_URL", &fake.url()),
        ])
        .await;
    let refused = telegram::set_webhook(&without, "https://bot.example.org/telegram/webhook").await;
    assert!(
        matches!(refused, Err(telegram::WebhookError::NoSecret)),
        "{refused:?}"
    );
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("NOCONTACT__TELEGRAM__WEBHOOK_SECRET"),
        "{message}"
    );
    assert!(
        fake.requests_for("setWebhook").is_empty(),
        "nothing was set"
    );

    let with = test
        .instance_with(&[
            ("TELOXIDE_TOKEN", fake.token()),
            ("TELOXIDE_API_URL", &fake.url()),
            ("NOCONTACT__TELEGRAM__WEBHOOK_SECRET", SECRET),
        ])
        .await;
    telegram::set_webhook(&with, "https://bot.example.org/telegram/webhook")
        .await
        .unwrap();
    let webhook = fake.webhook().expect("the webhook is set");
    assert_eq!(webhook.secret_token.as_deref(), Some(SECRET));
    fake.assert_no_violations();
}

/// Runs the real binary against `fake` with `token`, polling; returns the child.
#[cfg(unix)]
fn spawn_binary(fake: &FakeBotApi, token: &str, dir: &std::path::Path) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_nocontact"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DATABASE_URL")
        .env("TELOXIDE_TOKEN", token)
        .env("TELOXIDE_API_URL", fake.url())
        .env("NOCONTACT__DATABASE__SQLITE_PATH", dir.join("bot.db"))
        .env("NOCONTACT__TELEGRAM__LISTEN", "127.0.0.1:0")
        .env("NOCONTACT__TELEGRAM__POLLING_TIMEOUT_SECS", "1")
        .env("RUST_LOG", "debug")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

/// The real binary: errors that echo the token (at start-up, and on a later request) are
/// printed scrubbed; a token Telegram rejects ends it with one plain sentence, no panic.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_scrubs_echoed_tokens_and_exits_plainly_on_a_rejected_one() {
    let fake = FakeBotApi::start().await;
    let token = fake.token().to_owned();
    let secret_half = token.split_once(':').unwrap().1.to_owned();
    let echo = |method: &str| format!("Bad Request: no route /bot{token}/{method}");
    fake.fault(
        FaultRule::method("getMe"),
        echoing_error(400, echo("getMe")),
    );
    fake.fault(
        FaultRule::method("setMyCommands").always(),
        echoing_error(400, echo("setMyCommands")),
    );
    let dir = tempfile::tempdir().unwrap();
    let child = spawn_binary(&fake, &token, dir.path());
    fake.user(82).send_command("/help");
    fake.wait_for_messages(82, 1, STARTUP_WAIT).await;
    let pid = child.id().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let output = tokio::time::timeout(Duration::from_secs(5), child.wait_with_output())
        .await
        .expect("exits on SIGTERM")
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("retrying"),
        "the failure was logged:\n{stderr}"
    );
    assert!(
        !stderr.contains(&secret_half),
        "the token leaked:\n{stderr}"
    );

    // 404 on getMe, its description echoing the token: the token is rejected.
    fake.clear_faults();
    fake.fault(
        FaultRule::method("getMe"),
        echoing_error(404, format!("Not Found: /bot{token}/getMe")),
    );
    let rejected = spawn_binary(&fake, &token, dir.path());
    let output = tokio::time::timeout(STARTUP_WAIT, rejected.wait_with_output())
        .await
        .expect("exits by itself")
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !stderr.contains(&secret_half),
        "the token leaked:\n{stderr}"
    );
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.contains("rejected the bot token"), "{stderr}");

    // A token the Bot API does not know (401 Unauthorized): the same plain sentence.
    let wrong = spawn_binary(&fake, "123456:not-the-right-token", dir.path());
    let output = tokio::time::timeout(STARTUP_WAIT, wrong.wait_with_output())
        .await
        .expect("exits by itself")
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("not-the-right-token"), "{stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.contains("nocontact:")).count(),
        1,
        "one sentence: {stderr}"
    );
}
