//! Acting on each Telegram update once: the database inbox (update ids received and
//! finished) plus, in memory, the updates this process is handling right now.
//!
//! Polling redelivers updates whose offset was not confirmed before a crash, and Telegram
//! retries a webhook post it got no answer to. An update already finished is not acted on
//! again; one seen but never finished (a crash in between) is handled again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use chrono::Duration;
use tokio::sync::oneshot;

use crate::conversation::Engine;
use crate::store::{Receipt, StoreError};

/// Inbox rows older than this are pruned: Telegram keeps an unconfirmed update for a day.
const KEEP_DAYS: i64 = 3;
/// Prune once every this many finished updates.
const PRUNE_EVERY: u64 = 1024;

/// An update this process has taken in and not finished yet.
struct Turn {
    /// The dispatcher began handling it (else it waits in the webhook queue).
    started: bool,
    /// Webhook requests waiting for it to finish.
    waiters: Vec<oneshot::Sender<()>>,
}

/// The inbox of one process.
pub struct Inbox {
    engine: Engine,
    turns: Mutex<HashMap<i64, Turn>>,
    finished: AtomicU64,
}

/// What the webhook does with a posted update.
pub enum Accepted {
    /// Recorded: hand it to the dispatcher; the receiver fires once it is finished.
    Queued(oneshot::Receiver<()>),
    /// This process already has it in hand.
    InFlight,
    /// Finished before: nothing to do.
    Done,
}

/// What the handler does with an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begin {
    /// Handle it, then call [`Inbox::finish`].
    Handle,
    /// Being handled right now (a copy delivered twice): leave it to that turn.
    InFlight,
    /// Finished before: do not act again.
    Done,
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

    /// Webhook: records the update (committed when this returns `Ok`). A database failure is
    /// returned, so that the post is answered with an error and Telegram retries.
    pub async fn accept(&self, update_id: i64) -> Result<Accepted, StoreError> {
        {
            let mut turns = self.turns();
            if turns.contains_key(&update_id) {
                return Ok(Accepted::InFlight);
            }
            turns.insert(
                update_id,
                Turn {
                    started: false,
                    waiters: Vec::new(),
                },
            );
        }
        let receipt = self
            .engine
            .store()
            .inbox_receive(update_id, self.engine.now())
            .await;
        let mut turns = self.turns();
        match receipt {
            Ok(Receipt::New | Receipt::Unfinished) => {
                let (tx, rx) = oneshot::channel();
                match turns.get_mut(&update_id) {
                    Some(turn) => turn.waiters.push(tx),
                    None => drop(tx),
                }
                Ok(Accepted::Queued(rx))
            }
            Ok(Receipt::Done) => {
                turns.remove(&update_id);
                Ok(Accepted::Done)
            }
            Err(error) => {
                turns.remove(&update_id);
                Err(error)
            }
        }
    }

    /// Forgets an update accepted by the webhook that never reached the dispatcher.
    pub fn abandon(&self, update_id: i64) {
        self.turns().remove(&update_id);
    }

    /// Handler: whether to act on the update. When the database cannot say, the update is
    /// handled (a reply, even an apology, beats silence; at worst it is acted on twice).
    pub async fn begin(&self, update_id: i64) -> Begin {
        {
            let mut turns = self.turns();
            match turns.get_mut(&update_id) {
                // Accepted by the webhook, which recorded it already.
                Some(turn) if !turn.started => {
                    turn.started = true;
                    return Begin::Handle;
                }
                Some(_) => return Begin::InFlight,
                None => {
                    turns.insert(
                        update_id,
                        Turn {
                            started: true,
                            waiters: Vec::new(),
                        },
                    );
                }
            }
        }
        match self
            .engine
            .store()
            .inbox_receive(update_id, self.engine.now())
            .await
        {
            Ok(Receipt::New | Receipt::Unfinished) => Begin::Handle,
            Ok(Receipt::Done) => {
                self.turns().remove(&update_id);
                Begin::Done
            }
            Err(error) => {
                tracing::warn!(%error, "could not record an update in the inbox; handling it");
                Begin::Handle
            }
        }
    }

    /// Marks the update finished, in the database and here, and wakes the webhook request
    /// waiting for it.
    pub async fn finish(&self, update_id: i64) {
        let now = self.engine.now();
        let store = self.engine.store();
        if let Err(error) = store.inbox_done(update_id, now).await {
            // The update stays unfinished: if it comes back it is handled again.
            tracing::error!(%error, "could not mark an update finished in the inbox");
        }
        if let Some(turn) = self.turns().remove(&update_id) {
            for waiter in turn.waiters {
                let _ = waiter.send(());
            }
        }
        if self
            .finished
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(PRUNE_EVERY)
        {
            self.prune().await;
        }
    }

    /// Forgets inbox rows too old to come back.
    pub async fn prune(&self) {
        let before = self.engine.now() - Duration::days(KEEP_DAYS);
        match self.engine.store().inbox_prune(before).await {
            Ok(gone) if gone > 0 => tracing::debug!(gone, "pruned the inbox"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "could not prune the inbox"),
        }
    }
}
