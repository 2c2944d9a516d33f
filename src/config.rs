//! Layered configuration: `config/default.toml`, then an optional file named by
//! `NOCONTACT_CONFIG`, then `NOCONTACT__SECTION__KEY` environment variables, then
//! `DATABASE_URL`. Secrets (database URL, Telegram token) are held as [`SecretString`].

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Everything the application needs to start.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub content: ContentSettings,
    pub coaching: CoachingSettings,
    pub console: ConsoleSettings,
    pub scheduler: SchedulerSettings,
    pub telegram: TelegramSettings,
    #[serde(default)]
    pub log: LogSettings,
    /// Only ever from `TELOXIDE_TOKEN`.
    #[serde(skip)]
    pub telegram_token: Option<SecretString>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// A full `postgres://` or `sqlite://` URL; when absent, `sqlite_path` is used.
    #[serde(default)]
    pub url: Option<SecretString>,
    pub sqlite_path: PathBuf,
    pub max_connections: u32,
}

impl DatabaseSettings {
    /// The connection URL, creating nothing: `sqlite://<path>?mode=rwc` unless a URL is set.
    pub fn connection_url(&self) -> SecretString {
        match &self.url {
            Some(url) => url.clone(),
            None => SecretString::from(format!("sqlite://{}?mode=rwc", self.sqlite_path.display())),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramSettings {
    /// Where `/healthz`, `/metrics` and the webhook are served.
    pub listen: std::net::SocketAddr,
    pub webhook_path: String,
    /// The `X-Telegram-Bot-Api-Secret-Token` Telegram must send with webhook updates.
    #[serde(default)]
    pub webhook_secret: Option<SecretString>,
    pub polling_timeout_secs: u32,
    /// Another Bot API server (from `TELOXIDE_API_URL`), e.g. a local one or a test fake.
    #[serde(skip)]
    pub api_url: Option<String>,
}

/// How log lines are written (to standard error); `RUST_LOG` chooses which.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    #[serde(default)]
    pub format: LogFormat,
}

/// `text` for people reading a terminal, `json` (one object per line) for log collectors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentSettings {
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoachingSettings {
    pub wait_minutes: u32,
    pub crisis_checkin_hours: u32,
    /// Hours of careful replies (no streak talk, resources one tap away) after a crisis
    /// message.
    pub care_hours: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleSettings {
    pub chat_id: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulerSettings {
    pub poll_interval_ms: u64,
    pub lease_seconds: u32,
    pub batch_size: u32,
    /// A nudge missed while the bot was down is still sent this late, and skipped after.
    pub grace_minutes: u32,
    /// Messages per second for the whole bot, shared by every replica through the database.
    pub rate_per_second: f64,
    /// Days a finished, cancelled or failed job is kept (counted from when it was due), so
    /// old rows do not pile up. At least 2: a sent nudge's dedupe key must outlive its
    /// local day, or the day could get a second one.
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
    /// How long the process that committed a message holds it while sending; after that
    /// (a crash, a failed send) any process sends it from the outbox.
    #[serde(default = "default_outbox_lease_seconds")]
    pub outbox_lease_seconds: u32,
}

fn default_retention_days() -> u32 {
    14
}

fn default_outbox_lease_seconds() -> u32 {
    60
}

/// Why configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("configuration file {path} is not valid TOML: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("environment variable {name} does not name a configuration key")]
    BadEnvKey { name: String },
    #[error("invalid configuration: {0}")]
    Invalid(Box<toml::de::Error>),
    /// A value of the right type that breaks a rule, e.g. a wait of 0 minutes. Names the
    /// key and the rule, never the value (it may be a secret).
    #[error(
        "invalid configuration: {key} {rule}; it is set in config/default.toml, the file \
         named by NOCONTACT_CONFIG, or {}",
        env_name(key)
    )]
    Rule {
        key: &'static str,
        rule: &'static str,
    },
}

/// The environment variable that sets `key` ("coaching.wait_minutes" →
/// "NOCONTACT__COACHING__WAIT_MINUTES").
fn env_name(key: &str) -> String {
    format!("NOCONTACT__{}", key.replace('.', "__").to_ascii_uppercase())
}

/// The longest care time or check-in delay that makes sense: two weeks, in hours.
const MAX_HOURS: u32 = 24 * 14;
/// The longest "wait with me": four hours.
const MAX_WAIT_MINUTES: u32 = 240;

impl Settings {
    /// Loads settings from `base_dir/config/default.toml` and the process environment.
    pub fn load(base_dir: &Path) -> Result<Settings, ConfigError> {
        let vars: Vec<(String, String)> = std::env::vars().collect();
        Self::load_with_env(base_dir, &vars)
    }

