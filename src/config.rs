//! Layered configuration: `config/default.toml`, then an optional file named by
//! `NOCONTACT_CONFIG`, then `NOCONTACT__SECTION__KEY` environment variables, then
//! `DATABASE_URL`. Secrets (database URL, Telegram token) are held as [`SecretString`].

use std::path::{Path, PathBuf};

use secrecy::SecretString;
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
}

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
        Ok(settings)
    }
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

    #[test]
    fn unknown_keys_are_rejected() {
        let err = Settings::load_with_env(&base(), &env(&[("NOCONTACT__COACHING__TYPO", "1")]));
        assert!(matches!(err, Err(ConfigError::Invalid(_))));
    }
}
