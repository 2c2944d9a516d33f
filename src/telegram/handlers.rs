//! The update handler tree, built in one function, and the conversion of Telegram
//! updates into engine events. Private chats only; groups get one note and nothing stored.

use std::sync::Arc;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, MaybeInaccessibleMessage, UpdateKind};
use tracing::Instrument;

use super::inbox::{Begin, Inbox};
use super::sender::Sender;
use crate::conversation::{Engine, EngineError, Incoming, Media, Membership, Settled};
use crate::domain::ChatId;
use crate::metrics::{Metrics, Outcome};
use crate::scheduler::delivery;

/// What every handler needs.
#[derive(Clone)]
pub struct Deps {
    pub engine: Engine,
    pub sender: Sender,
    pub metrics: Arc<Metrics>,
    pub inbox: Arc<Inbox>,
    /// True when a failed update comes back by itself (polling cannot be asked again, a
    /// webhook post answered with an error is posted again): then no apology is sent.
    pub redelivered: bool,
    /// How long a committed reply is held by this process while it sends it.
    pub outbox_lease: chrono::Duration,
}

pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// The handler tree: every update passes the inbox, so a replayed one is not acted on twice.
pub fn schema() -> UpdateHandler<HandlerError> {
    dptree::entry().endpoint(on_update)
}

/// Handles an update once here: a copy already in hand is left to its turn; one whose
/// turn was committed before is recognised in the turn's own transaction.
/// Each update runs in a span of its own: its id, its kind, the situation the coach read
/// (for a coaching reply), the outcome and the duration; never text or chat ids.
async fn on_update(deps: Arc<Deps>, update: Update) -> Result<(), HandlerError> {
    let id = i64::from(update.id.0);
    let span = tracing::info_span!(
        "update",
        update_id = id,
        kind = update_kind(&update.kind),
        situation = tracing::field::Empty,
        outcome = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let kind = update_kind(&update.kind);
    let words = words_of(&update);
    let task = {
        let deps = deps.clone();
        async move { handle_update(&deps, id, update).await }.instrument(span.clone())
    };
    let outcome = match contained(task).await {
        Some(outcome) => outcome,
        None => panicked(&deps, id, words).instrument(span.clone()).await,
    };
    deps.metrics.update(kind, outcome);
    span.record("outcome", outcome.as_str());
    span.in_scope(|| {
        tracing::debug!(
            duration_ms = started.elapsed().as_secs_f64() * 1000.0,
            "update handled"
        );
    });
    Ok(())
}

/// Runs an update's handling so that a panic in it ends that update, not the handler of
/// every later update of the chat: `None` when it panicked.
pub async fn contained<T: Send + 'static>(
    task: impl std::future::Future<Output = T> + Send + 'static,
) -> Option<T> {
    match tokio::spawn(task).await {
        Ok(done) => Some(done),
        Err(error) if error.is_panic() => None,
        // the runtime is shutting down: the update was not finished
        Err(_) => None,
    }
}

/// The handling of an update panicked: nothing of its turn was committed (the transaction
/// was dropped with it). Whoever waits for it hears so, and the person gets crisis resources
/// for words of self-harm, else (when the update will not come back by itself) an apology.
async fn panicked(deps: &Deps, id: i64, words: Option<(ChatId, String)>) -> Outcome {
    deps.metrics.error("panic");
    tracing::error!("handling an update panicked; nothing of it was kept");
    deps.inbox.finish(id, false).await;
    if let Some((chat, words)) = words {
        let incoming = Incoming::Text(words);
        if !deps.redelivered || deps.engine.is_crisis(&incoming) {
            let _ = deps
                .sender
                .send(chat, &deps.engine.fallback(&incoming))
                .await;
        }
    }
    Outcome::Failed
}