    /// Like [`Settings::load`] with an explicit environment, so tests need not mutate
    /// the process environment.
    pub fn load_with_env(
        base_dir: &Path,
        vars: &[(String, String)],
    ) -> Result<Settings, ConfigError> {
        let default_path = base_dir.join("config").join("default.toml");
        let mut table = read_table(&default_path)?;
        if let Some((_, path)) = vars.iter().find(|(k, _)| k == "NOCONTACT_CONFIG") {
            merge(&mut table, read_table(Path::new(path))?);
        }
        for (name, value) in vars {
            if let Some(key) = name.strip_prefix("NOCONTACT__") {
                set_path(&mut table, name, key, value)?;
            }
        }
        if let Some((_, url)) = vars.iter().find(|(k, _)| k == "DATABASE_URL")
            && !url.is_empty()
        {
            set_path(&mut table, "DATABASE_URL", "DATABASE__URL", url)?;
        }
        let mut settings: Settings = table
            .try_into()
            .map_err(|e| ConfigError::Invalid(Box::new(e)))?;
        settings.telegram_token = vars
            .iter()
            .find(|(k, _)| k == "TELOXIDE_TOKEN")
            .filter(|(_, v)| !v.is_empty())
            .map(|(_, v)| SecretString::from(v.clone()));
        settings.telegram.api_url = vars
            .iter()
            .find(|(k, _)| k == "TELOXIDE_API_URL")
            .filter(|(_, v)| !v.is_empty())
            .map(|(_, v)| v.clone());
        // Relative paths are relative to the base directory, not to wherever the process runs.
        if settings.database.sqlite_path.is_relative() {
            settings.database.sqlite_path = base_dir.join(&settings.database.sqlite_path);
        }
        if settings.content.dir.is_relative() {
            settings.content.dir = base_dir.join(&settings.content.dir);
        }
        settings.validate()?;
        Ok(settings)
    }

    /// Refuses values that would make the bot misbehave or panic later (a zero lease, a
    /// secret Telegram rejects, a path the router cannot serve): better a clear error at
    /// start-up than a surprise in production. Nothing is clamped.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.coaching.validate()?;
        self.scheduler.validate()?;
        self.telegram.validate()?;
        rule(
            self.database.max_connections > 0,
            "database.max_connections",
            "must be at least 1",
        )
    }
}

/// `Ok` when `holds`, else the broken rule for `key`.
fn rule(holds: bool, key: &'static str, rule: &'static str) -> Result<(), ConfigError> {
    if holds {
        Ok(())
    } else {
        Err(ConfigError::Rule { key, rule })
    }
}

impl CoachingSettings {
    fn validate(&self) -> Result<(), ConfigError> {
        rule(
            (1..=MAX_WAIT_MINUTES).contains(&self.wait_minutes),
            "coaching.wait_minutes",
            "must be from 1 to 240 minutes",
        )?;
        rule(
            (1..=MAX_HOURS).contains(&self.crisis_checkin_hours),
            "coaching.crisis_checkin_hours",
            "must be from 1 to 336 hours (two weeks)",
        )?;
        rule(
            (1..=MAX_HOURS).contains(&self.care_hours),
            "coaching.care_hours",
            "must be from 1 to 336 hours (two weeks)",
        )
    }
}

