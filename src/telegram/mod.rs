//! The Telegram adapter: long polling or webhooks, health and metrics over HTTP, and the
//! scheduler delivering through the same fault-tolerant sender. Thin over the engine.

pub mod guard;
pub mod handlers;
pub mod http;
pub mod inbox;
pub mod polling;
pub mod sender;
pub mod webhook;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use teloxide::dispatching::Dispatcher;
use teloxide::error_handlers::ErrorHandler;
use teloxide::prelude::*;
use teloxide::types::BotCommand;
use tokio::sync::watch;

use crate::app::Application;
use crate::conversation::COMMANDS;
use crate::scheduler::Scheduler;
use handlers::Deps;
use inbox::Inbox;
use sender::Sender;

/// How updates arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// getUpdates long polling (deletes a webhook first, as Telegram requires).
    Polling,
    /// Telegram posts updates to our HTTP endpoint. setWebhook is not called here, so
    /// several replicas can serve one bot: register it once with `nocontact webhook set`.
    Webhook,
}

/// Why the bot could not run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("TELOXIDE_TOKEN is not set (for a chat without Telegram, run `nocontact chat`)")]
    NoToken,
    #[error(
        "webhook mode needs a secret token: set NOCONTACT__TELEGRAM__WEBHOOK_SECRET, or anyone \
         who finds the path could post updates as any user"
    )]
    NoWebhookSecret,
    #[error(
        "Telegram rejected the bot token: check TELOXIDE_TOKEN (a token from @BotFather looks \
         like 123456:ABC-...)"
    )]
    TokenRejected,
    #[error("the bot could not start: {0}")]
    Startup(String),
    #[error("invalid TELOXIDE_API_URL: {0}")]
    ApiUrl(String),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// The bot for the configured token and API server.
pub fn bot(app: &Application) -> Result<(Bot, SecretString), RunError> {
    let token = app
        .settings
        .telegram_token
        .clone()
        .ok_or(RunError::NoToken)?;
    let mut bot = Bot::new(token.expose_secret());
    if let Some(url) = &app.settings.telegram.api_url {
        let url = url::Url::parse(url).map_err(|e| RunError::ApiUrl(e.to_string()))?;
        bot = bot.set_api_url(url);
    }
    Ok((bot, token))
}

/// Runs the bot until `shutdown` resolves; then finishes the updates in flight and returns.
/// HTTP (health, metrics, webhook) is served on the configured `telegram.listen` address.
pub async fn run(
    app: Application,
    mode: Mode,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    let listener = tokio::net::TcpListener::bind(app.settings.telegram.listen)
        .await
        .map_err(|source| RunError::Listen {
            address: app.settings.telegram.listen,
            source,
        })?;
    run_on(app, mode, listener, shutdown).await
}

