//! Which updates this process has in hand, and who waits for their turns to commit.
//!
//! The database inbox (an update's id, committed with its turn) decides whether an update
//! is acted on; this keeps a copy that arrives twice at once from running twice here, lets
//! a webhook post be answered only once its turn is committed, and lets polling confirm an
//! offset only when everything before it is committed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use chrono::Duration;
use tokio::sync::oneshot;

use crate::conversation::{Engine, EngineError};

/// Inbox rows older than this are pruned: Telegram keeps an unconfirmed update for a day.
const KEEP_DAYS: i64 = 3;
/// Prune once every this many finished updates.
const PRUNE_EVERY: u64 = 1024;

/// An update this process has taken in and not finished yet.
struct Turn {
    /// The dispatcher began handling it (else it waits in the queue).
    started: bool,
    /// Told whether its turn committed.
    waiters: Vec<oneshot::Sender<bool>>,
}

/// The updates in hand in one process.
pub struct Inbox {
    engine: Engine,
    turns: Mutex<HashMap<i64, Turn>>,
    finished: AtomicU64,
}

/// What the webhook does with a posted update.
pub enum Accepted {
    /// New here: hand it to the dispatcher; the receiver says whether its turn committed.
    Queued(oneshot::Receiver<bool>),
    /// This process already has it in hand: wait for that turn.
    Joined(oneshot::Receiver<bool>),
    /// Its turn was committed before: nothing to do.
    Done,
}

/// What the handler does with an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begin {
    /// Handle it, then call [`Inbox::finish`].
    Handle,
    /// Being handled right now (a copy delivered twice): leave it to that turn.
    InFlight,
}

impl Inbox {
    pub fn new(engine: Engine) -> Inbox {
        Inbox {
            engine,
            turns: Mutex::new(HashMap::new()),
            finished: AtomicU64::new(0),
        }
    }

    fn turns(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Turn>> {
        self.turns.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes an update in (not started yet): a receiver told whether its turn committed,
    /// and whether it is new here (false: this process has it in hand already, and the
    /// receiver waits for that turn).
    pub fn track(&self, update_id: i64) -> (oneshot::Receiver<bool>, bool) {
        let (tx, rx) = oneshot::channel();
        let mut turns = self.turns();
        match turns.get_mut(&update_id) {
            Some(turn) => {
                turn.waiters.push(tx);
                (rx, false)
            }
            None => {
                turns.insert(
                    update_id,
                    Turn {
                        started: false,
                        waiters: vec![tx],
                    },
                );
                (rx, true)
            }
        }
    }

    /// Webhook: whether to queue the update. A database failure is returned, so that the
    /// post is answered with an error and Telegram retries.
    pub async fn accept(&self, update_id: i64) -> Result<Accepted, EngineError> {
        let (rx, new) = self.track(update_id);
        if !new {
            return Ok(Accepted::Joined(rx));
        }
        match self.engine.update_done(update_id).await {
            Ok(false) => Ok(Accepted::Queued(rx)),
            Ok(true) => {
                self.abandon(update_id);
                Ok(Accepted::Done)
            }
            Err(error) => {
                self.abandon(update_id);
                Err(error)
            }
        }
    }

    /// Forgets an update taken in that never reached the dispatcher (its waiters hear that
    /// it did not commit).
    pub fn abandon(&self, update_id: i64) {
        if let Some(turn) = self.turns().remove(&update_id) {
            for waiter in turn.waiters {
                let _ = waiter.send(false);
            }
        }
    }

    /// Handler: whether to act on the update here. Whether it was acted on before is
    /// decided in its turn's transaction.
    pub fn begin(&self, update_id: i64) -> Begin {
        let mut turns = self.turns();
        match turns.get_mut(&update_id) {
            Some(turn) if !turn.started => {
                turn.started = true;
                Begin::Handle
            }
            Some(_) => Begin::InFlight,
            None => {
                turns.insert(
                    update_id,
                    Turn {
                        started: true,
                        waiters: Vec::new(),
                    },
                );
                Begin::Handle
            }
        }
    }

    /// The update's turn is over: committed (or nothing to commit), or failed. Wakes
    /// whoever waits for it.
    pub async fn finish(&self, update_id: i64, committed: bool) {
        let Some(turn) = self.turns().remove(&update_id) else {
            return;
        };
        for waiter in turn.waiters {
            let _ = waiter.send(committed);
        }
        if self
            .finished
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(PRUNE_EVERY)
        {
            self.prune().await;
        }
    }

    /// The handler is done with an update that had no turn (a group, a membership change):
    /// ends the entry it began, never a copy taken in since and not started yet.
    pub async fn finish_started(&self, update_id: i64) {
        let started = self
            .turns()
            .get(&update_id)
            .is_some_and(|turn| turn.started);
        if started {
            self.finish(update_id, true).await;
        }
    }

    /// Forgets inbox rows too old to come back.
    pub async fn prune(&self) {
        let before = self.engine.now() - Duration::days(KEEP_DAYS);
        match self.engine.prune_inbox(before).await {
            Ok(gone) if gone > 0 => tracing::debug!(gone, "pruned the inbox"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "could not prune the inbox"),
        }
    }
}
