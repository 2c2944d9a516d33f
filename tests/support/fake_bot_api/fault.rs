//! Scripted failures.
//!
//! A fault is registered with a [`FaultRule`] saying which requests it hits and how often:
//!
//! ```ignore
//! // The next 3 sendMessage calls to chat 42 get 429 retry_after=1.
//! fake.fault(
//!     FaultRule::method("sendMessage").chat(42).times(3),
//!     Fault::TooManyRequests { retry_after: 1 },
//! );
//! // Every request of any method to chat 7 fails as if the user blocked the bot.
//! fake.fault(FaultRule::any().chat(7).always(), Fault::Blocked);
//! // The 2nd getUpdates call (skip the 1st) has its connection dropped, once.
//! fake.fault(FaultRule::method("getUpdates").skip(1), Fault::Drop);
//! ```
//!
//! Rules are tried in the order they were added; the first rule that matches a request (method
//! compared case-insensitively, `chat_id` compared numerically) and has uses left is consumed
//! (a rule with `.skip(n)` first lets `n` matching requests through untouched). Faults apply
//! only to requests that passed the spec check: an invalid request is answered 400 and
//! recorded as a violation without consuming any fault. Faulted requests are recorded with
//! [`RecordedRequest::fault`](super::RecordedRequest::fault) set; a faulted send does not
//! count as a sent message (except [`Fault::Slow`], which answers normally in the end).

use std::time::Duration;

use serde_json::Value;

/// How a request fails.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 `Too Many Requests: retry after N` with `parameters.retry_after` (teloxide:
    /// `RequestError::RetryAfter`).
    TooManyRequests { retry_after: u32 },
    /// 403 `Forbidden: bot was blocked by the user` (teloxide: `ApiError::BotBlocked`).
    Blocked,
    /// 403 `Forbidden: user is deactivated` (teloxide: `ApiError::UserDeactivated`).
    UserDeactivated,
    /// 400 `Bad Request: chat not found` (teloxide: `ApiError::ChatNotFound`).
    ChatNotFound,
    /// 400 `Bad Request: <text>`; pass the text after the prefix, e.g. `"message is too long"`.
    BadRequest(String),
    /// 400 with `parameters.migrate_to_chat_id` (teloxide: `RequestError::MigrateToChatId`).
    MigrateToChat(i64),
    /// 500 `{"ok":false,"error_code":500,"description":"Internal Server Error"}`.
    /// NOTE: teloxide sleeps 10 s before reading any 5xx response.
    ServerError,
    /// 502 with nginx's HTML body (not JSON), as Telegram's front end answers when the Bot API
    /// server is down. teloxide: 10 s sleep, then `RequestError::InvalidJson`.
    BadGateway,
    /// Any status and JSON body.
    Custom { status: u16, body: Value },
    /// Wait, then answer normally.
    Slow(Duration),
    /// Close the connection without answering (teloxide: `RequestError::Network`).
    Drop,
}

impl Fault {
    /// The HTTP status and body this fault answers with (`None` for `Slow` and `Drop`).
    pub(crate) fn response(&self) -> Option<(u16, Value)> {
        let err = |code: u16, description: &str| serde_json::json!({"ok": false, "error_code": code, "description": description});
        Some(match self {
            Fault::TooManyRequests { retry_after } => (
                429,
                serde_json::json!({
                    "ok": false,
                    "error_code": 429,
                    "description": format!("Too Many Requests: retry after {retry_after}"),
                    "parameters": {"retry_after": retry_after},
                }),
            ),
            Fault::Blocked => (403, err(403, "Forbidden: bot was blocked by the user")),
            Fault::UserDeactivated => (403, err(403, "Forbidden: user is deactivated")),
            Fault::ChatNotFound => (400, err(400, "Bad Request: chat not found")),
            Fault::BadRequest(text) => (400, err(400, &format!("Bad Request: {text}"))),
            Fault::MigrateToChat(id) => (
                400,
                serde_json::json!({
                    "ok": false,
                    "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": id},
                }),
            ),
            Fault::ServerError => (500, err(500, "Internal Server Error")),
            Fault::BadGateway => (502, Value::String(BAD_GATEWAY_HTML.to_owned())),
            Fault::Custom { status, body } => (*status, body.clone()),
            Fault::Slow(_) | Fault::Drop => return None,
        })
    }
}

pub(crate) const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n";

/// Which requests a fault hits, and how many times. Start with [`FaultRule::method`] or
/// [`FaultRule::any`], narrow with `.chat(id)`, repeat with `.times(n)` / `.always()`, delay
/// with `.skip(n)`. By default a rule fires once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    pub(crate) method: Option<String>,
    pub(crate) chat: Option<i64>,
    pub(crate) skip: u32,
    /// `None`: forever.
    pub(crate) times: Option<u32>,
}

impl FaultRule {
    /// Every request (narrow it with `.chat(..)`).
    pub fn any() -> Self {
        FaultRule {
            method: None,
            chat: None,
            skip: 0,
            times: Some(1),
        }
    }

    /// Requests of this method (any spelling: `sendMessage`, `SendMessage`, `sendmessage`).
    pub fn method(method: &str) -> Self {
        FaultRule {
            method: Some(method.to_ascii_lowercase()),
            ..FaultRule::any()
        }
    }

    /// Only requests whose `chat_id` is `chat_id`.
    pub fn chat(mut self, chat_id: i64) -> Self {
        self.chat = Some(chat_id);
        self
    }

    /// Fire `n` times (default 1).
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Fire on every matching request, forever (until [`super::FakeBotApi::clear_faults`]).
    pub fn always(mut self) -> Self {
        self.times = None;
        self
    }

    /// Let the first `n` matching requests through before firing.
    pub fn skip(mut self, n: u32) -> Self {
        self.skip = n;
        self
    }

    pub(crate) fn matches(&self, method_lower: &str, chat_id: Option<i64>) -> bool {
        self.method.as_deref().is_none_or(|m| m == method_lower)
            && self.chat.is_none_or(|c| chat_id == Some(c))
    }
}
