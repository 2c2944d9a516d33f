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

/// True when `text` holds a negative number: a minus sign (or a dash standing for one)
/// right before a digit and not right after a letter or digit, as in "-5 days ago" or
/// "at -1". "2025-11-01" and "9-10pm" are ranges and dates, not negatives.
pub fn has_negative_number(text: &str) -> bool {
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let minus = matches!(c, '-' | '\u{2212}' | '\u{2013}' | '\u{FE63}' | '\u{FF0D}');
        if minus
            && chars.peek().is_some_and(char::is_ascii_digit)
            && previous.is_none_or(|p| !p.is_alphanumeric())
        {
            return true;
        }
        previous = Some(c);
    }
    false
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
    fn negative_numbers_are_told_from_dates_and_ranges() {
        for negative in [
            "-5 days ago",
            "-1",
            "at -1",
            "  -3 hours ago",
            "(-2)",
            "\u{2212}4",
        ] {
            assert!(has_negative_number(negative), "{negative:?}");
        }
        for positive in [
            "5 days ago",
            "2025-11-01",
            "9-10pm",
            "covid-19",
            "- 1 nov",
            "-",
            "",
        ] {
            assert!(!has_negative_number(positive), "{positive:?}");
        }
    }

    #[test]
    fn preview_adds_ellipsis_only_when_cut() {
        assert_eq!(preview("short", 10), "short");
        assert_eq!(preview("a longer sentence", 8), "a longer…");
    }
}
