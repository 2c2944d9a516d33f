//! Users: identity, settings, onboarding and dialogue state.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Store, StoreError, StoreResult, instant, secs};
use crate::domain::ChatId;
use crate::domain::country::Country;
use crate::domain::dialogue::{Dialogue, Pending};
use crate::domain::timezone::UserTimezone;
pub use crate::domain::user::{Rotation, Safety, User, UserSettings};

pub(super) const USER_COLUMNS: &str = "id, chat_id, created_at, timezone, morning_time, evening_time, \
     nudges_paused, active, onboarded, dialogue, last_variant, rotation, country, care_until, \
     unsafe_ex, \
     (SELECT started_on FROM streaks WHERE streaks.user_id = users.id AND streaks.ended_on IS NULL) \
     AS running_since";

fn time_text(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn parse_time(text: &str) -> StoreResult<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .map_err(|_| StoreError::Corrupt(format!("time {text:?}")))
}

pub(super) fn user_from_row(row: &AnyRow) -> StoreResult<User> {
    let timezone: String = row.try_get("timezone")?;
    Ok(User {
        id: row.try_get("id")?,
        chat: ChatId(row.try_get("chat_id")?),
        created_at: instant(row.try_get("created_at")?)?,
        settings: UserSettings {
            timezone: UserTimezone::from_stored(&timezone)
                .map_err(|_| StoreError::Corrupt(format!("timezone {timezone:?}")))?,
            morning: parse_time(&row.try_get::<String, _>("morning_time")?)?,
            evening: parse_time(&row.try_get::<String, _>("evening_time")?)?,
            nudges_paused: row.try_get::<i64, _>("nudges_paused")? != 0,
        },
        onboarded: row.try_get::<i64, _>("onboarded")? != 0,
        active: row.try_get::<i64, _>("active")? != 0,
        dialogue: Pending::parse(&row.try_get::<String, _>("dialogue")?),
        last_variant: row
            .try_get::<Option<i64>, _>("last_variant")?
            .and_then(|v| u32::try_from(v).ok()),
        // an unreadable rotation starts a new round
        rotation: serde_json::from_str(&row.try_get::<String, _>("rotation")?).unwrap_or_default(),
        running_since: row
            .try_get::<Option<String>, _>("running_since")?
            .map(|day| {
                day.parse::<NaiveDate>()
                    .map_err(|_| StoreError::Corrupt(format!("date {day:?}")))
            })
            .transpose()?,
        safety: Safety {
            // an unknown stored code falls back to the timezone's country
            country: row
                .try_get::<Option<String>, _>("country")?
                .and_then(|code| Country::from_code(&code)),
            care_until: row
                .try_get::<Option<i64>, _>("care_until")?
                .map(instant)
                .transpose()?,
            unsafe_ex: row.try_get::<i64, _>("unsafe_ex")? != 0,
        },
    })
}

