//! One send rate for the whole bot, shared by every replica through the database: a token
//! bucket in a row, refilled by elapsed time and drawn from atomically.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Backend, Store, StoreResult};

const TAKE_SQLITE: &str = "UPDATE rate_limits \
     SET tokens = MIN($2, tokens + MAX(0, $3 - updated_ms) * $4 / 1000.0) - 1, updated_ms = MAX(updated_ms, $3) \
     WHERE name = $1 AND MIN($2, tokens + MAX(0, $3 - updated_ms) * $4 / 1000.0) >= 1 \
     RETURNING tokens";

const TAKE_POSTGRES: &str = "UPDATE rate_limits \
     SET tokens = LEAST($2, tokens + GREATEST(0, $3 - updated_ms) * $4 / 1000.0) - 1, updated_ms = GREATEST(updated_ms, $3) \
     WHERE name = $1 AND LEAST($2, tokens + GREATEST(0, $3 - updated_ms) * $4 / 1000.0) >= 1 \
     RETURNING tokens";

impl Store {
    /// Takes one token from the bucket `name` (refilling `per_second`, holding at most
    /// `burst`). False when the bucket is empty: wait about `1 / per_second` and try again.
    pub async fn take_send_token(
        &self,
        name: &str,
        per_second: f64,
        burst: f64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.during("take_send_token", async {
            let now_ms = now.timestamp_millis();
            sqlx::query(
                "INSERT INTO rate_limits (name, tokens, updated_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(burst)
            .bind(now_ms)
            .execute(&mut *self.conn().await?)
            .await?;
            let sql = match self.backend {
                Backend::Sqlite => TAKE_SQLITE,
                Backend::Postgres => TAKE_POSTGRES,
            };
            // Read to the end (not `fetch_optional`): SQLite commits the update only then, and a
            // failed commit must not count as a token taken.
            let taken = sqlx::query(sql)
                .bind(name)
                .bind(burst)
                .bind(now_ms)
                .bind(per_second)
                .fetch_all(&mut *self.conn().await?)
                .await?;
            Ok(taken
                .first()
                .map(|row| row.try_get::<f64, _>("tokens"))
                .transpose()?
                .is_some())
        })
        .await
    }
}
