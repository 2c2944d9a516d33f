//! A fake Telegram Bot API server for tests: a real HTTP server on 127.0.0.1 that a real
//! teloxide `Bot` talks to, which checks every request against the Bot API spec
//! (`shared/telegram-bot-api-spec/api.json`), records everything, lets the test inject user
//! updates and script failures.
//!
//! ```ignore
//! mod support;
//! use support::fake_bot_api::{FakeBotApi, Fault, FaultRule};
//! use teloxide::prelude::*;
//!
//! let fake = FakeBotApi::start().await;
//! let bot = Bot::new(fake.token()).set_api_url(fake.url().parse().unwrap());
//! // or: std::env::set_var("TELOXIDE_API_URL", fake.url()) for code that builds its own Bot
//! let alice = fake.user(42).first_name("Alice");
//! alice.send_command("/start");
//! // … run the bot's dispatcher / handler …
//! let sent = fake.wait_for_messages(42, 1, Duration::from_secs(5)).await;
//! assert!(sent[0].text.contains("Welcome"));
//! alice.press_button(sent[0].message_id, sent[0].callback_data()[0].as_str());
//! fake.assert_no_violations();
//! ```
//!
//! - Routing: `POST|GET /bot<TOKEN>/<method>` with the method matched case-insensitively
//!   (teloxide sends `SendMessage`); another token gets 401 Unauthorized. Parameters come from
//!   the query string and a JSON, urlencoded-form or multipart body. `GET
//!   /file/bot<TOKEN>/<file_path>` downloads files (see getFile).
//! - Spec checks: see [`spec`]. A bad request is answered 400 `ok:false` (with the real Bot
//!   API's description where known, e.g. "Bad Request: message is too long", so teloxide maps
//!   it to the same `ApiError`) and recorded as a [`SpecViolation`]. Call
//!   [`FakeBotApi::assert_no_violations`] at the end of every test.
//! - Methods with realistic results: getMe, getWebhookInfo, setWebhook, deleteWebhook,
//!   setMyCommands, getMyCommands, deleteMyCommands, getUpdates (long polling), sendMessage,
//!   sendPhoto, sendDocument, sendVoice, sendSticker, sendLocation, editMessageText,
//!   editMessageCaption, editMessageReplyMarkup, answerCallbackQuery, sendChatAction,
//!   deleteMessage, leaveChat, getFile, logOut, close. Every other method of the spec answers
//!   `{"ok":true,"result":true}` (and is recorded) — a method whose real result is an object
//!   will then fail to parse in teloxide.
//! - Realistic errors: editing a missing message ("message to edit not found"), an edit that
//!   changes nothing ("message is not modified: …"), answering an unknown or already answered
//!   callback query ("query is too old …"), deleting a missing message, replying to a missing
//!   message, getUpdates while a webhook is set (409) or while another getUpdates is held
//!   (409 "terminated by other getUpdates request" for the older one).
//!
//! Message ids count per chat from 1, shared by the user's and the bot's messages. Update ids
//! count from 1. Chats are created on first use: positive ids are private chats with user
//! "User<id>", ids below -1000000000000 supergroups, other negative ids groups, `@name`
//! channels.
#![allow(dead_code, unused_imports)]

mod client;
mod fault;
pub mod formatting;
mod methods;
mod record;
mod server;
pub mod spec;
mod state;
mod updates;

use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::{Arc, Mutex, atomic::Ordering},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use tokio::{sync::watch, task::JoinHandle};

pub use client::{http_request, post_update_to};
pub use fault::{Fault, FaultRule};
pub use record::{
    Encoding, Injected, RawResponse, RecordedRequest, SentMessage, SpecViolation, UploadedFile,
    WebhookConfig,
};
pub use spec::{Problem, Spec, default_spec_path};
pub use state::BotProfile;
pub use updates::{BotMembership, GroupHandle, UserHandle};

use state::{Config, FaultEntry, Shared, State};

/// The token the fake accepts by default.
pub const DEFAULT_TOKEN: &str = "123456:TEST-token-not-real";

