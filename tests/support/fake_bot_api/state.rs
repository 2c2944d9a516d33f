//! The fake's mutable state (behind one `std::sync::Mutex`, never held across an `.await`).

use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard, atomic::AtomicBool},
    time::{Instant, SystemTime, UNIX_EPOCH},
};

use serde_json::{Value, json};
use tokio::sync::watch;

use super::{
    fault::{Fault, FaultRule},
    record::{RecordedRequest, SentMessage, SpecViolation, WebhookConfig},
    spec::Spec,
};

/// The bot the fake pretends to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotProfile {
    pub id: i64,
    pub first_name: String,
    pub username: String,
}

impl BotProfile {
    pub fn user_json(&self) -> Value {
        json!({
            "id": self.id,
            "is_bot": true,
            "first_name": self.first_name,
            "username": self.username,
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub token: String,
    pub bot: BotProfile,
    /// getUpdates `timeout` is capped to this (teloxide's HTTP client gives up after 17 s).
    pub long_poll_cap: std::time::Duration,
}

#[derive(Debug, Clone)]
pub(crate) enum ChatKind {
    Private,
    Group {
        title: String,
    },
    Supergroup {
        title: String,
        username: Option<String>,
    },
    Channel {
        title: String,
        username: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct ChatInfo {
    pub kind: ChatKind,
    pub next_message_id: i32,
    /// Private chat: the user blocked the bot.
    pub blocked: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct StoredMessage {
    pub json: Value,
    pub from_bot: bool,
    pub deleted: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    pub file_id: String,
    pub file_unique_id: String,
    pub file_path: String,
    pub bytes: Vec<u8>,
}

pub(crate) struct FaultEntry {
    pub rule: FaultRule,
    pub fault: Fault,
    pub skip_left: u32,
    pub times_left: Option<u32>,
}

pub(crate) struct State {
    pub requests: Vec<RecordedRequest>,
    pub violations: Vec<SpecViolation>,
    pub sent: Vec<SentMessage>,
    pub chats: HashMap<i64, ChatInfo>,
    pub users: HashMap<i64, Value>,
    pub usernames: HashMap<String, i64>,
    pub messages: HashMap<(i64, i32), StoredMessage>,
    /// Updates not yet confirmed by an offset, in update_id order.
    pub updates: VecDeque<Value>,
    pub next_update_id: i64,
    /// Callback query id → answered?
    pub callback_queries: HashMap<String, bool>,
    pub next_callback: u64,
    pub faults: Vec<FaultEntry>,
    pub webhook: Option<WebhookConfig>,
    /// Last `allowed_updates` given to getUpdates / setWebhook (None: Telegram's default).
    pub allowed_updates: Option<Vec<String>>,
    pub commands: BTreeMap<String, Value>,
    pub files: HashMap<String, StoredFile>,
    pub next_file: u64,
    /// Incremented by each getUpdates call; a held call that sees a newer one ends with 409.
    pub poll_generation: u64,
    /// Telegram's flood limit on sends, when one is set (see `FakeBotApi::limit_send_rate`).
    pub send_limit: Option<SendLimit>,
}

/// Telegram's flood control as the fake plays it: at most `per_second` sends in any sliding
/// one-second window; beyond that a send is answered 429.
#[derive(Debug, Clone)]
pub struct SendLimit {
    pub per_second: usize,
    /// When the sends of the last second were accepted.
    pub accepted: VecDeque<Instant>,
}

impl SendLimit {
    pub fn new(per_second: usize) -> Self {
        SendLimit {
            per_second,
            accepted: VecDeque::new(),
        }
    }

    /// Accepts one more send now, or refuses it (false) if the last second is full.
    pub fn take(&mut self, now: Instant) -> bool {
        while self
            .accepted
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= std::time::Duration::from_secs(1))
        {
            self.accepted.pop_front();
        }
        if self.accepted.len() >= self.per_second {
            return false;
        }
        self.accepted.push_back(now);
        true
    }
}

impl State {
    pub fn new() -> Self {
        State {
            requests: Vec::new(),
            violations: Vec::new(),
            sent: Vec::new(),
            chats: HashMap::new(),
            users: HashMap::new(),
            usernames: HashMap::new(),
            messages: HashMap::new(),
            updates: VecDeque::new(),
            next_update_id: 1,
            callback_queries: HashMap::new(),
            next_callback: 1,
            faults: Vec::new(),
            webhook: None,
            allowed_updates: None,
            commands: BTreeMap::new(),
            files: HashMap::new(),
            next_file: 1,
            poll_generation: 0,
            send_limit: None,
        }
    }

    /// The chat with this id, created on first use: positive ids are private chats with a
    /// user "User <id>", ids below -1000000000000 supergroups, other negative ids groups.
    pub fn chat(&mut self, chat_id: i64) -> &mut ChatInfo {
        self.chats.entry(chat_id).or_insert_with(|| ChatInfo {
            kind: if chat_id > 0 {
                ChatKind::Private
            } else if chat_id < -1_000_000_000_000 {
                ChatKind::Supergroup {
                    title: format!("Supergroup {chat_id}"),
                    username: None,
                }
            } else {
                ChatKind::Group {
                    title: format!("Group {chat_id}"),
                }
            },
            next_message_id: 1,
            blocked: false,
        })
    }

    /// Resolves a `chat_id` parameter (number, numeric string or `@username`).
    pub fn resolve_chat_id(&mut self, v: &Value) -> Option<i64> {
        match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) if s.starts_with('@') => {
                let name = s[1..].to_owned();
                if let Some(id) = self.usernames.get(&name) {
                    return Some(*id);
                }
                let id = -1_001_000_000_000 - self.usernames.len() as i64;
                self.usernames.insert(name.clone(), id);
                self.chats.insert(
                    id,
                    ChatInfo {
                        kind: ChatKind::Channel {
                            title: name.clone(),
                            username: Some(name),
                        },
                        next_message_id: 1,
                        blocked: false,
                    },
                );
                Some(id)
            }
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// A user object; private chats' users are created on first use.
    pub fn user(&mut self, user_id: i64) -> Value {
        self.users
            .entry(user_id)
            .or_insert_with(|| {
                json!({
                    "id": user_id,
                    "is_bot": false,
                    "first_name": format!("User{user_id}"),
                    "language_code": "en",
                })
            })
            .clone()
    }

    pub fn chat_json(&mut self, chat_id: i64) -> Value {
        let kind = self.chat(chat_id).kind.clone();
        match kind {
            ChatKind::Private => {
                let user = self.user(chat_id);
                let mut chat = json!({"id": chat_id, "type": "private"});
                for key in ["first_name", "last_name", "username"] {
                    if let Some(v) = user.get(key) {
                        chat[key] = v.clone();
                    }
                }
                chat
            }
            ChatKind::Group { title } => json!({"id": chat_id, "type": "group", "title": title}),
            ChatKind::Supergroup { title, username } => {
                let mut c = json!({"id": chat_id, "type": "supergroup", "title": title});
                if let Some(u) = username {
                    c["username"] = Value::String(u);
                }
                c
            }
            ChatKind::Channel { title, username } => {
                let mut c = json!({"id": chat_id, "type": "channel", "title": title});
                if let Some(u) = username {
                    c["username"] = Value::String(u);
                }
                c
            }
        }
    }

    pub fn next_message_id(&mut self, chat_id: i64) -> i32 {
        let chat = self.chat(chat_id);
        let id = chat.next_message_id;
        chat.next_message_id += 1;
        id
    }

    pub fn push_update(&mut self, mut update: Value) -> i64 {
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => {
                self.next_update_id = self.next_update_id.max(id + 1);
                id
            }
            None => {
                let id = self.next_update_id;
                self.next_update_id += 1;
                update["update_id"] = Value::from(id);
                id
            }
        };
        self.updates.push_back(update);
        id
    }

    pub fn store_file(&mut self, kind: &str, ext: &str, bytes: Vec<u8>) -> StoredFile {
        let n = self.next_file;
        self.next_file += 1;
        let file = StoredFile {
            file_id: format!("FAKE-{kind}-{n:06}-AgACAgIAAxkBAAI"),
            file_unique_id: format!("AQAD{n:06}"),
            file_path: format!("{kind}s/file_{n}{ext}"),
            bytes,
        };
        self.files.insert(file.file_id.clone(), file.clone());
        file
    }

    /// Finds and consumes the fault for this request, if any.
    pub fn take_fault(&mut self, method_lower: &str, chat_id: Option<i64>) -> Option<Fault> {
        for i in 0..self.faults.len() {
            let entry = &mut self.faults[i];
            if !entry.rule.matches(method_lower, chat_id) {
                continue;
            }
            if entry.skip_left > 0 {
                entry.skip_left -= 1;
                continue;
            }
            let fault = entry.fault.clone();
            if let Some(left) = &mut entry.times_left {
                *left -= 1;
                if *left == 0 {
                    self.faults.remove(i);
                }
            }
            return Some(fault);
        }
        None
    }

    /// The kinds of updates delivered by getUpdates (Telegram's default leaves out
    /// chat_member, message_reaction and message_reaction_count).
    pub fn update_allowed(&self, update: &Value) -> bool {
        let Some(kind) = update_kind(update) else {
            return true;
        };
        match &self.allowed_updates {
            Some(list) if !list.is_empty() => list.iter().any(|k| k == kind),
            _ => !matches!(
                kind,
                "chat_member" | "message_reaction" | "message_reaction_count"
            ),
        }
    }
}

pub(crate) fn update_kind(update: &Value) -> Option<&str> {
    update
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|k| *k != "update_id")
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Everything the server task and the test-side handle share.
pub(crate) struct Shared {
    pub cfg: Config,
    pub spec: Arc<Spec>,
    pub state: Mutex<State>,
    /// Bumped on every change; waiters (`wait_for_*`, long polls) watch it.
    pub changed: watch::Sender<u64>,
    pub started: Instant,
    pub closed: AtomicBool,
    /// Receivers of every answered request (see `FakeBotApi::subscribe`).
    pub observers: Mutex<Vec<tokio::sync::mpsc::UnboundedSender<RecordedRequest>>>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not make every later assertion fail with PoisonError.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    pub fn has_observers(&self) -> bool {
        !self
            .observers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    /// Hands an answered request to every subscriber still listening.
    pub fn notify(&self, request: &RecordedRequest) {
        let mut observers = self.observers.lock().unwrap_or_else(|e| e.into_inner());
        if observers.is_empty() {
            return;
        }
        observers.retain(|tx| tx.send(request.clone()).is_ok());
    }
}
