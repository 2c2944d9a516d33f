//! Parsing of a wall-clock time of day typed by a user ("9pm", "21:30", "noon").
//!
//! Pure and total: every input yields either a [`NaiveTime`] or a [`TimeError`],
//! never a panic.

use chrono::{NaiveTime, Timelike};

/// Why a typed time of day was rejected.
#[derive(Debug, Clone, Copy, thiserror::Error, PartialEq, Eq)]
pub enum TimeError {
    /// Nothing (or only whitespace) was typed.
    #[error("no time given")]
    Empty,
    /// The text does not look like a time of day.
    #[error("that doesn't look like a time of day")]
    NotATime,
    /// It looks like a time, but the hour or minute does not exist
    /// (e.g. "25:00", "9:75", "13pm").
    #[error("that time doesn't exist on a clock")]
    OutOfRange,
    /// A negative number ("-1"): no clock shows it.
    #[error("a time of day is never negative")]
    Negative,
}

/// Longest input (in chars) worth looking at; anything longer is not a time.
const MAX_INPUT_CHARS: usize = 64;

/// Morning/afternoon marker typed after a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
    /// "at night": 12 → midnight, 1–5 → am, 6–11 → pm.
    Night,
}

/// Parses a time of day the user typed.
///
/// Accepts bare hours ("9" → 09:00, "21" → 21:00), "9am", "9 am", "9 a.m.",
/// "9:30", "09:30", "9.30", "21:00", "21:00:15", "9pm", "9:15pm", "21h",
/// "21h30", "2130", "930", "noon", "midday", "midnight", "9 in the evening",
/// with an optional leading "at"/"around"/"about" and trailing "o'clock".
/// With am/pm the hour must be 1–12 ("12am" → 00:00, "12pm" → 12:00,
/// "13pm" → [`TimeError::OutOfRange`]); without, 0–23. Minutes are 0–59.
/// A negative number ("-1") is [`TimeError::Negative`], not 01:00.
pub fn parse_time_of_day(input: &str) -> Result<NaiveTime, TimeError> {
    if input.trim().is_empty() {
        return Err(TimeError::Empty);
    }
    if input.chars().count() > MAX_INPUT_CHARS {
        return Err(TimeError::NotATime);
    }
    // Normalizing turns "-" into a space, so "-1" would otherwise read as 01:00.
    if super::text::has_negative_number(input) {
        return Err(TimeError::Negative);
    }
    let normalized = normalize(input);
    let mut words: Vec<&str> = normalized
        .split_whitespace()
        .filter(|w| !matches!(*w, "oclock" | "sharp"))
        .map(|w| match w.strip_suffix("ish") {
            // "9ish", "noonish"
            Some(base) if !base.is_empty() => base,
            _ => w,
        })
        .collect();

    // Leading fillers: "at 9", "around 9pm", "~9".
    while let Some(first) = words.first() {
        if matches!(
            *first,
            "at" | "around" | "about" | "approx" | "approximately" | "by" | "like" | "~"
        ) {
            words.remove(0);
        } else {
            break;
        }
    }
    // Trailing fillers: "9 o'clock", "21:00 hrs", "9 sharp", "9ish".
    while let Some(last) = words.last() {
        if matches!(*last, "oclock" | "hrs" | "sharp" | "ish" | "or" | "so") {
            words.pop();
        } else {
            break;
        }
    }

    if let Some(result) = parse_past_to(&words) {
        return result;
    }

    let meridiem = strip_day_part(&mut words);

    match words.as_slice() {
        [] => return Err(TimeError::NotATime),
        ["noon" | "midday"] | ["12", "noon" | "midday"] if meridiem.is_none() => {
            return NaiveTime::from_hms_opt(12, 0, 0).ok_or(TimeError::NotATime);
        }
        ["midnight"] | ["12", "midnight"] if meridiem.is_none() => return Ok(NaiveTime::MIN),
        _ => {}
    }

    let compact: String = words.concat();
    parse_compact(&compact, meridiem)
}