/// Settings for [`FakeBotApi`]; [`FakeBotApi::start`] uses the defaults.
#[derive(Debug, Clone)]
pub struct FakeBotApiBuilder {
    spec_path: PathBuf,
    token: String,
    first_name: String,
    username: String,
    long_poll_cap: Duration,
}

impl Default for FakeBotApiBuilder {
    fn default() -> Self {
        FakeBotApiBuilder {
            spec_path: std::env::var_os("FAKE_BOT_API_SPEC")
                .map(PathBuf::from)
                .unwrap_or_else(default_spec_path),
            token: DEFAULT_TOKEN.to_owned(),
            first_name: "NoContact Test Bot".to_owned(),
            username: "nocontact_test_bot".to_owned(),
            long_poll_cap: Duration::from_secs(16),
        }
    }
}

impl FakeBotApiBuilder {
    /// The spec file. Default: `$FAKE_BOT_API_SPEC`, else
    /// `$CARGO_MANIFEST_DIR/../shared/telegram-bot-api-spec/api.json`.
    pub fn spec_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.spec_path = path.into();
        self
    }

    /// The accepted token (default [`DEFAULT_TOKEN`]); the bot's user id is the part before
    /// the `:`.
    pub fn token(mut self, token: &str) -> Self {
        self.token = token.to_owned();
        self
    }

    pub fn bot_username(mut self, username: &str) -> Self {
        self.username = username.to_owned();
        self
    }

    pub fn bot_first_name(mut self, name: &str) -> Self {
        self.first_name = name.to_owned();
        self
    }

    /// Longest time a getUpdates call is held (default 16 s: teloxide's HTTP client times
    /// out after 17 s).
    pub fn long_poll_cap(mut self, cap: Duration) -> Self {
        self.long_poll_cap = cap;
        self
    }

    /// Loads the spec, binds 127.0.0.1:0 and serves in a tokio task. Panics on failure.
    pub async fn start(self) -> FakeBotApi {
        let spec = Spec::load(&self.spec_path).unwrap_or_else(|e| panic!("fake_bot_api: {e}"));
        let id = self
            .token
            .split(':')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(123456);
        let cfg = Config {
            token: self.token,
            bot: BotProfile {
                id,
                first_name: self.first_name,
                username: self.username,
            },
            long_poll_cap: self.long_poll_cap,
        };
        let (changed, _) = watch::channel(0u64);
        let shared = Arc::new(Shared {
            cfg,
            spec,
            state: Mutex::new(State::new()),
            changed,
            started: Instant::now(),
            closed: Default::default(),
            observers: Default::default(),
        });
        let (listener, addr) = server::bind()
            .await
            .unwrap_or_else(|e| panic!("fake_bot_api: cannot bind: {e}"));
        let server = server::spawn(shared.clone(), listener);
        FakeBotApi {
            shared,
            addr,
            server,
        }
    }
}

/// The fake server. Cheap to start (one per test); stops when dropped (held getUpdates calls
/// return at once). Thread-safe: share it as `Arc<FakeBotApi>` if a spawned task needs it.
pub struct FakeBotApi {
    pub(crate) shared: Arc<Shared>,
    addr: SocketAddr,
    server: JoinHandle<()>,
}

impl Drop for FakeBotApi {
    fn drop(&mut self) {
        self.shared.closed.store(true, Ordering::SeqCst);
        self.shared.bump();
        self.server.abort();
    }
}

