//! Parsing of free-text dates: when the user's last contact was
//! ([`parse_contact_date`]) and when a slip happened ([`parse_slip_when`]).
//!
//! A small whitelist grammar recognises what people type: relative English
//! ("yesterday", "3 days ago", "last friday", "next monday"), numeric and
//! month-name dates, ordinals, number words and times. Anything outside it is
//! refused rather than guessed ("last home" is not a date).
//!
//! Everything is pure and total: no I/O, and no input makes it panic.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

use super::text::has_negative_number;
use super::time_of_day::parse_time_of_day;

/// What a user's date answer resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateAnswer {
    /// A single calendar day.
    Exact(NaiveDate),
    /// A numeric date like "1/11" where day/month and month/day are both
    /// plausible and differ; the caller should ask which one was meant.
    Ambiguous {
        /// The day/month reading ("1/11" → 1 November).
        day_month: NaiveDate,
        /// The month/day reading ("1/11" → 11 January).
        month_day: NaiveDate,
    },
}

/// Why a date answer was rejected. Variants carry the date where there is
/// one, so the reply can say e.g. "3 Nov 2026 hasn't happened yet".
#[derive(Debug, Clone, Copy, thiserror::Error, PartialEq, Eq)]
pub enum DateError {
    /// Nothing (or only whitespace) was typed.
    #[error("no date given")]
    Empty,
    /// The text is not a date we understand.
    #[error("that doesn't look like a date")]
    NotADate,
    /// The date is after today.
    #[error("{0} is in the future")]
    InFuture(NaiveDate),
    /// The date is before [`EARLIEST_DATE`] (1990-01-01).
    #[error("{0} is before 1990")]
    TooEarly(NaiveDate),
    /// The day does not exist in that month, e.g. 31 February.
    #[error("that day doesn't exist")]
    NoSuchDay,
    /// A negative number was typed ("-5 days ago"): no day is that far from now.
    #[error("a negative number is not a date")]
    Negative,
}

/// When a slip happened, as far as the user said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipWhen {
    /// Just now (or nothing typed).
    Now,
    /// A day without a time of day.
    Date(NaiveDate),
    /// A local date and time.
    DateTime(NaiveDateTime),
    /// A numeric date with two plausible readings (any typed time is dropped;
    /// ask which day was meant).
    Ambiguous {
        /// The day/month reading.
        day_month: NaiveDate,
        /// The month/day reading.
        month_day: NaiveDate,
    },
}

/// Earliest accepted date (the streak's); anything before is [`DateError::TooEarly`].
pub use super::streak::EARLIEST_DATE;

/// Longest input (in chars) worth interpreting; longer input is not a date.
const MAX_INPUT_CHARS: usize = 200;

/// Parses when the user's last contact was, relative to the user's local
/// `today`.
///
/// Accepts "today", "yesterday", "now", "3 days ago", "a week ago", "two
/// weeks ago", "last week", "last friday", "friday" (most recent Friday, today
/// if today is Friday), "last night", "2026-11-01", "1 Nov", "Nov 1", "1st of
/// November", "november 1st", "1 Nov 2025", "Nov 1, 2025", "1/11",
/// "1/11/2026", "1.11.2026" (dots: always day first), "11/1/26", with messy
/// spacing/case/punctuation and filler ("it was yesterday", "last contact 3
/// days ago"); a trailing time ("yesterday at 11pm") is ignored.
///
/// Numeric dates with slashes or dashes: if both the day/month and the
/// month/day readings are valid, plausible (not future, not before 1990) and
/// differ, the answer is [`DateAnswer::Ambiguous`]; otherwise the one
/// plausible reading is [`DateAnswer::Exact`]. Dates without a year take the
/// most recent such day not after `today`. A bare duration ("3 days") means
/// ago; "2 hours ago" counts whole days back (so usually today). A negative
/// number ("-5 days ago") is [`DateError::Negative`].
pub fn parse_contact_date(input: &str, today: NaiveDate) -> Result<DateAnswer, DateError> {
    let text = Text::prepare(input)?;
    let toks = text.tokens.as_slice();
    if toks.is_empty() {
        return Err(DateError::NotADate);
    }
    match parse_when(toks, today) {
        Some(Ok(when)) => return contact_day(when, today),
        Some(Err(e)) => return Err(e),
        None => {}
    }
    // A date with a time of day ("yesterday at 11pm", "11pm on friday").
    let mut error = None;
    for split in text.splits() {
        if parse_time_of_day(split.time).is_err() {
            continue;
        }
        match parse_when(split.date, today) {
            Some(Ok(When::Day(answer))) => return Ok(answer),
            Some(Err(e)) => {
                error.get_or_insert(e);
            }
            Some(Ok(_)) | None => {}
        }
    }
    Err(error.unwrap_or(DateError::NotADate))
}

/// For /slip: when the slip happened, relative to the user's local `now_local`.
///
/// Accepts "now", "just now" or nothing → [`SlipWhen::Now`]; a date as in
/// [`parse_contact_date`] → [`SlipWhen::Date`] (or [`SlipWhen::Ambiguous`]);
/// a time ("at 3am", "23:00") → its most recent occurrence (today, or
/// yesterday if that time hasn't come yet today); "2 hours ago", "half an
/// hour ago" → that instant; "last night" (yesterday 22:00), "this morning"
/// (09:00), "this afternoon" (15:00), "this evening" (19:00), "tonight"
/// (22:00) — clamped to now if that part of today has begun but the
/// representative time hasn't come yet; a date with a time ("yesterday
/// 11pm", "friday at 9", "yesterday afternoon at 3" → 15:00).
/// Future → [`DateError::InFuture`]; before 1990 → [`DateError::TooEarly`].
/// A date-shaped answer ("0001-01-01", "2359-12-31", "23-59") is only ever
/// read as a date, so an out-of-range one is refused rather than taken for a
/// clock time; a negative number ("-3 hours ago") is [`DateError::Negative`].
pub fn parse_slip_when(input: &str, now_local: NaiveDateTime) -> Result<SlipWhen, DateError> {
    if input.trim().is_empty() {
        return Ok(SlipWhen::Now);
    }
    let text = Text::prepare(input)?;
    let toks = text.tokens.as_slice();
    if toks.is_empty() {
        return Err(DateError::NotADate);
    }
    let today = now_local.date();

    // "last night", "this morning", "friday evening", "tonight".
    if let Some((slot, rest)) = split_slot(toks) {
        match slot_day(rest, today) {
            Some(Ok(DateAnswer::Exact(day))) => return at_slot(day, slot, now_local),
            Some(Ok(DateAnswer::Ambiguous {
                day_month,
                month_day,
            })) => {
                return Ok(SlipWhen::Ambiguous {
                    day_month,
                    month_day,
                });
            }
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }

    let mut error = None;
    match parse_when(toks, today) {
        Some(Ok(When::Now)) => return Ok(SlipWhen::Now),
        Some(Ok(When::Day(answer))) => return Ok(slip_day(answer)),
        Some(Ok(When::SecondsAgo(secs))) => return slip_seconds_ago(secs, now_local),
        // A real date out of range ("0001-01-01", "2359-12-31") or not in the calendar
        // is that date, refused; it is never re-read as a clock time.
        Some(Err(e)) if is_final(e) => return Err(e),
        Some(Err(e)) => error = Some(e),
        None => {}
    }

    // Only a time: its most recent occurrence. "23-59" is shaped like a date, not a time.
    if !is_numeric_date_shape(toks)
        && let Ok(time) = parse_time_of_day(text.span(toks))
    {
        let mut at = today.and_time(time);
        if at > now_local {
            at = at.checked_sub_signed(TimeDelta::days(1)).unwrap_or(at);
        }
        return check_datetime(at, now_local).map(SlipWhen::DateTime);
    }

    // A date with a time, in either order.
    for split in text.splits() {
        let slot = split_slot(split.date).map(|(slot, _)| slot);
        let Ok(time) = time_with_slot(split.time, slot) else {
            continue;
        };
        match parse_when(split.date, today) {
            Some(Ok(When::Day(DateAnswer::Exact(day)))) => {
                return check_datetime(day.and_time(time), now_local).map(SlipWhen::DateTime);
            }
            Some(Ok(When::Day(DateAnswer::Ambiguous {
                day_month,
                month_day,
            }))) => {
                return Ok(SlipWhen::Ambiguous {
                    day_month,
                    month_day,
                });
            }
            Some(Err(e)) => {
                error.get_or_insert(e);
            }
            Some(Ok(_)) | None => {}
        }
    }
    Err(error.unwrap_or(DateError::NotADate))
}

// ---------------------------------------------------------------------------
// Results of the shared grammar.

/// What a phrase means before it is turned into a contact day or slip time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    /// "now", "just now".
    Now,
    /// A calendar day, already checked against today and 1990.
    Day(DateAnswer),
    /// A sub-day duration ago ("2 hours ago"); negative means in the future.
    SecondsAgo(i64),
}

