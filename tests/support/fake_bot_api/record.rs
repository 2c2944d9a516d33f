//! What the fake records, as seen by tests.

use std::{
    fmt,
    time::{Duration, SystemTime},
};

use serde_json::Value;

use super::fault::Fault;

/// How a request's parameters were sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/json` body (teloxide's encoding for everything without a file upload).
    Json,
    /// `application/x-www-form-urlencoded` body.
    Form,
    /// `multipart/form-data` body (teloxide's encoding for sendDocument, sendPhoto, …).
    Multipart,
    /// Only a query string / no body.
    Query,
}

/// A file uploaded in a multipart request.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadedFile {
    /// The parameter that refers to it (`document`, `photo`, …) via `attach://<part_name>`,
    /// or the part name itself if nothing refers to it.
    pub field: String,
    /// The multipart part name (teloxide uses a random UUID).
    pub part_name: String,
    /// The `filename` of the part (teloxide sends `""` when the `InputFile` has no name).
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if any (teloxide sends none).
    pub content_type: Option<String>,
    pub size: usize,
    pub bytes: Vec<u8>,
    /// The `file_id` the fake gave the stored file (usable with getFile / resending).
    pub file_id: String,
}

impl fmt::Debug for UploadedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadedFile")
            .field("field", &self.field)
            .field("part_name", &self.part_name)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("size", &self.size)
            .field("file_id", &self.file_id)
            .finish_non_exhaustive()
    }
}

/// One HTTP request to the Bot API, in arrival order.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// 0-based arrival index.
    pub seq: u64,
    /// Method name lowercased (`sendmessage`).
    pub method: String,
    /// Method name as it appeared in the URL (`SendMessage` from teloxide).
    pub method_original: String,
    /// Parameters (query string merged with the body) as a JSON object; form / multipart
    /// values are coerced to the spec's types where they validate (`"42"` → `42`,
    /// `reply_markup` JSON text → object).
    pub params: Value,
    pub files: Vec<UploadedFile>,
    pub encoding: Encoding,
    pub received_at: SystemTime,
    /// Time since the fake server started.
    pub elapsed: Duration,
    /// The scripted fault that hit this request (also `Blocked` for a user who blocked the bot
    /// via `UserHandle::block_bot`).
    pub fault: Option<Fault>,
    /// Spec violations found in this request (the request was answered 400).
    pub violations: Vec<String>,
    /// HTTP status answered; `None` while still in progress (a held getUpdates) or when the
    /// connection was dropped.
    pub status: Option<u16>,
    /// The JSON answered (`{"ok":…}`), once answered.
    pub response: Option<Value>,
}

impl RecordedRequest {
    /// A parameter by name.
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params.get(name)
    }

    /// A string parameter by name.
    pub fn str_param(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }

    /// `chat_id` as a number, if numeric.
    pub fn chat_id(&self) -> Option<i64> {
        chat_id_of(&self.params)
    }

    /// `true` if answered with `"ok": true`.
    pub fn ok(&self) -> bool {
        self.response
            .as_ref()
            .is_some_and(|r| r["ok"] == Value::Bool(true))
    }

    /// The `result` of a successful answer.
    pub fn result(&self) -> Option<&Value> {
        self.response
            .as_ref()
            .filter(|r| r["ok"] == Value::Bool(true))
            .map(|r| &r["result"])
    }
}

impl fmt::Display for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status.map_or("-".to_owned(), |s| s.to_string());
        write!(
            f,
            "#{} +{:.3}s {} [{:?}] -> {}",
            self.seq,
            self.elapsed.as_secs_f64(),
            self.method_original,
            self.encoding,
            status
        )?;
        if let Some(fault) = &self.fault {
            write!(f, " (fault {fault:?})")?;
        }
        let mut params = self.params.to_string();
        if params.len() > 300 {
            let mut cut = 300;
            while !params.is_char_boundary(cut) {
                cut -= 1;
            }
            params.truncate(cut);
            params.push('…');
        }
        write!(f, " {params}")?;
        for file in &self.files {
            write!(
                f,
                " [file {}={:?} {}B]",
                file.field, file.file_name, file.size
            )?;
        }
        for v in &self.violations {
            write!(f, "\n      VIOLATION {v}")?;
        }
        Ok(())
    }
}

pub(crate) fn chat_id_of(params: &Value) -> Option<i64> {
    match params.get("chat_id")? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A message the bot sent successfully (sendMessage, sendPhoto, sendDocument, …).
#[derive(Debug, Clone, PartialEq)]
pub struct SentMessage {
    pub chat_id: i64,
    pub message_id: i32,
    /// `text` for sendMessage, `caption` (or `""`) for media, exactly as the bot sent it
    /// (with its markup if it used `parse_mode`).
    pub text: String,
    /// `reply_markup` as sent (any keyboard kind), if any.
    pub reply_markup: Option<Value>,
    pub parse_mode: Option<String>,
    /// Lowercased method: `sendmessage`, `sendphoto`, `senddocument`, ….
    pub method: String,
    /// The Message the fake answered with.
    pub message: Value,
    /// `seq` of the request.
    pub request_seq: u64,
}

impl SentMessage {
    /// The `callback_data` of every inline button, row by row.
    pub fn callback_data(&self) -> Vec<String> {
        self.buttons()
            .into_iter()
            .filter_map(|(_, data)| data)
            .collect()
    }

    /// `(text, callback_data)` of every inline button, row by row.
    pub fn buttons(&self) -> Vec<(String, Option<String>)> {
        let Some(rows) = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("inline_keyboard"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        rows.iter()
            .filter_map(Value::as_array)
            .flatten()
            .map(|b| {
                (
                    b["text"].as_str().unwrap_or_default().to_owned(),
                    b.get("callback_data")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                )
            })
            .collect()
    }
}

/// A request that broke the Bot API spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecViolation {
    /// `seq` of the request.
    pub request_seq: u64,
    /// Method as it appeared in the URL.
    pub method: String,
    /// Parameter path (`text`, `reply_markup.inline_keyboard[0][0].callback_data`), or `""`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for SpecViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(
                f,
                "request #{} {}: {}",
                self.request_seq, self.method, self.message
            )
        } else {
            write!(
                f,
                "request #{} {}: {}: {}",
                self.request_seq, self.method, self.path, self.message
            )
        }
    }
}

/// What an injected update created, so tests can refer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injected {
    pub update_id: i64,
    /// The message the update carries (for a callback query: the message whose button was
    /// pressed).
    pub message_id: Option<i32>,
    /// For `press_button`: the callback query id the bot must answer.
    pub callback_query_id: Option<String>,
}

impl Injected {
    /// The message id; panics if the update has no message.
    pub fn message_id(&self) -> i32 {
        self.message_id
            .expect("this injected update has no message")
    }
}

/// The webhook the bot registered with setWebhook.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookConfig {
    pub url: String,
    pub secret_token: Option<String>,
    pub allowed_updates: Option<Vec<String>>,
    pub max_connections: Option<i64>,
    pub ip_address: Option<String>,
    pub has_custom_certificate: bool,
}

/// The answer to a raw HTTP request.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The body parsed as JSON (`Value::Null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
