//! The webhook route, our own: the secret is checked before the body is read, and Telegram
//! hears 200 only once the update's turn is committed (503 otherwise, so that it posts the
//! update again).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::routing::post;
use secrecy::{ExposeSecret, SecretString};
use teloxide::stop::{StopFlag, StopToken, mk_stop_token};
use teloxide::types::Update;
use teloxide::update_listeners::{StatefulListener, UpdateListener};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::inbox::{Accepted, Inbox};
use crate::metrics::Metrics;

/// The largest body accepted: Telegram's updates are a few kilobytes (a 4,096-character
/// message quoting another one, every character an escaped emoji, stays far below).
pub const MAX_BODY: usize = 256 * 1024;
/// How long the body of a post may take to arrive.
const BODY_WAIT: Duration = Duration::from_secs(10);
/// How long a post waits for its update's turn to commit before it is answered 503 (the
/// turn goes on; Telegram's next post finds it committed).
const TURN_WAIT: Duration = Duration::from_secs(10);
/// Updates waiting for the dispatcher; a full queue holds the posts back.
const QUEUE: usize = 256;

pub(super) type Queue = ReceiverStream<Result<Update, Infallible>>;

#[derive(Clone)]
struct WebhookState {
    secret: SecretString,
    inbox: Arc<Inbox>,
    metrics: Arc<Metrics>,
    queue: mpsc::Sender<Result<Update, Infallible>>,
    stopping: StopFlag,
}

/// The webhook route at `path`, the listener feeding the dispatcher from it, and a future
/// that resolves when the dispatcher stops the listener (stop serving then: the listener
/// ends when the route is dropped).
pub fn route(
    path: &str,
    secret: SecretString,
    inbox: Arc<Inbox>,
    metrics: Arc<Metrics>,
) -> (impl UpdateListener<Err = Infallible>, StopFlag, Router) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let (token, stopping) = mk_stop_token();
    let router = Router::new()
        .route(path, post(receive))
        .with_state(WebhookState {
            secret,
            inbox,
            metrics,
            queue: tx,
            stopping: stopping.clone(),
        });
    let listener = StatefulListener::new((ReceiverStream::new(rx), token), stream_of, stop_of);
    (listener, stopping, router)
}

pub(super) fn stream_of(state: &mut (Queue, StopToken)) -> &mut Queue {
    &mut state.0
}

pub(super) fn stop_of(state: &mut (Queue, StopToken)) -> StopToken {
    state.1.clone()
}

/// Equal secrets, compared without an early exit.
fn secret_matches(given: Option<&[u8]>, expected: &[u8]) -> bool {
    let Some(given) = given else { return false };
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

async fn receive(State(state): State<WebhookState>, request: Request<Body>) -> StatusCode {
    // The secret first: nothing of a stranger's request is read.
    let given = request
        .headers()
        .get("x-telegram-bot-api-secret-token")
        .map(|v| v.as_bytes());
    if !secret_matches(given, state.secret.expose_secret().as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    if state.stopping.is_stopped() {
        // Shutting down: Telegram posts it again, to us later or to another replica.
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        state.metrics.error("webhook_too_large");
        tracing::warn!(
            size = declared,
            "a webhook post over the body limit was refused"
        );
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    let body = axum::body::to_bytes(request.into_body(), MAX_BODY);
    let body = match tokio::time::timeout(BODY_WAIT, body).await {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => {
            state.metrics.error("webhook_body");
            tracing::warn!("a webhook body could not be read or was over the limit");
            return StatusCode::PAYLOAD_TOO_LARGE;
        }
        Err(_) => {
            state.metrics.error("webhook_slow_body");
            tracing::warn!("a webhook body took too long to arrive");
            return StatusCode::REQUEST_TIMEOUT;
        }
    };
    let update: Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(error) => {
            // The kind and size only: the body is a user's message.
            state.metrics.error("webhook_unparsable");
            tracing::warn!(kind = ?error.classify(), size = body.len(), "a webhook body is not an update");
            return StatusCode::BAD_REQUEST;
        }
    };
    // Taken in, queued and waited for in a task of its own: a client that hangs up must not
    // cancel this halfway and leave the update marked as in hand, never to be handled.
    match tokio::spawn(take_in(state, update)).await {
        Ok(status) => status,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Records that this process has the update in hand, queues it for the dispatcher and
/// answers once its turn is committed.
async fn take_in(state: WebhookState, update: Update) -> StatusCode {
    let id = i64::from(update.id.0);
    match state.inbox.accept(id).await {
        Err(error) => {
            state.metrics.error("inbox");
            tracing::error!(%error, "could not record an update in the inbox; Telegram will retry");
            StatusCode::SERVICE_UNAVAILABLE
        }
        Ok(Accepted::Done) => {
            tracing::info!(update_id = id, "an update came again; not acting twice");
            StatusCode::OK
        }
        Ok(Accepted::Joined(committed)) => answer_when_committed(committed).await,
        Ok(Accepted::Queued(committed)) => {
            // A full queue (the bot is overloaded) answers 503 after a while: Telegram
            // posts the update again later.
            let queued = tokio::time::timeout(TURN_WAIT, state.queue.send(Ok(update))).await;
            if !matches!(queued, Ok(Ok(()))) {
                state.inbox.abandon(id);
                return StatusCode::SERVICE_UNAVAILABLE;
            }
            answer_when_committed(committed).await
        }
    }
}

/// 200 once the update's turn is committed (with the update's id and its replies), so that
/// nothing Telegram was told is done can be lost; 503 when the turn failed or is still
/// running after a while, so that Telegram posts it again (the inbox then recognises it).
async fn answer_when_committed(committed: tokio::sync::oneshot::Receiver<bool>) -> StatusCode {
    match tokio::time::timeout(TURN_WAIT, committed).await {
        Ok(Ok(true)) => StatusCode::OK,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    }
}