/// "half past 9", "quarter to 10", "20 past 7pm", "10 minutes to 6".
/// `None` if the words are not of that shape.
fn parse_past_to(words: &[&str]) -> Option<Result<NaiveTime, TimeError>> {
    let link = words
        .iter()
        .position(|w| matches!(*w, "past" | "to" | "after"))?;
    let (amount, rest) = (&words[..link], &words[link + 1..]);
    let minutes: i64 = match amount {
        ["half"] | ["a", "half"] => 30,
        ["quarter"] | ["a", "quarter"] => 15,
        [n] | [n, "min" | "mins" | "minute" | "minutes"] => match n.parse::<i64>() {
            Ok(m) if (1..=59).contains(&m) => m,
            _ => return Some(Err(TimeError::NotATime)),
        },
        _ => return None,
    };
    if rest.is_empty() {
        return Some(Err(TimeError::NotATime));
    }
    let hour = match parse_time_of_day(&rest.join(" ")) {
        Ok(t) if t.minute() == 0 && t.second() == 0 => t,
        Ok(_) => return Some(Err(TimeError::NotATime)),
        Err(e) => return Some(Err(e)),
    };
    let delta = chrono::TimeDelta::minutes(minutes);
    Some(Ok(if words[link] == "to" {
        hour.overflowing_sub_signed(delta).0
    } else {
        hour.overflowing_add_signed(delta).0
    }))
}

/// Lowercases, spells out "a.m."/"p.m.", drops apostrophes and trailing
/// punctuation, and turns anything that cannot be part of a time into spaces.
fn normalize(input: &str) -> String {
    let lower = input.to_lowercase();
    let lower = lower
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
        .replace("a.m", "am")
        .replace("p.m", "pm");
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            '\'' | '\u{2019}' => {}
            'a'..='z' | '0'..='9' | ':' | '.' | '~' => out.push(c),
            _ => out.push(' '),
        }
    }
    // A trailing full stop ends the sentence, it is not part of "9.30".
    let trimmed = out.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    trimmed.trim_start().to_owned()
}

/// Removes trailing "in the morning" / "in the evening" / "at night" style
/// phrases and returns the meridiem they imply.
fn strip_day_part(words: &mut Vec<&str>) -> Option<Meridiem> {
    let meridiem = match words.last().copied()? {
        "morning" => Meridiem::Am,
        "afternoon" | "evening" => Meridiem::Pm,
        "night" | "tonight" => Meridiem::Night,
        _ => return None,
    };
    words.pop();
    // Drop the "in the" / "at" / "this" that came before it.
    while let Some(last) = words.last() {
        if matches!(*last, "in" | "the" | "at" | "this" | "during") {
            words.pop();
        } else {
            break;
        }
    }
    Some(meridiem)
}

/// Parses a time with all spaces removed, e.g. "9:15pm", "21h30", "2130".
fn parse_compact(s: &str, day_part: Option<Meridiem>) -> Result<NaiveTime, TimeError> {
    let (body, suffix) = split_meridiem(s);
    let meridiem = match (suffix, day_part) {
        (Some(_), Some(_)) => return Err(TimeError::NotATime),
        (Some(m), None) | (None, Some(m)) => Some(m),
        (None, None) => None,
    };
    let (hour, minute, second) = parse_clock_digits(body)?;
    to_time(hour, minute, second, meridiem)
}

/// Splits an "am"/"pm"/"a"/"p" suffix off the compact form.
fn split_meridiem(s: &str) -> (&str, Option<Meridiem>) {
    for (suffix, m) in [
        ("am", Meridiem::Am),
        ("pm", Meridiem::Pm),
        ("a", Meridiem::Am),
        ("p", Meridiem::Pm),
    ] {
        if let Some(body) = s.strip_suffix(suffix) {
            return (body, Some(m));
        }
    }
    (s, None)
}

/// Reads `H`, `HH`, `HMM`, `HHMM`, `H:MM`, `H.MM`, `H:MM:SS`, `Hh`, `HhMM`.
fn parse_clock_digits(body: &str) -> Result<(u32, u32, u32), TimeError> {
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // Numbers here are at most 4 digits, so parsing into u32 cannot overflow.
    let num = |s: &str| s.parse::<u32>().map_err(|_| TimeError::NotATime);

    if let Some((h, m)) = body.split_once('h') {
        // French/German style "21h", "21h30".
        if !all_digits(h) || h.len() > 2 || !(m.is_empty() || (all_digits(m) && m.len() == 2)) {
            return Err(TimeError::NotATime);
        }
        let minute = if m.is_empty() { 0 } else { num(m)? };
        return Ok((num(h)?, minute, 0));
    }

    let parts: Vec<&str> = body.split([':', '.']).collect();
    match parts.as_slice() {
        [digits] if all_digits(digits) => match digits.len() {
            1 | 2 => Ok((num(digits)?, 0, 0)),
            3 | 4 => {
                let (h, m) = digits.split_at(digits.len() - 2);
                Ok((num(h)?, num(m)?, 0))
            }
            _ => Err(TimeError::NotATime),
        },
        [h, m] if all_digits(h) && h.len() <= 2 && all_digits(m) && m.len() == 2 => {
            Ok((num(h)?, num(m)?, 0))
        }
        [h, m, sec]
            if all_digits(h)
                && h.len() <= 2
                && all_digits(m)
                && m.len() == 2
                && all_digits(sec)
                && sec.len() == 2 =>
        {
            Ok((num(h)?, num(m)?, num(sec)?))
        }
        _ => Err(TimeError::NotATime),
    }
}

