//! The private journal: evening reflections and unsent drafts.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Store, StoreError, StoreResult, first_row, instant, secs};

/// What a journal entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalKind {
    /// An answer to a reflection prompt.
    Reflection,
    /// A message to the ex, written here instead of sent. Never sent to anyone.
    Draft,
}

impl JournalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JournalKind::Reflection => "reflection",
            JournalKind::Draft => "draft",
        }
    }

    fn parse(text: &str) -> StoreResult<Self> {
        match text {
            "reflection" => Ok(JournalKind::Reflection),
            "draft" => Ok(JournalKind::Draft),
            other => Err(StoreError::Corrupt(format!("journal kind {other:?}"))),
        }
    }
}

/// One stored entry.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub id: i64,
    pub kind: JournalKind,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// Until when the text stays hidden (drafts are sealed for a while).
    pub sealed_until: Option<DateTime<Utc>>,
}

fn entry_from_row(row: &sqlx::any::AnyRow) -> StoreResult<JournalEntry> {
    Ok(JournalEntry {
        id: row.try_get("id")?,
        kind: JournalKind::parse(&row.try_get::<String, _>("kind")?)?,
        body: row.try_get("body")?,
        created_at: instant(row.try_get("created_at")?)?,
        sealed_until: row
            .try_get::<Option<i64>, _>("sealed_until")?
            .map(instant)
            .transpose()?,
    })
}

impl Store {
    /// Keeps a journal entry; returns its id.
    pub async fn add_journal_entry(
        &self,
        user_id: i64,
        kind: JournalKind,
        body: &str,
        at: DateTime<Utc>,
        sealed_until: Option<DateTime<Utc>>,
    ) -> StoreResult<i64> {
        self.during("add_journal_entry", async {
            let rows = sqlx::query(
                "INSERT INTO journal_entries (user_id, kind, body, created_at, sealed_until) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(user_id)
            .bind(kind.as_str())
            .bind(body)
            .bind(secs(at))
            .bind(sealed_until.map(secs))
            .fetch_all(&mut *self.conn().await?)
            .await?;
            let id = first_row(rows, "adding a journal entry")?.try_get("id")?;
            Ok(id)
        })
        .await
    }

    /// The user's most recent entries of a kind, newest first.
    pub async fn journal_entries(
        &self,
        user_id: i64,
        kind: JournalKind,
        limit: u32,
    ) -> StoreResult<Vec<JournalEntry>> {
        self.during("journal_entries", async {
            let rows = sqlx::query(
                "SELECT id, kind, body, created_at, sealed_until FROM journal_entries \
                 WHERE user_id = $1 AND kind = $2 ORDER BY created_at DESC, id DESC LIMIT $3",
            )
            .bind(user_id)
            .bind(kind.as_str())
            .bind(i64::from(limit))
            .fetch_all(&mut *self.conn().await?)
            .await?;
            rows.iter().map(entry_from_row).collect()
        })
        .await
    }
}

impl Store {
    /// One of the user's entries (none when it is not theirs).
    pub async fn journal_entry(&self, user_id: i64, id: i64) -> StoreResult<Option<JournalEntry>> {
        self.during("journal_entry", async {
            let row = sqlx::query(
                "SELECT id, kind, body, created_at, sealed_until FROM journal_entries \
                 WHERE id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
            row.as_ref().map(entry_from_row).transpose()
        })
        .await
    }

    /// Deletes one of the user's entries. False when there is no such entry of theirs.
    pub async fn delete_journal_entry(&self, user_id: i64, id: i64) -> StoreResult<bool> {
        self.during("delete_journal_entry", async {
            let done = sqlx::query("DELETE FROM journal_entries WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .execute(&mut *self.conn().await?)
                .await?
                .rows_affected();
            Ok(done == 1)
        })
        .await
    }
}