/// The private chat an update came from and its words, if it has any: what a fallback
/// answer needs should its handling fail.
fn words_of(update: &Update) -> Option<(ChatId, String)> {
    match &update.kind {
        UpdateKind::Message(msg) | UpdateKind::EditedMessage(msg) if msg.chat.is_private() => {
            let words = msg.text().or(msg.caption()).unwrap_or_default();
            Some((ChatId(msg.chat.id.0), words.to_owned()))
        }
        UpdateKind::CallbackQuery(query) => {
            let chat = ChatId(i64::try_from(query.from.id.0).ok()?);
            Some((chat, String::new()))
        }
        _ => None,
    }
}

/// The update's kind, as Telegram names it.
fn update_kind(kind: &UpdateKind) -> &'static str {
    match kind {
        UpdateKind::Message(_) => "message",
        UpdateKind::EditedMessage(_) => "edited_message",
        UpdateKind::CallbackQuery(_) => "callback_query",
        UpdateKind::MyChatMember(_) => "my_chat_member",
        _ => "other",
    }
}

async fn handle_update(deps: &Deps, id: i64, update: Update) -> Outcome {
    if deps.inbox.begin(id) == Begin::InFlight {
        deps.metrics.error("duplicate_update");
        return Outcome::InFlight;
    }
    let handled = match update.kind {
        UpdateKind::Message(msg) => on_message(deps, id, msg).await,
        UpdateKind::EditedMessage(msg) => on_edited(deps, id, msg).await,
        UpdateKind::CallbackQuery(query) => on_callback(deps, id, query).await,
        UpdateKind::MyChatMember(member) => on_membership(deps, id, member).await,
        _ => Outcome::Ignored,
    };
    // An update without a turn (a group message, an unknown kind) is finished here; one
    // with a turn was finished when its turn committed or failed.
    deps.inbox.finish_started(id).await;
    handled
}

async fn on_message(deps: &Deps, id: i64, msg: Message) -> Outcome {
    if !msg.chat.is_private() {
        return Outcome::Ignored;
    }
    let chat = ChatId(msg.chat.id.0);
    converse(deps, id, chat, incoming_from(&msg)).await
}

async fn on_edited(deps: &Deps, id: i64, msg: Message) -> Outcome {
    if !msg.chat.is_private() {
        return Outcome::Ignored;
    }
    match msg.text().or(msg.caption()) {
        Some(text) => {
            converse(
                deps,
                id,
                ChatId(msg.chat.id.0),
                Incoming::Edited(text.to_owned()),
            )
            .await
        }
        None => Outcome::Ignored,
    }
}

async fn on_callback(deps: &Deps, id: i64, query: CallbackQuery) -> Outcome {
    // Stop the spinner first, whatever the button turns out to be.
    let answer = deps.sender.bot().answer_callback_query(query.id.clone());
    if let Err(error) = answer.await {
        deps.metrics.error("answer_callback");
        tracing::warn!(error = %deps.sender.describe(&error), "could not answer a callback query");
    }
    let private = match &query.message {
        Some(MaybeInaccessibleMessage::Regular(m)) => m.chat.is_private(),
        Some(MaybeInaccessibleMessage::Inaccessible(m)) => m.chat.is_private(),
        None => true,
    };
    if !private {
        return Outcome::Ignored;
    }
    // In a private chat the chat id is the user's id.
    let chat = ChatId(i64::try_from(query.from.id.0).unwrap_or_default());
    converse(
        deps,
        id,
        chat,
        Incoming::Button(query.data.unwrap_or_default()),
    )
    .await
}

/// A blocked bot or a new group is a turn of its own (replayed, it is not acted on twice);
/// any other membership change needs nothing.
async fn on_membership(deps: &Deps, id: i64, update: ChatMemberUpdated) -> Outcome {
    let private = update.chat.is_private();
    let joined = !update.old_chat_member.is_present() && update.new_chat_member.is_present();
    let change = if private && update.new_chat_member.is_banned() {
        Membership::Blocked
    } else if joined && !private {
        Membership::AddedToGroup
    } else {
        return Outcome::Ignored;
    };
    let chat = ChatId(update.chat.id.0);
    let settled = deps
        .engine
        .handle_membership(id, chat, change, deps.outbox_lease)
        .await;
    settle(deps, id, chat, settled, None).await
}

