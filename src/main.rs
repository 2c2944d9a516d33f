//! The `nocontact` command line. Thin: parse arguments, build the application, hand over.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use nocontact::app::Application;
use nocontact::coach::{AdviceContext, Coach, ContentPack};
use nocontact::config::Settings;
use nocontact::console::{self, Screen};
use nocontact::domain::ChatId;
use nocontact::scheduler::Scheduler;
use nocontact::telegram::{self, Mode};

/// A friend in your pocket for the no contact rule.
#[derive(Parser)]
#[command(name = "nocontact", version, about)]
struct Cli {
    /// Directory holding config/ (default: the current directory).
    #[arg(long, global = true, default_value = ".")]
    home: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Chat with the bot in this terminal (one message per line; numbers pick buttons).
    Chat,
    /// Run the Telegram bot (token from TELOXIDE_TOKEN): long polling, or --webhook.
    Run {
        /// Serve updates over HTTP instead of polling (does not call setWebhook).
        #[arg(long)]
        webhook: bool,
    },
    /// Register or remove the webhook with Telegram (once, for all replicas).
    Webhook {
        #[command(subcommand)]
        command: WebhookCommand,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Print the bot's guidance for a message (or for each line of standard input).
    Ask {
        /// One JSON object per message: {"situation": "...", "reply": "..."}.
        #[arg(long)]
        json: bool,
        /// Also show what in the message decided the situation.
        #[arg(long)]
        explain: bool,
        /// The message; without it, messages are read one per line from standard input.
        message: Option<String>,
    },
    /// Work with the coaching content pack.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
}

#[derive(Subcommand)]
enum WebhookCommand {
    /// setWebhook with the configured secret token.
    Set { url: String },
    /// deleteWebhook.
    Delete,
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Validate a content pack (default: the configured one) and list every problem.
    Check { path: Option<PathBuf> },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    nocontact::secrets::install_panic_hook();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "nocontact: {}",
                nocontact::secrets::scrub(&one_line(&error))
            );
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, each cause once: an error whose message
/// already quotes its source (`"cannot read {path}: {source}"`) does not repeat it.
fn one_line(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(&cli.home)?;
    nocontact::secrets::protect_settings(&settings);
    nocontact::telemetry::init("warn,nocontact=info", settings.log.format);
    // Without a subcommand: the bot on Telegram when a token is set, else the console chat.
    let default = if settings.telegram_token.is_some() {
        Command::Run { webhook: false }
    } else {
        Command::Chat
    };
    match cli.command.unwrap_or(default) {
        Command::Run { webhook } => {
            let mode = if webhook {
                Mode::Webhook
            } else {
                Mode::Polling
            };
            let app = Application::build(settings).await?;
            telegram::run(app, mode, telegram::shutdown_signal()).await?;
        }
        Command::Webhook { command } => {
            let app = Application::build(settings).await?;
            match command {
                WebhookCommand::Set { url } => {
                    telegram::set_webhook(&app, &url).await?;
                    println!("webhook set");
                }
                WebhookCommand::Delete => {
                    telegram::delete_webhook(&app).await?;
                    println!("webhook deleted");
                }
            }
        }
        Command::Chat => {
            let files_dir = settings
                .database
                .sqlite_path
                .parent()
                .map(|dir| dir.join("exports"))
                .unwrap_or_else(|| PathBuf::from("exports"));
            let chat = ChatId(settings.console.chat_id);
            let scheduler_settings = settings.scheduler.clone();
            let app = Application::build(settings).await?;
            let scheduler = Scheduler::new(app.engine.clone(), "console", scheduler_settings);
            let screen = Arc::new(Screen::new(std::io::stdout(), files_dir));
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                println!(
                    "nocontact console chat. Type /start to begin, /help for commands, Ctrl-D to leave.\n"
                );
            }
            let input = tokio::io::BufReader::new(tokio::io::stdin());
            console::chat(app.engine.clone(), chat, input, screen, scheduler).await?;
            app.store.close().await;
        }
        Command::Ask {
            json,
            explain,
            message,
        } => {
            let coach = Coach::load(&settings.content.dir)?;
            let mut out = std::io::stdout().lock();
            match message {
                Some(message) => answer(&coach, &message, json, explain, &mut out)?,
                None => answer_lines(&coach, std::io::stdin().lock(), json, explain, &mut out)?,
            }
        }
        Command::Content {
            command: ContentCommand::Check { path },
        } => {
            let dir = path.unwrap_or(settings.content.dir);
            let problems = ContentPack::check(&dir);
            if !problems.is_empty() {
                for problem in &problems {
                    eprintln!("{problem}");
                }
                anyhow::bail!(
                    "{} problem(s) in the content pack at {}",
                    problems.len(),
                    dir.display()
                );
            }
            println!("content pack at {} is valid", dir.display());
        }
        Command::Migrate => {
            let app = Application::build(settings).await?;
            println!("migrations applied ({:?})", app.store.backend());
            app.store.close().await;
        }
    }
    Ok(())
}

/// Answers each line of `input`. A line that is not UTF-8 is named on standard error and
/// skipped, the rest are answered, and the command then fails saying how many were
/// skipped, so a script notices.
fn answer_lines(
    coach: &Coach,
    input: impl std::io::BufRead,
    json: bool,
    explain: bool,
    out: &mut impl std::io::Write,
) -> anyhow::Result<()> {
    let mut unreadable = 0usize;
    for (index, bytes) in input.split(b'\n').enumerate() {
        let number = index + 1;
        let bytes = bytes.map_err(|e| anyhow::anyhow!("cannot read line {number}: {e}"))?;
        let Ok(line) = String::from_utf8(bytes) else {
            eprintln!("nocontact: line {number} is not valid UTF-8; skipped");
            unreadable += 1;
            continue;
        };
        let line = line.strip_suffix('\r').unwrap_or(&line);
        if !line.trim().is_empty() {
            answer(coach, line, json, explain, out)?;
        }
    }
    if unreadable > 0 {
        anyhow::bail!("{unreadable} line(s) could not be read; the others were answered");
    }
    Ok(())
}

/// Prints the guidance for one message, as the bot would answer it to someone new.
fn answer(
    coach: &Coach,
    message: &str,
    json: bool,
    explain: bool,
    out: &mut impl std::io::Write,
) -> anyhow::Result<()> {
    let context = AdviceContext::default();
    let verdict = coach.classify(message);
    let evidence: Vec<String> = verdict
        .tags
        .iter()
        .map(|r| format!("tag {}: {}", r.tag, r.evidence))
        .collect();
    let advice = coach.advise_classified(verdict, message, &context);
    let tags: Vec<&str> = advice.tags.iter().map(|t| t.id()).collect();
    let explanation = || {
        let mut text = advice.explanation.to_string();
        for line in &evidence {
            text.push_str(line);
            text.push('\n');
        }
        text
    };
    if json {
        let mut object = serde_json::json!({
            "situation": advice.situation.id(),
            "tags": tags,
            "reply": advice.text,
        });
        if let Some(meta) = advice.meta {
            object["meta"] = meta.id().into();
        }
        if explain {
            object["explanation"] = explanation().into();
        }
        writeln!(out, "{object}")?;
    } else {
        let shown = if tags.is_empty() {
            String::new()
        } else {
            format!(" ({})", tags.join(", "))
        };
        writeln!(out, "[{}]{shown}\n{}", advice.situation.id(), advice.text)?;
        if explain {
            writeln!(out, "\n{}", explanation())?;
        }
        writeln!(out)?;
    }
    Ok(())
}