impl Store {
    /// The user of a chat, if they ever wrote.
    pub async fn user(&self, chat: ChatId) -> StoreResult<Option<User>> {
        self.during("user", async {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {USER_COLUMNS} FROM users WHERE chat_id = $1"
            ));
            let row = sqlx::query(sql)
                .bind(chat.0)
                .fetch_optional(&mut *self.conn().await?)
                .await?;
            row.as_ref().map(user_from_row).transpose()
        })
        .await
    }

    /// The user of a chat, created on first contact, and whether they just came back after
    /// being unreachable (they wrote, so they are reachable again). Reads first: an
    /// ordinary message from a known user writes nothing here.
    pub async fn ensure_user(&self, chat: ChatId, now: DateTime<Utc>) -> StoreResult<(User, bool)> {
        let known = self.user(chat).await?;
        self.ensure_loaded_user(chat, now, known).await
    }

    /// [`Store::ensure_user`] for a user already read in this turn (`known`, `None` when
    /// the chat has no user yet): no second read.
    pub async fn ensure_loaded_user(
        &self,
        chat: ChatId,
        now: DateTime<Utc>,
        known: Option<User>,
    ) -> StoreResult<(User, bool)> {
        self.during("ensure_user", async {
            if let Some(mut user) = known {
                if user.active {
                    return Ok((user, false));
                }
                self.set_active(chat, true).await?;
                user.active = true;
                return Ok((user, true));
            }
            sqlx::query(
                "INSERT INTO users (chat_id, created_at, updated_at) VALUES ($1, $2, $2) \
                 ON CONFLICT (chat_id) DO NOTHING",
            )
            .bind(chat.0)
            .bind(secs(now))
            .execute(&mut *self.conn().await?)
            .await?;
            let user = self
                .user(chat)
                .await?
                .ok_or_else(|| StoreError::Corrupt("user vanished after insert".into()))?;
            Ok((user, false))
        })
        .await
    }

    /// Stores which nudges the user has seen this round.
    pub async fn save_rotation(&self, user_id: i64, rotation: &Rotation) -> StoreResult<()> {
        self.during("save_rotation", async {
            let json = serde_json::to_string(rotation)
                .map_err(|e| StoreError::Corrupt(format!("rotation: {e}")))?;
            sqlx::query("UPDATE users SET rotation = $1 WHERE id = $2")
                .bind(json)
                .bind(user_id)
                .execute(&mut *self.conn().await?)
                .await?;
            Ok(())
        })
        .await
    }

    /// Stores the pending question, asked at `now`.
    pub async fn save_dialogue(
        &self,
        user_id: i64,
        dialogue: &Dialogue,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.during("save_dialogue", async {
            sqlx::query("UPDATE users SET dialogue = $1 WHERE id = $2")
                .bind(Pending::asked(dialogue.clone(), now).encode())
                .bind(user_id)
                .execute(&mut *self.conn().await?)
                .await?;
            Ok(())
        })
        .await
    }

    /// Replaces the user's settings.
    pub async fn save_settings(
        &self,
        user_id: i64,
        settings: &UserSettings,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.during("save_settings", async {
            sqlx::query(
                "UPDATE users SET timezone = $1, morning_time = $2, evening_time = $3, \
                 nudges_paused = $4, updated_at = $5 WHERE id = $6",
            )
            .bind(settings.timezone.to_string())
            .bind(time_text(settings.morning))
            .bind(time_text(settings.evening))
            .bind(i64::from(settings.nudges_paused))
            .bind(secs(now))
            .bind(user_id)
            .execute(&mut *self.conn().await?)
            .await?;
            Ok(())
        })
        .await
    }

    /// Replaces the user's safety state.
    pub async fn save_safety(&self, user_id: i64, safety: &Safety) -> StoreResult<()> {
        self.during("save_safety", async {
            sqlx::query(
                "UPDATE users SET country = $1, care_until = $2, unsafe_ex = $3 WHERE id = $4",
            )
            .bind(safety.country.map(|c| c.code().to_owned()))
            .bind(safety.care_until.map(secs))
            .bind(i64::from(safety.unsafe_ex))
            .bind(user_id)
            .execute(&mut *self.conn().await?)
            .await?;
            Ok(())
        })
        .await
    }

    pub async fn set_onboarded(&self, user_id: i64, onboarded: bool) -> StoreResult<()> {
        self.during("set_onboarded", async {
            sqlx::query("UPDATE users SET onboarded = $1 WHERE id = $2")
                .bind(i64::from(onboarded))
                .bind(user_id)
                .execute(&mut *self.conn().await?)
                .await?;
            Ok(())
        })
        .await
    }

    pub async fn set_last_variant(&self, user_id: i64, variant: u32) -> StoreResult<()> {
        self.during("set_last_variant", async {
            sqlx::query("UPDATE users SET last_variant = $1 WHERE id = $2")
                .bind(i64::from(variant))
                .bind(user_id)
                .execute(&mut *self.conn().await?)
                .await?;
            Ok(())
        })
        .await
    }

    /// The chat cannot be reached (the user blocked the bot, or is gone): marks the user
    /// inactive and cancels everything scheduled for them, in one transaction.
    pub async fn mark_unreachable(&self, chat: ChatId) -> StoreResult<()> {
        self.during("mark_unreachable", async {
            let mut conn = self.conn().await?;
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            sqlx::query("UPDATE users SET active = 0 WHERE chat_id = $1")
                .bind(chat.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE scheduled_jobs SET status = 'cancelled', dedupe_key = NULL \
                 WHERE status = 'pending' AND user_id IN (SELECT id FROM users WHERE chat_id = $1)",
            )
            .bind(chat.0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Marks a chat unreachable (blocked the bot, deactivated) or reachable again.
    pub async fn set_active(&self, chat: ChatId, active: bool) -> StoreResult<()> {
        self.during("set_active", async {
            sqlx::query("UPDATE users SET active = $1 WHERE chat_id = $2")
                .bind(i64::from(active))
                .bind(chat.0)
                .execute(&mut *self.conn().await?)
                .await?;
            Ok(())
        })
        .await
    }

    /// Removes every row that belongs to the user, in every table, atomically. The tables
    /// are found in the schema, so a table added later is covered without code here.
    pub async fn delete_user(&self, user_id: i64) -> StoreResult<()> {
        self.during("delete_user", async {
            let tables = self.user_table_names().await?;
            let mut conn = self.conn().await?;
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            for table in tables.iter().filter(|t| *t != "users") {
                let sql = sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE user_id = $1"));
                sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
            }
            // Messages still waiting for the chat go too (the goodbye is staged after this).
            sqlx::query(
                "DELETE FROM outbox WHERE chat_id IN (SELECT chat_id FROM users WHERE id = $1)",
            )
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            drop(conn);
            // The rows are gone either way; a log still busy is emptied by a later checkpoint.
            if let Err(error) = self.truncate_wal_after_commit().await {
                tracing::warn!(%error, "could not empty the write-ahead log after a delete");
            }
            Ok(())
        })
        .await
    }

    /// On SQLite, copies the write-ahead log into the database file and empties it: the
    /// log still holds the deleted rows' pages as they were (secure_delete only overwrites
    /// the database file). Retried a few times while another connection is reading.
    pub async fn truncate_wal(&self) -> StoreResult<()> {
        self.during("truncate_wal", async {
            if self.backend != Backend::Sqlite {
                return Ok(());
            }
            for attempt in 1..=20u64 {
                let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(&mut *self.conn().await?)
                    .await?;
                let busy: i64 = row.try_get(0)?;
                if busy == 0 {
                    return Ok(());
                }
                tokio::time::sleep(std::time::Duration::from_millis(10 * attempt)).await;
            }
            Err(StoreError::WalBusy)
        })
        .await
    }
}

impl Store {
    /// A user by internal id (for scheduled jobs).
    pub async fn user_by_id(&self, user_id: i64) -> StoreResult<Option<User>> {
        self.during("user_by_id", async {
            let sql =
                sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"));
            let row = sqlx::query(sql)
                .bind(user_id)
                .fetch_optional(&mut *self.conn().await?)
                .await?;
            row.as_ref().map(user_from_row).transpose()
        })
        .await
    }
}
