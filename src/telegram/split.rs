//! Splitting long replies for Telegram's 4096-character limit, on paragraph boundaries.

/// Telegram's limit for one message's text (counted in UTF-16 code units).
pub const MAX_MESSAGE_LEN: usize = 4096;

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Splits `text` into pieces of at most `max` UTF-16 units: at blank lines where possible,
/// then at line breaks, then at spaces, and only inside a word when nothing else fits.
pub fn split_message(text: &str, max: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while utf16_len(rest) > max {
        let cut = best_cut(rest, max);
        let (head, tail) = rest.split_at(cut);
        let head = head.trim_end();
        if !head.is_empty() {
            pieces.push(head.to_owned());
        }
        rest = tail.trim_start();
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(rest.to_owned());
    }
    pieces
}

/// The byte index to cut at: the last good boundary within `max` UTF-16 units.
fn best_cut(text: &str, max: usize) -> usize {
    let mut limit = 0;
    let mut units = 0;
    for (index, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max {
            break;
        }
        limit = index + c.len_utf8();
    }
    let window = &text[..limit];
    for separator in ["\n\n", "\n", " "] {
        if let Some(at) = window.rfind(separator)
            && at > 0
        {
            return at + separator.len();
        }
    }
    limit.max(text.chars().next().map_or(1, char::len_utf8))
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
    fn every_piece_fits_and_nothing_is_lost() {
        let text = "💔 ".repeat(5000) + &"x".repeat(9000);
        let pieces = split_message(&text, 4096);
        assert!(pieces.iter().all(|p| utf16_len(p) <= 4096));
        let joined: String = pieces.concat();
        let original: String = text.split_whitespace().collect();
        assert_eq!(joined.split_whitespace().collect::<String>(), original);
    }
}
