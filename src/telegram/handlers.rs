//! The update handler tree, built in one function, and the conversion of Telegram
//! updates into engine events. Private chats only; groups get one note and nothing stored.

use std::sync::Arc;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, MaybeInaccessibleMessage, UpdateKind};

use super::inbox::{Begin, Inbox};
use super::metrics::Metrics;
use super::sender::Sender;
use crate::conversation::{Engine, Incoming, Media, Reply};
use crate::domain::ChatId;

/// What every handler needs.
#[derive(Clone)]
pub struct Deps {
    pub engine: Engine,
    pub sender: Sender,
    pub metrics: Arc<Metrics>,
    pub inbox: Arc<Inbox>,
}

pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

const GROUP_NOTE: &str = "Hi! I only talk in private chats, to protect everyone's privacy. \
     Open a private chat with me to begin. I won't read or keep anything from this group.";

/// The handler tree: every update passes the inbox, so a replayed one is not acted on twice.
pub fn schema() -> UpdateHandler<HandlerError> {
    dptree::entry().endpoint(on_update)
}

/// Handles an update once: skipped when the inbox says it was finished before (or is being
/// handled right now), marked finished when its turn is over.
async fn on_update(deps: Arc<Deps>, update: Update) -> Result<(), HandlerError> {
    let id = i64::from(update.id.0);
    match deps.inbox.begin(id).await {
        Begin::Handle => {}
        Begin::InFlight => {
            deps.metrics.error("duplicate_update");
            return Ok(());
        }
        Begin::Done => {
            deps.metrics.error("duplicate_update");
            tracing::info!(
                update_id = id,
                "an update came again; it was handled already"
            );
            if let UpdateKind::CallbackQuery(query) = &update.kind {
                // Stop the spinner if the first answer was lost; Telegram may refuse a
                // second answer, which is fine.
                let answer = deps.sender.bot().answer_callback_query(query.id.clone());
                if let Err(error) = answer.await {
                    tracing::debug!(error = %deps.sender.describe(&error), "a replayed callback query was not answered again");
                }
            }
            return Ok(());
        }
    }
    let handled = match update.kind {
        UpdateKind::Message(msg) => on_message(&deps, msg).await,
        UpdateKind::EditedMessage(msg) => on_edited(&deps, msg).await,
        UpdateKind::CallbackQuery(query) => on_callback(&deps, query).await,
        UpdateKind::MyChatMember(member) => on_membership(&deps, member).await,
        _ => Ok(()),
    };
    deps.inbox.finish(id).await;
    handled
}

async fn on_message(deps: &Deps, msg: Message) -> Result<(), HandlerError> {
    deps.metrics.update_handled();
    if !msg.chat.is_private() {
        return Ok(());
    }
    let chat = ChatId(msg.chat.id.0);
    converse(deps, chat, incoming_from(&msg)).await;
    Ok(())
}

async fn on_edited(deps: &Deps, msg: Message) -> Result<(), HandlerError> {
    deps.metrics.update_handled();
    if !msg.chat.is_private() {
        return Ok(());
    }
    if let Some(text) = msg.text().or(msg.caption()) {
        converse(
            deps,
            ChatId(msg.chat.id.0),
            Incoming::Edited(text.to_owned()),
        )
        .await;
    }
    Ok(())
}

async fn on_callback(deps: &Deps, query: CallbackQuery) -> Result<(), HandlerError> {
    deps.metrics.update_handled();
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
        return Ok(());
    }
    // In a private chat the chat id is the user's id.
    let chat = ChatId(i64::try_from(query.from.id.0).unwrap_or_default());
    converse(deps, chat, Incoming::Button(query.data.unwrap_or_default())).await;
    Ok(())
}

async fn on_membership(deps: &Deps, update: ChatMemberUpdated) -> Result<(), HandlerError> {
    deps.metrics.update_handled();
    if update.chat.is_private() && update.new_chat_member.is_banned() {
        // The user blocked the bot: nothing more is scheduled for them until they write.
        let chat = ChatId(update.chat.id.0);
        if let Err(error) = deps.engine.store().mark_unreachable(chat).await {
            tracing::error!(%error, "could not mark a user inactive");
        }
        return Ok(());
    }
    let joined = !update.old_chat_member.is_present() && update.new_chat_member.is_present();
    if joined && !update.chat.is_private() {
        let _ = deps
            .sender
            .send(ChatId(update.chat.id.0), &Reply::text(GROUP_NOTE))
            .await;
    }
    Ok(())
}

/// Hands an event to the engine and delivers the replies.
async fn converse(deps: &Deps, chat: ChatId, incoming: Incoming) {
    let replies = match deps.engine.handle(chat, incoming).await {
        Ok(replies) => replies,
        Err(error) => {
            deps.metrics.error("engine");
            tracing::error!(%error, "could not handle an update");
            vec![Reply::text(
                "Sorry, something went wrong on my side. Please try again in a moment.",
            )]
        }
    };
    let _ = deps.sender.send_all(chat, &replies).await;
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
