//! The console chat: the same bot in a terminal, one message per line on standard input,
//! replies on standard output with buttons shown as numbered choices the user can type.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::sync::watch;

use crate::conversation::{Engine, Incoming, Reply};
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
                let saved = write_private(&self.files_dir, &path, &document.bytes);
                let _ = match saved {
                    Ok(()) => writeln!(out, "(file saved: {})\n", path.display()),
                    Err(error) => writeln!(out, "(could not save the file: {error})\n"),
                };
            }
        }
        let _ = out.flush();
    }
}

impl<W> Screen<W> {
    /// Removes every file written for `chat` (exports, pictures), overwritten first: after
    /// `/delete` nothing of the user stays on disk.
    pub fn forget(&self, chat: ChatId) {
        let prefix = format!("{chat}-");
        let Ok(entries) = std::fs::read_dir(&self.files_dir) else {
            return;
        };
        for entry in entries.flatten() {
            if !entry.file_name().to_string_lossy().starts_with(&prefix) {
                continue;
            }
            let path = entry.path();
            if let Err(error) = overwrite_and_remove(&path) {
                tracing::warn!(%error, "could not remove a file of a deleted user");
            }
        }
    }
}

/// Writes `bytes` to `path`, readable by the owner only (0600, its directory 0700).
fn write_private(
    dir: &std::path::Path,
    path: &std::path::Path,
    bytes: &[u8],
) -> std::io::Result<()> {
    crate::store::private_dir_builder().create(dir)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// Overwrites a file with zeros, then removes it.
fn overwrite_and_remove(path: &std::path::Path) -> std::io::Result<()> {
    let len = std::fs::metadata(path)?.len();
    let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    file.sync_all()?;
    drop(file);
    std::fs::remove_file(path)
}

impl<W: Write + Send> Outbox for Arc<Screen<W>> {
    async fn deliver(&self, chat: ChatId, replies: Vec<Reply>) -> Result<(), Undelivered> {
        self.show(chat, &replies);
        Ok(())
    }
}

/// What the console answers when the engine could not handle a line (the database was
/// busy, full or gone): the chat goes on with the next line.
pub const COULD_NOT_SAVE: &str = "I couldn't save that just now, so it may not have counted. \
     Nothing was sent anywhere. Please try again in a moment.";

/// The longest line kept, in bytes; the rest of a longer line is skipped. The engine keeps
/// far less of a message than this anyway.
const MAX_LINE_BYTES: usize = 256 * 1024;

/// Why the console chat stopped before its input ended.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("cannot read the input: {0}")]
    Read(#[from] std::io::Error),
}

/// Runs a conversation for `chat` until the input ends. Every line gets an answer: bytes
/// that are not UTF-8 are replaced (U+FFFD), and a line the engine could not handle is
/// answered with [`COULD_NOT_SAVE`] instead of ending the chat.
pub async fn run<R, W>(
    engine: &Engine,
    chat: ChatId,
    mut input: R,
    screen: Arc<Screen<W>>,
) -> Result<(), ConsoleError>
where
    R: AsyncBufRead + Unpin,
    W: Write + Send,
{
    let mut line = Vec::new();
    while read_line(&mut input, &mut line).await? {
        let text = String::from_utf8_lossy(&line);
        let replies = answer(engine, chat, screen.read(&text)).await;
        screen.show(chat, &replies);
        // Without a user (after /delete) no file of theirs may stay behind.
        if let Ok(false) = engine.has_user(chat).await {
            screen.forget(chat);
        }
    }
    Ok(())
}

/// The engine's replies, or a kind word when it failed (logged without the message).
async fn answer(engine: &Engine, chat: ChatId, incoming: Incoming) -> Vec<Reply> {
    match engine.handle(chat, incoming).await {
        Ok(replies) => replies,
        Err(error) => {
            tracing::warn!(%error, "could not handle a console message");
            vec![Reply::text(COULD_NOT_SAVE)]
        }
    }
}

/// Reads one line into `line` without its line ending, keeping at most
/// [`MAX_LINE_BYTES`]. False at the end of the input.
async fn read_line<R: AsyncBufRead + Unpin>(
    input: &mut R,
    line: &mut Vec<u8>,
) -> std::io::Result<bool> {
    line.clear();
    let mut read_any = false;
    loop {
        let buffer = input.fill_buf().await?;
        if buffer.is_empty() {
            break;
        }
        read_any = true;
        let (chunk, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => (&buffer[..end], Some(end + 1)),
            None => (buffer, None),
        };
        let room = MAX_LINE_BYTES.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = done.unwrap_or(buffer.len());
        input.consume(used);
        if done.is_some() {
            break;
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(read_any)
}

/// Runs the console chat with the scheduler alongside, so "wait with me" comes back.
pub async fn chat<R, W>(
    engine: Engine,
    chat: ChatId,
    input: R,
    screen: Arc<Screen<W>>,
    scheduler: crate::scheduler::Scheduler,
) -> Result<(), ConsoleError>
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines_of(input: &[u8]) -> Vec<Vec<u8>> {
        let mut reader = tokio::io::BufReader::with_capacity(7, input);
        let mut line = Vec::new();
        let mut out = Vec::new();
        while read_line(&mut reader, &mut line).await.unwrap() {
            out.push(line.clone());
        }
        out
    }

    #[tokio::test]
    async fn lines_lose_their_endings_and_the_last_needs_none() {
        let lines = lines_of(b"one\r\ntwo\n\nthree").await;
        assert_eq!(lines, [&b"one"[..], b"two", b"", b"three"]);
        assert!(lines_of(b"").await.is_empty());
    }

    #[tokio::test]
    async fn a_huge_line_is_capped_and_the_next_line_still_read() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 100];
        input.extend_from_slice(b"\n\xffnext\n");
        let lines = lines_of(&input).await;
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), MAX_LINE_BYTES);
        assert_eq!(String::from_utf8_lossy(&lines[1]), "\u{FFFD}next");
    }
}
