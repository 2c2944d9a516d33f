//! The console chat: the same bot in a terminal, one message per line on standard input,
//! replies on standard output with buttons shown as numbered choices the user can type.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::sync::watch;

use crate::conversation::{Engine, EngineError, Incoming, Reply};
use crate::domain::ChatId;
use crate::scheduler::{Outbox, Undelivered};

/// The terminal side: prints replies and remembers the buttons on screen.
pub struct Screen<W> {
    out: Mutex<W>,
    /// Callback data of the numbered choices last shown.
    choices: Mutex<Vec<String>>,
    /// Where sent files (the data export) are written.
    files_dir: PathBuf,
}

impl<W: Write + Send> Screen<W> {
    pub fn new(out: W, files_dir: PathBuf) -> Self {
        Screen {
            out: Mutex::new(out),
            choices: Mutex::new(Vec::new()),
            files_dir,
        }
    }

    /// Reads a typed line: a number picks one of the choices shown, anything else is a message.
    pub fn read(&self, line: &str) -> Incoming {
        let choices = self.choices.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(n) = line.trim().parse::<usize>()
            && let Some(data) = n.checked_sub(1).and_then(|i| choices.get(i))
        {
            return Incoming::Button(data.clone());
        }
        Incoming::from_text(line)
    }

    /// Prints replies; their buttons become the numbered choices.
    pub fn show(&self, chat: ChatId, replies: &[Reply]) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let mut choices = self.choices.lock().unwrap_or_else(|e| e.into_inner());
        // Numbers always refer to the buttons of the latest message that had any: once an
        // answer without buttons comes, old numbers no longer press anything.
        if replies.iter().all(|r| r.keyboard.is_empty()) {
            choices.clear();
        }
        for reply in replies {
            if reply.keyboard.is_empty() {
                let _ = writeln!(out, "{}\n", reply.text);
            } else {
                choices.clear();
                let _ = writeln!(out, "{}", reply.text);
                for row in &reply.keyboard {
                    let line: Vec<String> = row
                        .iter()
                        .map(|b| {
                            choices.push(b.data.clone());
                            format!("[{}] {}", choices.len(), b.label)
                        })
                        .collect();
                    let _ = writeln!(out, "  {}", line.join("   "));
                }
                let _ = writeln!(out);
            }
            if let Some(document) = &reply.document {
                let path = self
                    .files_dir
                    .join(format!("{}-{}", chat, document.file_name));
                let saved = std::fs::create_dir_all(&self.files_dir)
                    .and_then(|()| std::fs::write(&path, &document.bytes));
                let _ = match saved {
                    Ok(()) => writeln!(out, "(file saved: {})\n", path.display()),
                    Err(error) => writeln!(out, "(could not save the file: {error})\n"),
                };
            }
        }
        let _ = out.flush();
    }
}

impl<W: Write + Send> Outbox for Arc<Screen<W>> {
    async fn deliver(&self, chat: ChatId, replies: Vec<Reply>) -> Result<(), Undelivered> {
        self.show(chat, &replies);
        Ok(())
    }
}

/// Runs a conversation for `chat` until the input ends.
pub async fn run<R, W>(
    engine: &Engine,
    chat: ChatId,
    input: R,
    screen: Arc<Screen<W>>,
) -> Result<(), EngineError>
where
    R: AsyncBufRead + Unpin,
    W: Write + Send,
{
    let mut lines = input.lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let incoming = screen.read(&line);
        let replies = engine.handle(chat, incoming).await?;
        screen.show(chat, &replies);
    }
    Ok(())
}

/// Runs the console chat with the scheduler alongside, so "wait with me" comes back.
pub async fn chat<R, W>(
    engine: Engine,
    chat: ChatId,
    input: R,
    screen: Arc<Screen<W>>,
    scheduler: crate::scheduler::Scheduler,
) -> Result<(), EngineError>
where
    R: AsyncBufRead + Unpin,
    W: Write + Send + Sync + 'static,
{
    let (stop, stopped) = watch::channel(false);
    let background = tokio::spawn(scheduler.run(screen.clone(), stopped));
    let result = run(&engine, chat, input, screen).await;
    let _ = stop.send(true);
    let _ = background.await;
    result
}