/// Like [`run`], serving HTTP on an already bound listener.
pub async fn run_on(
    app: Application,
    mode: Mode,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    if mode == Mode::Webhook && app.settings.telegram.webhook_secret.is_none() {
        return Err(RunError::NoWebhookSecret);
    }
    let (bot, token) = bot(&app)?;
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = shutdown_tx.send(true);
    });
    let metrics = app.metrics.clone();
    let sender = Sender::new(bot.clone(), app.store.clone(), metrics.clone(), token);
    if !wait_for_bot_api(&sender, shutdown_rx.clone()).await? {
        app.store.close().await;
        return Ok(());
    }
    register_commands(&sender).await;

    let (stop_tx, stop_rx) = watch::channel(false);
    let scheduler = Scheduler::new(
        app.engine.clone(),
        worker_name(),
        app.settings.scheduler.clone(),
    );
    let scheduler_task = tokio::spawn(scheduler.run(sender.clone(), stop_rx.clone()));

    let inbox = Arc::new(Inbox::new(app.engine.clone()));
    inbox.prune().await;
    let deps = Arc::new(Deps {
        engine: app.engine.clone(),
        sender: sender.clone(),
        metrics: metrics.clone(),
        inbox: inbox.clone(),
        redelivered: mode == Mode::Webhook,
        outbox_lease: app.settings.scheduler.outbox_lease(),
    });
    let mut dispatcher = Dispatcher::builder(bot.clone(), handlers::schema())
        .dependencies(dptree::deps![deps])
        .default_handler(|_| async {})
        .error_handler(Arc::new(RedactingErrors(sender.clone())))
        .build();
    let token = dispatcher.shutdown_token();
    let mut stopping = shutdown_rx.clone();
    let mut finished = stop_rx.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = stopping.wait_for(|stop| *stop) => {}
            // The dispatcher ended by itself (it could not start): nothing to stop.
            _ = finished.wait_for(|stop| *stop) => return,
        }
        tracing::info!("shutting down: finishing updates in flight");
        // Fails only when the dispatcher is not running yet or already stopping.
        while token.shutdown().is_err() && !*finished.borrow() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });

    let health = http::router(app.store.clone(), metrics.clone());
    let errors = Arc::new(RedactingErrors(sender.clone()));
    let dispatched = match mode {
        Mode::Polling => {
            let mut stop = stop_rx.clone();
            let stopped = async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            };
            let server = serve(listener, health, stopped);
            // Telegram serves getUpdates only while no webhook is set.
            let deleted = sender
                .with_retries(crate::domain::ChatId(0), || {
                    let request = sender.bot().delete_webhook();
                    async move { request.await.map(drop) }
                })
                .await;
            if deleted.is_err() {
                tracing::warn!("could not delete the webhook; polling may get nothing");
            }
            let (updates, polling_task) = polling::listener(
                sender.clone(),
                inbox.clone(),
                app.settings.telegram.polling_timeout_secs,
            );
            tracing::info!("polling for updates");
            let dispatched = dispatcher.try_dispatch_with_listener(updates, errors).await;
            polling_task.abort();
            let _ = stop_tx.send(true);
            let _ = server.await;
            dispatched
        }
        Mode::Webhook => {
            // Never setWebhook/deleteWebhook here: any number of replicas serve one bot.
            let secret = app
                .settings
                .telegram
                .webhook_secret
                .clone()
                .ok_or(RunError::NoWebhookSecret)?;
            let (updates, listener_stopped, webhook) = webhook::route(
                &app.settings.telegram.webhook_path,
                secret,
                inbox.clone(),
                metrics.clone(),
            );
            // The webhook route feeds the listener: the server must stop when the listener
            // does, or the dispatcher would wait for it forever.
            let mut stop = stop_rx.clone();
            let stopped = async move {
                tokio::select! {
                    () = listener_stopped => {}
                    _ = stop.wait_for(|stopped| *stopped) => {}
                }
            };
            let server = serve(listener, webhook.merge(health), stopped);
            tracing::info!(path = %app.settings.telegram.webhook_path, "serving the webhook");
            let dispatched = dispatcher.try_dispatch_with_listener(updates, errors).await;
            let _ = stop_tx.send(true);
            let _ = server.await;
            dispatched
        }
    };
    let _ = stop_tx.send(true);
    let _ = scheduler_task.await;
    app.store.close().await;
    // The dispatcher asks for the bot's profile once more before it starts: that request
    // failing ends the run with an error, not a panic.
    dispatched.map_err(|error| RunError::Startup(sender.describe(&error)))?;
    tracing::info!("stopped");
    Ok(())
}

/// The first wait between start-up attempts; it doubles up to [`MAX_STARTUP_WAIT`].
const FIRST_STARTUP_WAIT: Duration = Duration::from_millis(500);
const MAX_STARTUP_WAIT: Duration = Duration::from_secs(30);