/// Turns a parsed phrase into the day of last contact.
fn contact_day(when: When, today: NaiveDate) -> Result<DateAnswer, DateError> {
    const DAY: i64 = 86_400;
    match when {
        When::Now => Ok(DateAnswer::Exact(today)),
        When::Day(answer) => Ok(answer),
        When::SecondsAgo(secs) if secs >= 0 => {
            let days = Days::new((secs / DAY).unsigned_abs());
            let day = today.checked_sub_days(days).ok_or(DateError::NotADate)?;
            check_day(day, today).map(DateAnswer::Exact)
        }
        When::SecondsAgo(secs) => {
            let days = Days::new(secs.unsigned_abs().div_ceil(DAY.unsigned_abs()));
            Err(DateError::InFuture(
                today.checked_add_days(days).ok_or(DateError::NotADate)?,
            ))
        }
    }
}

fn slip_day(answer: DateAnswer) -> SlipWhen {
    match answer {
        DateAnswer::Exact(day) => SlipWhen::Date(day),
        DateAnswer::Ambiguous {
            day_month,
            month_day,
        } => SlipWhen::Ambiguous {
            day_month,
            month_day,
        },
    }
}

fn slip_seconds_ago(secs: i64, now: NaiveDateTime) -> Result<SlipWhen, DateError> {
    let at = now
        .checked_sub_signed(TimeDelta::try_seconds(secs).ok_or(DateError::NotADate)?)
        .ok_or(DateError::NotADate)?;
    check_datetime(at, now).map(SlipWhen::DateTime)
}

/// True for an error about a date that was read as one (out of range, or not in the
/// calendar), as opposed to text that is not a date at all.
fn is_final(error: DateError) -> bool {
    matches!(
        error,
        DateError::InFuture(_) | DateError::TooEarly(_) | DateError::NoSuchDay
    )
}

/// True for numbers joined by `/` or `-` ("0001-01-01", "23-59", "1/11"): a date's shape,
/// whatever the numbers.
fn is_numeric_date_shape(toks: &[Token]) -> bool {
    let alternates = toks.iter().enumerate().all(|(i, t)| {
        if i % 2 == 0 {
            t.num().is_some()
        } else {
            t.sep().is_some()
        }
    });
    alternates
        && toks.len() >= 3
        && toks.len() % 2 == 1
        && toks.iter().any(|t| matches!(t.sep(), Some('/' | '-')))
}

/// Rejects days after `today` or before 1990.
fn check_day(day: NaiveDate, today: NaiveDate) -> Result<NaiveDate, DateError> {
    if day > today {
        Err(DateError::InFuture(day))
    } else if day < EARLIEST_DATE {
        Err(DateError::TooEarly(day))
    } else {
        Ok(day)
    }
}

/// Rejects instants after `now` or before 1990.
fn check_datetime(at: NaiveDateTime, now: NaiveDateTime) -> Result<NaiveDateTime, DateError> {
    if at > now {
        Err(DateError::InFuture(at.date()))
    } else if at.date() < EARLIEST_DATE {
        Err(DateError::TooEarly(at.date()))
    } else {
        Ok(at)
    }
}

// ---------------------------------------------------------------------------
// Parts of the day ("last night", "this morning").

/// A named part of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl Slot {
    /// The time a slip "in the <slot>" is recorded at.
    fn representative(self) -> NaiveTime {
        let hour = match self {
            Slot::Morning => 9,
            Slot::Afternoon => 15,
            Slot::Evening => 19,
            Slot::Night => 22,
        };
        NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)
    }

    /// When this part of the day begins.
    fn start(self) -> NaiveTime {
        let hour = match self {
            Slot::Morning => 5,
            Slot::Afternoon => 12,
            Slot::Evening => 17,
            Slot::Night => 20,
        };
        NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)
    }

    /// The phrase that tells `parse_time_of_day` which half of the day a
    /// bare hour means ("3" in the afternoon → 15:00).
    fn time_suffix(self) -> &'static str {
        match self {
            Slot::Morning => "in the morning",
            Slot::Afternoon => "in the afternoon",
            Slot::Evening => "in the evening",
            Slot::Night => "at night",
        }
    }
}

/// Splits a trailing part-of-day word off: "friday night" → (Night, [friday]).
/// "tonight" is "this night".
fn split_slot(toks: &[Token]) -> Option<(Slot, &[Token])> {
    let (last, rest) = toks.split_last()?;
    let (slot, rest) = match last.word()? {
        "morning" => (Slot::Morning, rest),
        "afternoon" => (Slot::Afternoon, rest),
        "evening" => (Slot::Evening, rest),
        "night" => (Slot::Night, rest),
        "tonight" if rest.is_empty() => (Slot::Night, rest),
        _ => return None,
    };
    let rest = match rest.split_last() {
        Some((t, before)) if matches!(t.word(), Some("in" | "during")) => before,
        _ => rest,
    };
    Some((slot, rest))
}

/// The day a part-of-day phrase refers to: nothing or "this" → today,
/// "last" → yesterday, otherwise whatever day the rest names.
fn slot_day(rest: &[Token], today: NaiveDate) -> Option<Result<DateAnswer, DateError>> {
    match rest {
        [] => Some(Ok(DateAnswer::Exact(today))),
        [t] if t.word() == Some("this") => Some(Ok(DateAnswer::Exact(today))),
        [t] if matches!(t.word(), Some("last" | "yesterday")) => {
            Some(named_day("yesterday", today).map(DateAnswer::Exact))
        }
        _ => match parse_when(rest, today)? {
            Ok(When::Day(answer)) => Some(Ok(answer)),
            Ok(When::Now) => Some(Ok(DateAnswer::Exact(today))),
            Ok(When::SecondsAgo(_)) => None,
            Err(e) => Some(Err(e)),
        },
    }
}

/// A slip at a part of a given day, never later than now.
fn at_slot(day: NaiveDate, slot: Slot, now: NaiveDateTime) -> Result<SlipWhen, DateError> {
    let at = day.and_time(slot.representative());
    if at > now && day == now.date() && now.time() >= slot.start() {
        // "this evening" said at 18:00: the evening has begun, so "now".
        return Ok(SlipWhen::DateTime(now));
    }
    check_datetime(at, now).map(SlipWhen::DateTime)
}

/// Parses a time typed next to a part of the day, so that "yesterday
/// afternoon at 3" means 15:00.
fn time_with_slot(
    time: &str,
    slot: Option<Slot>,
) -> Result<NaiveTime, super::time_of_day::TimeError> {
    if let Some(slot) = slot
        && let Ok(t) = parse_time_of_day(&format!("{time} {}", slot.time_suffix()))
    {
        return Ok(t);
    }
    parse_time_of_day(time)
}

// ---------------------------------------------------------------------------
// Tokens.

/// One lexical unit of the normalized input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A run of ASCII digits; `value` is `None` if it overflows u64.
    /// `ordinal` if an "st"/"nd"/"rd"/"th" suffix followed ("1st").
    Num {
        value: Option<u64>,
        digits: usize,
        ordinal: bool,
    },
    /// A run of letters (apostrophes removed), lowercase.
    Word(String),
    /// One of `/ - . :`.
    Sep(char),
}

/// A token and its byte range in [`Text::lower`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

