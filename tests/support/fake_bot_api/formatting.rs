//! Checks of Telegram's text formatting (`parse_mode`) and the "visible" text that remains
//! after entity parsing, which is what Telegram's length limits are measured on.
//!
//! This is a deliberately small re-implementation of Telegram's rules
//! (<https://core.telegram.org/bots/api#formatting-options>): it catches the mistakes a bot
//! really makes (an unescaped `.` in MarkdownV2, a user's `<3` in HTML, an unclosed tag) and
//! computes the visible text closely enough for the 4096/1024 limits. It is not a full parser.

/// Length of `s` in UTF-16 code units: the unit Telegram uses for every text length and
/// entity offset. Equal to the number of `char`s for text in the Basic Multilingual Plane;
/// emoji and other astral characters count 2.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Parses `text` as Telegram would for `parse_mode` (case-insensitive `HTML`, `MarkdownV2`,
/// `Markdown`) and returns the visible text, or Telegram's error message (the part after
/// `Bad Request: can't parse entities: `).
pub fn visible_text(text: &str, parse_mode: Option<&str>) -> Result<String, String> {
    match parse_mode.map(|m| m.to_ascii_lowercase()) {
        None => Ok(text.to_owned()),
        Some(m) if m == "html" => parse_html(text),
        Some(m) if m == "markdownv2" => parse_markdown_v2(text),
        Some(m) if m == "markdown" => parse_markdown_legacy(text),
        // An unknown parse_mode is reported by the parameter check; count the raw text.
        Some(_) => Ok(text.to_owned()),
    }
}

const HTML_TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
    "tg-time",
];

fn parse_html(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let byte_offset = text.len() - rest.len();
                let Some(end) = rest.find('>') else {
                    return Err(format!("Unclosed start tag at byte offset {byte_offset}"));
                };
                let inner = &rest[1..end];
                rest = &rest[end + 1..];
                if let Some(name) = inner.strip_prefix('/') {
                    let name = name.trim().to_ascii_lowercase();
                    match stack.pop() {
                        Some(open) if open == name => {}
                        Some(open) => {
                            return Err(format!(
                                "Can't find end tag corresponding to start tag \"{open}\""
                            ));
                        }
                        None => {
                            return Err(format!("Unexpected end tag at byte offset {byte_offset}"));
                        }
                    }
                } else {
                    let name: String = inner
                        .split(|ch: char| ch.is_whitespace() || ch == '/')
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    if !HTML_TAGS.contains(&name.as_str()) {
                        return Err(format!(
                            "Unsupported start tag \"{name}\" at byte offset {byte_offset}"
                        ));
                    }
                    stack.push(name);
                }
            }
            '&' => {
                let semi = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 10);
                let decoded = semi.and_then(|i| decode_entity(&rest[1..i]).map(|ch| (ch, i)));
                match decoded {
                    Some((ch, i)) => {
                        out.push(ch);
                        rest = &rest[i + 1..];
                    }
                    None => {
                        // Telegram leaves unknown entities and bare ampersands as they are.
                        out.push('&');
                        rest = &rest[1..];
                    }
                }
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(open) = stack.pop() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{open}\""
        ));
    }
    Ok(out)
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

const MDV2_RESERVED: &str = "_*[]()~`>#+-=|{}.!";

