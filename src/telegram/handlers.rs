//! The update handler tree, built in one function, and the conversion of Telegram
//! updates into engine events. Private chats only; groups get one note and nothing stored.

use std::sync::Arc;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, MaybeInaccessibleMessage, UpdateKind};
use tracing::Instrument;

use super::inbox::{Begin, Inbox};
use super::sender::Sender;
use crate::conversation::{Engine, Incoming, Media, Reply, Settled};
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

const GROUP_NOTE: &str = "Hi! I only talk in private chats, to protect everyone's privacy. \
     Open a private chat with me to begin. I won't read or keep anything from this group.";

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
    let outcome = handle_update(&deps, id, update)
        .instrument(span.clone())
        .await;
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
        UpdateKind::MyChatMember(member) => on_membership(deps, member).await,
        _ => Outcome::Ignored,
    };
    // An update without a turn (a group, a membership change) is finished here; one with a
    // turn was finished when its turn committed or failed.
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

async fn on_membership(deps: &Deps, update: ChatMemberUpdated) -> Outcome {
    if update.chat.is_private() && update.new_chat_member.is_banned() {
        // The user blocked the bot: nothing more is scheduled for them until they write.
        let chat = ChatId(update.chat.id.0);
        if let Err(error) = deps.engine.store().mark_unreachable(chat).await {
            tracing::error!(%error, "could not mark a user inactive");
        }
        return Outcome::Ignored;
    }
    let joined = !update.old_chat_member.is_present() && update.new_chat_member.is_present();
    if joined && !update.chat.is_private() {
        let _ = deps
            .sender
            .send(ChatId(update.chat.id.0), &Reply::text(GROUP_NOTE))
            .await;
    }
    Outcome::Ignored
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
            if !deps.redelivered || deps.engine.is_crisis(&incoming) {
                let _ = deps
                    .sender
                    .send(chat, &deps.engine.fallback(&incoming))
                    .await;
            }
            return outcome;
        }
    };
    let store = deps.engine.store();
    let now = || deps.engine.now();
    if let Err(error) = delivery::deliver(store, &deps.sender, parcels, now).await {
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