impl Token {
    fn word(&self) -> Option<&str> {
        match &self.tok {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    fn num(&self) -> Option<(Option<u64>, usize)> {
        match self.tok {
            Tok::Num { value, digits, .. } => Some((value, digits)),
            _ => None,
        }
    }

    fn is_ordinal(&self) -> bool {
        matches!(self.tok, Tok::Num { ordinal: true, .. })
    }

    fn sep(&self) -> Option<char> {
        match self.tok {
            Tok::Sep(c) => Some(c),
            _ => None,
        }
    }
}

/// The lowercased input and its meaningful tokens (filler words removed).
struct Text {
    lower: String,
    tokens: Vec<Token>,
}

/// A date part and a time part of the input, for "yesterday 11pm" and
/// "11pm yesterday".
struct Split<'a> {
    date: &'a [Token],
    time: &'a str,
}

/// Words that carry no date meaning in answers like "it was on the 1st" or
/// "we last talked 3 days ago".
const FILLER_WORDS: &[&str] = &[
    "about",
    "actually",
    "already",
    "and",
    "approx",
    "earlier",
    "approximately",
    "around",
    "at",
    "be",
    "been",
    "believe",
    "did",
    "ex",
    "exactly",
    "guess",
    "had",
    "has",
    "have",
    "happened",
    "he",
    "her",
    "him",
    "hmm",
    "i",
    "id",
    "im",
    "is",
    "it",
    "its",
    "ive",
    "just",
    "like",
    "lol",
    "maybe",
    "me",
    "my",
    "of",
    "ok",
    "okay",
    "on",
    "only",
    "our",
    "perhaps",
    "probably",
    "right",
    "roughly",
    "she",
    "since",
    "so",
    "that",
    "the",
    "them",
    "they",
    "think",
    "to",
    "uh",
    "um",
    "was",
    "we",
    "well",
    "were",
    "when",
    "with",
];

/// Verbs/nouns describing the contact itself; "last" before them is not a
/// date word ("last contact 3 days ago"), and they are dropped too.
const CONTACT_WORDS: &[&str] = &[
    "call",
    "called",
    "chatted",
    "contact",
    "contacted",
    "heard",
    "interaction",
    "messaged",
    "message",
    "met",
    "saw",
    "seen",
    "slip",
    "slipped",
    "spoke",
    "talk",
    "talked",
    "text",
    "texted",
    "time",
    "wrote",
];

impl Text {
    /// Lowercases, tokenizes and drops filler. Rejects blank input as
    /// [`DateError::Empty`], absurdly long input as [`DateError::NotADate`] and
    /// a negative number as [`DateError::Negative`] (the tokenizer would
    /// otherwise drop the minus and read "-5 days ago" as "5 days ago").
    fn prepare(input: &str) -> Result<Text, DateError> {
        if input.trim().is_empty() {
            return Err(DateError::Empty);
        }
        if input.len() > MAX_INPUT_CHARS * 4 || input.chars().count() > MAX_INPUT_CHARS {
            return Err(DateError::NotADate);
        }
        if has_negative_number(input) {
            return Err(DateError::Negative);
        }
        let lower = input.to_lowercase();
        let raw = tokenize(&lower);
        let mut tokens: Vec<Token> = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let tok = &raw[i];
            let next_word = raw.get(i + 1).and_then(Token::word);
            match tok.word() {
                // Ordinal suffix glued to a number: "1st", "22nd".
                Some("st" | "nd" | "rd" | "th")
                    if tokens
                        .last()
                        .is_some_and(|p: &Token| p.num().is_some() && p.end == tok.start) =>
                {
                    if let Some(Token {
                        tok: Tok::Num { ordinal, .. },
                        ..
                    }) = tokens.last_mut()
                    {
                        *ordinal = true;
                    }
                }
                Some("last") if next_word.is_some_and(|w| CONTACT_WORDS.contains(&w)) => {}
                // ISO 8601 "2025-11-01T21:30": the T only separates date and time.
                Some("t")
                    if tokens.last().is_some_and(|p: &Token| p.end == tok.start)
                        && raw.get(i + 1).is_some_and(|n| n.num().is_some()) => {}
                Some(w) if FILLER_WORDS.contains(&w) || CONTACT_WORDS.contains(&w) => {}
                // "it may have been …": "may" is a month only next to a number.
                Some("may" | "might")
                    if tokens.last().is_none_or(|p: &Token| p.num().is_none())
                        && raw.get(i + 1).is_none_or(|n| n.num().is_none()) => {}
                _ => tokens.push(tok.clone()),
            }
            i += 1;
        }
        // Leading/trailing punctuation ("yesterday.", "- 1 nov") is noise.
        while tokens.last().is_some_and(|t| t.sep().is_some()) {
            tokens.pop();
        }
        while tokens.first().is_some_and(|t| t.sep().is_some()) {
            tokens.remove(0);
        }
        Ok(Text { lower, tokens })
    }

    /// The original (lowercased) text covered by `toks`, or "" if empty.
    fn span(&self, toks: &[Token]) -> &str {
        match (toks.first(), toks.last()) {
            (Some(first), Some(last)) => self.lower.get(first.start..last.end).unwrap_or(""),
            _ => "",
        }
    }

    /// Every way to cut the tokens into a non-empty date part and a
    /// non-empty time part, date first then time first. A cut never falls
    /// next to a separator typed without a space ("0001-|01-01"), so one
    /// date is never read as a date and a time.
    fn splits(&self) -> Vec<Split<'_>> {
        let toks = self.tokens.as_slice();
        let mut out = Vec::new();
        for k in (1..toks.len()).rev() {
            if glued_separator(&toks[k - 1], &toks[k]) {
                continue;
            }
            out.push(Split {
                date: &toks[..k],
                time: self.span(&toks[k..]),
            });
        }
        for k in 1..toks.len() {
            if glued_separator(&toks[k - 1], &toks[k]) {
                continue;
            }
            out.push(Split {
                date: &toks[k..],
                time: self.span(&toks[..k]),
            });
        }
        out
    }
}

/// True when `a` and `b` touch and one of them is a separator ("1-", "-0").
fn glued_separator(a: &Token, b: &Token) -> bool {
    a.end == b.start && (a.sep().is_some() || b.sep().is_some())
}

