//! The inbox: which Telegram updates were received and which were handled to the end, by
//! update id only, so that a replayed update is not acted on twice.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::users::{USER_COLUMNS, user_from_row};
use super::{Backend, Store, StoreResult, secs};
use crate::domain::ChatId;

/// What a turn found when it noted its update as handled.
#[derive(Debug)]
pub enum Settle {
    /// A turn for the update was committed before: this one must not act again.
    Replayed,
    /// Noted; the chat's user as the turn begins (`None`: they never wrote before).
    Fresh(Option<super::User>),
}

/// The note that an update was handled; it changes nothing (and counts no row) when a
/// turn for the update was committed before.
const SETTLE: &str = "INSERT INTO inbox (update_id, received_at, done_at) VALUES ($1, $2, $2) \
     ON CONFLICT (update_id) DO UPDATE SET done_at = excluded.done_at \
     WHERE inbox.done_at IS NULL";

/// The note and the user's row (chat `$3`) in one round trip. SQLite runs both statements
/// in one call (`changes()` tells whether the note was new); PostgreSQL runs the note as a
/// data-modifying CTE. A turn has already locked the user's row on PostgreSQL, so the
/// row read here is the latest.
static SETTLE_LOADING_SQLITE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{SETTLE}; SELECT changes() AS settled, {USER_COLUMNS} \
         FROM (SELECT 1 AS one) AS one LEFT JOIN users ON users.chat_id = $3"
    )
});
static SETTLE_LOADING_POSTGRES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH settled AS ({SETTLE} RETURNING 1) \
         SELECT (SELECT COUNT(*) FROM settled) AS settled, {USER_COLUMNS} \
         FROM (SELECT 1 AS one) AS one LEFT JOIN users ON users.chat_id = $3"
    )
});

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
            let settled = sqlx::query(SETTLE)
                .bind(update_id)
                .bind(secs(now))
                .execute(&mut *self.conn().await?)
                .await?
                .rows_affected();
            Ok(settled == 1)
        })
        .await
    }

    /// In a turn: [`Store::inbox_settle`] and the chat's user, read in the same round trip.
    pub async fn inbox_settle_loading(
        &self,
        update_id: i64,
        now: DateTime<Utc>,
        chat: ChatId,
    ) -> StoreResult<Settle> {
        self.during("inbox_settle", async {
            let sql = match self.backend {
                Backend::Sqlite => SETTLE_LOADING_SQLITE.as_str(),
                Backend::Postgres => SETTLE_LOADING_POSTGRES.as_str(),
            };
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(update_id)
                .bind(secs(now))
                .bind(chat.0)
                .fetch_all(&mut *self.conn().await?)
                .await?;
            let row = super::first_row(rows, "noting an update")?;
            if row.try_get::<i64, _>("settled")? != 1 {
                return Ok(Settle::Replayed);
            }
            let user = match row.try_get::<Option<i64>, _>("id")? {
                Some(_) => Some(user_from_row(&row)?),
                None => None,
            };
            Ok(Settle::Fresh(user))
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
