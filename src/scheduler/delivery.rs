//! Sending what was committed to the outbox: right after the commit by the process that
//! made it, and again by any process once a parcel's lease runs out (a crash, a network
//! error, a 5xx, an unreadable answer). A parcel is deleted only when the transport
//! confirms it, or when it can never arrive.

use chrono::{DateTime, Duration, Utc};

use super::{Outbox, Undelivered};
use crate::domain::ChatId;
use crate::store::{Parcel, Store, StoreResult};

/// Parcels claimed per drain.
const BATCH: u32 = 32;
/// Attempts before a parcel is given up on (with backoff, about eleven hours).
const MAX_ATTEMPTS: i64 = 24;

/// What a delivery run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    /// Kept for a later try.
    pub later: usize,
    /// Dropped: the chat is unreachable, Telegram refused it, or it failed too often.
    pub dropped: usize,
}

/// The wait before the next try of a parcel that failed `attempts` times: 5 s, 10 s, 20 s …
/// capped at an hour.
fn backoff(attempts: i64) -> Duration {
    let exponent = attempts.clamp(1, 10) - 1;
    Duration::seconds((5i64 << exponent).min(3600))
}

/// Sends parcels in order. After a failure the chat's later parcels wait too, so that
/// messages never arrive out of order; a database failure leaves the rest to the next drain.
pub async fn deliver<O: Outbox>(
    store: &Store,
    outbox: &O,
    parcels: Vec<Parcel>,
    now: impl Fn() -> DateTime<Utc>,
) -> StoreResult<Delivered> {
    let mut done = Delivered::default();
    let mut held: Vec<(ChatId, DateTime<Utc>)> = Vec::new();
    let mut unreachable: Vec<ChatId> = Vec::new();
    for parcel in parcels {
        if unreachable.contains(&parcel.chat) {
            continue;
        }
        if parcel.expires_at.is_some_and(|at| now() > at) {
            tracing::info!("a scheduled message is too late now; dropped unsent");
            store.outbox_done(parcel.id).await?;
            done.dropped += 1;
            continue;
        }
        if now() >= parcel.leased_until {
            // Slow sends before it outlasted the lease: another process may hold it now.
            tracing::info!("a message's lease ran out before its turn; left to the next claim");
            done.later += 1;
            continue;
        }
        if let Some(&(_, until)) = held.iter().find(|(chat, _)| *chat == parcel.chat) {
            store.outbox_retry(&parcel, until).await?;
            done.later += 1;
            continue;
        }
        match outbox
            .deliver(parcel.chat, vec![parcel.reply.clone()])
            .await
        {
            Ok(()) => {
                store.outbox_done(parcel.id).await?;
                done.sent += 1;
            }
            Err(Undelivered::Unreachable) => {
                tracing::info!("chat unreachable; its waiting messages are dropped");
                done.dropped += store.outbox_drop_chat(parcel.chat).await? as usize;
                store.mark_unreachable(parcel.chat).await?;
                unreachable.push(parcel.chat);
            }
            Err(Undelivered::Refused(reason)) => {
                tracing::error!(%reason, "giving up on a message Telegram refused");
                store.outbox_done(parcel.id).await?;
                done.dropped += 1;
            }
            Err(Undelivered::Transient(_)) if parcel.attempts >= MAX_ATTEMPTS => {
                tracing::error!(
                    attempts = parcel.attempts,
                    "giving up on a message after repeated failures"
                );
                store.outbox_done(parcel.id).await?;
                done.dropped += 1;
            }
            Err(Undelivered::Transient(reason)) => {
                let until = now() + backoff(parcel.attempts);
                tracing::warn!(%reason, attempts = parcel.attempts, "a message could not be sent; it waits in the outbox");
                store.outbox_retry(&parcel, until).await?;
                held.push((parcel.chat, until));
                done.later += 1;
            }
        }
    }
    Ok(done)
}

/// Sends what a turn just committed (its parcels, leased to this process), right after the
/// commit: the engine's store and clock, for an adapter that holds only the engine.
pub async fn deliver_committed<O: Outbox>(
    engine: &crate::conversation::Engine,
    outbox: &O,
    parcels: Vec<Parcel>,
) -> StoreResult<Delivered> {
    deliver(engine.store(), outbox, parcels, || engine.now()).await
}

/// Claims parcels whose lease ran out, holds them for `lease`, and sends them.
pub async fn drain<O: Outbox>(
    store: &Store,
    outbox: &O,
    lease: Duration,
    now: impl Fn() -> DateTime<Utc>,
) -> StoreResult<Delivered> {
    let at = now();
    let parcels = store.outbox_claim(at, at + lease, BATCH).await?;
    if parcels.is_empty() {
        return Ok(Delivered::default());
    }
    deliver(store, outbox, parcels, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(5));
        assert_eq!(backoff(2), Duration::seconds(10));
        assert_eq!(backoff(500), Duration::seconds(2560));
        assert!(backoff(i64::MAX) <= Duration::hours(1));
    }
}
