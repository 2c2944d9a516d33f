//! Long polling that confirms an update to Telegram only once its turn is committed.
//!
//! teloxide's own polling confirms a batch (the next getUpdates' offset) as soon as it has
//! handed it to the dispatcher, so a crash loses what was still being handled. Here each
//! batch is handed over, and the next offset is asked for only when every turn of the batch
//! has ended: after a crash Telegram sends the unconfirmed updates again, and the inbox
//! skips those whose turns were committed.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::stop::{StopFlag, mk_stop_token};
use teloxide::types::{AllowedUpdate, Update};
use teloxide::update_listeners::{StatefulListener, UpdateListener};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::inbox::Inbox;
use super::sender::Sender;
use super::webhook::{stop_of, stream_of};

/// The longest a batch may take before the next one is asked for anyway.
const BATCH_WAIT: Duration = Duration::from_secs(120);
/// The longest wait between failed getUpdates calls.
const MAX_WAIT: Duration = Duration::from_secs(30);

/// The listener feeding the dispatcher, and the task polling for it (it ends when the
/// dispatcher stops the listener).
pub fn listener(
    sender: Sender,
    inbox: Arc<Inbox>,
    timeout_secs: u32,
) -> (
    impl UpdateListener<Err = Infallible>,
    tokio::task::JoinHandle<()>,
) {
    let (tx, rx) = mpsc::channel(128);
    let (token, stopping) = mk_stop_token();
    let task = tokio::spawn(poll(sender, inbox, timeout_secs, tx, stopping));
    let listener = StatefulListener::new((ReceiverStream::new(rx), token), stream_of, stop_of);
    (listener, task)
}

async fn poll(
    sender: Sender,
    inbox: Arc<Inbox>,
    timeout_secs: u32,
    queue: mpsc::Sender<Result<Update, Infallible>>,
    stopping: StopFlag,
) {
    let mut offset: i32 = 0;
    let mut wait = Duration::from_millis(250);
    let allowed = vec![
        AllowedUpdate::Message,
        AllowedUpdate::EditedMessage,
        AllowedUpdate::CallbackQuery,
        AllowedUpdate::MyChatMember,
    ];
    loop {
        let request = sender
            .bot()
            .get_updates()
            .offset(offset)
            .timeout(timeout_secs)
            .allowed_updates(allowed.clone());
        let updates = tokio::select! {
            answer = request.send() => answer,
            () = stopping.clone() => return,
        };
        let updates = match updates {
            Ok(updates) => {
                wait = Duration::from_millis(250);
                updates
            }
            Err(error) => {
                tracing::warn!(error = %sender.describe(&error), retry_in_ms = wait.as_millis() as u64, "getUpdates failed; retrying");
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = stopping.clone() => return,
                }
                wait = (wait * 2).min(MAX_WAIT);
                continue;
            }
        };
        let mut turns = Vec::with_capacity(updates.len());
        for update in updates {
            let id = update.id.0;
            offset = offset.max(i32::try_from(id).unwrap_or(i32::MAX).saturating_add(1));
            let (ended, _) = inbox.track(i64::from(id));
            turns.push(ended);
            if queue.send(Ok(update)).await.is_err() {
                return;
            }
        }
        // The next offset confirms the batch: only once every turn of it has ended (or,
        // should a turn hang, after a while: a stuck update must not stop the bot).
        let all_ended = async {
            for ended in turns {
                let _ = ended.await;
            }
        };
        tokio::select! {
            finished = tokio::time::timeout(BATCH_WAIT, all_ended) => {
                if finished.is_err() {
                    tracing::warn!("a batch of updates is still being handled; polling on");
                }
            }
            () = stopping.clone() => return,
        }
    }
}
