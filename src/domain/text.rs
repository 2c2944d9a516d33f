//! Cleaning what users type before it is stored or matched.

/// The longest text kept from one message. Telegram caps messages at 4096 characters;
/// the console does not, so a pasted novel is cut here rather than rejected.
pub const MAX_KEPT_CHARS: usize = 16_000;

/// Removes control characters (keeping newlines and tabs), trims, and caps the length.
/// Returns the cleaned text and whether it had to be shortened.
pub fn clean(input: &str) -> (String, bool) {
    let mut out = String::with_capacity(input.len().min(MAX_KEPT_CHARS * 4));
    let mut kept = 0usize;
    let mut truncated = false;
    for c in input.trim().chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            continue;
        }
        if kept == MAX_KEPT_CHARS {
            truncated = true;
            break;
        }
        out.push(c);
        kept += 1;
    }
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    (out, truncated)
}

/// Shortens `text` to at most `max` characters for a preview, adding an ellipsis.
pub fn preview(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_removed_but_lines_kept() {
        let (text, cut) = clean("  hi\u{0}\u{7}\nthere\u{1b}[31m \t ");
        assert_eq!(text, "hi\nthere[31m");
        assert!(!cut);
    }

    #[test]
    fn huge_input_is_capped_on_a_char_boundary() {
        let (text, cut) = clean(&"ß".repeat(MAX_KEPT_CHARS + 10));
        assert_eq!(text.chars().count(), MAX_KEPT_CHARS);
        assert!(cut);
    }

    #[test]
    fn emoji_and_rtl_survive() {
        let (text, _) = clean("💔 אני מתגעגע");
        assert_eq!(text, "💔 אני מתגעגע");
    }

    #[test]
    fn preview_adds_ellipsis_only_when_cut() {
        assert_eq!(preview("short", 10), "short");
        assert_eq!(preview("a longer sentence", 8), "a longer…");
    }
}