impl SchedulerSettings {
    /// [`SchedulerSettings::outbox_lease_seconds`] as a duration.
    pub fn outbox_lease(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::from(self.outbox_lease_seconds.max(1)))
    }

    fn validate(&self) -> Result<(), ConfigError> {
        rule(
            self.poll_interval_ms > 0,
            "scheduler.poll_interval_ms",
            "must be at least 1",
        )?;
        rule(
            self.lease_seconds > 0,
            "scheduler.lease_seconds",
            "must be at least 1",
        )?;
        rule(
            self.outbox_lease_seconds > 0,
            "scheduler.outbox_lease_seconds",
            "must be at least 1",
        )?;
        rule(
            self.batch_size > 0,
            "scheduler.batch_size",
            "must be at least 1",
        )?;
        rule(
            self.rate_per_second.is_finite() && self.rate_per_second > 0.0,
            "scheduler.rate_per_second",
            "must be a number above 0",
        )?;
        rule(
            (2..=3650).contains(&self.retention_days),
            "scheduler.retention_days",
            "must be from 2 to 3650 days (a sent nudge is remembered past its day)",
        )
    }
}

impl TelegramSettings {
    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(secret) = &self.webhook_secret {
            rule(
                is_valid_secret_token(secret.expose_secret()),
                "telegram.webhook_secret",
                "must be 1 to 256 characters, each A-Z, a-z, 0-9, _ or -, as Telegram requires",
            )?;
        }
        let path = self.webhook_path.as_str();
        let after_slash = path.strip_prefix('/');
        rule(
            after_slash.is_some(),
            "telegram.webhook_path",
            "must start with /",
        )?;
        rule(
            after_slash
                .unwrap_or_default()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~')),
            "telegram.webhook_path",
            "may hold only A-Z, a-z, 0-9 and / - _ . ~ (no *, :, braces or spaces)",
        )?;
        rule(
            !matches!(path, "/healthz" | "/metrics"),
            "telegram.webhook_path",
            "must not be /healthz or /metrics (served there already)",
        )
    }
}

