//! Durable scheduled work. Jobs are claimed by due time with a lease: a worker that dies
//! mid-send loses its claim when the lease expires and another worker picks the job up.
//! On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets replicas claim disjoint batches.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use super::{Backend, Store, StoreError, StoreResult, instant, secs};

/// What a job does when it comes due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// "Wait with me": ask how the urge is now.
    WaitCheckback,
    /// The gentle check-in the day after a crisis message.
    CrisisCheckin,
    /// The morning encouragement (or the day's milestone).
    Morning,
    /// The evening reflection prompt.
    Evening,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::WaitCheckback => "wait_checkback",
            JobKind::CrisisCheckin => "crisis_checkin",
            JobKind::Morning => "morning",
            JobKind::Evening => "evening",
        }
    }

    fn parse(text: &str) -> StoreResult<Self> {
        match text {
            "wait_checkback" => Ok(JobKind::WaitCheckback),
            "crisis_checkin" => Ok(JobKind::CrisisCheckin),
            "morning" => Ok(JobKind::Morning),
            "evening" => Ok(JobKind::Evening),
            other => Err(StoreError::Corrupt(format!("job kind {other:?}"))),
        }
    }
}

/// A job to schedule. A job with a `dedupe_key` that already exists is not added again.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: JobKind,
    pub due_at: DateTime<Utc>,
    pub payload: String,
    pub dedupe_key: Option<String>,
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub user_id: i64,
    pub kind: JobKind,
    pub due_at: DateTime<Utc>,
    pub payload: String,
    pub attempts: i64,
}

// Claiming reads two index-ordered runs, each cut at the batch size: pending jobs by due
// time and expired leases by lease time. An `OR` of the two would make both databases read
// and sort every due job for each batch, so a busy hour would cost more per batch the more
// users are due in it.

const CLAIM_SQLITE: &str = "UPDATE scheduled_jobs \
     SET status = 'claimed', claimed_by = $1, lease_until = $2, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM ( \
         SELECT id, due_at FROM (SELECT id, due_at FROM scheduled_jobs \
             WHERE status = 'pending' AND due_at <= $3 ORDER BY due_at LIMIT $4) \
         UNION ALL \
         SELECT id, due_at FROM (SELECT id, due_at FROM scheduled_jobs \
             WHERE status = 'claimed' AND lease_until < $3 ORDER BY lease_until LIMIT $4)) \
       ORDER BY due_at LIMIT $4) \
     RETURNING id, user_id, kind, due_at, payload, attempts";

const CLAIM_POSTGRES: &str = "WITH pending AS ( \
         SELECT id, due_at FROM scheduled_jobs WHERE status = 'pending' AND due_at <= $3 \
         ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED), \
     expired AS ( \
         SELECT id, due_at FROM scheduled_jobs WHERE status = 'claimed' AND lease_until < $3 \
         ORDER BY lease_until LIMIT $4 FOR UPDATE SKIP LOCKED), \
     chosen AS ( \
         SELECT id FROM (SELECT id, due_at FROM pending UNION ALL SELECT id, due_at FROM expired) c \
         ORDER BY due_at LIMIT $4) \
     UPDATE scheduled_jobs \
     SET status = 'claimed', claimed_by = $1, lease_until = $2, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM chosen) \
     RETURNING id, user_id, kind, due_at, payload, attempts";

