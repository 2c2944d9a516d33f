//! Logging through `tracing`, filtered by `RUST_LOG`, always to standard error (standard
//! output belongs to the console chat and to `ask`). Message text is never logged, and
//! every line is scrubbed of secrets ([`crate::secrets`]) before it is written.

use std::io::Write;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;
use tracing_subscriber::fmt::MakeWriter;

/// Installs the global subscriber in `format`. `default_filter` applies when `RUST_LOG`
/// is unset. A second call does nothing.
pub fn init(default_filter: &str, format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(ScrubbedStderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
        // The update's span (id, kind, situation, outcome) rides on every line it covers.
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// Makes one [`ScrubbedLine`] per log event.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScrubbedStderr;

impl<'a> MakeWriter<'a> for ScrubbedStderr {
    type Writer = ScrubbedLine<std::io::Stderr>;

    fn make_writer(&'a self) -> Self::Writer {
        ScrubbedLine::new(std::io::stderr())
    }
}

/// Collects one log event and writes it scrubbed when dropped: a secret is never split
/// across two writes, so it cannot slip through in pieces.
pub struct ScrubbedLine<W: Write> {
    buffer: Vec<u8>,
    out: W,
}

impl<W: Write> ScrubbedLine<W> {
    pub fn new(out: W) -> Self {
        ScrubbedLine {
            buffer: Vec::new(),
            out,
        }
    }
}

impl<W: Write> Write for ScrubbedLine<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for ScrubbedLine<W> {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buffer);
        let _ = self
            .out
            .write_all(crate::secrets::scrub(&text).as_bytes())
            .and_then(|()| self.out.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_is_written_scrubbed_in_one_piece() {
        crate::secrets::protect("777:LOG-line-secret_42");
        let mut out = Vec::new();
        {
            let mut line = ScrubbedLine::new(&mut out);
            line.write_all(b"error: /bot777:LOG-line").unwrap();
            line.write_all(b"-secret_42/getMe failed\n").unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("LOG-line-secret"), "{text}");
        assert!(text.contains("getMe failed"), "{text}");
    }
}