/// Telegram's rule for `secret_token`: 1-256 characters of A-Z, a-z, 0-9, `_` and `-`.
fn is_valid_secret_token(secret: &str) -> bool {
    (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn read_table(path: &Path) -> Result<toml::Table, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse {
        path: path.to_owned(),
        source: Box::new(source),
    })
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Sets `SECTION__KEY` (case-insensitive) to a value read as a TOML scalar when it is one
/// (`42`, `true`), and as a string otherwise.
fn set_path(table: &mut toml::Table, name: &str, key: &str, raw: &str) -> Result<(), ConfigError> {
    let parts: Vec<String> = key.split("__").map(str::to_ascii_lowercase).collect();
    let Some((last, sections)) = parts.split_last() else {
        return Err(ConfigError::BadEnvKey { name: name.into() });
    };
    if parts.iter().any(String::is_empty) {
        return Err(ConfigError::BadEnvKey { name: name.into() });
    }
    let mut current = table;
    for section in sections {
        let entry = current
            .entry(section.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        current = match entry {
            toml::Value::Table(t) => t,
            _ => return Err(ConfigError::BadEnvKey { name: name.into() }),
        };
    }
    // Secrets, URLs and paths are text whatever they look like ("12345" stays a string,
    // and is never echoed back in a type error).
    let textual = ["secret", "url", "path", "dir", "token"]
        .iter()
        .any(|word| last.contains(word));
    let value = (!textual)
        .then(|| toml::from_str::<toml::Table>(&format!("v = {raw}")).ok())
        .flatten()
        .and_then(|mut t| t.remove("v"))
        .filter(|v| !v.is_table() && !v.is_array())
        .unwrap_or_else(|| toml::Value::String(raw.to_owned()));
    current.insert(last.clone(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn base() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_use_embedded_sqlite_under_data() {
        let s = Settings::load_with_env(&base(), &[]).unwrap();
        assert!(s.database.url.is_none());
        assert!(s.database.sqlite_path.ends_with("data/nocontact.db"));
        assert!(s.telegram_token.is_none());
        assert_eq!(s.coaching.wait_minutes, 15);
    }

    #[test]
    fn environment_overrides_keys_with_types() {
        let s = Settings::load_with_env(
            &base(),
            &env(&[
                ("NOCONTACT__COACHING__WAIT_MINUTES", "5"),
                ("NOCONTACT__DATABASE__SQLITE_PATH", "/tmp/x.db"),
                ("DATABASE_URL", "postgres://postgres@127.0.0.1/test"),
                ("TELOXIDE_TOKEN", "123:secret"),
            ]),
        )
        .unwrap();
        assert_eq!(s.coaching.wait_minutes, 5);
        assert_eq!(s.database.sqlite_path, PathBuf::from("/tmp/x.db"));
        assert!(
            s.database
                .connection_url()
                .expose_secret()
                .starts_with("postgres://")
        );
        assert_eq!(s.telegram_token.unwrap().expose_secret(), "123:secret");
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let s = Settings::load_with_env(
            &base(),
            &env(&[
                ("TELOXIDE_TOKEN", "123:topsecret"),
                ("DATABASE_URL", "postgres://u:hunter2@h/db"),
            ]),
        )
        .unwrap();
        let printed = format!("{s:?}");
        assert!(!printed.contains("topsecret"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
    }

    #[test]
    fn a_numeric_secret_stays_a_string() {
        let s = Settings::load_with_env(
            &base(),
            &env(&[("NOCONTACT__TELEGRAM__WEBHOOK_SECRET", "1234567890")]),
        )
        .unwrap();
        let secret = s.telegram.webhook_secret.unwrap();
        assert_eq!(secret.expose_secret(), "1234567890");
    }

    /// The key a broken rule names, or a panic with what happened instead.
    fn broken_rule(pairs: &[(&str, &str)]) -> &'static str {
        match Settings::load_with_env(&base(), &env(pairs)) {
            Err(ConfigError::Rule { key, .. }) => key,
            other => panic!("{pairs:?} → {other:?}"),
        }
    }

    #[test]
    fn every_rule_names_its_key() {
        let long = "a".repeat(257);
        for (var, value, key) in [
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_SECRET",
                "",
                "telegram.webhook_secret",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_SECRET",
                "has space",
                "telegram.webhook_secret",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_SECRET",
                "tok:en",
                "telegram.webhook_secret",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_SECRET",
                "ünïcode",
                "telegram.webhook_secret",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_SECRET",
                &long,
                "telegram.webhook_secret",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_PATH",
                "",
                "telegram.webhook_path",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_PATH",
                "telegram/webhook",
                "telegram.webhook_path",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_PATH",
                "/telegram/*",
                "telegram.webhook_path",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_PATH",
                "/hook/:id",
                "telegram.webhook_path",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_PATH",
                "/{id}",
                "telegram.webhook_path",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_PATH",
                "/tele gram",
                "telegram.webhook_path",
            ),
            (
                "NOCONTACT__TELEGRAM__WEBHOOK_PATH",
                "/healthz",
                "telegram.webhook_path",
            ),
            (
                "NOCONTACT__SCHEDULER__RATE_PER_SECOND",
                "0",
                "scheduler.rate_per_second",
            ),
            (
                "NOCONTACT__SCHEDULER__RATE_PER_SECOND",
                "0.0",
                "scheduler.rate_per_second",
            ),
            (
                "NOCONTACT__SCHEDULER__RATE_PER_SECOND",
                "-5.0",
                "scheduler.rate_per_second",
            ),
            (
                "NOCONTACT__SCHEDULER__RATE_PER_SECOND",
                "nan",
                "scheduler.rate_per_second",
            ),
            (
                "NOCONTACT__SCHEDULER__RATE_PER_SECOND",
                "inf",
                "scheduler.rate_per_second",
            ),
            (
                "NOCONTACT__SCHEDULER__LEASE_SECONDS",
                "0",
                "scheduler.lease_seconds",
            ),
            (
                "NOCONTACT__SCHEDULER__BATCH_SIZE",
                "0",
                "scheduler.batch_size",
            ),
            (
                "NOCONTACT__SCHEDULER__OUTBOX_LEASE_SECONDS",
                "0",
                "scheduler.outbox_lease_seconds",
            ),
            (
                "NOCONTACT__SCHEDULER__POLL_INTERVAL_MS",
                "0",
                "scheduler.poll_interval_ms",
            ),
            (
                "NOCONTACT__COACHING__CARE_HOURS",
                "0",
                "coaching.care_hours",
            ),
            (
                "NOCONTACT__COACHING__CARE_HOURS",
                "337",
                "coaching.care_hours",
            ),
            (
                "NOCONTACT__COACHING__CRISIS_CHECKIN_HOURS",
                "0",
                "coaching.crisis_checkin_hours",
            ),
            (
                "NOCONTACT__COACHING__CRISIS_CHECKIN_HOURS",
                "100000",
                "coaching.crisis_checkin_hours",
            ),
            (
                "NOCONTACT__COACHING__WAIT_MINUTES",
                "0",
                "coaching.wait_minutes",
            ),
            (
                "NOCONTACT__COACHING__WAIT_MINUTES",
                "241",
                "coaching.wait_minutes",
            ),
            (
                "NOCONTACT__DATABASE__MAX_CONNECTIONS",
                "0",
                "database.max_connections",
            ),
        ] {
            assert_eq!(broken_rule(&[(var, value)]), key, "{var}={value:?}");
        }
    }

    #[test]
    fn a_broken_rule_reads_clearly_and_never_shows_the_secret() {
        let message = Settings::load_with_env(
            &base(),
            &env(&[("NOCONTACT__TELEGRAM__WEBHOOK_SECRET", "my secret!")]),
        )
        .unwrap_err()
        .to_string();
        assert!(message.contains("telegram.webhook_secret"), "{message}");
        assert!(message.contains("256"), "the rule: {message}");
        assert!(
            message.contains("NOCONTACT__TELEGRAM__WEBHOOK_SECRET"),
            "{message}"
        );
        assert!(!message.contains("my secret"), "{message}");
        let message =
            Settings::load_with_env(&base(), &env(&[("NOCONTACT__COACHING__WAIT_MINUTES", "0")]))
                .unwrap_err()
                .to_string();
        assert!(
            message.contains("coaching.wait_minutes must be from 1 to 240"),
            "{message}"
        );
    }

    #[test]
    fn values_at_the_edges_of_the_rules_are_accepted() {
        let secret = format!("{}_-", "A1".repeat(127));
        let s = Settings::load_with_env(
            &base(),
            &env(&[
                ("NOCONTACT__TELEGRAM__WEBHOOK_SECRET", &secret),
                ("NOCONTACT__TELEGRAM__WEBHOOK_PATH", "/hooks/tg-1.0_x~y"),
                ("NOCONTACT__SCHEDULER__RATE_PER_SECOND", "0.5"),
                ("NOCONTACT__COACHING__WAIT_MINUTES", "240"),
                ("NOCONTACT__COACHING__CARE_HOURS", "336"),
                ("NOCONTACT__COACHING__CRISIS_CHECKIN_HOURS", "1"),
            ]),
        )
        .unwrap();
        assert_eq!(secret.len(), 256);
        assert_eq!(s.coaching.wait_minutes, 240);
        let s = Settings::load_with_env(
            &base(),
            &env(&[("NOCONTACT__TELEGRAM__WEBHOOK_SECRET", "x")]),
        )
        .unwrap();
        assert!(s.telegram.webhook_secret.is_some());
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = Settings::load_with_env(&base(), &env(&[("NOCONTACT__COACHING__TYPO", "1")]));
        assert!(matches!(err, Err(ConfigError::Invalid(_))));
    }
}