impl std::fmt::Debug for FakeBotApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeBotApi")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl FakeBotApi {
    /// Starts a fake with the default settings (see [`FakeBotApiBuilder`]).
    pub async fn start() -> FakeBotApi {
        FakeBotApiBuilder::default().start().await
    }

    pub fn builder() -> FakeBotApiBuilder {
        FakeBotApiBuilder::default()
    }

    // --- addresses -----------------------------------------------------------------------

    /// Base URL for `Bot::set_api_url` / `TELOXIDE_API_URL`: `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The token the fake accepts.
    pub fn token(&self) -> &str {
        &self.shared.cfg.token
    }

    /// `http://127.0.0.1:PORT/bot<TOKEN>/<method>`.
    pub fn method_url(&self, method: &str) -> String {
        format!("{}bot{}/{method}", self.url(), self.token())
    }

    /// The bot the fake pretends to be (getMe).
    pub fn bot(&self) -> &BotProfile {
        &self.shared.cfg.bot
    }

    /// The loaded spec.
    pub fn spec(&self) -> &Spec {
        &self.shared.spec
    }

    // --- recording -----------------------------------------------------------------------

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Requests of one method (any spelling: `sendMessage`, `SendMessage`).
    pub fn requests_for(&self, method: &str) -> Vec<RecordedRequest> {
        let m = method.to_ascii_lowercase();
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.method == m)
            .cloned()
            .collect()
    }

    /// Messages the bot sent successfully to `chat_id` (text and media), oldest first.
    /// Faulted or rejected sends are not included.
    pub fn sent_messages(&self, chat_id: i64) -> Vec<SentMessage> {
        self.shared
            .lock()
            .sent
            .iter()
            .filter(|m| m.chat_id == chat_id)
            .cloned()
            .collect()
    }

    /// Messages the bot sent successfully to any chat, oldest first.
    pub fn all_sent_messages(&self) -> Vec<SentMessage> {
        self.shared.lock().sent.clone()
    }

    /// Waits until at least `n` messages were sent to `chat_id` and returns all of them
    /// (possibly more than `n`). Panics with a dump of every request after `timeout`.
    pub async fn wait_for_messages(
        &self,
        chat_id: i64,
        n: usize,
        timeout: Duration,
    ) -> Vec<SentMessage> {
        let what = format!("{n} message(s) sent to chat {chat_id}");
        self.wait_until(timeout, &what, |f| f.sent_messages(chat_id).len() >= n)
            .await;
        self.sent_messages(chat_id)
    }

    /// Waits until at least `n` requests of `method` were received (answered or not) and
    /// returns them. Panics with a dump after `timeout`.
    pub async fn wait_for_requests(
        &self,
        method: &str,
        n: usize,
        timeout: Duration,
    ) -> Vec<RecordedRequest> {
        let what = format!("{n} {method} request(s)");
        self.wait_until(timeout, &what, |f| f.requests_for(method).len() >= n)
            .await;
        self.requests_for(method)
    }

    /// Waits until `condition` holds (re-checked on every change of the fake's state). Panics
    /// with "timed out waiting for <what>" and a dump after `timeout`.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        what: &str,
        condition: impl Fn(&FakeBotApi) -> bool,
    ) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let mut changed = self.shared.changed.subscribe();
            if condition(self) {
                return;
            }
            // Wake up at least every 50 ms: `condition` may depend on things outside the fake.
            let wake = (tokio::time::Instant::now() + Duration::from_millis(50)).min(deadline);
            let _ = tokio::time::timeout_at(wake, changed.changed()).await;
            if tokio::time::Instant::now() >= deadline {
                if condition(self) {
                    return;
                }
                panic!(
                    "fake_bot_api: timed out after {timeout:?} waiting for {what}\n{}",
                    self.dump()
                );
            }
        }
    }

    /// Every spec violation so far.
    pub fn violations(&self) -> Vec<SpecViolation> {
        self.shared.lock().violations.clone()
    }

    /// Panics, listing them, if any request broke the spec.
    pub fn assert_no_violations(&self) {
        let v = self.violations();
        if !v.is_empty() {
            let list: Vec<String> = v.iter().map(|v| format!("  - {v}")).collect();
            panic!(
                "fake_bot_api: {} Bot API spec violation(s):\n{}\n{}",
                v.len(),
                list.join("\n"),
                self.dump()
            );
        }
    }

    /// Requests answered with an error that no fault scripted (e.g. "message to edit not
    /// found", a 409 from getUpdates, spec violations, a wrong token).
    pub fn unexpected_errors(&self) -> Vec<RecordedRequest> {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.fault.is_none() && r.status.is_some_and(|s| s >= 400))
            .cloned()
            .collect()
    }

    /// A readable log of everything the fake saw.
    pub fn dump(&self) -> String {
        let st = self.shared.lock();
        let mut out = format!(
            "fake_bot_api at {} ({}): {} request(s), {} pending update(s), {} violation(s)\n",
            self.url(),
            self.shared.spec.version,
            st.requests.len(),
            st.updates.len(),
            st.violations.len()
        );
        for r in &st.requests {
            out.push_str(&format!("  {r}\n"));
        }
        for m in &st.sent {
            out.push_str(&format!(
                "  sent to chat {} message {}: {:?}{}\n",
                m.chat_id,
                m.message_id,
                m.text,
                if m.reply_markup.is_some() {
                    " [+markup]"
                } else {
                    ""
                }
            ));
        }
        out
    }

    /// Forgets recorded requests, sent messages and violations (chats, messages, pending
    /// updates and faults stay).
    pub fn clear_records(&self) {
        let mut st = self.shared.lock();
        st.requests.clear();
        st.sent.clear();
        st.violations.clear();
    }

    /// The current state of message `message_id` in `chat_id` (after edits), or `None` if it
    /// never existed or was deleted.
    pub fn message(&self, chat_id: i64, message_id: i32) -> Option<Value> {
        let st = self.shared.lock();
        st.messages
            .get(&(chat_id, message_id))
            .filter(|m| !m.deleted)
            .map(|m| m.json.clone())
    }

    /// Whether the message was deleted with deleteMessage.
    pub fn is_deleted(&self, chat_id: i64, message_id: i32) -> bool {
        self.shared
            .lock()
            .messages
            .get(&(chat_id, message_id))
            .is_some_and(|m| m.deleted)
    }

    /// Whether the bot answered this callback query.
    pub fn callback_answered(&self, callback_query_id: &str) -> bool {
        self.shared
            .lock()
            .callback_queries
            .get(callback_query_id)
            .copied()
            .unwrap_or(false)
    }

    /// The commands set with setMyCommands for the default scope and no language.
    pub fn my_commands(&self) -> Option<Value> {
        let key = format!("{}|", json!({"type": "default"}));
        self.shared.lock().commands.get(&key).cloned()
    }

    // --- updates -------------------------------------------------------------------------

    /// A user in a private chat with the bot; `user_id` is also the chat id (must be > 0).
    pub fn user(&self, user_id: i64) -> UserHandle<'_> {
        assert!(
            user_id > 0,
            "user ids (= private chat ids) are positive, got {user_id}"
        );
        let mut st = self.shared.lock();
        let _ = st.chat(user_id);
        let _ = st.user(user_id);
        UserHandle {
            fake: self,
            user_id,
        }
    }

    /// A group (`chat_id` < 0; below -1000000000000 a supergroup) with the bot in it.
    pub fn group(&self, chat_id: i64) -> GroupHandle<'_> {
        assert!(chat_id < 0, "group ids are negative, got {chat_id}");
        let sender = 100_001;
        let mut st = self.shared.lock();
        let _ = st.chat(chat_id);
        st.users.entry(sender).or_insert_with(|| {
            json!({"id": sender, "is_bot": false, "first_name": "Member", "language_code": "en"})
        });
        GroupHandle {
            fake: self,
            chat_id,
            sender,
        }
    }

    /// Queues an update as given (no spec check). Without `update_id` the next id is set.
    /// Returns the update_id.
    pub fn push_raw_update(&self, update: Value) -> i64 {
        let id = self.shared.lock().push_update(update);
        self.shared.bump();
        id
    }

    /// Updates not yet confirmed by a getUpdates offset (or delivered to the webhook).
    pub fn pending_updates(&self) -> Vec<Value> {
        self.shared.lock().updates.iter().cloned().collect()
    }

    pub(crate) fn inject(
        &self,
        build: impl FnOnce(&mut State) -> (Value, Option<i32>, Option<String>),
    ) -> Injected {
        let injected = {
            let mut st = self.shared.lock();
            let (mut update, message_id, callback_query_id) = build(&mut st);
            let update_id = st.next_update_id;
            update["update_id"] = json!(update_id);
            let problems = self.shared.spec.check_value("Update", &update);
            assert!(
                problems.is_empty(),
                "fake_bot_api bug: built an update that breaks the spec: {problems:?}\n{update:#}"
            );
            st.push_update(update);
            Injected {
                update_id,
                message_id,
                callback_query_id,
            }
        };
        self.shared.bump();
        injected
    }

    // --- faults --------------------------------------------------------------------------

    /// Scripts a failure; see [`FaultRule`] and [`Fault`].
    pub fn fault(&self, rule: FaultRule, fault: Fault) {
        let mut st = self.shared.lock();
        st.faults.push(FaultEntry {
            skip_left: rule.skip,
            times_left: rule.times,
            rule,
            fault,
        });
    }

    /// Answers sends (send*, copy*, forward*, edit*) with 429 `retry_after` 1 once
    /// `per_second` of them were accepted within the last second, like Telegram's flood
    /// control. Such answers are recorded with `fault: Some(TooManyRequests)`.
    pub fn limit_send_rate(&self, per_second: usize) {
        self.shared.lock().send_limit = Some(state::SendLimit::new(per_second));
    }

    /// Every request from now on, once answered (or dropped), in answering order. For load
    /// generators that react to the bot's replies without polling the records.
    pub fn subscribe(&self) -> tokio::sync::mpsc::UnboundedReceiver<RecordedRequest> {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        self.shared
            .observers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        rx
    }

    /// Removes every scripted fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// How many scripted faults still have uses left (repeating ones count 1).
    pub fn pending_faults(&self) -> usize {
        self.shared.lock().faults.len()
    }

    // --- webhook -------------------------------------------------------------------------

    /// The webhook set with setWebhook, if any.
    pub fn webhook(&self) -> Option<WebhookConfig> {
        self.shared.lock().webhook.clone()
    }

    /// Delivers the pending updates, in order, to the webhook the bot set (with its secret
    /// token), as Telegram would. An update is confirmed when the bot answers 2xx; delivery
    /// stops at the first failure. Returns the status of each attempt. Panics if no webhook
    /// is set.
    pub async fn deliver_to_webhook(&self) -> Vec<u16> {
        let hook = self
            .webhook()
            .expect("deliver_to_webhook: the bot has not set a webhook");
        let mut statuses = Vec::new();
        loop {
            let next = {
                let mut st = self.shared.lock();
                while st.updates.front().is_some_and(|u| !st.update_allowed(u)) {
                    st.updates.pop_front();
                }
                st.updates.front().cloned()
            };
            let Some(update) = next else { break };
            let status = post_update_to(&hook.url, hook.secret_token.as_deref(), &update)
                .await
                .unwrap_or(0);
            statuses.push(status);
            if !(200..300).contains(&status) {
                break;
            }
            let mut st = self.shared.lock();
            st.updates.retain(|u| u["update_id"] != update["update_id"]);
        }
        self.shared.bump();
        statuses
    }

    // --- raw HTTP ------------------------------------------------------------------------

    /// POSTs a JSON body to `/bot<TOKEN>/<method>` (method spelled as given).
    pub async fn post_json(&self, method: &str, body: &Value) -> RawResponse {
        let body = serde_json::to_vec(body).expect("serializable");
        http_request(
            "POST",
            &self.method_url(method),
            &[("Content-Type", "application/json")],
            &body,
        )
        .await
        .expect("fake_bot_api: raw request failed")
    }

    /// POSTs an `application/x-www-form-urlencoded` body to `/bot<TOKEN>/<method>`.
    pub async fn post_form(&self, method: &str, fields: &[(&str, &str)]) -> RawResponse {
        let enc = |s: &str| {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        };
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        http_request(
            "POST",
            &self.method_url(method),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.join("&").as_bytes(),
        )
        .await
        .expect("fake_bot_api: raw request failed")
    }

    /// Any request to a path of the fake (`/bot…/getMe?x=1`), with optional content type.
    pub async fn request_raw(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> RawResponse {
        let url = format!("{}{}", self.url(), path.trim_start_matches('/'));
        let headers: Vec<(&str, &str)> = content_type
            .map(|c| ("Content-Type", c))
            .into_iter()
            .collect();
        http_request(method, &url, &headers, body)
            .await
            .expect("fake_bot_api: raw request failed")
    }
}
