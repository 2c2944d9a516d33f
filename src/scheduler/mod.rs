//! Due work claimed from the database: morning and evening nudges, "wait with me"
//! check-backs and crisis check-ins.
//! Jobs live in the database, not in memory, so a restart loses none; a claim is a lease,
//! so a worker that dies mid-send gives its jobs back when the lease runs out.

pub mod delivery;

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

use crate::config::SchedulerSettings;
use crate::conversation::{Engine, EngineError, Reply};
use crate::domain::ChatId;
use crate::store::Job;

/// Where committed messages go: the console prints them, Telegram sends them. Called with
/// one message at a time, from the outbox; `Ok` means it arrived.
pub trait Outbox: Send + Sync {
    fn deliver(
        &self,
        chat: ChatId,
        replies: Vec<Reply>,
    ) -> impl Future<Output = Result<(), Undelivered>> + Send;
}

/// Why a message could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Undelivered {
    /// The user blocked the bot or is gone: stop writing to them.
    #[error("the chat is unreachable")]
    Unreachable,
    /// A passing failure: try again later.
    #[error("delivery failed for now: {0}")]
    Transient(String),
    /// Refused for good (a malformed request): trying again would fail the same way.
    #[error("delivery refused: {0}")]
    Refused(String),
}

/// How often a job is tried before it is marked failed.
const MAX_ATTEMPTS: i64 = 8;

/// The token bucket all replicas draw from for scheduled sends.
const SEND_BUCKET: &str = "scheduled_sends";

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    /// Claimed but not sent: not due any more, user gone, paused or unreachable.
    pub skipped: usize,
    /// The shared send rate stopped the pass early.
    pub rate_limited: bool,
}

/// How often (on the engine's clock) a scheduler deletes old finished jobs.
const PURGE_EVERY: chrono::Duration = chrono::Duration::hours(1);

/// Claims and runs due jobs.
pub struct Scheduler {
    engine: Engine,
    worker: String,
    settings: SchedulerSettings,
    /// When old jobs were last purged by this scheduler.
    last_purge: std::sync::Mutex<Option<chrono::DateTime<chrono::Utc>>>,
}

/// Sends allowed back to back: a fifth of a second's worth, at least one. Any one second
/// then carries at most 1.2 × the rate (Telegram counts sends per second: at the default
/// 25 per second, at most 30).
fn burst(rate: f64) -> f64 {
    (rate / 5.0).max(1.0)
}

impl Scheduler {
    pub fn new(engine: Engine, worker: impl Into<String>, settings: SchedulerSettings) -> Self {
        Scheduler {
            engine,
            worker: worker.into(),
            settings,
            last_purge: std::sync::Mutex::new(None),
        }
    }