/// Splits lowercased text into numbers, words and date separators; every
/// other character (spaces, commas, emoji, quotes, …) only separates tokens.
fn tokenize(lower: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = lower.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let digits = &lower[start..end];
            out.push(Token {
                tok: Tok::Num {
                    value: digits.parse().ok(),
                    digits: digits.len(),
                    ordinal: false,
                },
                start,
                end,
            });
        } else if c.is_alphabetic() {
            let mut word = String::from(c);
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if d.is_alphabetic() {
                    word.push(d);
                } else if !matches!(d, '\'' | '\u{2019}') {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            out.push(Token {
                tok: Tok::Word(word),
                start,
                end,
            });
        } else if matches!(c, '/' | '-' | '.' | ':') {
            out.push(Token {
                tok: Tok::Sep(c),
                start,
                end: start + c.len_utf8(),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The grammar.

/// Parses a whole token sequence as a date or relative phrase.
/// `None` means "not recognised"; `Some(Err)` means recognised but invalid.
fn parse_when(toks: &[Token], today: NaiveDate) -> Option<Result<When, DateError>> {
    if let Some((_, rest)) = split_slot(toks) {
        return slot_day(rest, today).map(|r| r.map(When::Day));
    }
    let words: Vec<Option<&str>> = toks.iter().map(Token::word).collect();
    match words.as_slice() {
        [Some("now")] => return Some(Ok(When::Now)),
        [Some("today" | "tdy")] => return Some(day_when(named_day("today", today))),
        [Some("yesterday" | "yday" | "yest" | "ystd" | "yesterdays")] => {
            return Some(day_when(named_day("yesterday", today)));
        }
        [Some("tomorrow" | "tmrw" | "tmr" | "tomorow")] => {
            return Some(day_when(named_day("tomorrow", today)));
        }
        [Some("day"), Some("before"), Some("yesterday")] => {
            return Some(day_when(offset_days(today, 2, Direction::Past)));
        }
        [Some("day"), Some("after"), Some("tomorrow")] => {
            return Some(day_when(offset_days(today, 2, Direction::Future)));
        }
        _ => {}
    }
    if let Some(result) = parse_relative(toks, today) {
        return Some(result);
    }
    if let Some(result) = parse_weekday_phrase(&words, today) {
        return Some(day_when(result));
    }
    // "friday 1 nov", "fri, 01/11/2025": the weekday adds nothing.
    let explicit = match toks.split_first() {
        Some((first, rest)) if first.word().and_then(weekday).is_some() => rest,
        _ => toks,
    };
    parse_explicit(explicit, today).map(|r| r.map(When::Day))
}

fn day_when(result: Result<NaiveDate, DateError>) -> Result<When, DateError> {
    result.map(|d| When::Day(DateAnswer::Exact(d)))
}

/// "today", "yesterday" or "tomorrow", range-checked.
fn named_day(word: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    match word {
        "today" => check_day(today, today),
        "yesterday" => offset_days(today, 1, Direction::Past),
        "tomorrow" => offset_days(today, 1, Direction::Future),
        _ => Err(DateError::NotADate),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Past,
    Future,
}

fn offset_days(today: NaiveDate, days: u64, direction: Direction) -> Result<NaiveDate, DateError> {
    let day = match direction {
        Direction::Past => today.checked_sub_days(Days::new(days)),
        Direction::Future => today.checked_add_days(Days::new(days)),
    };
    check_day(day.ok_or(DateError::NotADate)?, today)
}

/// A length of time in one of three kinds of unit: seconds and days are fixed lengths,
/// months are calendar months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Seconds(u64),
    Days(u64),
    Months(u64),
}

/// The size of a unit word we accept; any other word is not a unit ("home" is not hours).
fn unit(word: &str) -> Option<Unit> {
    Some(match word {
        "s" | "sec" | "secs" | "second" | "seconds" => Unit::Seconds(1),
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Seconds(60),
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Seconds(3600),
        "d" | "day" | "days" => Unit::Days(1),
        "w" | "wk" | "wks" | "week" | "weeks" => Unit::Days(7),
        "fortnight" | "fortnights" => Unit::Days(14),
        "mo" | "mos" | "mth" | "mths" | "month" | "months" => Unit::Months(1),
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Months(12),
        _ => return None,
    })
}

/// How many units a phrase speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    /// An exact number (None if the digits overflowed).
    N(Option<u64>),
    /// "a few": only accepted for minutes/hours, where vagueness is harmless.
    Few,
    /// "half an hour".
    Half,
}

/// Reads a count at the start of `toks`, returning it and the tokens used.
fn parse_count(toks: &[Token]) -> Option<(Count, usize)> {
    let first = toks.first()?;
    if let Some((value, _)) = first.num() {
        return Some((Count::N(value), 1));
    }
    let second = toks.get(1).and_then(Token::word);
    let n = match first.word()? {
        "a" | "an" => match second {
            Some("couple") => return Some((Count::N(Some(2)), 2)),
            Some("few") => return Some((Count::Few, 2)),
            _ => 1,
        },
        "half" if matches!(second, Some("a" | "an")) => return Some((Count::Half, 2)),
        "couple" => 2,
        "few" => return Some((Count::Few, 1)),
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        _ => return None,
    };
    Some((Count::N(Some(n)), 1))
}

/// "3 days ago", "a week ago", "two weeks", "last month", "in 2 days",
/// "2 hours ago", "half an hour ago".
fn parse_relative(toks: &[Token], today: NaiveDate) -> Option<Result<When, DateError>> {
    let words: Vec<Option<&str>> = toks.iter().map(Token::word).collect();
    let (count, unit_word, direction) = match words.as_slice() {
        [Some("last" | "past" | "previous" | "prev"), Some(u)] => {
            (Count::N(Some(1)), *u, Direction::Past)
        }
        [Some("next"), Some(u)] => (Count::N(Some(1)), *u, Direction::Future),
        [Some("in"), ..] => {
            let (count, used) = parse_count(&toks[1..])?;
            match &words[1 + used..] {
                [Some(u)] => (count, *u, Direction::Future),
                _ => return None,
            }
        }
        _ => {
            let (count, used) = parse_count(toks)?;
            match &words[used..] {
                [
                    Some(u),
                    Some("ago" | "back" | "before" | "earlier" | "prior"),
                ] => (count, *u, Direction::Past),
                // A bare duration ("3 days") answers "how long ago", so it
                // means ago; not with one-letter sub-day units ("31m" could
                // be anything).
                [Some(u)] if u.len() > 1 || !matches!(unit(u), Some(Unit::Seconds(_))) => {
                    (count, *u, Direction::Past)
                }
                [Some(u), Some("from" | "later"), ..] => (count, *u, Direction::Future),
                _ => return None,
            }
        }
    };
    let unit = unit(unit_word)?;
    let n = match (count, unit) {
        (Count::N(Some(n)), _) => n,
        (Count::N(None), _) => return Some(Err(DateError::NotADate)),
        (Count::Few, Unit::Seconds(_)) => 3,
        (Count::Half, Unit::Seconds(size)) => {
            let secs = i64::try_from(size / 2).ok()?;
            return Some(Ok(When::SecondsAgo(signed(secs, direction))));
        }
        (Count::Few | Count::Half, _) => return None,
    };
    Some(apply_relative(n, unit, direction, today))
}

fn signed(secs: i64, direction: Direction) -> i64 {
    match direction {
        Direction::Past => secs,
        Direction::Future => -secs,
    }
}

/// Moves `n` units from today with checked arithmetic: huge counts give an
/// error instead of overflowing.
fn apply_relative(
    n: u64,
    unit: Unit,
    direction: Direction,
    today: NaiveDate,
) -> Result<When, DateError> {
    let day = match unit {
        Unit::Seconds(size) => {
            let secs = n
                .checked_mul(size)
                .and_then(|s| i64::try_from(s).ok())
                .filter(|s| TimeDelta::try_seconds(*s).is_some())
                .ok_or(DateError::NotADate)?;
            return Ok(When::SecondsAgo(signed(secs, direction)));
        }
        Unit::Days(size) => {
            let days = Days::new(n.checked_mul(size).ok_or(DateError::NotADate)?);
            match direction {
                Direction::Past => today.checked_sub_days(days),
                Direction::Future => today.checked_add_days(days),
            }
        }
        Unit::Months(size) => {
            let months = n
                .checked_mul(size)
                .and_then(|m| u32::try_from(m).ok())
                .map(Months::new)
                .ok_or(DateError::NotADate)?;
            match direction {
                Direction::Past => today.checked_sub_months(months),
                Direction::Future => today.checked_add_months(months),
            }
        }
    };
    day_when(check_day(day.ok_or(DateError::NotADate)?, today))
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

#[cfg(test)]
fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// "friday", "last friday", "this friday", "a friday", "friday last week",
/// "next friday".
fn parse_weekday_phrase(
    words: &[Option<&str>],
    today: NaiveDate,
) -> Option<Result<NaiveDate, DateError>> {
    let day = |w: &Option<&str>| w.and_then(weekday);
    match words {
        [w] | [Some("this" | "a" | "an"), w] => Some(recent_weekday(day(w)?, false, today)),
        [Some("last" | "past" | "previous" | "prev"), w] => {
            Some(recent_weekday(day(w)?, true, today))
        }
        [w, Some("last" | "past" | "previous"), Some("week")]
        | [Some("last" | "past" | "previous"), Some("week"), w] => {
            let target = day(w)?;
            let monday = today.checked_sub_days(Days::new(
                u64::from(today.weekday().num_days_from_monday()) + 7,
            ))?;
            let date =
                monday.checked_add_days(Days::new(u64::from(target.num_days_from_monday())))?;
            Some(check_day(date, today))
        }
        [Some("next" | "coming"), w] => {
            // The coming one: "next friday" said on a Friday is a week away.
            let target = day(w)?;
            let ahead =
                (7 + target.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
            let ahead = if ahead == 0 { 7 } else { ahead };
            Some(offset_days(today, u64::from(ahead), Direction::Future))
        }
        _ => None,
    }
}

/// The most recent `target` weekday: today if it is that weekday (unless
/// `strictly_before`, as in "last friday" said on a Friday → a week ago).
fn recent_weekday(
    target: Weekday,
    strictly_before: bool,
    today: NaiveDate,
) -> Result<NaiveDate, DateError> {
    if today.weekday() == target {
        return if strictly_before {
            offset_days(today, 7, Direction::Past)
        } else {
            check_day(today, today)
        };
    }
    let back = (7 + today.weekday().num_days_from_monday() - target.num_days_from_monday()) % 7;
    offset_days(today, u64::from(back), Direction::Past)
}

fn month(word: &str) -> Option<u32> {
    Some(match word {
        "jan" | "january" => 1,
        "feb" | "february" | "febuary" | "feburary" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    })
}

/// Absolute dates: a lone ordinal ("the 5th"), month-name forms and numeric
/// forms.
fn parse_explicit(toks: &[Token], today: NaiveDate) -> Option<Result<DateAnswer, DateError>> {
    if let [t] = toks
        && t.is_ordinal()
    {
        return Some(day_of_recent_month(t.num()?.0, today).map(DateAnswer::Exact));
    }
    if toks.iter().any(|t| t.word().and_then(month).is_some()) {
        return parse_month_name_date(toks, today);
    }
    parse_numeric_date(toks, today)
}

/// "the 5th": the most recent 5th of a month, not after today.
fn day_of_recent_month(day: Option<u64>, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let day = day
        .filter(|d| (1..=31).contains(d))
        .and_then(|d| u32::try_from(d).ok())
        .ok_or(DateError::NotADate)?;
    let mut first_of_month = today.with_day(1).ok_or(DateError::NotADate)?;
    // Every day 1..=31 occurs within the last 12 months.
    for _ in 0..13 {
        if let Some(date) = first_of_month.with_day(day)
            && date <= today
        {
            return check_day(date, today);
        }
        first_of_month = first_of_month
            .checked_sub_months(Months::new(1))
            .ok_or(DateError::NotADate)?;
    }
    Err(DateError::NoSuchDay)
}

/// "1 nov", "nov 1", "1st of november", "november 1st", "1 nov 2025",
/// "nov 1, 2025", "1-nov-2025".
fn parse_month_name_date(
    toks: &[Token],
    today: NaiveDate,
) -> Option<Result<DateAnswer, DateError>> {
    let toks: Vec<&Token> = toks.iter().filter(|t| t.sep().is_none()).collect();
    let month_of = |t: &Token| t.word().and_then(month);
    let (day, month, year) = match toks.as_slice() {
        [d, m] | [m, d] if month_of(m).is_some() && d.num().is_some() => {
            (d.num()?, month_of(m)?, None)
        }
        [d, m, y] | [m, d, y]
            if month_of(m).is_some()
                && d.num().is_some()
                && y.num().is_some_and(|(_, n)| n == 4) =>
        {
            (d.num()?, month_of(m)?, y.num()?.0)
        }
        _ => return None,
    };
    let Some(day) = day.0.filter(|_| day.1 <= 2) else {
        return Some(Err(DateError::NotADate));
    };
    let year = match year {
        Some(y) => Some(i32::try_from(y).ok()?),
        None => None,
    };
    Some(reading(day, u64::from(month), year, today).map(DateAnswer::Exact))
}

/// "2026-11-01", "1/11", "1/11/2026", "1-11-2026", "11/1/26", "1.11.2026".
fn parse_numeric_date(toks: &[Token], today: NaiveDate) -> Option<Result<DateAnswer, DateError>> {
    let (a, sep, b, c) = match toks {
        [a, s, b] => (a.num()?, s.sep()?, b.num()?, None),
        [a, s1, b, s2, c] if s1.sep() == s2.sep() => {
            (a.num()?, s1.sep()?, b.num()?, Some(c.num()?))
        }
        _ => return None,
    };
    if sep == ':' {
        return None;
    }
    let small = |(value, digits): (Option<u64>, usize)| value.filter(|_| digits <= 2);

    // Year first: 2026-11-01, 2026/11/01, 2026.11.01.
    if a.1 == 4 {
        let (Some(c), Some(year)) = (c, a.0) else {
            return Some(Err(DateError::NotADate));
        };
        let (Some(month), Some(day)) = (small(b), small(c)) else {
            return Some(Err(DateError::NotADate));
        };
        let year = i32::try_from(year).ok()?;
        return Some(reading(day, month, Some(year), today).map(DateAnswer::Exact));
    }

    let (Some(first), Some(second)) = (small(a), small(b)) else {
        return Some(Err(DateError::NotADate));
    };
    let year = match c {
        None => None,
        Some((Some(y), 4)) => Some(i32::try_from(y).ok()?),
        Some((Some(y), 2)) => Some(pivot_two_digit_year(y, today)),
        Some(_) => return Some(Err(DateError::NotADate)),
    };
    let day_month = reading(first, second, year, today);
    if sep == '.' {
        // Dotted dates are written day first (1.11.2026 = 1 November).
        return Some(day_month.map(DateAnswer::Exact));
    }
    let month_day = reading(second, first, year, today);
    Some(combine(day_month, month_day))
}

/// Two-digit years: 20yy unless that is more than ten years ahead, else 19yy
/// ("95" → 1995, "26" → 2026).
fn pivot_two_digit_year(yy: u64, today: NaiveDate) -> i32 {
    let yy = i32::try_from(yy % 100).unwrap_or(0);
    if 2000 + yy <= today.year().saturating_add(10) {
        2000 + yy
    } else {
        1900 + yy
    }
}

/// One reading of day/month(/year): invalid month or day number →
/// NotADate; a day the month lacks → NoSuchDay; then the range checks.
/// Without a year, the most recent such day not after today.
fn reading(
    day: u64,
    month: u64,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<NaiveDate, DateError> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(DateError::NotADate);
    }
    // Both fit in u32 after the range check above.
    let (day, month) = (day as u32, month as u32);
    match year {
        Some(year) => {
            let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay)?;
            check_day(date, today)
        }
        None => {
            // Eight years back always contains a 29 February.
            let this_year = today.year();
            (this_year.saturating_sub(8)..=this_year)
                .rev()
                .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
                .find(|d| *d <= today)
                .map_or(Err(DateError::NoSuchDay), |d| check_day(d, today))
        }
    }
}

/// Combines the day/month and month/day readings of a numeric date.
fn combine(
    day_month: Result<NaiveDate, DateError>,
    month_day: Result<NaiveDate, DateError>,
) -> Result<DateAnswer, DateError> {
    match (day_month, month_day) {
        (Ok(a), Ok(b)) if a == b => Ok(DateAnswer::Exact(a)),
        (Ok(a), Ok(b)) => Ok(DateAnswer::Ambiguous {
            day_month: a,
            month_day: b,
        }),
        (Ok(a), Err(_)) | (Err(_), Ok(a)) => Ok(DateAnswer::Exact(a)),
        (Err(a), Err(b)) => {
            // Prefer the most informative error; ties go to day/month.
            let rank = |e: &DateError| match e {
                DateError::InFuture(_) | DateError::TooEarly(_) => 0,
                DateError::NoSuchDay => 1,
                _ => 2,
            };
            Err(if rank(&b) < rank(&a) { b } else { a })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dt(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    /// A Friday.
    const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 5, 15) {
        Some(d) => d,
        None => NaiveDate::MIN,
    };

    fn exact(input: &str) -> NaiveDate {
        match parse_contact_date(input, TODAY) {
            Ok(DateAnswer::Exact(d)) => d,
            other => panic!("{input:?} → {other:?}"),
        }
    }

    fn err(input: &str) -> DateError {
        match parse_contact_date(input, TODAY) {
            Err(e) => e,
            other => panic!("{input:?} → {other:?}"),
        }
    }

    #[test]
    fn today_is_a_friday() {
        assert_eq!(TODAY.weekday(), Weekday::Fri);
    }

    #[test]
    fn words() {
        assert_eq!(exact("today"), TODAY);
        assert_eq!(exact("now"), TODAY);
        assert_eq!(exact("yesterday"), d(2026, 5, 14));
        assert_eq!(exact("yday"), d(2026, 5, 14));
        assert_eq!(exact("the day before yesterday"), d(2026, 5, 13));
        assert_eq!(exact("last night"), d(2026, 5, 14));
        assert_eq!(exact("this morning"), TODAY);
        assert_eq!(exact("tonight"), TODAY);
        assert_eq!(exact("yesterday evening"), d(2026, 5, 14));
        assert_eq!(err("tomorrow"), DateError::InFuture(d(2026, 5, 16)));
        assert_eq!(
            err("day after tomorrow"),
            DateError::InFuture(d(2026, 5, 17))
        );
    }

    #[test]
    fn durations_ago() {
        assert_eq!(exact("3 days ago"), d(2026, 5, 12));
        assert_eq!(exact("3days ago"), d(2026, 5, 12));
        assert_eq!(exact("3d ago"), d(2026, 5, 12));
        assert_eq!(exact("3 days"), d(2026, 5, 12));
        assert_eq!(exact("3 days back"), d(2026, 5, 12));
        assert_eq!(exact("a day ago"), d(2026, 5, 14));
        assert_eq!(exact("a week ago"), d(2026, 5, 8));
        assert_eq!(exact("one week ago"), d(2026, 5, 8));
        assert_eq!(exact("two weeks ago"), d(2026, 5, 1));
        assert_eq!(exact("2 wks ago"), d(2026, 5, 1));
        assert_eq!(exact("a fortnight ago"), d(2026, 5, 1));
        assert_eq!(exact("a couple of days ago"), d(2026, 5, 13));
        assert_eq!(exact("last week"), d(2026, 5, 8));
        assert_eq!(exact("a month ago"), d(2026, 4, 15));
        assert_eq!(exact("last month"), d(2026, 4, 15));
        assert_eq!(exact("six months ago"), d(2025, 11, 15));
        assert_eq!(exact("a year ago"), d(2025, 5, 15));
        assert_eq!(exact("2 hours ago"), TODAY);
        assert_eq!(exact("36 hours ago"), d(2026, 5, 14));
        assert_eq!(exact("0 days ago"), TODAY);
        assert_eq!(err("in 3 days"), DateError::InFuture(d(2026, 5, 18)));
        assert_eq!(err("3 days from now"), DateError::InFuture(d(2026, 5, 18)));
        assert_eq!(err("next week"), DateError::InFuture(d(2026, 5, 22)));
        // Vague counts are only fine for minutes/hours.
        assert_eq!(err("a few days ago"), DateError::NotADate);
    }

    #[test]
    fn huge_durations_are_errors() {
        assert_eq!(
            err("20000 days ago"),
            DateError::TooEarly(TODAY - Days::new(20000))
        );
        assert!(matches!(err("5000 years ago"), DateError::TooEarly(_)));
        assert_eq!(err("99999999 days ago"), DateError::NotADate);
        assert_eq!(err("99999999 years ago"), DateError::NotADate);
        assert_eq!(err("99999999999999999999999 days ago"), DateError::NotADate);
        assert_eq!(err("18446744073709551615 weeks ago"), DateError::NotADate);
        assert_eq!(err("9223372036854775807 seconds ago"), DateError::NotADate);
        assert_eq!(err("in 99999999 years"), DateError::NotADate);
    }

    #[test]
    fn weekdays() {
        // Today is Friday 2026-05-15.
        assert_eq!(exact("friday"), TODAY);
        assert_eq!(exact("Fri"), TODAY);
        assert_eq!(exact("this friday"), TODAY);
        assert_eq!(exact("it was a friday"), TODAY);
        assert_eq!(exact("last friday"), d(2026, 5, 8));
        assert_eq!(exact("thursday"), d(2026, 5, 14));
        assert_eq!(exact("last thursday"), d(2026, 5, 14));
        assert_eq!(exact("on thurs"), d(2026, 5, 14));
        assert_eq!(exact("saturday"), d(2026, 5, 9));
        assert_eq!(exact("last sat"), d(2026, 5, 9));
        assert_eq!(exact("monday"), d(2026, 5, 11));
        assert_eq!(exact("sunday"), d(2026, 5, 10));
        assert_eq!(exact("friday last week"), d(2026, 5, 8));
        assert_eq!(exact("last week monday"), d(2026, 5, 4));
        assert_eq!(exact("friday night"), TODAY);
        assert_eq!(err("next friday"), DateError::InFuture(d(2026, 5, 22)));
        assert_eq!(err("next monday"), DateError::InFuture(d(2026, 5, 18)));
    }

    #[test]
    fn every_weekday_from_every_weekday() {
        for offset in 0..7 {
            let today = TODAY + Days::new(offset);
            for target in 0..7u8 {
                let target = Weekday::try_from(target).unwrap();
                let name = weekday_name(target);
                let bare = parse_contact_date(name, today).unwrap();
                let last = parse_contact_date(&format!("last {name}"), today).unwrap();
                let DateAnswer::Exact(bare) = bare else {
                    panic!()
                };
                let DateAnswer::Exact(last) = last else {
                    panic!()
                };
                assert_eq!(bare.weekday(), target);
                assert!(
                    bare <= today && today - bare < TimeDelta::days(7),
                    "{name} from {today}"
                );
                assert_eq!(last.weekday(), target);
                assert!(
                    last < today && today - last <= TimeDelta::days(7),
                    "last {name} from {today}"
                );
            }
        }
    }

    #[test]
    fn month_names() {
        assert_eq!(exact("1 Nov"), d(2025, 11, 1));
        assert_eq!(exact("Nov 1"), d(2025, 11, 1));
        assert_eq!(exact("1st of November"), d(2025, 11, 1));
        assert_eq!(exact("the 1st of november"), d(2025, 11, 1));
        assert_eq!(exact("november 1st"), d(2025, 11, 1));
        assert_eq!(exact("November 22nd"), d(2025, 11, 22));
        assert_eq!(exact("1 Nov 2025"), d(2025, 11, 1));
        assert_eq!(exact("Nov 1, 2025"), d(2025, 11, 1));
        assert_eq!(exact("november 1st 2025"), d(2025, 11, 1));
        assert_eq!(exact("1-nov-2025"), d(2025, 11, 1));
        assert_eq!(exact("Sept. 3"), d(2025, 9, 3));
        assert_eq!(exact("friday 1 may 2026"), d(2026, 5, 1));
        assert_eq!(exact("15 may"), TODAY);
        assert_eq!(exact("16 may"), d(2025, 5, 16));
        assert_eq!(err("1 Nov 2026"), DateError::InFuture(d(2026, 11, 1)));
        assert_eq!(err("1 Nov 1989"), DateError::TooEarly(d(1989, 11, 1)));
        assert_eq!(err("31 Feb"), DateError::NoSuchDay);
        assert_eq!(err("feb 30 2024"), DateError::NoSuchDay);
        assert_eq!(err("29 feb 2025"), DateError::NoSuchDay);
        assert_eq!(exact("29 feb"), d(2024, 2, 29));
        assert_eq!(err("32 jan"), DateError::NotADate);
        assert_eq!(err("0 jan"), DateError::NotADate);
        assert_eq!(err("november"), DateError::NotADate);
        assert_eq!(exact("on the 5th"), d(2026, 5, 5));
        assert_eq!(exact("the 15th"), TODAY);
        assert_eq!(exact("16th"), d(2026, 4, 16));
        assert_eq!(exact("31st"), d(2026, 3, 31));
        assert_eq!(exact("friday the 1st"), d(2026, 5, 1));
        assert_eq!(err("32nd"), DateError::NotADate);
        assert_eq!(err("0th"), DateError::NotADate);
        assert_eq!(err("nov 2025"), DateError::NotADate);
    }

    #[test]
    fn negative_numbers_are_refused() {
        assert_eq!(err("-5 days ago"), DateError::Negative);
        assert_eq!(err("-5"), DateError::Negative);
        assert_eq!(err("it was -2 weeks ago"), DateError::Negative);
        assert_eq!(slip("-3 hours ago"), Err(DateError::Negative));
        assert_eq!(slip("yesterday at -1"), Err(DateError::Negative));
        assert_eq!(slip("-1"), Err(DateError::Negative));
        // Dashes inside dates are not minus signs.
        assert_eq!(exact("2025-11-01"), d(2025, 11, 1));
        assert_eq!(exact("1-nov-2025"), d(2025, 11, 1));
        assert_eq!(exact("- 1 nov"), d(2025, 11, 1));
    }

    #[test]
    fn numeric() {
        assert_eq!(exact("2025-11-01"), d(2025, 11, 1));
        assert_eq!(exact("2025/11/01"), d(2025, 11, 1));
        assert_eq!(err("2026-11-01"), DateError::InFuture(d(2026, 11, 1)));
        assert_eq!(
            parse_contact_date("1/11", TODAY),
            Ok(DateAnswer::Ambiguous {
                day_month: d(2025, 11, 1),
                month_day: d(2026, 1, 11)
            })
        );
        assert_eq!(
            parse_contact_date("1/11/2025", TODAY),
            Ok(DateAnswer::Ambiguous {
                day_month: d(2025, 11, 1),
                month_day: d(2025, 1, 11)
            })
        );
        assert_eq!(
            parse_contact_date("1-11-2025", TODAY),
            Ok(DateAnswer::Ambiguous {
                day_month: d(2025, 11, 1),
                month_day: d(2025, 1, 11)
            })
        );
        // The 1 November 2026 reading is in the future, so only one is plausible.
        assert_eq!(exact("1/11/2026"), d(2026, 1, 11));
        assert_eq!(exact("11/1/26"), d(2026, 1, 11));
        assert_eq!(exact("1.11.2025"), d(2025, 11, 1));
        assert_eq!(exact("01.11.2025"), d(2025, 11, 1));
        assert_eq!(err("1.11.2026"), DateError::InFuture(d(2026, 11, 1)));
        assert_eq!(exact("13/11"), d(2025, 11, 13));
        assert_eq!(exact("11/13"), d(2025, 11, 13));
        assert_eq!(exact("13/11/2025"), d(2025, 11, 13));
        assert_eq!(exact("5/5"), d(2026, 5, 5));
        assert_eq!(exact("5/5/95"), d(1995, 5, 5));
        assert_eq!(err("1/1/89"), DateError::TooEarly(d(1989, 1, 1)));
        assert_eq!(err("31/2"), DateError::NoSuchDay);
        assert_eq!(err("31/4/2025"), DateError::NoSuchDay);
        assert_eq!(err("13/13"), DateError::NotADate);
        assert_eq!(err("0/0"), DateError::NotADate);
        assert_eq!(err("1/2/345"), DateError::NotADate);
        assert_eq!(err("123/4"), DateError::NotADate);
        assert_eq!(err("1/11/2030"), DateError::InFuture(d(2030, 11, 1)));
        assert_eq!(err("2026-11"), DateError::NotADate);
        assert_eq!(err("2025"), DateError::NotADate);
        assert_eq!(err("5"), DateError::NotADate);
    }

    #[test]
    fn dates_without_year_are_the_most_recent() {
        let jan2 = d(2026, 1, 2);
        assert_eq!(
            parse_contact_date("Dec 30", jan2),
            Ok(DateAnswer::Exact(d(2025, 12, 30)))
        );
        assert_eq!(
            parse_contact_date("30/12", jan2),
            Ok(DateAnswer::Exact(d(2025, 12, 30)))
        );
        assert_eq!(
            parse_contact_date("2 jan", jan2),
            Ok(DateAnswer::Exact(jan2))
        );
        assert_eq!(
            parse_contact_date("3 jan", jan2),
            Ok(DateAnswer::Exact(d(2025, 1, 3)))
        );
    }

    #[test]
    fn messy_input() {
        assert_eq!(exact("  YESTERDAY!!! "), d(2026, 5, 14));
        assert_eq!(exact("Yesterday."), d(2026, 5, 14));
        assert_eq!(exact("yesterday\n"), d(2026, 5, 14));
        assert_eq!(exact("3   Days    Ago 😢"), d(2026, 5, 12));
        assert_eq!(exact("it was yesterday"), d(2026, 5, 14));
        assert_eq!(exact("It's been since yesterday"), d(2026, 5, 14));
        assert_eq!(exact("last contact 3 days ago"), d(2026, 5, 12));
        assert_eq!(exact("we last talked on friday"), TODAY);
        assert_eq!(exact("I texted him last friday"), d(2026, 5, 8));
        assert_eq!(exact("the last time was 2 weeks ago"), d(2026, 5, 1));
        assert_eq!(exact("on the 1st of Nov."), d(2025, 11, 1));
        assert_eq!(exact("yesterday at 11pm"), d(2026, 5, 14));
        assert_eq!(exact("earlier today"), TODAY);
        assert_eq!(exact("it may have been 3 days ago"), d(2026, 5, 12));
        assert_eq!(exact("2025-11-01T21:30:00"), d(2025, 11, 1));
        assert_eq!(exact("11pm yesterday"), d(2026, 5, 14));
        assert_eq!(exact("Nov 1 2025 at 21:30"), d(2025, 11, 1));
        assert_eq!(exact("\u{200f}yesterday\u{200e}"), d(2026, 5, 14));
        assert_eq!(exact("yesterday 9 PM"), d(2026, 5, 14));
    }

    #[test]
    fn garbage_is_rejected_kindly() {
        assert_eq!(err(""), DateError::Empty);
        assert_eq!(err(" \t\n "), DateError::Empty);
        assert_eq!(err("banana"), DateError::NotADate);
        assert_eq!(err("it was"), DateError::NotADate);
        assert_eq!(err("😀😀😀"), DateError::NotADate);
        assert_eq!(err("'; DROP TABLE users;--"), DateError::NotADate);
        assert_eq!(err("אתמול"), DateError::NotADate);
        assert_eq!(err("\u{0}\u{7}\u{1b}[31m"), DateError::NotADate);
        assert_eq!(err(&"a".repeat(10_000)), DateError::NotADate);
        assert_eq!(err(&"yesterday ".repeat(1_000)), DateError::NotADate);
        assert_eq!(err("last home"), DateError::NotADate);
        assert_eq!(err("this morning month"), DateError::NotADate);
        assert_eq!(err("yesterday 25:00"), DateError::NotADate);
        assert_eq!(err("31/2 at 3pm"), DateError::NoSuchDay);
    }

    #[test]
    fn every_unit_word_has_its_size() {
        for word in [
            "s",
            "sec",
            "secs",
            "second",
            "seconds",
            "m",
            "min",
            "mins",
            "minute",
            "minutes",
            "h",
            "hr",
            "hrs",
            "hour",
            "hours",
            "d",
            "day",
            "days",
            "w",
            "wk",
            "wks",
            "week",
            "weeks",
            "fortnight",
            "fortnights",
            "mo",
            "mos",
            "mth",
            "mths",
            "month",
            "months",
            "y",
            "yr",
            "yrs",
            "year",
            "years",
        ] {
            assert!(unit(word).is_some(), "{word}");
        }
        assert_eq!(unit("hour"), Some(Unit::Seconds(3600)));
        assert_eq!(unit("fortnight"), Some(Unit::Days(14)));
        assert_eq!(unit("year"), Some(Unit::Months(12)));
        assert_eq!(unit("home"), None);
    }

    // --- /slip -------------------------------------------------------------

    /// Friday 2026-05-15 14:30.
    fn now() -> NaiveDateTime {
        dt(2026, 5, 15, 14, 30)
    }

    fn slip(input: &str) -> Result<SlipWhen, DateError> {
        parse_slip_when(input, now())
    }

    #[test]
    fn slip_now() {
        assert_eq!(slip(""), Ok(SlipWhen::Now));
        assert_eq!(slip("   "), Ok(SlipWhen::Now));
        assert_eq!(slip("now"), Ok(SlipWhen::Now));
        assert_eq!(slip("just now"), Ok(SlipWhen::Now));
        assert_eq!(slip("Right now!"), Ok(SlipWhen::Now));
    }

    #[test]
    fn slip_dates() {
        assert_eq!(slip("today"), Ok(SlipWhen::Date(TODAY)));
        assert_eq!(slip("yesterday"), Ok(SlipWhen::Date(d(2026, 5, 14))));
        assert_eq!(slip("3 days ago"), Ok(SlipWhen::Date(d(2026, 5, 12))));
        assert_eq!(slip("last friday"), Ok(SlipWhen::Date(d(2026, 5, 8))));
        assert_eq!(slip("1 nov 2025"), Ok(SlipWhen::Date(d(2025, 11, 1))));
        assert_eq!(
            slip("1/11/2025"),
            Ok(SlipWhen::Ambiguous {
                day_month: d(2025, 11, 1),
                month_day: d(2025, 1, 11)
            })
        );
        assert_eq!(
            slip("1/11/2025 at 3pm"),
            Ok(SlipWhen::Ambiguous {
                day_month: d(2025, 11, 1),
                month_day: d(2025, 1, 11)
            })
        );
    }

    #[test]
    fn slip_times_today() {
        assert_eq!(
            slip("at 3am"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 3, 0)))
        );
        assert_eq!(slip("3am"), Ok(SlipWhen::DateTime(dt(2026, 5, 15, 3, 0))));
        assert_eq!(slip("14:30"), Ok(SlipWhen::DateTime(now())));
        assert_eq!(slip("9.30"), Ok(SlipWhen::DateTime(dt(2026, 5, 15, 9, 30))));
        assert_eq!(slip("noon"), Ok(SlipWhen::DateTime(dt(2026, 5, 15, 12, 0))));
        // Not yet 23:00 today, so the most recent 23:00 was yesterday.
        assert_eq!(
            slip("23:00"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 23, 0)))
        );
        assert_eq!(
            slip("it was at 11pm"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 23, 0)))
        );
    }

    #[test]
    fn slip_durations() {
        assert_eq!(
            slip("2 hours ago"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 12, 30)))
        );
        assert_eq!(
            slip("an hour ago"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 13, 30)))
        );
        assert_eq!(
            slip("half an hour ago"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 14, 0)))
        );
        assert_eq!(
            slip("30 mins ago"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 14, 0)))
        );
        assert_eq!(
            slip("a few minutes ago"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 14, 27)))
        );
        assert_eq!(
            slip("48h ago"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 13, 14, 30)))
        );
        assert_eq!(slip("in 2 hours"), Err(DateError::InFuture(TODAY)));
        assert_eq!(slip("99999999999 hours ago"), Err(DateError::NotADate));
        assert!(matches!(
            slip("9999999 hours ago"),
            Err(DateError::TooEarly(_))
        ));
        assert_eq!(
            slip("2 hours"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 12, 30)))
        );
        // "2h" is a time of day (02:00), as in "21h".
        assert_eq!(slip("2h"), Ok(SlipWhen::DateTime(dt(2026, 5, 15, 2, 0))));
    }

    #[test]
    fn slip_parts_of_day() {
        assert_eq!(
            slip("last night"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 22, 0)))
        );
        assert_eq!(
            slip("this morning"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 9, 0)))
        );
        assert_eq!(
            slip("in the morning"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 9, 0)))
        );
        assert_eq!(
            slip("yesterday evening"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 19, 0)))
        );
        assert_eq!(slip("friday night"), Err(DateError::InFuture(TODAY)));
        assert_eq!(
            slip("thursday night"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 22, 0)))
        );
        // The afternoon has begun but 15:00 hasn't come: now.
        assert_eq!(slip("this afternoon"), Ok(SlipWhen::DateTime(now())));
        assert_eq!(slip("this evening"), Err(DateError::InFuture(TODAY)));
        assert_eq!(slip("tonight"), Err(DateError::InFuture(TODAY)));
        let late = dt(2026, 5, 15, 21, 0);
        assert_eq!(
            parse_slip_when("tonight", late),
            Ok(SlipWhen::DateTime(late))
        );
    }

    #[test]
    fn slip_date_with_time() {
        assert_eq!(
            slip("yesterday 11pm"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 23, 0)))
        );
        assert_eq!(
            slip("Yesterday at 23:00"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 23, 0)))
        );
        assert_eq!(
            slip("11pm yesterday"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 23, 0)))
        );
        assert_eq!(
            slip("at 3am on thursday"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 3, 0)))
        );
        assert_eq!(
            slip("friday at 9"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 9, 0)))
        );
        assert_eq!(
            slip("last friday 9pm"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 8, 21, 0)))
        );
        assert_eq!(
            slip("yesterday afternoon at 3"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 15, 0)))
        );
        assert_eq!(
            slip("yesterday morning at 11:30"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 11, 30)))
        );
        assert_eq!(
            slip("3 days ago at 5pm"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 12, 17, 0)))
        );
        assert_eq!(
            slip("1 nov 2025 21:15"),
            Ok(SlipWhen::DateTime(dt(2025, 11, 1, 21, 15)))
        );
        assert_eq!(
            slip("2025-11-01 9:15pm"),
            Ok(SlipWhen::DateTime(dt(2025, 11, 1, 21, 15)))
        );
        assert_eq!(
            slip("yesterday 9 PM"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 14, 21, 0)))
        );
    }

    #[test]
    fn slip_iso_and_earlier() {
        assert_eq!(
            slip("2025-11-01T21:15"),
            Ok(SlipWhen::DateTime(dt(2025, 11, 1, 21, 15)))
        );
        assert_eq!(
            slip("earlier today at 9"),
            Ok(SlipWhen::DateTime(dt(2026, 5, 15, 9, 0)))
        );
    }

    #[test]
    fn slip_errors() {
        assert_eq!(slip("tomorrow"), Err(DateError::InFuture(d(2026, 5, 16))));
        assert_eq!(slip("today 11pm"), Err(DateError::InFuture(TODAY)));
        assert_eq!(slip("1980-01-01"), Err(DateError::TooEarly(d(1980, 1, 1))));
        assert_eq!(slip("31/2 at 3pm"), Err(DateError::NoSuchDay));
        assert_eq!(slip("31.2"), Err(DateError::NoSuchDay));
        assert_eq!(slip("banana"), Err(DateError::NotADate));
        assert_eq!(slip("yesterday 25:00"), Err(DateError::NotADate));
        assert_eq!(slip("'; DROP TABLE users;--"), Err(DateError::NotADate));
        assert_eq!(slip(&"x".repeat(10_000)), Err(DateError::NotADate));
    }

    #[test]
    fn slip_date_shapes_are_dates_never_clock_times() {
        assert_eq!(slip("0001-01-01"), Err(DateError::TooEarly(d(1, 1, 1))));
        assert_eq!(slip("1230-05-05"), Err(DateError::TooEarly(d(1230, 5, 5))));
        assert_eq!(
            slip("2359-12-31"),
            Err(DateError::InFuture(d(2359, 12, 31)))
        );
        assert_eq!(
            slip("0001-01-01 10:00"),
            Err(DateError::TooEarly(d(1, 1, 1)))
        );
        assert_eq!(
            slip("2359-12-31 at 9pm"),
            Err(DateError::InFuture(d(2359, 12, 31)))
        );
        assert_eq!(slip("0001-13-01"), Err(DateError::NotADate));
        assert_eq!(slip("23-59"), Err(DateError::NotADate));
        assert_eq!(slip("2359-12"), Err(DateError::NotADate));
        assert_eq!(
            slip("12/31/2359"),
            Err(DateError::InFuture(d(2359, 12, 31)))
        );
        // Clock forms still read as times.
        assert_eq!(slip("0001"), Ok(SlipWhen::DateTime(dt(2026, 5, 15, 0, 1))));
        assert_eq!(slip("9.30"), Ok(SlipWhen::DateTime(dt(2026, 5, 15, 9, 30))));
    }

    fn vocabulary() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "yesterday",
            "today",
            "now",
            "ago",
            "days",
            "day",
            "week",
            "a",
            "last",
            "next",
            "in",
            "friday",
            "fri",
            "nov",
            "1st",
            "of",
            "at",
            "pm",
            "am",
            "night",
            "this",
            "morning",
            "/",
            "-",
            ".",
            ":",
            ",",
            "0",
            "1",
            "12",
            "13",
            "29",
            "31",
            "2025",
            "2026",
            "26",
            "99999999",
            "99999999999999999999999",
            "hours",
            "half",
            "an",
            "few",
            "couple",
            "the",
            "before",
            "from",
            "last",
            "tonight",
            "😀",
            "\u{0}",
            "Ⅻ",
            "١٢",
        ])
        .prop_map(str::to_owned)
    }

    proptest! {
        #[test]
        fn contact_never_panics(s in "(?s).{0,80}") {
            let _ = parse_contact_date(&s, TODAY);
        }

        #[test]
        fn slip_never_panics(s in "(?s).{0,80}") {
            let _ = parse_slip_when(&s, now());
        }

        #[test]
        fn token_soup_never_panics(
            words in prop::collection::vec(vocabulary(), 0..7),
            glue in prop::sample::select(vec![" ", "", "  "]),
        ) {
            let s = words.join(glue);
            let _ = parse_contact_date(&s, TODAY);
            let _ = parse_slip_when(&s, now());
            let _ = parse_contact_date(&s, NaiveDate::MIN);
            let _ = parse_contact_date(&s, NaiveDate::MAX);
            let _ = parse_slip_when(&s, NaiveDateTime::MIN);
            let _ = parse_slip_when(&s, NaiveDateTime::MAX);
        }

        #[test]
        fn iso_and_days_ago_round_trip(
            today_offset in 0u64..=40_000,
            back in 0u64..=40_000,
        ) {
            let today = EARLIEST_DATE + Days::new(today_offset);
            let back = back.min(today_offset);
            let date = today - Days::new(back);
            let iso = date.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_contact_date(&iso, today), Ok(DateAnswer::Exact(date)));
            prop_assert_eq!(
                parse_contact_date(&format!("{back} days ago"), today),
                Ok(DateAnswer::Exact(date))
            );
        }

        #[test]
        fn day_over_twelve_is_exact(
            today_offset in 3_000u64..=40_000,
            month in 1u32..=12,
            day in 13u32..=31,
            with_year in any::<bool>(),
        ) {
            let today = EARLIEST_DATE + Days::new(today_offset);
            // Only days that exist in that month (29 Feb in some year).
            prop_assume!(NaiveDate::from_ymd_opt(2024, month, day).is_some());
            let input = if with_year {
                let year = today.year() - 1;
                prop_assume!(NaiveDate::from_ymd_opt(year, month, day).is_some());
                format!("{day}/{month}/{year}")
            } else {
                format!("{day}/{month}")
            };
            match parse_contact_date(&input, today) {
                Ok(DateAnswer::Exact(d)) => {
                    prop_assert_eq!(d.day(), day);
                    prop_assert_eq!(d.month(), month);
                    prop_assert!(d <= today);
                }
                other => prop_assert!(false, "{} → {:?}", input, other),
            }
        }
    }
}
