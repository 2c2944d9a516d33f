//! The user's own reasons for no contact.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Store, StoreResult, first_row, secs};

/// One kept reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub id: i64,
    pub body: String,
}

impl Store {
    pub async fn add_reason(
        &self,
        user_id: i64,
        body: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        self.during("add_reason", async {
            let rows = sqlx::query(
                "INSERT INTO reasons (user_id, body, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(user_id)
            .bind(body)
            .bind(secs(at))
            .fetch_all(&mut *self.conn().await?)
            .await?;
            let id = first_row(rows, "adding a reason")?.try_get("id")?;
            Ok(id)
        })
        .await
    }

    /// The user's reasons, oldest first.
    pub async fn reasons(&self, user_id: i64) -> StoreResult<Vec<Reason>> {
        self.during("reasons", async {
            let rows = sqlx::query("SELECT id, body FROM reasons WHERE user_id = $1 ORDER BY id")
                .bind(user_id)
                .fetch_all(&mut *self.conn().await?)
                .await?;
            rows.iter()
                .map(|row| {
                    Ok(Reason {
                        id: row.try_get("id")?,
                        body: row.try_get("body")?,
                    })
                })
                .collect()
        })
        .await
    }

    /// Deletes one of the user's reasons. False when there is no such reason of theirs.
    pub async fn delete_reason(&self, user_id: i64, id: i64) -> StoreResult<bool> {
        self.during("delete_reason", async {
            let done = sqlx::query("DELETE FROM reasons WHERE id = $1 AND user_id = $2")
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
