//! Scrubbing secrets (the bot token, the webhook secret) out of any text we print: error
//! messages, log lines and panic messages. A Bot API error can echo the request path, and
//! the token is part of that path, so no source of text is trusted.

use std::borrow::Cow;
use std::sync::RwLock;

use secrecy::ExposeSecret;

/// What replaces a secret in printed text.
pub const REDACTED: &str = "<redacted>";

/// Secrets shorter than this are not scrubbed: replacing a one-letter "secret" would
/// garble every line, and Telegram tokens and real secrets are far longer.
const MIN_SECRET_LEN: usize = 6;

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Remembers a secret, so [`scrub`] removes it from now on. A bot token's part after the
/// colon is remembered too: it is the secret half, and a URL may encode the colon.
pub fn protect(secret: &str) {
    let mut parts = vec![secret];
    if let Some((_, after)) = secret.split_once(':') {
        parts.push(after);
    }
    let mut secrets = SECRETS.write().unwrap_or_else(|e| e.into_inner());
    for part in parts {
        if part.len() >= MIN_SECRET_LEN && !secrets.iter().any(|s| s == part) {
            secrets.push(part.to_owned());
        }
    }
    // Longest first, so a whole token is replaced before its part.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
}

/// Remembers the secrets of the settings: the token and the webhook secret.
pub fn protect_settings(settings: &crate::config::Settings) {
    if let Some(token) = &settings.telegram_token {
        protect(token.expose_secret());
    }
    if let Some(secret) = &settings.telegram.webhook_secret {
        protect(secret.expose_secret());
    }
}

/// The text with every remembered secret replaced by [`REDACTED`].
pub fn scrub(text: &str) -> Cow<'_, str> {
    let secrets = SECRETS.read().unwrap_or_else(|e| e.into_inner());
    let mut text = Cow::Borrowed(text);
    for secret in secrets.iter() {
        if text.contains(secret.as_str()) {
            text = Cow::Owned(text.replace(secret.as_str(), REDACTED));
        }
    }
    text
}

/// A displayable value's text, scrubbed.
pub fn scrubbed(value: &impl std::fmt::Display) -> String {
    scrub(&value.to_string()).into_owned()
}

/// Replaces the panic hook with one that prints the same report, scrubbed: a panic
/// message can carry an error that carries the token.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("<unnamed>");
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "Box<dyn Any>".to_owned());
        let location = info.location().map(|l| l.to_string()).unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::capture();
        let report = format!("thread '{name}' panicked at {location}:\n{payload}\n{backtrace}");
        eprintln!("{}", scrub(report.trim_end()));
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_protected_secret_and_a_tokens_secret_half_are_scrubbed() {
        protect("424242:SCRUB-me-please_0123");
        protect("hook-secret-XYZ");
        protect("abc");
        let text = "POST /bot424242:SCRUB-me-please_0123/getMe, /bot424242%3ASCRUB-me-please_0123 \
                    and hook-secret-XYZ, abc stays";
        let clean = scrub(text);
        assert!(!clean.contains("SCRUB-me-please"), "{clean}");
        assert!(!clean.contains("hook-secret-XYZ"), "{clean}");
        assert!(
            clean.contains("abc stays"),
            "short secrets are left: {clean}"
        );
        assert!(matches!(scrub("nothing secret"), Cow::Borrowed(_)));
    }
}