impl Store {
    /// Schedules a job. Returns false when a job with the same dedupe key exists.
    pub async fn schedule_job(
        &self,
        user_id: i64,
        job: &NewJob,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.during("schedule_job", async {
            let added = sqlx::query(
                "INSERT INTO scheduled_jobs (user_id, kind, due_at, payload, dedupe_key, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(user_id)
            .bind(job.kind.as_str())
            .bind(secs(job.due_at))
            .bind(job.payload.as_str())
            .bind(job.dedupe_key.clone())
            .bind(secs(now))
            .execute(&mut *self.conn().await?)
            .await?
            .rows_affected();
            Ok(added == 1)
        })
        .await
    }

    /// Claims up to `limit` due jobs (or jobs whose lease expired) for `worker`.
    pub async fn claim_due_jobs(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u32,
    ) -> StoreResult<Vec<Job>> {
        self.during("claim_due_jobs", async {
            let sql = match self.backend {
                Backend::Sqlite => CLAIM_SQLITE,
                Backend::Postgres => CLAIM_POSTGRES,
            };
            let rows = sqlx::query(sql)
                .bind(worker)
                .bind(secs(now + lease))
                .bind(secs(now))
                .bind(i64::from(limit))
                .fetch_all(&mut *self.conn().await?)
                .await?;
            let mut jobs = rows
                .iter()
                .map(|row| {
                    Ok(Job {
                        id: row.try_get("id")?,
                        user_id: row.try_get("user_id")?,
                        kind: JobKind::parse(&row.try_get::<String, _>("kind")?)?,
                        due_at: instant(row.try_get("due_at")?)?,
                        payload: row.try_get("payload")?,
                        attempts: row.try_get("attempts")?,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            jobs.sort_by_key(|j| (j.due_at, j.id));
            Ok(jobs)
        })
        .await
    }

    /// Marks a claimed job done. False when the claim was lost (lease expired and taken).
    pub async fn finish_job(&self, job_id: i64, worker: &str) -> StoreResult<bool> {
        self.during("finish_job", async {
            let done = sqlx::query(
                "UPDATE scheduled_jobs SET status = 'done', lease_until = NULL \
                 WHERE id = $1 AND claimed_by = $2 AND status = 'claimed'",
            )
            .bind(job_id)
            .bind(worker)
            .execute(&mut *self.conn().await?)
            .await?
            .rows_affected();
            Ok(done == 1)
        })
        .await
    }

    /// Extends the lease on a claimed job. False when the claim was lost: another worker
    /// took the job after the lease ran out, so this one must not send it.
    pub async fn renew_lease(
        &self,
        job_id: i64,
        worker: &str,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.during("renew_lease", async {
            let renewed = sqlx::query(
                "UPDATE scheduled_jobs SET lease_until = $1 \
                 WHERE id = $2 AND claimed_by = $3 AND status = 'claimed'",
            )
            .bind(secs(until))
            .bind(job_id)
            .bind(worker)
            .execute(&mut *self.conn().await?)
            .await?
            .rows_affected();
            Ok(renewed == 1)
        })
        .await
    }

    /// Gives up on a claimed job for good (it failed too often).
    pub async fn fail_job(&self, job_id: i64, worker: &str) -> StoreResult<()> {
        self.during("fail_job", async {
            sqlx::query(
                "UPDATE scheduled_jobs SET status = 'failed', lease_until = NULL \
                 WHERE id = $1 AND claimed_by = $2",
            )
            .bind(job_id)
            .bind(worker)
            .execute(&mut *self.conn().await?)
            .await?;
            Ok(())
        })
        .await
    }

    /// Gives a claimed job back to be tried again at `retry_at`.
    pub async fn retry_job(
        &self,
        job_id: i64,
        worker: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.during("retry_job", async {
            sqlx::query(
                "UPDATE scheduled_jobs SET status = 'pending', due_at = $1, claimed_by = NULL, \
                 lease_until = NULL WHERE id = $2 AND claimed_by = $3",
            )
            .bind(secs(retry_at))
            .bind(job_id)
            .bind(worker)
            .execute(&mut *self.conn().await?)
            .await?;
            Ok(())
        })
        .await
    }

    /// Cancels the user's pending jobs of one kind (nudges being rescheduled).
    pub async fn cancel_pending_jobs_of(&self, user_id: i64, kind: JobKind) -> StoreResult<u64> {
        self.during("cancel_pending_jobs_of", async {
            let n = sqlx::query(
                "UPDATE scheduled_jobs SET status = 'cancelled', dedupe_key = NULL \
                 WHERE user_id = $1 AND kind = $2 AND status = 'pending'",
            )
            .bind(user_id)
            .bind(kind.as_str())
            .execute(&mut *self.conn().await?)
            .await?
            .rows_affected();
            Ok(n)
        })
        .await
    }

    /// Deletes finished, cancelled and failed jobs due before `before`; returns how many.
    /// Pending and claimed jobs are never touched.
    pub async fn purge_old_jobs(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.during("purge_old_jobs", async {
            let n = sqlx::query(
                "DELETE FROM scheduled_jobs \
                 WHERE status IN ('done', 'cancelled', 'failed') AND due_at < $1",
            )
            .bind(secs(before))
            .execute(&mut *self.conn().await?)
            .await?
            .rows_affected();
            Ok(n)
        })
        .await
    }

    /// How many jobs of a kind are waiting.
    pub async fn count_pending_jobs(&self, kind: JobKind) -> StoreResult<i64> {
        self.during("count_pending_jobs", async {
            let n = sqlx::query(
                "SELECT COUNT(*) AS n FROM scheduled_jobs WHERE kind = $1 AND status = 'pending'",
            )
            .bind(kind.as_str())
            .fetch_one(&mut *self.conn().await?)
            .await?
            .try_get("n")?;
            Ok(n)
        })
        .await
    }
}
