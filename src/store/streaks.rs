//! Streak periods and slips.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{EventKind, Store, StoreResult, date, first_row, instant, iso, secs};
use crate::domain::streak::Period;

/// A logged slip: contact that broke a streak.
#[derive(Debug, Clone, PartialEq)]
pub struct Slip {
    pub id: i64,
    pub happened_at: DateTime<Utc>,
    /// The user's local date of the slip; the new streak starts on it.
    pub local_date: NaiveDate,
    /// How many days the streak it ended had lasted.
    pub streak_days: i64,
    pub note: Option<String>,
}

/// A slip to record.
#[derive(Debug, Clone)]
pub struct NewSlip {
    pub happened_at: DateTime<Utc>,
    pub local_date: NaiveDate,
    pub streak_days: i64,
    pub note: Option<String>,
}

fn period_from_row(row: &sqlx::any::AnyRow) -> StoreResult<Period> {
    Ok(Period {
        started_on: date(&row.try_get::<String, _>("started_on")?)?,
        ended_on: row
            .try_get::<Option<String>, _>("ended_on")?
            .as_deref()
            .map(date)
            .transpose()?,
    })
}

impl Store {
    /// All of the user's periods, oldest first.
    pub async fn periods(&self, user_id: i64) -> StoreResult<Vec<Period>> {
        self.during("periods", async {
            let rows = sqlx::query(
                "SELECT started_on, ended_on FROM streaks WHERE user_id = $1 ORDER BY started_on, id",
            )
            .bind(user_id)
            .fetch_all(&mut *self.conn().await?)
            .await?;
            rows.iter().map(period_from_row).collect()
        })
        .await
    }

    /// The user's periods, oldest first, and how many events of `kind` they have, in one
    /// round trip (for the streak card). With no period the count is not read: `None`.
    pub async fn periods_counting(
        &self,
        user_id: i64,
        kind: EventKind,
    ) -> StoreResult<(Vec<Period>, Option<i64>)> {
        self.during("periods", async {
            let rows = sqlx::query(
                "SELECT started_on, ended_on, \
                 (SELECT COUNT(*) FROM events WHERE events.user_id = $1 AND events.kind = $2) \
                 AS counted \
                 FROM streaks WHERE user_id = $1 ORDER BY started_on, id",
            )
            .bind(user_id)
            .bind(kind.as_str())
            .fetch_all(&mut *self.conn().await?)
            .await?;
            let counted = rows.first().map(|row| row.try_get("counted")).transpose()?;
            let periods = rows
                .iter()
                .map(period_from_row)
                .collect::<StoreResult<_>>()?;
            Ok((periods, counted))
        })
        .await
    }

    /// Sets the start (last-contact day) of the running streak, opening one if none runs.
    pub async fn set_streak_start(
        &self,
        user_id: i64,
        started_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.during("set_streak_start", async {
            sqlx::query(
                "INSERT INTO streaks (user_id, started_on, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) WHERE ended_on IS NULL \
                 DO UPDATE SET started_on = excluded.started_on",
            )
            .bind(user_id)
            .bind(iso(started_on))
            .bind(secs(now))
            .execute(&mut *self.conn().await?)
            .await?;
            Ok(())
        })
        .await
    }

    /// Records a slip: ends the running streak on the slip's day and starts a new one from
    /// it, in one transaction. Returns the slip's id.
    pub async fn record_slip(
        &self,
        user_id: i64,
        slip: &NewSlip,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        self.during("record_slip", async {
            let mut conn = self.conn().await?;
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            let day = iso(slip.local_date);
            sqlx::query("UPDATE streaks SET ended_on = $1 WHERE user_id = $2 AND ended_on IS NULL")
                .bind(&day)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO streaks (user_id, started_on, created_at) VALUES ($1, $2, $3)")
                .bind(user_id)
                .bind(&day)
                .bind(secs(now))
                .execute(&mut *tx)
                .await?;
            let rows = sqlx::query(
                "INSERT INTO slips (user_id, happened_at, local_date, streak_days, note, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(user_id)
            .bind(secs(slip.happened_at))
            .bind(&day)
            .bind(slip.streak_days)
            .bind(slip.note.clone())
            .bind(secs(now))
            .fetch_all(&mut *tx)
            .await?;
            let id: i64 = first_row(rows, "recording a slip")?.try_get("id")?;
            tx.commit().await?;
            Ok(id)
        })
        .await
    }

    /// Attaches a note to one of the user's slips. False when there is no such slip.
    pub async fn set_slip_note(&self, user_id: i64, slip_id: i64, note: &str) -> StoreResult<bool> {
        self.during("set_slip_note", async {
            let done = sqlx::query("UPDATE slips SET note = $1 WHERE id = $2 AND user_id = $3")
                .bind(note)
                .bind(slip_id)
                .bind(user_id)
                .execute(&mut *self.conn().await?)
                .await?
                .rows_affected();
            Ok(done == 1)
        })
        .await
    }

    /// The user's slips, oldest first.
    pub async fn slips(&self, user_id: i64) -> StoreResult<Vec<Slip>> {
        self.during("slips", async {
            let rows = sqlx::query(
                "SELECT id, happened_at, local_date, streak_days, note FROM slips \
                 WHERE user_id = $1 ORDER BY happened_at, id",
            )
            .bind(user_id)
            .fetch_all(&mut *self.conn().await?)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(Slip {
                        id: row.try_get("id")?,
                        happened_at: instant(row.try_get("happened_at")?)?,
                        local_date: date(&row.try_get::<String, _>("local_date")?)?,
                        streak_days: row.try_get("streak_days")?,
                        note: row.try_get("note")?,
                    })
                })
                .collect()
        })
        .await
    }
}
