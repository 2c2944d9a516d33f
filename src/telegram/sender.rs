//! Delivering replies to Telegram reliably: waits out 429s, retries network errors and
//! server failures with backoff, marks users who blocked the bot inactive, and never lets
//! the token reach a log line (reqwest errors carry the request URL, token included).

use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile};
use teloxide::{ApiError, RequestError};

use crate::conversation::Reply;
use crate::domain::ChatId;
use crate::domain::text::{TELEGRAM_MAX_UTF16, split_message};
use crate::metrics::Metrics;
use crate::scheduler::{Outbox, Undelivered};
use crate::store::Store;

/// How often a failing request is tried before giving up on it.
const MAX_ATTEMPTS: u32 = 6;
/// The longest single wait for a 429 `retry_after`; a longer one leaves the message to the
/// outbox, which tries again later.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(20);
/// How long one delivery keeps retrying before it leaves the message to the outbox: well
/// within the outbox lease, so that no other process sends it meanwhile.
const MAX_RETRYING: Duration = Duration::from_secs(30);

/// Sends replies through a bot, with the fault policy above.
#[derive(Clone)]
pub struct Sender {
    bot: Bot,
    store: Store,
    metrics: Arc<Metrics>,
    token: SecretString,
}

/// What to do after a failed request.
enum Verdict {
    /// teloxide could not read the answer, but it is Telegram's JSON saying `"ok": true`:
    /// the message arrived, so sending it again would send it twice.
    Delivered,
    RetryAfter(Duration),
    Unreachable,
    /// Failing for now, retries exhausted: the outbox tries again later.
    GiveUp,
    /// Refused for good: trying again would fail the same way.
    Refused,
}

/// True when an answer teloxide could not parse is still Telegram's success.
fn confirms_delivery(raw: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| v.get("ok").and_then(serde_json::Value::as_bool))
        == Some(true)
}

impl Sender {
    pub fn new(bot: Bot, store: Store, metrics: Arc<Metrics>, token: SecretString) -> Self {
        Sender {
            bot,
            store,
            metrics,
            token,
        }
    }

    pub fn bot(&self) -> &Bot {
        &self.bot
    }

    /// What to log about a failed request: its kind and Telegram's description, never a
    /// response body (it can echo the message text) nor the token.
    pub fn describe(&self, error: &RequestError) -> String {
        match error {
            RequestError::InvalidJson { .. } => "unreadable response from Telegram".into(),
            other => self.redact(other),
        }
    }

    /// An error's text with the token and every other protected secret removed.
    pub fn redact(&self, error: &impl std::fmt::Display) -> String {
        let text = crate::secrets::scrubbed(error);
        let token = self.token.expose_secret();
        if token.is_empty() {
            text
        } else {
            text.replace(token, crate::secrets::REDACTED)
        }
    }

    /// Sends replies in order. Stops at the first one that cannot be delivered.
    pub async fn send_all(&self, chat: ChatId, replies: &[Reply]) -> Result<(), Undelivered> {
        for reply in replies {
            self.send(chat, reply).await?;
        }
        Ok(())
    }

    /// Sends one reply: its text (split if long, buttons under the last piece), then its file.
    pub async fn send(&self, chat: ChatId, reply: &Reply) -> Result<(), Undelivered> {
        let started = Instant::now();
        let pieces = split_message(&reply.text, TELEGRAM_MAX_UTF16);
        let last = pieces.len() - 1;
        for (i, piece) in pieces.into_iter().enumerate() {
            let markup = (i == last && !reply.keyboard.is_empty()).then(|| keyboard(reply));
            self.with_retries(chat, || {
                let request = self
                    .bot
                    .send_message(teloxide::types::ChatId(chat.0), piece.clone());
                let markup = markup.clone();
                async move {
                    match markup {
                        Some(markup) => request.reply_markup(markup).await.map(drop),
                        None => request.await.map(drop),
                    }
                }
            })
            .await?;
            self.metrics.reply_sent(started.elapsed());
        }
        if let Some(document) = &reply.document {
            let chat_id = teloxide::types::ChatId(chat.0);
            self.with_retries(chat, || {
                let file =
                    InputFile::memory(document.bytes.clone()).file_name(document.file_name.clone());
                // A picture shows in the chat (sendPhoto); anything else is a file.
                let photo = document
                    .is_picture
                    .then(|| self.bot.send_photo(chat_id, file.clone()));
                let file_request = self.bot.send_document(chat_id, file);
                async move {
                    match photo {
                        Some(request) => request.await.map(drop),
                        None => file_request.await.map(drop),
                    }
                }
            })
            .await?;
            self.metrics.reply_sent(started.elapsed());
        }
        Ok(())
    }