/// Applies the meridiem and range rules.
fn to_time(
    hour: u32,
    minute: u32,
    second: u32,
    meridiem: Option<Meridiem>,
) -> Result<NaiveTime, TimeError> {
    let hour = match meridiem {
        None if hour <= 23 => hour,
        None => return Err(TimeError::OutOfRange),
        Some(_) if !(1..=12).contains(&hour) => return Err(TimeError::OutOfRange),
        Some(Meridiem::Am) => hour % 12,
        Some(Meridiem::Pm) => hour % 12 + 12,
        Some(Meridiem::Night) => match hour {
            12 => 0,
            1..=5 => hour,
            _ => hour + 12,
        },
    };
    if minute > 59 || second > 59 {
        return Err(TimeError::OutOfRange);
    }
    NaiveTime::from_hms_opt(hour, minute, second).ok_or(TimeError::OutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn ok(input: &str) -> NaiveTime {
        parse_time_of_day(input).unwrap_or_else(|e| panic!("{input:?} failed: {e:?}"))
    }

    #[test]
    fn bare_hours() {
        assert_eq!(ok("9"), t(9, 0));
        assert_eq!(ok("09"), t(9, 0));
        assert_eq!(ok("0"), t(0, 0));
        assert_eq!(ok("21"), t(21, 0));
        assert_eq!(ok("23"), t(23, 0));
    }

    #[test]
    fn am_pm_forms() {
        assert_eq!(ok("9am"), t(9, 0));
        assert_eq!(ok("9 am"), t(9, 0));
        assert_eq!(ok("9 AM"), t(9, 0));
        assert_eq!(ok("9 a.m."), t(9, 0));
        assert_eq!(ok("9pm"), t(21, 0));
        assert_eq!(ok("9 P.M."), t(21, 0));
        assert_eq!(ok("9:15pm"), t(21, 15));
        assert_eq!(ok("9:15 pm"), t(21, 15));
        assert_eq!(ok("9.15pm"), t(21, 15));
        assert_eq!(ok("930pm"), t(21, 30));
        assert_eq!(ok("9p"), t(21, 0));
        assert_eq!(ok("12am"), t(0, 0));
        assert_eq!(ok("12:30am"), t(0, 30));
        assert_eq!(ok("12pm"), t(12, 0));
        assert_eq!(ok("12:45pm"), t(12, 45));
        assert_eq!(ok("1am"), t(1, 0));
        assert_eq!(ok("11pm"), t(23, 0));
    }

    #[test]
    fn clock_forms() {
        assert_eq!(ok("9:30"), t(9, 30));
        assert_eq!(ok("09:30"), t(9, 30));
        assert_eq!(ok("9.30"), t(9, 30));
        assert_eq!(ok("21:00"), t(21, 0));
        assert_eq!(ok("00:00"), t(0, 0));
        assert_eq!(ok("23:59"), t(23, 59));
        assert_eq!(ok("21:00:15"), NaiveTime::from_hms_opt(21, 0, 15).unwrap());
        assert_eq!(ok("21h"), t(21, 0));
        assert_eq!(ok("21 h"), t(21, 0));
        assert_eq!(ok("21h30"), t(21, 30));
        assert_eq!(ok("2130"), t(21, 30));
        assert_eq!(ok("0930"), t(9, 30));
        assert_eq!(ok("930"), t(9, 30));
    }

    #[test]
    fn words_and_fillers() {
        assert_eq!(ok("noon"), t(12, 0));
        assert_eq!(ok("Midday"), t(12, 0));
        assert_eq!(ok("12 noon"), t(12, 0));
        assert_eq!(ok("midnight"), t(0, 0));
        assert_eq!(ok("at 9"), t(9, 0));
        assert_eq!(ok("  At 9PM! "), t(21, 0));
        assert_eq!(ok("around 7:30"), t(7, 30));
        assert_eq!(ok("9 o'clock"), t(9, 0));
        assert_eq!(ok("9 o’clock"), t(9, 0));
        assert_eq!(ok("21:00."), t(21, 0));
        assert_eq!(ok("9 in the morning"), t(9, 0));
        assert_eq!(ok("9 in the evening"), t(21, 0));
        assert_eq!(ok("3 in the afternoon"), t(15, 0));
        assert_eq!(ok("11 at night"), t(23, 0));
        assert_eq!(ok("2 at night"), t(2, 0));
        assert_eq!(ok("12 at night"), t(0, 0));
        assert_eq!(ok("9ish"), t(9, 0));
        assert_eq!(ok("noonish"), t(12, 0));
        assert_eq!(ok("9 o'clock pm"), t(21, 0));
        assert_eq!(ok("half past 9"), t(9, 30));
        assert_eq!(ok("half past 9pm"), t(21, 30));
        assert_eq!(ok("quarter past 10"), t(10, 15));
        assert_eq!(ok("a quarter to 10"), t(9, 45));
        assert_eq!(ok("quarter to midnight"), t(23, 45));
        assert_eq!(ok("quarter to 12am"), t(23, 45));
        assert_eq!(ok("20 past 7 in the evening"), t(19, 20));
        assert_eq!(ok("10 minutes to 6"), t(5, 50));
    }

    #[test]
    fn errors() {
        assert_eq!(parse_time_of_day(""), Err(TimeError::Empty));
        assert_eq!(parse_time_of_day("   \t"), Err(TimeError::Empty));
        assert_eq!(parse_time_of_day("13pm"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("0pm"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("0am"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("24"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("24:00"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("25:00"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("9:60"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("9:75pm"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("2160"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("99"), Err(TimeError::OutOfRange));
        assert_eq!(parse_time_of_day("banana"), Err(TimeError::NotATime));
        assert_eq!(parse_time_of_day("9:3"), Err(TimeError::NotATime));
        assert_eq!(parse_time_of_day("12345"), Err(TimeError::NotATime));
        assert_eq!(parse_time_of_day("9pm am"), Err(TimeError::NotATime));
        assert_eq!(parse_time_of_day("noon pm"), Err(TimeError::NotATime));
        assert_eq!(
            parse_time_of_day("9pm in the morning"),
            Err(TimeError::NotATime)
        );
        assert_eq!(parse_time_of_day("at"), Err(TimeError::NotATime));
        assert_eq!(parse_time_of_day("half past"), Err(TimeError::NotATime));
        assert_eq!(
            parse_time_of_day("half past 9:30"),
            Err(TimeError::NotATime)
        );
        assert_eq!(parse_time_of_day("75 past 9"), Err(TimeError::NotATime));
        assert_eq!(
            parse_time_of_day("quarter to 25"),
            Err(TimeError::OutOfRange)
        );
        assert_eq!(parse_time_of_day("ish"), Err(TimeError::NotATime));
        assert_eq!(parse_time_of_day("-1"), Err(TimeError::Negative));
        assert_eq!(parse_time_of_day("at -9pm"), Err(TimeError::Negative));
        assert_eq!(parse_time_of_day("\u{2212}7:30"), Err(TimeError::Negative));
        assert_eq!(parse_time_of_day("😀"), Err(TimeError::NotATime));
        assert_eq!(
            parse_time_of_day("'; DROP TABLE users;--"),
            Err(TimeError::NotATime)
        );
        assert_eq!(
            parse_time_of_day(&"9".repeat(10_000)),
            Err(TimeError::NotATime)
        );
        assert_eq!(
            parse_time_of_day("99999999999999999999"),
            Err(TimeError::NotATime)
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "(?s).{0,80}") {
            let _ = parse_time_of_day(&s);
        }

        #[test]
        fn every_clock_time_round_trips(h in 0u32..24, m in 0u32..60) {
            prop_assert_eq!(parse_time_of_day(&format!("{h:02}:{m:02}")), Ok(t(h, m)));
            prop_assert_eq!(parse_time_of_day(&format!("{h}.{m:02}")), Ok(t(h, m)));
            let (h12, suffix) = match h { 0 => (12, "am"), 1..=11 => (h, "am"), 12 => (12, "pm"), _ => (h - 12, "pm") };
            prop_assert_eq!(parse_time_of_day(&format!("{h12}:{m:02} {suffix}")), Ok(t(h, m)));
        }
    }
}
