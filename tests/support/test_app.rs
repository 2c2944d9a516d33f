//! A fresh application per test, on the backend the run asks for: SQLite in a temporary
//! directory by default, or, when `NOCONTACT_TEST_POSTGRES_URL` is set, PostgreSQL in a
//! schema of its own (so tests run in parallel against one database without meeting).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use nocontact::app::Application;
use nocontact::config::Settings;
use nocontact::conversation::{Incoming, Reply};
use nocontact::domain::ChatId;
use nocontact::domain::clock::ManualClock;

pub const POSTGRES_URL_VAR: &str = "NOCONTACT_TEST_POSTGRES_URL";

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The instant most tests start at: Sunday 22 Nov 2026, 12:00 UTC.
pub fn default_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

/// A database URL private to one test.
pub async fn fresh_database_url(dir: &Path) -> String {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(base) if !base.is_empty() => fresh_postgres_schema(&base).await,
        _ => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
    }
}

async fn fresh_postgres_schema(base: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "t_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        Utc::now().timestamp_subsec_nanos()
    );
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(base)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&pool)
        .await
        .expect("create test schema");
    pool.close().await;
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-c%20search_path%3D{schema}")
}

/// Settings for a test: the repository's config with the database swapped.
pub fn settings_with_database(url: &str, dir: &Path) -> Settings {
    let vars = vec![
        ("DATABASE_URL".to_owned(), url.to_owned()),
        (
            "NOCONTACT__DATABASE__SQLITE_PATH".to_owned(),
            dir.join("unused.db").display().to_string(),
        ),
    ];
    Settings::load_with_env(&manifest_dir(), &vars).expect("test settings")
}

/// The shipped coach, loaded (and its matcher trained) once per test binary.
pub fn shared_coach() -> Arc<nocontact::coach::Coach> {
    static COACH: std::sync::OnceLock<Arc<nocontact::coach::Coach>> = std::sync::OnceLock::new();
    COACH
        .get_or_init(|| {
            let dir = manifest_dir().join("config").join("content");
            Arc::new(nocontact::coach::Coach::load(&dir).expect("the shipped content pack loads"))
        })
        .clone()
}

/// An application with a clock the test controls.
pub struct TestApp {
    pub app: Application,
    pub clock: ManualClock,
    pub database_url: String,
    pub dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::starting_at(default_start()).await
    }

    pub async fn starting_at(start: DateTime<Utc>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = fresh_database_url(dir.path()).await;
        let settings = settings_with_database(&database_url, dir.path());
        let clock = ManualClock::new(start);
        let app = Application::build_with(settings, Arc::new(clock.clone()), shared_coach())
            .await
            .expect("application builds");
        TestApp {
            app,
            clock,
            database_url,
            dir,
        }
    }

    /// A second application on the same database (another replica, or a restart).
    pub async fn another_instance(&self) -> Application {
        let settings = settings_with_database(&self.database_url, self.dir.path());
        Application::build_with(settings, Arc::new(self.clock.clone()), shared_coach())
            .await
            .expect("second instance builds")
    }

    /// Types a line, as the console would: `/cmd` is a command, anything else text.
    pub async fn say(&self, chat: i64, line: &str) -> Vec<Reply> {
        self.app
            .engine
            .handle(ChatId(chat), Incoming::from_text(line))
            .await
            .expect("engine handles the message")
    }

    pub async fn press(&self, chat: i64, data: &str) -> Vec<Reply> {
        self.app
            .engine
            .handle(ChatId(chat), Incoming::Button(data.to_owned()))
            .await
            .expect("engine handles the button")
    }

    /// Runs the whole onboarding with a last-contact answer and a timezone.
    pub async fn onboard(&self, chat: i64, last_contact: &str, timezone: &str) -> Vec<Reply> {
        self.say(chat, "/start").await;
        let date = self.say(chat, last_contact).await;
        assert!(
            text_of(&date).contains("Got it"),
            "last contact {last_contact:?} not accepted: {}",
            text_of(&date)
        );
        let tz = self.say(chat, timezone).await;
        assert!(text_of(&tz).contains("Timezone set"), "{}", text_of(&tz));
        self.say(chat, "9").await;
        self.say(chat, "21:00").await
    }

    /// The `/streak` text.
    pub async fn streak(&self, chat: i64) -> String {
        text_of(&self.say(chat, "/streak").await)
    }
}