    /// Runs a request until it succeeds, the chat turns out unreachable, or it is hopeless.
    pub async fn with_retries<F, Fut>(
        &self,
        chat: ChatId,
        mut request: F,
    ) -> Result<(), Undelivered>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<(), RequestError>>,
    {
        let mut failures = 0u32;
        let started = Instant::now();
        loop {
            let error = match request().await {
                Ok(()) => return Ok(()),
                Err(error) => error,
            };
            failures += 1;
            let verdict = match self.verdict(&error, failures) {
                Verdict::RetryAfter(wait) if started.elapsed() + wait > MAX_RETRYING => {
                    Verdict::GiveUp
                }
                verdict => verdict,
            };
            match verdict {
                Verdict::Delivered => return Ok(()),
                Verdict::RetryAfter(wait) => {
                    tracing::warn!(wait_ms = wait.as_millis() as u64, error = %self.describe(&error), "send failed; retrying");
                    tokio::time::sleep(wait).await;
                }
                Verdict::Unreachable => {
                    tracing::info!("chat unreachable; marking the user inactive");
                    self.metrics.error("blocked");
                    if let Err(e) = self.store.mark_unreachable(chat).await {
                        tracing::error!(error = %e, "could not mark the user inactive");
                    }
                    return Err(Undelivered::Unreachable);
                }
                Verdict::GiveUp => {
                    let reason = self.describe(&error);
                    tracing::warn!(error = %reason, "giving up on a message for now; the outbox tries it again later");
                    self.metrics.error("send_failed");
                    return Err(Undelivered::Transient(reason));
                }
                Verdict::Refused => {
                    let reason = self.describe(&error);
                    self.metrics.error("send_refused");
                    return Err(Undelivered::Refused(reason));
                }
            }
        }
    }

    fn verdict(&self, error: &RequestError, failures: u32) -> Verdict {
        match error {
            RequestError::RetryAfter(seconds) => {
                self.metrics.error("rate_limited");
                let wait = seconds.duration();
                if wait > MAX_RETRY_AFTER {
                    Verdict::GiveUp
                } else {
                    // 429s are waited out however many there are: the reply must not be dropped.
                    Verdict::RetryAfter(wait)
                }
            }
            RequestError::Api(
                ApiError::BotBlocked
                | ApiError::UserDeactivated
                | ApiError::ChatNotFound
                | ApiError::CantInitiateConversation
                | ApiError::BotKicked
                | ApiError::BotKickedFromSupergroup,
            ) => Verdict::Unreachable,
            // An error teloxide does not recognise: a server failure or an unusual refusal.
            // Worth a couple of tries, not many.
            RequestError::Api(ApiError::Unknown(_)) => {
                self.metrics.error("unknown");
                if failures >= 3 {
                    Verdict::GiveUp
                } else {
                    Verdict::RetryAfter(backoff(failures))
                }
            }
            RequestError::InvalidJson { raw, .. } if confirms_delivery(raw) => {
                self.metrics.error("unreadable_response");
                Verdict::Delivered
            }
            // An HTML error page from Telegram's front end (502, 504) or garbage: not sent.
            RequestError::InvalidJson { .. } => {
                self.metrics.error("unreadable_response");
                if failures >= 3 {
                    Verdict::GiveUp
                } else {
                    Verdict::RetryAfter(backoff(failures))
                }
            }
            RequestError::Network(_) | RequestError::Io(_) => {
                self.metrics.error("network");
                if failures >= MAX_ATTEMPTS {
                    Verdict::GiveUp
                } else {
                    Verdict::RetryAfter(backoff(failures))
                }
            }
            RequestError::Api(_) | RequestError::MigrateToChatId(_) => {
                self.metrics.error("rejected");
                Verdict::Refused
            }
        }
    }
}

/// Exponential backoff: 0.2 s, 0.4 s, 0.8 s … capped at 10 s.
fn backoff(failures: u32) -> Duration {
    Duration::from_millis(200u64.saturating_mul(1 << failures.min(6).saturating_sub(1)))
        .min(Duration::from_secs(10))
}

/// The inline keyboard of a reply.
fn keyboard(reply: &Reply) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(reply.keyboard.iter().map(|row| {
        row.iter()
            .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
            .collect::<Vec<_>>()
    }))
}

impl Outbox for Sender {
    async fn deliver(&self, chat: ChatId, replies: Vec<Reply>) -> Result<(), Undelivered> {
        self.send_all(chat, &replies).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_telegrams_own_ok_confirms_an_unreadable_answer() {
        assert!(confirms_delivery(r#"{"ok":true,"result":{"odd":1}}"#));
        assert!(!confirms_delivery(r#"{"ok":false,"error_code":502}"#));
        assert!(!confirms_delivery(
            "<html><body>502 Bad Gateway</body></html>"
        ));
        assert!(!confirms_delivery(""));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(200));
        assert_eq!(backoff(2), Duration::from_millis(400));
        assert!(backoff(30) <= Duration::from_secs(10));
    }
}
