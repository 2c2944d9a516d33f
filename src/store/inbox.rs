//! The inbox: which Telegram updates were received and which were handled to the end, by
//! update id only, so that a replayed update is not acted on twice.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Store, StoreResult, secs};

/// What the inbox knew of an update when it was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// First time seen: recorded now.
    New,
    /// Seen before but never finished (a crash, or still being handled).
    Unfinished,
    /// Handled to the end already: do not act again.
    Done,
}

impl Store {
    /// Records that an update arrived (committed when this returns) and says whether it was
    /// seen before.
    pub async fn inbox_receive(&self, update_id: i64, now: DateTime<Utc>) -> StoreResult<Receipt> {
        self.during("inbox_receive", async {
            let added = sqlx::query(
                "INSERT INTO inbox (update_id, received_at) VALUES ($1, $2) \
                 ON CONFLICT (update_id) DO NOTHING",
            )
            .bind(update_id)
            .bind(secs(now))
            .execute(&mut *self.conn().await?)
            .await?
            .rows_affected();
            if added == 1 {
                return Ok(Receipt::New);
            }
            let rows = sqlx::query("SELECT done_at FROM inbox WHERE update_id = $1")
                .bind(update_id)
                .fetch_all(&mut *self.conn().await?)
                .await?;
            let done = match rows.first() {
                Some(row) => row.try_get::<Option<i64>, _>("done_at")?.is_some(),
                None => false,
            };
            Ok(if done {
                Receipt::Done
            } else {
                Receipt::Unfinished
            })
        })
        .await
    }

    /// In a turn: notes that the update was handled, committed with the turn's effects.
    /// False when a turn for it was committed before: this one must not act again.
    pub async fn inbox_settle(&self, update_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        self.during("inbox_settle", async {
            let settled = sqlx::query(
                "INSERT INTO inbox (update_id, received_at, done_at) VALUES ($1, $2, $2) \
                 ON CONFLICT (update_id) DO UPDATE SET done_at = excluded.done_at \
                 WHERE inbox.done_at IS NULL",
            )
            .bind(update_id)
            .bind(secs(now))
            .execute(&mut *self.conn().await?)
            .await?
            .rows_affected();
            Ok(settled == 1)
        })
        .await
    }

    /// Whether a turn for the update was committed.
    pub async fn inbox_is_done(&self, update_id: i64) -> StoreResult<bool> {
        self.during("inbox_is_done", async {
            let rows = sqlx::query("SELECT done_at FROM inbox WHERE update_id = $1")
                .bind(update_id)
                .fetch_all(&mut *self.conn().await?)
                .await?;
            Ok(match rows.first() {
                Some(row) => row.try_get::<Option<i64>, _>("done_at")?.is_some(),
                None => false,
            })
        })
        .await
    }

    /// Marks an update handled to the end.
    pub async fn inbox_done(&self, update_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        self.during("inbox_done", async {
            sqlx::query(
                "INSERT INTO inbox (update_id, received_at, done_at) VALUES ($1, $2, $2) \
                 ON CONFLICT (update_id) DO UPDATE SET done_at = $2",
            )
            .bind(update_id)
            .bind(secs(now))
            .execute(&mut *self.conn().await?)
            .await?;
            Ok(())
        })
        .await
    }

    /// Forgets updates received before `before` (Telegram keeps an unconfirmed update for a
    /// day at most, so older ids never come back). Returns how many rows went.
    pub async fn inbox_prune(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.during("inbox_prune", async {
            let gone = sqlx::query("DELETE FROM inbox WHERE received_at < $1")
                .bind(secs(before))
                .execute(&mut *self.conn().await?)
                .await?
                .rows_affected();
            Ok(gone)
        })
        .await
    }
}