/// All reply texts joined, for assertions.
pub fn text_of(replies: &[Reply]) -> String {
    replies
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n---\n")
}

/// The callback data of the first button whose label contains `label`.
pub fn button(replies: &[Reply], label: &str) -> String {
    replies
        .iter()
        .flat_map(|r| r.buttons())
        .find(|b| b.label.contains(label))
        .unwrap_or_else(|| panic!("no button {label:?} in {replies:#?}"))
        .data
        .clone()
}

/// The number after "Day " in a `/streak` text.
pub fn streak_day(streak_text: &str) -> i64 {
    let rest = streak_text
        .split("Day ")
        .nth(1)
        .unwrap_or_else(|| panic!("no day count in {streak_text:?}"));
    rest.split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no day count in {streak_text:?}"))
}

/// The number after "Longest streak: " in a `/streak` text.
pub fn longest_streak(streak_text: &str) -> i64 {
    streak_text
        .split("Longest streak: ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no longest streak in {streak_text:?}"))
}

/// Replies delivered to one chat.
pub type Delivery = (ChatId, Vec<Reply>);

/// An outbox that keeps what the scheduler delivered, and can play a user who blocked
/// the bot.
#[derive(Default, Clone)]
pub struct RecordingOutbox {
    sent: Arc<std::sync::Mutex<Vec<Delivery>>>,
    blocked: Arc<std::sync::Mutex<Vec<ChatId>>>,
    failing: Arc<std::sync::atomic::AtomicBool>,
}

impl RecordingOutbox {
    pub fn sent(&self) -> Vec<Delivery> {
        self.sent.lock().unwrap().clone()
    }

    pub fn block(&self, chat: ChatId) {
        self.blocked.lock().unwrap().push(chat);
    }

    /// Every delivery fails for now (a network outage), or works again.
    pub fn set_failing(&self, failing: bool) {
        self.failing
            .store(failing, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn unblock(&self, chat: ChatId) {
        self.blocked.lock().unwrap().retain(|c| *c != chat);
    }
}

impl nocontact::scheduler::Outbox for RecordingOutbox {
    async fn deliver(
        &self,
        chat: ChatId,
        replies: Vec<Reply>,
    ) -> Result<(), nocontact::scheduler::Undelivered> {
        if self.blocked.lock().unwrap().contains(&chat) {
            return Err(nocontact::scheduler::Undelivered::Unreachable);
        }
        if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(nocontact::scheduler::Undelivered::Transient(
                "outage".into(),
            ));
        }
        self.sent.lock().unwrap().push((chat, replies));
        Ok(())
    }
}

/// A scheduler over an application, with its configured settings.
pub fn scheduler(app: &Application, worker: &str) -> nocontact::scheduler::Scheduler {
    nocontact::scheduler::Scheduler::new(app.engine.clone(), worker, app.settings.scheduler.clone())
}

impl TestApp {
    /// The test clock's current instant.
    pub fn clock_now(&self) -> DateTime<Utc> {
        use nocontact::domain::clock::Clock;
        self.clock.now()
    }
}

impl TestApp {
    /// Another application on this test's database and clock, with extra settings from
    /// environment-style variables (e.g. `TELOXIDE_TOKEN`, `TELOXIDE_API_URL`).
    pub async fn instance_with(&self, extra: &[(&str, &str)]) -> Application {
        let mut vars = vec![
            ("DATABASE_URL".to_owned(), self.database_url.clone()),
            (
                "NOCONTACT__DATABASE__SQLITE_PATH".to_owned(),
                self.dir.path().join("unused.db").display().to_string(),
            ),
        ];
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let settings = Settings::load_with_env(&manifest_dir(), &vars).expect("test settings");
        Application::build_with(settings, Arc::new(self.clock.clone()), shared_coach())
            .await
            .expect("instance builds")
    }
}

impl TestApp {
    /// The journal entries of a kind (drafts, reflections) kept for a chat, newest first.
    pub async fn journal(
        &self,
        chat: i64,
        kind: nocontact::store::JournalKind,
    ) -> Vec<nocontact::store::JournalEntry> {
        let user = self
            .app
            .store
            .user(ChatId(chat))
            .await
            .unwrap()
            .expect("the user exists");
        self.app
            .store
            .journal_entries(user.id, kind, 100)
            .await
            .unwrap()
    }
}