/// Asks Telegram who the bot is (getMe) until it answers, logging one line per failed
/// attempt and waiting longer each time: an unreachable, failing or garbled Bot API is
/// waited out. A rejected token stops start-up. False when shutdown came first.
async fn wait_for_bot_api(
    sender: &Sender,
    mut shutdown: watch::Receiver<bool>,
) -> Result<bool, RunError> {
    let mut wait = FIRST_STARTUP_WAIT;
    for attempt in 1u64.. {
        let answer = tokio::select! {
            answer = sender.bot().get_me() => answer,
            _ = shutdown.wait_for(|stop| *stop) => return Ok(false),
        };
        let error = match answer {
            Ok(_) => {
                if attempt > 1 {
                    tracing::info!(attempt, "the Telegram Bot API answers");
                }
                return Ok(true);
            }
            Err(error) if token_rejected(&error) => return Err(RunError::TokenRejected),
            Err(error) => error,
        };
        tracing::warn!(
            attempt,
            retry_in_ms = wait.as_millis() as u64,
            error = %sender.describe(&error),
            "the Telegram Bot API did not answer getMe; retrying"
        );
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = shutdown.wait_for(|stop| *stop) => return Ok(false),
        }
        wait = (wait * 2).min(MAX_STARTUP_WAIT);
    }
    Ok(false)
}

/// True when Telegram refused the token itself (401 Unauthorized or 404 Not Found on
/// getMe), which no retry will change.
fn token_rejected(error: &teloxide::RequestError) -> bool {
    use teloxide::{ApiError, RequestError};
    match error {
        RequestError::Api(ApiError::InvalidToken) => true,
        RequestError::Api(ApiError::Unknown(description)) => {
            description.starts_with("Unauthorized") || description.starts_with("Not Found")
        }
        _ => false,
    }
}

/// Registers the command menu from the same list `/help` prints.
async fn register_commands(sender: &Sender) {
    let commands: Vec<BotCommand> = COMMANDS
        .iter()
        .map(|c| BotCommand::new(c.name, c.description))
        .collect();
    let registered = sender
        .with_retries(crate::domain::ChatId(0), || {
            let request = sender.bot().set_my_commands(commands.clone());
            async move { request.await.map(drop) }
        })
        .await;
    if registered.is_err() {
        tracing::warn!("could not register the command menu; continuing without it");
    }
}

/// Serves HTTP until `stopped` resolves.
fn serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    stopped: impl Future<Output = ()> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(error) = axum::serve(guard::GuardedListener::new(listener), router)
            .with_graceful_shutdown(stopped)
            .await
        {
            tracing::error!(%error, "HTTP server failed");
        }
    })
}

/// A name for this process's scheduler claims.
fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "nocontact".into());
    format!("{host}-{}", std::process::id())
}

/// Logs dispatcher and polling errors without the token.
struct RedactingErrors(Sender);

impl<E: std::fmt::Display + Send + 'static> ErrorHandler<E> for RedactingErrors {
    fn handle_error(
        self: Arc<Self>,
        error: E,
    ) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
        let text = self.0.redact(&error);
        Box::pin(async move {
            tracing::warn!(error = %text, "update error; carrying on");
        })
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// Why `nocontact webhook set` or `delete` failed.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(
        "no webhook secret is configured: set NOCONTACT__TELEGRAM__WEBHOOK_SECRET (the same one \
         `run --webhook` uses), or that bot would reject every update Telegram posts"
    )]
    NoSecret,
    #[error("invalid webhook URL: {0}")]
    Url(#[from] url::ParseError),
    #[error("Telegram refused: {0}")]
    Telegram(String),
}

/// `nocontact webhook set <URL>`: registers the webhook once for all replicas, with the
/// configured secret token. Refused without one: `run --webhook` requires the secret on
/// every update, so a webhook set without it would deliver nothing, forever.
pub async fn set_webhook(app: &Application, url: &str) -> Result<(), WebhookError> {
    let secret = app
        .settings
        .telegram
        .webhook_secret
        .as_ref()
        .ok_or(WebhookError::NoSecret)?;
    let (bot, _) = bot(app)?;
    let url = url::Url::parse(url)?;
    bot.set_webhook(url)
        .secret_token(secret.expose_secret().to_owned())
        .await
        .map_err(|e| WebhookError::Telegram(crate::secrets::scrubbed(&e)))?;
    Ok(())
}

/// `nocontact webhook delete`.
pub async fn delete_webhook(app: &Application) -> Result<(), WebhookError> {
    let (bot, _) = bot(app)?;
    bot.delete_webhook()
        .await
        .map_err(|e| WebhookError::Telegram(crate::secrets::scrubbed(&e)))?;
    Ok(())
}
