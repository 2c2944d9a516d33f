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

/// Telegram's limit for the text of one message, counted in UTF-16 code units.
pub const TELEGRAM_MAX_UTF16: usize = 4096;

/// Length as Telegram counts it (UTF-16 code units; never less than the chars).
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The longest prefix of `s` within `max` UTF-16 units, ending at a paragraph break if
/// there is one, else at a line break, else at a space (the break and the spaces before
/// it left out); cut inside a word only when nothing else fits.
pub fn prefix_within(s: &str, max: usize) -> &str {
    if utf16_len(s) <= max {
        return s;
    }
    let mut end = 0;
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            break;
        }
        end = i + c.len_utf8();
    }
    let head = &s[..end];
    for separator in ["\n\n", "\n", " "] {
        if let Some(at) = head.rfind(separator)
            && at > 0
        {
            return head[..at].trim_end();
        }
    }
    head
}

/// Splits `text` into pieces of at most `max` UTF-16 units, each cut where
/// [`prefix_within`] cuts; nothing but the whitespace at the cuts is lost.
pub fn split_message(text: &str, max: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while utf16_len(rest) > max {
        let mut head = prefix_within(rest, max);
        if head.is_empty() {
            // a first character wider than `max`: it goes alone
            let first = rest.chars().next().map_or(0, char::len_utf8);
            head = &rest[..first];
        }
        pieces.push(head.to_owned());
        rest = rest[head.len()..].trim_start();
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(rest.to_owned());
    }
    pieces
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
    fn short_text_is_one_piece() {
        assert_eq!(split_message("hello", 4096), vec!["hello"]);
    }

    #[test]
    fn long_text_splits_on_paragraphs_first() {
        // Three paragraphs of 1499 characters: two fit in one message, the third goes next.
        let paragraph = "word ".repeat(300);
        let p = paragraph.trim();
        let text = format!("{p}\n\n{p}\n\n{p}");
        let pieces = split_message(&text, 4096);
        assert_eq!(pieces, vec![format!("{p}\n\n{p}"), p.to_owned()]);
    }

    #[test]
    fn a_character_wider_than_the_limit_goes_alone() {
        // each emoji is two UTF-16 units: no piece can be empty, nothing is dropped
        assert_eq!(split_message("💔💔", 1), vec!["💔", "💔"]);
    }

    #[test]
    fn every_piece_fits_and_nothing_is_lost() {
        let text = "💔 ".repeat(5000) + &"x".repeat(9000);
        let pieces = split_message(&text, 4096);
        assert!(pieces.iter().all(|p| utf16_len(p) <= 4096));
        let joined: String = pieces.concat();
        let original: String = text.split_whitespace().collect();
        assert_eq!(joined.split_whitespace().collect::<String>(), original);
    }

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