/// Runs the event's turn (committed with the update's id and its replies in the outbox),
/// tells whoever waits for the update, then delivers the replies. When the turn cannot be
/// committed, nothing was done: crisis resources are still sent, and the update is left for
/// Telegram to post again (webhook) or answered with an apology (polling, which cannot be
/// asked again).
async fn converse(deps: &Deps, id: i64, chat: ChatId, incoming: Incoming) -> Outcome {
    let lease = deps.outbox_lease;
    let settled = deps
        .engine
        .handle_update(id, chat, incoming.clone(), lease)
        .await;
    settle(deps, id, chat, settled, Some(&incoming)).await
}

/// After a turn: tells whoever waits for the update whether it committed, then delivers
/// what it staged. A failed turn did nothing; for an event with words, its fallback answer
/// (crisis resources, or an apology where the update will not come back) is sent.
async fn settle(
    deps: &Deps,
    id: i64,
    chat: ChatId,
    settled: Result<Settled, EngineError>,
    incoming: Option<&Incoming>,
) -> Outcome {
    let outcome = match &settled {
        Ok(Settled::Committed { .. }) => Outcome::Committed,
        Ok(Settled::Replayed) => Outcome::Replayed,
        Err(_) => Outcome::Failed,
    };
    let parcels = match settled {
        Ok(Settled::Committed { parcels, .. }) => {
            deps.inbox.finish(id, true).await;
            parcels
        }
        Ok(Settled::Replayed) => {
            deps.inbox.finish(id, true).await;
            deps.metrics.error("duplicate_update");
            tracing::info!(
                update_id = id,
                "an update came again; it was handled already"
            );
            return outcome;
        }
        Err(error) => {
            deps.inbox.finish(id, false).await;
            deps.metrics.error("engine");
            tracing::error!(%error, "could not handle an update; nothing of it was kept");
            if let Some(incoming) = incoming
                && (!deps.redelivered || deps.engine.is_crisis(incoming))
            {
                let _ = deps
                    .sender
                    .send(chat, &deps.engine.fallback(incoming))
                    .await;
            }
            return outcome;
        }
    };
    if let Err(error) = delivery::deliver_committed(&deps.engine, &deps.sender, parcels).await {
        // The replies stay in the outbox: they are sent once their lease runs out.
        tracing::error!(%error, "could not note a delivery; the outbox will send again");
    }
    outcome
}

/// The engine event for a private message.
pub fn incoming_from(msg: &Message) -> Incoming {
    let forwarded = msg.forward_origin().is_some();
    if let Some(text) = msg.text() {
        return if forwarded {
            Incoming::Forwarded(text.to_owned())
        } else {
            Incoming::from_text(text)
        };
    }
    // A caption is words like any others (a photo captioned "I want to die" included).
    if let Some(caption) = msg.caption() {
        return if forwarded {
            Incoming::Forwarded(caption.to_owned())
        } else {
            Incoming::Text(caption.to_owned())
        };
    }
    if let Some(location) = msg.location() {
        return Incoming::Location {
            latitude: location.latitude,
            longitude: location.longitude,
        };
    }
    let media = if msg.voice().is_some() || msg.audio().is_some() || msg.video_note().is_some() {
        Media::Voice
    } else if msg.sticker().is_some() {
        Media::Sticker
    } else if msg.photo().is_some() {
        Media::Photo
    } else if msg.video().is_some() || msg.animation().is_some() {
        Media::Video
    } else if msg.document().is_some() {
        Media::Document
    } else {
        Media::Other
    };
    Incoming::Unsupported(media)
}

#[cfg(test)]
mod tests {
    use super::contained;

    #[tokio::test]
    async fn a_panic_in_an_update_is_contained() {
        assert_eq!(contained(async { 7 }).await, Some(7));
        let panicking = async {
            if std::hint::black_box(true) {
                panic!("a bug in a handler");
            }
            7
        };
        assert_eq!(contained(panicking).await, None);
    }
}