    /// Deletes finished, cancelled and failed jobs older than `scheduler.retention_days`,
    /// at most once per [`PURGE_EVERY`]; a failure is logged and tried again next time.
    async fn purge_if_due(&self) {
        let now = self.engine.now();
        {
            let mut last = self.last_purge.lock().unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|at| now - at < PURGE_EVERY) {
                return;
            }
            *last = Some(now);
        }
        let retention = chrono::Duration::days(i64::from(self.settings.retention_days.max(2)));
        match self.engine.store().purge_old_jobs(now - retention).await {
            Ok(0) => {}
            Ok(purged) => tracing::debug!(purged, "old scheduled jobs deleted"),
            Err(error) => {
                tracing::warn!(%error, "could not delete old scheduled jobs");
                *self.last_purge.lock().unwrap_or_else(|e| e.into_inner()) = None;
            }
        }
    }

    /// One pass: claims a batch of due jobs and delivers them, within the shared send rate.
    #[tracing::instrument(skip_all, fields(worker = %self.worker))]
    pub async fn run_due<O: Outbox>(&self, outbox: &O) -> Result<Pass, EngineError> {
        self.purge_if_due().await;
        let store = self.engine.store();
        let lease = chrono::Duration::seconds(i64::from(self.settings.lease_seconds));
        let rate = self.settings.rate_per_second.max(0.1);
        let burst = burst(rate);
        // More than a burst could never be sent at once: claiming more would only give
        // jobs back.
        let batch = self.settings.batch_size.min(burst.ceil() as u32).max(1);
        let jobs = store
            .claim_due_jobs(&self.worker, self.engine.now(), lease, batch)
            .await?;
        self.engine.metrics().jobs_claimed(jobs.len());
        let mut pass = Pass::default();
        for (i, job) in jobs.iter().enumerate() {
            let now = self.engine.now();
            // Over the bot's send rate: give this and the rest of the batch back, untouched.
            if !store.take_send_token(SEND_BUCKET, rate, burst, now).await? {
                for unsent in &jobs[i..] {
                    store
                        .retry_job(unsent.id, &self.worker, unsent.due_at)
                        .await?;
                }
                pass.rate_limited = true;
                break;
            }
            match self.run_job(job, now, lease).await {
                Ok(Some(parcels)) => {
                    let delivered =
                        delivery::deliver(store, outbox, parcels, || self.engine.now()).await?;
                    if delivered.sent > 0 {
                        let lag = (self.engine.now() - job.due_at)
                            .to_std()
                            .unwrap_or_default();
                        self.engine.metrics().scheduled_sent(lag);
                        pass.sent += 1;
                    } else {
                        pass.skipped += 1;
                    }
                }
                Ok(None) => pass.skipped += 1,
                Err(error) => {
                    tracing::error!(job = job.id, %error, "could not run a job");
                    self.retry_or_fail(job, now).await?;
                }
            }
        }
        // Messages whose first sending failed, or whose sender died.
        let outbox_lease = self.settings.outbox_lease();
        delivery::drain(store, outbox, outbox_lease, || self.engine.now()).await?;
        Ok(pass)
    }

    /// Runs a claimed job as one turn: its effects (the dialogue, the rotation, the next
    /// nudge), its message staged in the outbox and its completion commit together.
    /// `None` when nothing was to be sent, or the job is no longer this worker's.
    async fn run_job(
        &self,
        job: &Job,
        now: chrono::DateTime<chrono::Utc>,
        lease: chrono::Duration,
    ) -> Result<Option<Vec<crate::store::Parcel>>, EngineError> {
        let turn = self
            .engine
            .store()
            .begin_turn(crate::store::Lock::User(job.user_id))
            .await?;
        // A slow send earlier in the batch can outlast a lease: is this job still ours?
        if !turn.renew_lease(job.id, &self.worker, now + lease).await? {
            return Ok(None);
        }
        let engine = self.engine.with_store(turn.clone());
        let parcels = match engine.job_replies(job).await? {
            Some(due) => Some(
                turn.outbox_push(
                    due.chat,
                    &due.replies,
                    now,
                    now + self.settings.outbox_lease(),
                    Some(due.expires_at),
                )
                .await?,
            ),
            None => None,
        };
        turn.finish_job(job.id, &self.worker).await?;
        turn.commit().await?;
        Ok(parcels)
    }

    /// Tries a job again later with backoff, or gives up on it after too many attempts.
    async fn retry_or_fail(
        &self,
        job: &Job,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), EngineError> {
        let store = self.engine.store();
        if job.attempts >= MAX_ATTEMPTS {
            tracing::error!(
                job = job.id,
                "giving up on a job after {MAX_ATTEMPTS} attempts"
            );
            store.fail_job(job.id, &self.worker).await?;
        } else {
            let backoff = chrono::Duration::seconds(30 * job.attempts.clamp(1, 20));
            store.retry_job(job.id, &self.worker, now + backoff).await?;
        }
        Ok(())
    }

    /// Runs passes until `shutdown` turns true.
    pub async fn run<O: Outbox>(self, outbox: O, mut shutdown: watch::Receiver<bool>) {
        let interval = Duration::from_millis(self.settings.poll_interval_ms.max(10));
        loop {
            let pause = match self.run_due(&outbox).await {
                // Over the shared rate: wait about one token's time.
                Ok(pass) if pass.rate_limited => {
                    Duration::from_secs_f64(1.0 / self.settings.rate_per_second.max(0.1))
                }
                Ok(pass) if pass.sent + pass.skipped > 0 => Duration::ZERO,
                Ok(_) => interval,
                Err(error) => {
                    tracing::error!(%error, "scheduler pass failed");
                    interval
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
        }
    }
}
