//! Events: coaching conversations, urges resisted, crisis messages, moods.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Backend, Store, StoreResult, first_row, secs};

/// What kind of thing happened. Stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A free-text message answered with guidance; its buttons refer to this event.
    Coached,
    /// The user pressed "I resisted".
    UrgeResisted,
    /// A message that spoke of self-harm or suicide (its text is not stored).
    Crisis,
    /// A 1–5 mood check-in for a local day.
    Mood,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Coached => "coached",
            EventKind::UrgeResisted => "urge_resisted",
            EventKind::Crisis => "crisis",
            EventKind::Mood => "mood",
        }
    }
}

/// A stored event, for pictures and summaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub at: DateTime<Utc>,
    pub value: Option<i64>,
    pub local_date: Option<chrono::NaiveDate>,
}

impl Store {
    /// The user's events of one kind, oldest first.
    pub async fn events_of(&self, user_id: i64, kind: EventKind) -> StoreResult<Vec<EventRecord>> {
        self.during("events_of", async {
            let rows = sqlx::query(
                "SELECT at, value, local_date FROM events WHERE user_id = $1 AND kind = $2 ORDER BY at, id",
            )
            .bind(user_id)
            .bind(kind.as_str())
            .fetch_all(&mut *self.conn().await?)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(EventRecord {
                        at: super::instant(row.try_get("at")?)?,
                        value: row.try_get("value")?,
                        local_date: row
                            .try_get::<Option<String>, _>("local_date")?
                            .as_deref()
                            .map(super::date)
                            .transpose()?,
                    })
                })
                .collect()
        })
        .await
    }

    /// Sets the mood of a local day, replacing an earlier answer for that day.
    pub async fn set_mood(
        &self,
        user_id: i64,
        day: chrono::NaiveDate,
        score: u8,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.during("set_mood", async {
            sqlx::query(
                "INSERT INTO events (user_id, kind, at, value, local_date) \
                 VALUES ($1, 'mood', $2, $3, $4) \
                 ON CONFLICT (user_id, local_date) WHERE kind = 'mood' \
                 DO UPDATE SET value = excluded.value, at = excluded.at",
            )
            .bind(user_id)
            .bind(secs(at))
            .bind(i64::from(score))
            .bind(super::iso(day))
            .execute(&mut *self.conn().await?)
            .await?;
            Ok(())
        })
        .await
    }

    /// Records an event; returns its id.
    pub async fn add_event(
        &self,
        user_id: i64,
        kind: EventKind,
        situation: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        self.during("add_event", async {
            let rows = sqlx::query(
                "INSERT INTO events (user_id, kind, at, situation) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(user_id)
            .bind(kind.as_str())
            .bind(secs(at))
            .bind(situation.map(str::to_owned))
            .fetch_all(&mut *self.conn().await?)
            .await?;
            let id = first_row(rows, "recording an event")?.try_get("id")?;
            Ok(id)
        })
        .await
    }

    /// A coaching reply: which variant was shown (so the next one differs) and its
    /// `Coached` event, whose id the reply's buttons carry, in one round trip.
    pub async fn add_coached(
        &self,
        user_id: i64,
        variant: u32,
        situation: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        self.during("add_coached", async {
            let sql = match self.backend {
                Backend::Sqlite => {
                    "UPDATE users SET last_variant = $1 WHERE id = $2; \
                     INSERT INTO events (user_id, kind, at, situation) \
                     VALUES ($2, 'coached', $3, $4) RETURNING id"
                }
                Backend::Postgres => {
                    "WITH shown AS (UPDATE users SET last_variant = $1 WHERE id = $2) \
                     INSERT INTO events (user_id, kind, at, situation) \
                     VALUES ($2, 'coached', $3, $4) RETURNING id"
                }
            };
            let rows = sqlx::query(sql)
                .bind(i64::from(variant))
                .bind(user_id)
                .bind(secs(at))
                .bind(situation.to_owned())
                .fetch_all(&mut *self.conn().await?)
                .await?;
            Ok(first_row(rows, "recording a coaching reply")?.try_get("id")?)
        })
        .await
    }

    /// Settles an open coached event with what the user did about it. Returns false when the
    /// event is not the user's, not coaching, or already settled: a stale or replayed button.
    pub async fn resolve_event(
        &self,
        user_id: i64,
        event_id: i64,
        resolution: &str,
    ) -> StoreResult<bool> {
        self.during("resolve_event", async {
            let done = sqlx::query(
                "UPDATE events SET resolution = $1 \
                 WHERE id = $2 AND user_id = $3 AND kind = 'coached' AND resolution IS NULL",
            )
            .bind(resolution)
            .bind(event_id)
            .bind(user_id)
            .execute(&mut *self.conn().await?)
            .await?
            .rows_affected();
            Ok(done == 1)
        })
        .await
    }

    /// True when the event exists, belongs to the user and is a coaching event.
    pub async fn is_coached_event(&self, user_id: i64, event_id: i64) -> StoreResult<bool> {
        self.during("is_coached_event", async {
            let row = sqlx::query(
                "SELECT id FROM events WHERE id = $1 AND user_id = $2 AND kind = 'coached'",
            )
            .bind(event_id)
            .bind(user_id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
            Ok(row.is_some())
        })
        .await
    }

    /// How many events of a kind the user has.
    pub async fn count_events(&self, user_id: i64, kind: EventKind) -> StoreResult<i64> {
        self.during("count_events", async {
            let n =
                sqlx::query("SELECT COUNT(*) AS n FROM events WHERE user_id = $1 AND kind = $2")
                    .bind(user_id)
                    .bind(kind.as_str())
                    .fetch_one(&mut *self.conn().await?)
                    .await?
                    .try_get("n")?;
            Ok(n)
        })
        .await
    }
}