fn parse_markdown_v2(text: &str) -> Result<String, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut styles: Vec<&'static str> = Vec::new();
    let mut link_depth = 0usize;
    let mut i = 0;
    let reserved = |c: char| {
        Err(format!(
            "Character '{c}' is reserved and must be escaped with the preceding '\\'"
        ))
    };
    while i < chars.len() {
        let c = chars[i];
        let at_line_start = i == 0 || chars[i - 1] == '\n';
        match c {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err("Unexpected end of text after '\\'".into());
                };
                out.push(next);
                i += 2;
            }
            '`' => {
                let fence = chars.get(i + 1) == Some(&'`') && chars.get(i + 2) == Some(&'`');
                let delim = if fence { 3 } else { 1 };
                let mut j = i + delim;
                let mut body = String::new();
                let mut closed = false;
                while j < chars.len() {
                    match chars[j] {
                        '\\' if j + 1 < chars.len() => {
                            body.push(chars[j + 1]);
                            j += 2;
                        }
                        '`' if !fence => {
                            closed = true;
                            j += 1;
                            break;
                        }
                        '`' if chars.get(j + 1) == Some(&'`') && chars.get(j + 2) == Some(&'`') => {
                            closed = true;
                            j += 3;
                            break;
                        }
                        ch => {
                            body.push(ch);
                            j += 1;
                        }
                    }
                }
                if !closed {
                    return Err(format!(
                        "Can't find end of {} entity at byte offset {}",
                        if fence { "Pre" } else { "Code" },
                        chars[..i].iter().collect::<String>().len()
                    ));
                }
                if fence {
                    // The first line of a ``` block may be the language name.
                    if let Some((first, rest)) = body.split_once('\n')
                        && !first.contains(' ')
                    {
                        body = rest.to_owned();
                    }
                }
                out.push_str(&body);
                i = j;
            }
            '*' | '~' => {
                toggle(&mut styles, if c == '*' { "*" } else { "~" });
                i += 1;
            }
            '_' => {
                if chars.get(i + 1) == Some(&'_') {
                    toggle(&mut styles, "__");
                    i += 2;
                } else {
                    toggle(&mut styles, "_");
                    i += 1;
                }
            }
            '|' => {
                if chars.get(i + 1) == Some(&'|') {
                    toggle(&mut styles, "||");
                    i += 2;
                } else {
                    return reserved(c);
                }
            }
            '[' => {
                link_depth += 1;
                i += 1;
            }
            '!' if chars.get(i + 1) == Some(&'[') => {
                // custom emoji: ![👍](tg://emoji?id=...)
                link_depth += 1;
                i += 2;
            }
            ']' => {
                if link_depth == 0 {
                    return reserved(c);
                }
                link_depth -= 1;
                i += 1;
                if chars.get(i) == Some(&'(') {
                    i += 1;
                    let mut closed = false;
                    while i < chars.len() {
                        match chars[i] {
                            '\\' => i += 2,
                            ')' => {
                                closed = true;
                                i += 1;
                                break;
                            }
                            _ => i += 1,
                        }
                    }
                    if !closed {
                        return Err("Can't find end of a URL".into());
                    }
                }
            }
            '>' if at_line_start => {
                i += 1;
            }
            _ if MDV2_RESERVED.contains(c) => return reserved(c),
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    if link_depth > 0 {
        return Err("Can't find end of a TextUrl entity".into());
    }
    if let Some(open) = styles.pop() {
        let name = match open {
            "*" => "Bold",
            "_" => "Italic",
            "__" => "Underline",
            "~" => "Strikethrough",
            _ => "Spoiler",
        };
        return Err(format!("Can't find end of {name} entity"));
    }
    Ok(out)
}

fn toggle(styles: &mut Vec<&'static str>, style: &'static str) {
    if let Some(pos) = styles.iter().rposition(|s| *s == style) {
        styles.remove(pos);
    } else {
        styles.push(style);
    }
}

fn parse_markdown_legacy(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<(char, usize)> = None;
    let mut in_link_text = false;
    let mut chars = text.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        match c {
            '\\' if open.is_none() => {
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            '*' | '_' | '`' => match open {
                Some((o, _)) if o == c => open = None,
                Some(_) => out.push(c),
                None => open = Some((c, pos)),
            },
            '[' if open.is_none() && !in_link_text => in_link_text = true,
            ']' if in_link_text => {
                in_link_text = false;
                if chars.peek().map(|(_, ch)| *ch) == Some('(') {
                    for (_, ch) in chars.by_ref() {
                        if ch == ')' {
                            break;
                        }
                    }
                }
            }
            _ => out.push(c),
        }
    }
    if let Some((_, pos)) = open {
        return Err(format!(
            "Can't find end of the entity starting at byte offset {pos}"
        ));
    }
    Ok(out)
}
