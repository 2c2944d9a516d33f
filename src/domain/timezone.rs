//! A user's timezone: parsing free text ("Berlin", "new york", "UTC+5:30",
//! "EST") into an IANA zone or a fixed offset, storing it as a canonical
//! string, and converting between UTC instants and local wall-clock times.
//!
//! Everything here is pure and total: no I/O, and no input makes it panic.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// A user's timezone: an IANA zone or a fixed UTC offset.
///
/// Named zones follow daylight-saving rules; fixed offsets never change.
/// The canonical stored form (see [`fmt::Display`]) is the IANA name
/// ("Europe/Berlin", "UTC") or `UTC±HH:MM` ("UTC+05:30", "UTC-03:00").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserTimezone {
    /// An IANA zone such as `Europe/Berlin`.
    Named(Tz),
    /// A fixed offset from UTC, e.g. +05:30.
    Fixed(FixedOffset),
}

/// Why a timezone could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimezoneError {
    /// Nothing (or only whitespace) was typed.
    #[error("no timezone given")]
    Empty,
    /// Not a zone, city, country, abbreviation or offset we know. Holds the
    /// (trimmed, at most 64 chars) input; see [`TimezoneError::suggestions`].
    #[error("unknown timezone: {0}")]
    Unknown(String),
    /// Looks like a UTC offset, but outside −12:00..=+14:00 or not a whole
    /// number of 15-minute steps.
    #[error("UTC offsets go from -12:00 to +14:00 in 15-minute steps")]
    OffsetOutOfRange,
}

impl TimezoneError {
    /// Up to three zones whose names are close to what the user typed, best
    /// first, for a "did you mean …?" reply. Empty for other errors.
    pub fn suggestions(&self) -> Vec<UserTimezone> {
        match self {
            TimezoneError::Unknown(input) => suggest(input),
            _ => Vec::new(),
        }
    }
}

/// Longest user input (in chars) we try to interpret.
const MAX_INPUT_CHARS: usize = 100;
/// Longest input (in chars) echoed back inside [`TimezoneError::Unknown`].
const MAX_ECHO_CHARS: usize = 64;

impl UserTimezone {
    /// Parses what a user typed. Never panics.
    ///
    /// Tried in order: UTC offsets (`UTC+2`, `utc +2`, `GMT-5`, `+02:00`,
    /// `+0530`, `UTC+5:30`, `-3`; −12:00..=+14:00 in 15-minute steps, zero
    /// means the `UTC` zone); IANA names case-insensitively with spaces for
    /// underscores (`america/new york`); then, for the whole text, the text
    /// without filler ("I'm in …", "… time") and its parts ("Paris, France"):
    /// abbreviations (`UTC`, `GMT`, `Z`, `EST`, `CET`, … see
    /// [`ABBREVIATIONS`]), cities and countries ([`PLACES`]), the last
    /// component of every IANA name with accents folded (`Berlin`,
    /// `são paulo`, `Kolkata`), and one-part IANA names (`Cuba`).
    pub fn parse(input: &str) -> Result<UserTimezone, TimezoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(TimezoneError::Empty);
        }
        let unknown = || TimezoneError::Unknown(trimmed.chars().take(MAX_ECHO_CHARS).collect());
        if trimmed.chars().count() > MAX_INPUT_CHARS {
            return Err(unknown());
        }
        let folded = fold(trimmed);

        if let Some(result) = parse_offset(&folded) {
            return result;
        }
        if folded.contains('/')
            && let Some(tz) = lookup_full_name(&folded)
        {
            return Ok(UserTimezone::Named(tz));
        }
        for candidate in candidates(&folded) {
            if let Some(tz) = lookup_key(&candidate) {
                return Ok(UserTimezone::Named(tz));
            }
            if let Some(result) = parse_offset(&candidate) {
                return result;
            }
        }
        Err(unknown())
    }

    /// The canonical storable string, same as `to_string()`: the IANA name
    /// ("Europe/Berlin", "UTC") or "UTC+05:30" / "UTC-03:00".
    pub fn as_str(&self) -> String {
        self.to_string()
    }

    /// Parses the canonical string written by [`fmt::Display`] (the inverse of
    /// `to_string()`). Strict: exact IANA spelling or `UTC±HH:MM[:SS]`; use
    /// [`UserTimezone::parse`] for anything a human typed.
    pub fn from_stored(s: &str) -> Result<UserTimezone, TimezoneError> {
        if s.is_empty() {
            return Err(TimezoneError::Empty);
        }
        if let Some(rest) = s.strip_prefix("UTC")
            && let Some(offset) = parse_stored_offset(rest)
        {
            return Ok(UserTimezone::Fixed(offset));
        }
        s.parse::<Tz>()
            .map(UserTimezone::Named)
            .map_err(|_| TimezoneError::Unknown(s.chars().take(MAX_ECHO_CHARS).collect()))
    }

    /// The user's local calendar date at `instant`.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        self.local_datetime(instant).date()
    }

    /// The user's local wall-clock time at `instant`. Saturates at the ends
    /// of chrono's range instead of panicking like `naive_local()` would.
    pub fn local_datetime(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        let offset = self.utc_offset_at(instant);
        let utc = instant.naive_utc();
        utc.checked_add_offset(offset)
            .unwrap_or(if offset.local_minus_utc() > 0 {
                NaiveDateTime::MAX
            } else {
                NaiveDateTime::MIN
            })
    }

    /// The instant a local wall-clock time occurs. A time that does not exist
    /// (spring-forward gap) moves to the first valid instant after the gap; an
    /// ambiguous time (fall-back) takes the earlier instant.
    pub fn resolve_local(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self {
            UserTimezone::Fixed(offset) => {
                local.checked_sub_offset(*offset).unwrap_or(local).and_utc()
            }
            UserTimezone::Named(tz) => match tz.from_local_datetime(&local) {
                LocalResult::Single(t) => t.with_timezone(&Utc),
                LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
                LocalResult::None => {
                    first_instant_after_gap(*tz, local).unwrap_or_else(|| fallback_utc(*tz, local))
                }
            },
        }
    }

    /// The offset from UTC in force at `instant` (includes DST).
    pub fn utc_offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        match self {
            UserTimezone::Named(tz) => tz.offset_from_utc_datetime(&instant.naive_utc()).fix(),
            UserTimezone::Fixed(offset) => *offset,
        }
    }
}

/// Finds the transition instant that ends the gap containing `local`: the
/// smallest instant whose local wall-clock time is at or after `local`.
/// Offsets are within ±16 h, so that instant lies within `local ± 16 h` read
/// as UTC; a binary search over whole seconds finds it (every tz transition
/// falls on a whole second).
fn first_instant_after_gap(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    const WINDOW_SECS: i64 = 16 * 3600;
    // Whether the wall clock at `secs` (a Unix timestamp) has reached `local`.
    let zone = UserTimezone::Named(tz);
    let reached = |secs: i64| -> Option<bool> {
        let instant = DateTime::<Utc>::from_timestamp(secs, 0)?;
        Some(zone.local_datetime(instant) >= local)
    };
    let target = local.and_utc().timestamp();
    let mut lo = target.checked_sub(WINDOW_SECS)?;
    let mut hi = target.checked_add(WINDOW_SECS)?;
    // Invariant: the clock has not reached `local` at `lo` but has at `hi`.
    if reached(lo)? || !reached(hi)? {
        return None;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reached(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    DateTime::<Utc>::from_timestamp(hi, 0)
}

/// Last resort for a nonexistent local time that the gap search could not
/// place (only near the ends of the representable range): use the offset in
/// force a day earlier.
fn fallback_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let probe = local
        .checked_sub_signed(chrono::TimeDelta::days(1))
        .unwrap_or(local);
    let offset = tz.offset_from_utc_datetime(&probe).fix();
    local.checked_sub_offset(offset).unwrap_or(local).and_utc()
}

impl fmt::Display for UserTimezone {
    /// Writes the canonical storable form ("Europe/Berlin", "UTC+05:30").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserTimezone::Named(tz) => f.write_str(tz.name()),
            UserTimezone::Fixed(offset) => {
                let secs = offset.local_minus_utc();
                let sign = if secs < 0 { '-' } else { '+' };
                let abs = secs.unsigned_abs();
                let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
                if s == 0 {
                    write!(f, "UTC{sign}{h:02}:{m:02}")
                } else {
                    write!(f, "UTC{sign}{h:02}:{m:02}:{s:02}")
                }
            }
        }
    }
}

impl FromStr for UserTimezone {
    type Err = TimezoneError;

    /// Same as [`UserTimezone::from_stored`] (the inverse of `Display`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UserTimezone::from_stored(s)
    }
}

impl serde::Serialize for UserTimezone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for UserTimezone {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        UserTimezone::from_stored(&s).map_err(serde::de::Error::custom)
    }
}

/// Parses the part after "UTC" of a stored fixed offset: `±HH:MM[:SS]`.
fn parse_stored_offset(rest: &str) -> Option<FixedOffset> {
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let parts: Vec<&str> = digits.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let num = |i: usize| {
        parts
            .get(i)
            .and_then(|p| p.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let (h, m, s) = (num(0), num(1), num(2));
    if m > 59 || s > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60 + s))
}

/// Recognizes a user-typed UTC offset in folded (lowercase) text.
///
/// Returns `None` when the text is not offset-shaped at all, so other
/// interpretations can be tried.
fn parse_offset(folded: &str) -> Option<Result<UserTimezone, TimezoneError>> {
    let compact: String = folded
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '\u{2212}' | '\u{2013}' | '\u{2014}') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let (has_prefix, rest) = ["utc", "gmt", "ut", "z"]
        .iter()
        .find_map(|p| compact.strip_prefix(p).map(|r| (true, r)))
        .unwrap_or((false, compact.as_str()));
    let (sign, body) = match rest.as_bytes().first() {
        Some(b'+') => (1, &rest[1..]),
        Some(b'-') => (-1, &rest[1..]),
        Some(b) if has_prefix && b.is_ascii_digit() => (1, rest),
        _ => return None,
    };
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
    {
        return None;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (hours, minutes): (&str, &str) = match body.split_once([':', '.']) {
        Some((h, "5")) if digits(h) => (h, "30"), // "5.5" hours
        Some((h, m)) if digits(h) && digits(m) && m.len() == 2 => (h, m),
        Some(_) => return Some(Err(TimezoneError::OffsetOutOfRange)),
        None if body.len() <= 2 => (body, "0"),
        None if body.len() <= 4 => body.split_at(body.len() - 2),
        None => return Some(Err(TimezoneError::OffsetOutOfRange)),
    };
    let (Ok(h), Ok(m)) = (hours.parse::<i32>(), minutes.parse::<i32>()) else {
        return Some(Err(TimezoneError::OffsetOutOfRange));
    };
    if (0..=14).contains(&h) && m < 60 && m % 15 == 0 {
        let total = sign * (h * 60 + m);
        if (-12 * 60..=14 * 60).contains(&total) {
            return Some(Ok(if total == 0 {
                UserTimezone::Named(Tz::UTC)
            } else {
                match FixedOffset::east_opt(total * 60) {
                    Some(offset) => UserTimezone::Fixed(offset),
                    None => return Some(Err(TimezoneError::OffsetOutOfRange)),
                }
            }));
        }
    }
    Some(Err(TimezoneError::OffsetOutOfRange))
}

/// Lowercases and folds common Latin accents ("São" → "sao", "Zürich" → "zurich").
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'ć' | 'č' => out.push('c'),
            'ď' | 'đ' => out.push('d'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ğ' => out.push('g'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => out.push('i'),
            'ł' => out.push('l'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => out.push('o'),
            'œ' => out.push_str("oe"),
            'ř' => out.push('r'),
            'ś' | 'š' | 'ş' | 'ș' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ť' | 'ţ' | 'ț' => out.push('t'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            _ => out.push(c),
        }
    }
    out
}

/// The lookup key of a name: ASCII letters and digits only, so "New York",
/// "new_york" and "New-York" all become "newyork". A '+' and a '-' directly
/// before a digit are kept so that "Etc/GMT+5" and "Etc/GMT-5" stay distinct
/// and "utc-3" stays an offset.
fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let before_digit = chars.peek().is_some_and(char::is_ascii_digit);
        if c.is_ascii_alphanumeric() || c == '+' || (c == '-' && before_digit) {
            out.push(c);
        }
    }
    out
}

/// Words people put around a place name that carry no meaning for lookup.
const FILLER_WORDS: &[&str] = &[
    "i",
    "im",
    "am",
    "in",
    "live",
    "living",
    "my",
    "timezone",
    "time",
    "zone",
    "tz",
    "is",
    "its",
    "the",
    "based",
    "from",
    "near",
    "currently",
    "now",
    "city",
    "standard",
    "daylight",
    "summer",
    "winter",
    "please",
    "on",
    "using",
    "use",
    "at",
];

/// Most words in a phrase we search for a place name inside.
const MAX_PHRASE_WORDS: usize = 6;

/// Lookup keys to try for free text, best first: the whole text, the text
/// without filler words, each comma-separated part, then every run of
/// consecutive words, longest first ("paris france" → "paris"). Runs shorter
/// than three letters ("la", "uk") only count when typed on their own.
fn candidates(folded: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |k: String| {
        if !k.is_empty() && !out.contains(&k) {
            out.push(k);
        }
    };
    push(key(folded));
    let meaningful = |part: &str| -> String {
        part.split(char::is_whitespace)
            .filter(|w| !FILLER_WORDS.contains(&key(w).as_str()))
            .map(key)
            .collect()
    };
    push(meaningful(folded));
    for part in folded.split([',', ';', '(', ')']) {
        push(key(part));
        push(meaningful(part));
    }
    let words: Vec<String> = folded
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .map(key)
        .filter(|w| !w.is_empty() && !FILLER_WORDS.contains(&w.as_str()))
        .collect();
    if words.len() <= MAX_PHRASE_WORDS {
        for len in (1..words.len()).rev() {
            for run in words.windows(len) {
                let k = run.concat();
                if k.len() >= 3 {
                    push(k);
                }
            }
        }
    }
    out
}

/// Resolves a single lookup key: abbreviations, then places, then the last
/// component of IANA names, then whole one-component IANA names.
fn lookup_key(k: &str) -> Option<Tz> {
    let index = &*INDEX;
    index
        .abbreviations
        .get(k)
        .or_else(|| index.places.get(k))
        .or_else(|| index.last_component.get(k))
        .or_else(|| index.full.get(k))
        .copied()
}

/// Case-insensitive IANA lookup of a name containing '/', with spaces or
/// hyphens accepted for underscores ("america/new york").
fn lookup_full_name(folded: &str) -> Option<Tz> {
    let k: Vec<String> = folded.split('/').map(|c| key(c.trim())).collect();
    INDEX.full.get(&k.join("/")).copied()
}

/// Precomputed lookup tables.
struct Index {
    abbreviations: HashMap<&'static str, Tz>,
    places: HashMap<&'static str, Tz>,
    /// Last IANA component key → preferred zone with that last component.
    last_component: HashMap<String, Tz>,
    /// Full IANA name key (components joined by '/') → zone.
    full: HashMap<String, Tz>,
}

static INDEX: LazyLock<Index> = LazyLock::new(build_index);

/// Continents/oceans used by current, canonical IANA names. A last-component
/// match prefers these over legacy names like "US/Pacific" or "Japan".
const MAIN_REGIONS: &[&str] = &[
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
];

/// How preferable a zone is when several share a last component (lower wins).
/// Sort key for [`preference`]: lower is better.
type Preference = (bool, Reverse<usize>, &'static str);

/// Among main-region names the longer one wins, because the canonical
/// zones are "America/Argentina/Buenos_Aires" and
/// "America/Indiana/Indianapolis" while the two-part forms are old links.
fn preference(tz: Tz) -> Preference {
    let name = tz.name();
    let parts = name.split('/').count();
    let main = name
        .split('/')
        .next()
        .is_some_and(|region| MAIN_REGIONS.contains(&region));
    (!main, Reverse(parts), name)
}

fn build_index() -> Index {
    let mut full = HashMap::new();
    let mut last_component: HashMap<String, Tz> = HashMap::new();
    for &tz in chrono_tz::TZ_VARIANTS.iter() {
        let name = tz.name();
        let folded = fold(name);
        let full_key: Vec<String> = folded.split('/').map(key).collect();
        full.insert(full_key.join("/"), tz);
        if let Some(last) = full_key.last() {
            last_component
                .entry(last.clone())
                .and_modify(|existing| {
                    if preference(tz) < preference(*existing) {
                        *existing = tz;
                    }
                })
                .or_insert(tz);
        }
    }
    let to_map = |table: &[(&'static str, &str)]| -> HashMap<&'static str, Tz> {
        table
            .iter()
            .filter_map(|(k, name)| name.parse::<Tz>().ok().map(|tz| (*k, tz)))
            .collect()
    };
    Index {
        abbreviations: to_map(ABBREVIATIONS),
        places: to_map(PLACES),
        last_component,
        full,
    }
}

/// Timezone abbreviations and region words, mapped to one representative
/// IANA zone (keys are lookup keys: lowercase ASCII letters/digits).
///
/// Documented choices for ambiguous ones: `EST`/`EDT` → New York, `CST` → US
/// Central (Chicago, not China), `PST` → Los Angeles, `CET`/`CEST` → Paris,
/// `EET` → Athens, `IST` → India (not Ireland/Israel), `BST` → London (not
/// Bangladesh), `AST` → Halifax (Atlantic, not Arabia), `GMT` → UTC itself
/// (not London's summer time).
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("utc", "UTC"),
    ("gmt", "UTC"),
    ("z", "UTC"),
    ("ut", "UTC"),
    ("zulu", "UTC"),
    ("utc0", "UTC"),
    ("gmt0", "UTC"),
    ("coordinateduniversal", "UTC"),
    ("universal", "UTC"),
    ("est", "America/New_York"),
    ("edt", "America/New_York"),
    ("et", "America/New_York"),
    ("eastern", "America/New_York"),
    ("useastern", "America/New_York"),
    ("cst", "America/Chicago"),
    ("cdt", "America/Chicago"),
    ("ct", "America/Chicago"),
    ("central", "America/Chicago"),
    ("uscentral", "America/Chicago"),
    ("mst", "America/Denver"),
    ("mdt", "America/Denver"),
    ("mt", "America/Denver"),
    ("mountain", "America/Denver"),
    ("pst", "America/Los_Angeles"),
    ("pdt", "America/Los_Angeles"),
    ("pt", "America/Los_Angeles"),
    ("pacific", "America/Los_Angeles"),
    ("uspacific", "America/Los_Angeles"),
    ("akst", "America/Anchorage"),
    ("akdt", "America/Anchorage"),
    ("hst", "Pacific/Honolulu"),
    ("ast", "America/Halifax"),
    ("adt", "America/Halifax"),
    ("atlantic", "America/Halifax"),
    ("nst", "America/St_Johns"),
    ("ndt", "America/St_Johns"),
    ("brt", "America/Sao_Paulo"),
    ("art", "America/Argentina/Buenos_Aires"),
    ("bst", "Europe/London"),
    ("british", "Europe/London"),
    ("wet", "Europe/Lisbon"),
    ("west", "Europe/Lisbon"),
    ("cet", "Europe/Paris"),
    ("cest", "Europe/Paris"),
    ("met", "Europe/Paris"),
    ("centraleuropean", "Europe/Paris"),
    ("eet", "Europe/Athens"),
    ("eest", "Europe/Athens"),
    ("easterneuropean", "Europe/Athens"),
    ("msk", "Europe/Moscow"),
    ("moscow", "Europe/Moscow"),
    ("ist", "Asia/Kolkata"),
    ("pkt", "Asia/Karachi"),
    ("ict", "Asia/Bangkok"),
    ("wib", "Asia/Jakarta"),
    ("sgt", "Asia/Singapore"),
    ("hkt", "Asia/Hong_Kong"),
    ("pht", "Asia/Manila"),
    ("phst", "Asia/Manila"),
    ("jst", "Asia/Tokyo"),
    ("kst", "Asia/Seoul"),
    ("awst", "Australia/Perth"),
    ("acst", "Australia/Adelaide"),
    ("acdt", "Australia/Adelaide"),
    ("aest", "Australia/Sydney"),
    ("aedt", "Australia/Sydney"),
    ("nzst", "Pacific/Auckland"),
    ("nzdt", "Pacific/Auckland"),
    ("wat", "Africa/Lagos"),
    ("cat", "Africa/Maputo"),
    ("eat", "Africa/Nairobi"),
    ("sast", "Africa/Johannesburg"),
];

/// Cities and countries whose name is not (the last component of) an IANA
/// name, or where it would pick a legacy link. Countries spanning several
/// zones map to their most populous city's zone (USA → New York, Canada →
/// Toronto, Australia → Sydney, Brazil → São Paulo, Russia → Moscow, …).
pub const PLACES: &[(&str, &str)] = &[
    // United States
    ("usa", "America/New_York"),
    ("us", "America/New_York"),
    ("unitedstates", "America/New_York"),
    ("unitedstatesofamerica", "America/New_York"),
    ("america", "America/New_York"),
    ("nyc", "America/New_York"),
    ("newyorkcity", "America/New_York"),
    ("ny", "America/New_York"),
    ("manhattan", "America/New_York"),
    ("brooklyn", "America/New_York"),
    ("boston", "America/New_York"),
    ("miami", "America/New_York"),
    ("washington", "America/New_York"),
    ("washingtondc", "America/New_York"),
    ("dc", "America/New_York"),
    ("atlanta", "America/New_York"),
    ("philadelphia", "America/New_York"),
    ("philly", "America/New_York"),
    ("baltimore", "America/New_York"),
    ("pittsburgh", "America/New_York"),
    ("charlotte", "America/New_York"),
    ("orlando", "America/New_York"),
    ("tampa", "America/New_York"),
    ("cleveland", "America/New_York"),
    ("columbus", "America/New_York"),
    ("florida", "America/New_York"),
    ("michigan", "America/Detroit"),
    ("dallas", "America/Chicago"),
    ("houston", "America/Chicago"),
    ("austin", "America/Chicago"),
    ("sanantonio", "America/Chicago"),
    ("texas", "America/Chicago"),
    ("nashville", "America/Chicago"),
    ("neworleans", "America/Chicago"),
    ("minneapolis", "America/Chicago"),
    ("stlouis", "America/Chicago"),
    ("kansascity", "America/Chicago"),
    ("milwaukee", "America/Chicago"),
    ("saltlakecity", "America/Denver"),
    ("albuquerque", "America/Denver"),
    ("colorado", "America/Denver"),
    ("arizona", "America/Phoenix"),
    ("la", "America/Los_Angeles"),
    ("sanfrancisco", "America/Los_Angeles"),
    ("sf", "America/Los_Angeles"),
    ("bayarea", "America/Los_Angeles"),
    ("siliconvalley", "America/Los_Angeles"),
    ("sanjose", "America/Los_Angeles"),
    ("sandiego", "America/Los_Angeles"),
    ("sacramento", "America/Los_Angeles"),
    ("seattle", "America/Los_Angeles"),
    ("portland", "America/Los_Angeles"),
    ("lasvegas", "America/Los_Angeles"),
    ("california", "America/Los_Angeles"),
    ("hawaii", "Pacific/Honolulu"),
    ("alaska", "America/Anchorage"),
    // Canada, Latin America
    ("canada", "America/Toronto"),
    ("montreal", "America/Toronto"),
    ("ottawa", "America/Toronto"),
    ("quebec", "America/Toronto"),
    ("calgary", "America/Edmonton"),
    ("mexico", "America/Mexico_City"),
    ("cdmx", "America/Mexico_City"),
    ("guadalajara", "America/Mexico_City"),
    ("brazil", "America/Sao_Paulo"),
    ("brasil", "America/Sao_Paulo"),
    ("riodejaneiro", "America/Sao_Paulo"),
    ("rio", "America/Sao_Paulo"),
    ("brasilia", "America/Sao_Paulo"),
    ("argentina", "America/Argentina/Buenos_Aires"),
    ("buenosaires", "America/Argentina/Buenos_Aires"),
    ("chile", "America/Santiago"),
    ("colombia", "America/Bogota"),
    ("medellin", "America/Bogota"),
    ("peru", "America/Lima"),
    ("venezuela", "America/Caracas"),
    // Europe
    ("uk", "Europe/London"),
    ("unitedkingdom", "Europe/London"),
    ("gb", "Europe/London"),
    ("greatbritain", "Europe/London"),
    ("britain", "Europe/London"),
    ("england", "Europe/London"),
    ("scotland", "Europe/London"),
    ("wales", "Europe/London"),
    ("northernireland", "Europe/London"),
    ("edinburgh", "Europe/London"),
    ("glasgow", "Europe/London"),
    ("manchester", "Europe/London"),
    ("birmingham", "Europe/London"),
    ("liverpool", "Europe/London"),
    ("leeds", "Europe/London"),
    ("bristol", "Europe/London"),
    ("cardiff", "Europe/London"),
    ("belfast", "Europe/London"),
    ("ireland", "Europe/Dublin"),
    ("eire", "Europe/Dublin"),
    ("germany", "Europe/Berlin"),
    ("deutschland", "Europe/Berlin"),
    ("munich", "Europe/Berlin"),
    ("munchen", "Europe/Berlin"),
    ("hamburg", "Europe/Berlin"),
    ("frankfurt", "Europe/Berlin"),
    ("cologne", "Europe/Berlin"),
    ("koln", "Europe/Berlin"),
    ("france", "Europe/Paris"),
    ("lyon", "Europe/Paris"),
    ("marseille", "Europe/Paris"),
    ("spain", "Europe/Madrid"),
    ("espana", "Europe/Madrid"),
    ("barcelona", "Europe/Madrid"),
    ("valencia", "Europe/Madrid"),
    ("seville", "Europe/Madrid"),
    ("portugal", "Europe/Lisbon"),
    ("porto", "Europe/Lisbon"),
    ("italy", "Europe/Rome"),
    ("italia", "Europe/Rome"),
    ("milan", "Europe/Rome"),
    ("milano", "Europe/Rome"),
    ("naples", "Europe/Rome"),
    ("florence", "Europe/Rome"),
    ("venice", "Europe/Rome"),
    ("netherlands", "Europe/Amsterdam"),
    ("holland", "Europe/Amsterdam"),
    ("rotterdam", "Europe/Amsterdam"),
    ("belgium", "Europe/Brussels"),
    ("switzerland", "Europe/Zurich"),
    ("geneva", "Europe/Zurich"),
    ("austria", "Europe/Vienna"),
    ("poland", "Europe/Warsaw"),
    ("krakow", "Europe/Warsaw"),
    ("czechia", "Europe/Prague"),
    ("czechrepublic", "Europe/Prague"),
    ("sweden", "Europe/Stockholm"),
    ("norway", "Europe/Oslo"),
    ("denmark", "Europe/Copenhagen"),
    ("finland", "Europe/Helsinki"),
    ("iceland", "Atlantic/Reykjavik"),
    ("greece", "Europe/Athens"),
    ("romania", "Europe/Bucharest"),
    ("hungary", "Europe/Budapest"),
    ("turkey", "Europe/Istanbul"),
    ("istanbul", "Europe/Istanbul"),
    ("turkiye", "Europe/Istanbul"),
    ("ankara", "Europe/Istanbul"),
    ("ukraine", "Europe/Kyiv"),
    ("kiev", "Europe/Kyiv"),
    ("kyiv", "Europe/Kyiv"),
    ("odesa", "Europe/Kyiv"),
    ("odessa", "Europe/Kyiv"),
    ("kharkiv", "Europe/Kyiv"),
    ("lviv", "Europe/Kyiv"),
    ("russia", "Europe/Moscow"),
    ("stpetersburg", "Europe/Moscow"),
    ("saintpetersburg", "Europe/Moscow"),
    // Middle East, Africa
    ("israel", "Asia/Jerusalem"),
    ("telaviv", "Asia/Jerusalem"),
    ("uae", "Asia/Dubai"),
    ("abudhabi", "Asia/Dubai"),
    ("saudiarabia", "Asia/Riyadh"),
    ("saudi", "Asia/Riyadh"),
    ("iran", "Asia/Tehran"),
    ("iraq", "Asia/Baghdad"),
    ("egypt", "Africa/Cairo"),
    ("nigeria", "Africa/Lagos"),
    ("abuja", "Africa/Lagos"),
    ("kenya", "Africa/Nairobi"),
    ("ghana", "Africa/Accra"),
    ("ethiopia", "Africa/Addis_Ababa"),
    ("morocco", "Africa/Casablanca"),
    ("libya", "Africa/Tripoli"),
    ("southafrica", "Africa/Johannesburg"),
    ("capetown", "Africa/Johannesburg"),
    ("pretoria", "Africa/Johannesburg"),
    ("durban", "Africa/Johannesburg"),
    // Asia, Oceania
    ("india", "Asia/Kolkata"),
    ("delhi", "Asia/Kolkata"),
    ("newdelhi", "Asia/Kolkata"),
    ("mumbai", "Asia/Kolkata"),
    ("bombay", "Asia/Kolkata"),
    ("bangalore", "Asia/Kolkata"),
    ("bengaluru", "Asia/Kolkata"),
    ("chennai", "Asia/Kolkata"),
    ("hyderabad", "Asia/Kolkata"),
    ("pune", "Asia/Kolkata"),
    ("calcutta", "Asia/Kolkata"),
    ("pakistan", "Asia/Karachi"),
    ("lahore", "Asia/Karachi"),
    ("islamabad", "Asia/Karachi"),
    ("bangladesh", "Asia/Dhaka"),
    ("srilanka", "Asia/Colombo"),
    ("nepal", "Asia/Kathmandu"),
    ("china", "Asia/Shanghai"),
    ("prc", "Asia/Shanghai"),
    ("beijing", "Asia/Shanghai"),
    ("guangzhou", "Asia/Shanghai"),
    ("shenzhen", "Asia/Shanghai"),
    ("hongkong", "Asia/Hong_Kong"),
    ("hk", "Asia/Hong_Kong"),
    ("taiwan", "Asia/Taipei"),
    ("japan", "Asia/Tokyo"),
    ("osaka", "Asia/Tokyo"),
    ("kyoto", "Asia/Tokyo"),
    ("korea", "Asia/Seoul"),
    ("southkorea", "Asia/Seoul"),
    ("busan", "Asia/Seoul"),
    ("philippines", "Asia/Manila"),
    ("cebu", "Asia/Manila"),
    ("quezoncity", "Asia/Manila"),
    ("vietnam", "Asia/Ho_Chi_Minh"),
    ("hanoi", "Asia/Ho_Chi_Minh"),
    ("thailand", "Asia/Bangkok"),
    ("indonesia", "Asia/Jakarta"),
    ("bali", "Asia/Makassar"),
    ("malaysia", "Asia/Kuala_Lumpur"),
    ("kualalumpur", "Asia/Kuala_Lumpur"),
    ("kl", "Asia/Kuala_Lumpur"),
    ("singapore", "Asia/Singapore"),
    ("australia", "Australia/Sydney"),
    ("canberra", "Australia/Sydney"),
    ("samoa", "Pacific/Apia"),
    ("newzealand", "Pacific/Auckland"),
    ("nz", "Pacific/Auckland"),
    ("wellington", "Pacific/Auckland"),
];

/// Up to three zones whose lookup keys are within a small edit distance of
/// the input, best first.
fn suggest(input: &str) -> Vec<UserTimezone> {
    // For a mistyped IANA name ("Europe/Berln") the city part matters.
    let folded = fold(input);
    let k = key(folded.rsplit('/').next().unwrap_or(&folded));
    if k.is_empty() || k.chars().count() > 40 {
        return Vec::new();
    }
    let max_distance = (k.len() / 3).clamp(1, 3);
    let index = &*INDEX;
    let mut scored: Vec<(usize, Preference, Tz)> = Vec::new();
    let mut consider = |candidate: &str, tz: Tz| {
        let d = levenshtein(&k, candidate);
        if d <= max_distance {
            scored.push((d, preference(tz), tz));
        }
    };
    for (candidate, &tz) in index.places.iter().chain(index.abbreviations.iter()) {
        if candidate.len() >= 4 {
            consider(candidate, tz);
        }
    }
    for (candidate, &tz) in &index.last_component {
        consider(candidate, tz);
    }
    scored.sort_by_key(|(d, pref, _)| (*d, *pref));
    let mut out: Vec<UserTimezone> = Vec::new();
    for (_, _, tz) in scored {
        let zone = UserTimezone::Named(tz);
        if !out.contains(&zone) {
            out.push(zone);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// Classic edit distance over bytes (keys are ASCII).
fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate};
    use proptest::prelude::*;

    fn named(input: &str) -> &'static str {
        match UserTimezone::parse(input) {
            Ok(UserTimezone::Named(tz)) => tz.name(),
            other => panic!("{input:?} → {other:?}"),
        }
    }

    fn fixed(input: &str) -> i32 {
        match UserTimezone::parse(input) {
            Ok(UserTimezone::Fixed(offset)) => offset.local_minus_utc() / 60,
            other => panic!("{input:?} → {other:?}"),
        }
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        local(y, m, d, h, min).and_utc()
    }

    #[test]
    fn iana_names_case_insensitively() {
        assert_eq!(named("Europe/Berlin"), "Europe/Berlin");
        assert_eq!(named("europe/berlin"), "Europe/Berlin");
        assert_eq!(named(" EUROPE/BERLIN "), "Europe/Berlin");
        assert_eq!(named("America/New_York"), "America/New_York");
        assert_eq!(named("america/new york"), "America/New_York");
        assert_eq!(named("America/New-York"), "America/New_York");
        assert_eq!(
            named("america/argentina/buenos aires"),
            "America/Argentina/Buenos_Aires"
        );
        assert_eq!(named("America/Port-au-Prince"), "America/Port-au-Prince");
        assert_eq!(named("Etc/GMT+5"), "Etc/GMT+5");
        assert_eq!(named("etc/gmt-5"), "Etc/GMT-5");
        assert_eq!(named("Europe/Isle_of_Man"), "Europe/Isle_of_Man");
        assert_eq!(named("asia/kolkata"), "Asia/Kolkata");
    }

    #[test]
    fn cities_and_countries() {
        for (input, expected) in [
            ("Berlin", "Europe/Berlin"),
            ("berlin", "Europe/Berlin"),
            ("London", "Europe/London"),
            ("new york", "America/New_York"),
            ("New York City", "America/New_York"),
            ("NYC", "America/New_York"),
            ("LA", "America/Los_Angeles"),
            ("Los Angeles", "America/Los_Angeles"),
            ("san francisco", "America/Los_Angeles"),
            ("Seattle", "America/Los_Angeles"),
            ("boston", "America/New_York"),
            ("Miami", "America/New_York"),
            ("Washington", "America/New_York"),
            ("dallas", "America/Chicago"),
            ("Houston", "America/Chicago"),
            ("Chicago", "America/Chicago"),
            ("Denver", "America/Denver"),
            ("São Paulo", "America/Sao_Paulo"),
            ("sao paulo", "America/Sao_Paulo"),
            ("Mumbai", "Asia/Kolkata"),
            ("Delhi", "Asia/Kolkata"),
            ("Bangalore", "Asia/Kolkata"),
            ("Kolkata", "Asia/Kolkata"),
            ("Beijing", "Asia/Shanghai"),
            ("Shanghai", "Asia/Shanghai"),
            ("Sydney", "Australia/Sydney"),
            ("Melbourne", "Australia/Melbourne"),
            ("Toronto", "America/Toronto"),
            ("Mexico City", "America/Mexico_City"),
            ("Kyiv", "Europe/Kyiv"),
            ("Kiev", "Europe/Kyiv"),
            ("Zürich", "Europe/Zurich"),
            ("Ho Chi Minh", "Asia/Ho_Chi_Minh"),
            ("Bogotá", "America/Bogota"),
            ("Montréal", "America/Toronto"),
            ("Kraków", "Europe/Warsaw"),
            ("Isle of Man", "Europe/Isle_of_Man"),
            ("Buenos Aires", "America/Argentina/Buenos_Aires"),
            ("Indianapolis", "America/Indiana/Indianapolis"),
            ("india", "Asia/Kolkata"),
            ("UK", "Europe/London"),
            ("England", "Europe/London"),
            ("Germany", "Europe/Berlin"),
            ("France", "Europe/Paris"),
            ("Paris", "Europe/Paris"),
            ("Spain", "Europe/Madrid"),
            ("Brazil", "America/Sao_Paulo"),
            ("Japan", "Asia/Tokyo"),
            ("Philippines", "Asia/Manila"),
            ("Nigeria", "Africa/Lagos"),
            ("Kenya", "Africa/Nairobi"),
            ("South Africa", "Africa/Johannesburg"),
            ("Australia", "Australia/Sydney"),
            ("USA", "America/New_York"),
            ("Canada", "America/Toronto"),
            ("Singapore", "Asia/Singapore"),
            ("Jamaica", "America/Jamaica"),
        ] {
            assert_eq!(named(input), expected, "{input}");
        }
    }

    #[test]
    fn phrases_around_places() {
        assert_eq!(named("I'm in Berlin"), "Europe/Berlin");
        assert_eq!(named("i live in new york"), "America/New_York");
        assert_eq!(named("Berlin, Germany"), "Europe/Berlin");
        assert_eq!(named("Berlin time"), "Europe/Berlin");
        assert_eq!(named("Pacific time"), "America/Los_Angeles");
        assert_eq!(named("Eastern Standard Time"), "America/New_York");
        assert_eq!(named("Central European Time"), "Europe/Paris");
        assert_eq!(named("british summer time"), "Europe/London");
        assert_eq!(named("london."), "Europe/London");
        assert_eq!(named("Paris France"), "Europe/Paris");
        assert_eq!(named("Berlin Germany"), "Europe/Berlin");
        assert_eq!(named("somewhere near Manchester, England"), "Europe/London");
        assert_eq!(named("Istanbul"), "Europe/Istanbul");
        // Two-letter keys only count on their own, not inside a phrase.
        assert!(UserTimezone::parse("la la land").is_err());
    }

    #[test]
    fn abbreviations() {
        for input in [
            "UTC", "utc", "GMT", "gmt", "Z", "z", "Zulu", "UTC+0", "GMT-0", "+00:00", "utc 0",
        ] {
            assert_eq!(
                UserTimezone::parse(input),
                Ok(UserTimezone::Named(Tz::UTC)),
                "{input}"
            );
        }
        assert_eq!(named("EST"), "America/New_York");
        assert_eq!(named("edt"), "America/New_York");
        assert_eq!(named("CST"), "America/Chicago");
        assert_eq!(named("MST"), "America/Denver");
        assert_eq!(named("PST"), "America/Los_Angeles");
        assert_eq!(named("PDT"), "America/Los_Angeles");
        assert_eq!(named("CET"), "Europe/Paris");
        assert_eq!(named("CEST"), "Europe/Paris");
        assert_eq!(named("EET"), "Europe/Athens");
        assert_eq!(named("BST"), "Europe/London");
        assert_eq!(named("IST"), "Asia/Kolkata");
        assert_eq!(named("JST"), "Asia/Tokyo");
        assert_eq!(named("AEST"), "Australia/Sydney");
        assert_eq!(named("HST"), "Pacific/Honolulu");
        assert_eq!(named("MSK"), "Europe/Moscow");
    }

    #[test]
    fn offsets() {
        assert_eq!(fixed("UTC+2"), 120);
        assert_eq!(fixed("utc +2"), 120);
        assert_eq!(fixed("UTC + 2"), 120);
        assert_eq!(fixed("GMT-5"), -300);
        assert_eq!(fixed("+02:00"), 120);
        assert_eq!(fixed("+2"), 120);
        assert_eq!(fixed("+0530"), 330);
        assert_eq!(fixed("+530"), 330);
        assert_eq!(fixed("UTC+5:30"), 330);
        assert_eq!(fixed("UTC+05:30"), 330);
        assert_eq!(fixed("utc+5.30"), 330);
        assert_eq!(fixed("UTC+5.5"), 330);
        assert_eq!(fixed("+5:45"), 345);
        assert_eq!(fixed("-3"), -180);
        assert_eq!(fixed("UTC\u{2212}3"), -180);
        assert_eq!(fixed("utc-03:00"), -180);
        assert_eq!(fixed("UTC+14"), 840);
        assert_eq!(fixed("UTC-12"), -720);
        assert_eq!(fixed("UTC+12:45"), 765);
        assert_eq!(fixed("utc5"), 300);
        assert_eq!(fixed("I'm on UTC+2"), 120);
        for bad in [
            "UTC+15",
            "UTC-13",
            "UTC+14:15",
            "UTC-12:15",
            "+05:20",
            "+5:75",
            "utc+99999",
            "-99999999999999999999",
            "UTC+5:3",
            "+1:2:3",
        ] {
            assert_eq!(
                UserTimezone::parse(bad),
                Err(TimezoneError::OffsetOutOfRange),
                "{bad}"
            );
        }
    }

    #[test]
    fn errors_and_suggestions() {
        assert_eq!(UserTimezone::parse(""), Err(TimezoneError::Empty));
        assert_eq!(UserTimezone::parse("  \t "), Err(TimezoneError::Empty));
        assert_eq!(
            UserTimezone::parse("  Atlantis "),
            Err(TimezoneError::Unknown("Atlantis".to_owned()))
        );
        for garbage in [
            "😀",
            "'; DROP TABLE users;--",
            "برلين",
            "\u{0}\u{1b}[2J",
            "5",
            "/",
            "+",
            "utc+",
        ] {
            assert!(
                matches!(UserTimezone::parse(garbage), Err(TimezoneError::Unknown(_))),
                "{garbage:?}"
            );
        }
        let long = "x".repeat(10_000);
        match UserTimezone::parse(&long) {
            Err(TimezoneError::Unknown(echo)) => assert_eq!(echo.chars().count(), 64),
            other => panic!("{other:?}"),
        }
        let err = UserTimezone::parse("Berln").unwrap_err();
        assert_eq!(
            err.suggestions().first(),
            Some(&UserTimezone::Named(Tz::Europe__Berlin))
        );
        let err = UserTimezone::parse("new yrok").unwrap_err();
        assert!(
            err.suggestions()
                .contains(&UserTimezone::Named(Tz::America__New_York))
        );
        let err = UserTimezone::parse("Europe/Berln").unwrap_err();
        assert_eq!(
            err.suggestions().first(),
            Some(&UserTimezone::Named(Tz::Europe__Berlin))
        );
        let err = UserTimezone::parse("Londn").unwrap_err();
        assert!(
            err.suggestions()
                .contains(&UserTimezone::Named(Tz::Europe__London))
        );
        assert!(err.suggestions().len() <= 3);
        assert!(
            UserTimezone::parse("qqqqqqqqqq")
                .unwrap_err()
                .suggestions()
                .is_empty()
        );
        assert!(TimezoneError::Empty.suggestions().is_empty());
        assert!(TimezoneError::Unknown(long).suggestions().is_empty());
    }

    #[test]
    fn alias_tables_name_real_zones() {
        for (k, name) in ABBREVIATIONS.iter().chain(PLACES) {
            assert!(name.parse::<Tz>().is_ok(), "{k} → {name}");
            assert_eq!(key(k), *k, "alias key {k} is not normalized");
        }
    }

    #[test]
    fn canonical_strings() {
        let berlin = UserTimezone::Named(Tz::Europe__Berlin);
        assert_eq!(berlin.to_string(), "Europe/Berlin");
        assert_eq!(berlin.as_str(), "Europe/Berlin");
        assert_eq!(UserTimezone::Named(Tz::UTC).to_string(), "UTC");
        let ist = UserTimezone::Fixed(FixedOffset::east_opt(5 * 3600 + 1800).unwrap());
        assert_eq!(ist.to_string(), "UTC+05:30");
        let brt = UserTimezone::Fixed(FixedOffset::west_opt(3 * 3600).unwrap());
        assert_eq!(brt.to_string(), "UTC-03:00");
        let zero = UserTimezone::Fixed(FixedOffset::east_opt(0).unwrap());
        assert_eq!(zero.to_string(), "UTC+00:00");
        assert_eq!(UserTimezone::from_stored("UTC+00:00"), Ok(zero));
        let odd = UserTimezone::Fixed(FixedOffset::east_opt(-(3600 + 62)).unwrap());
        assert_eq!(odd.to_string(), "UTC-01:01:02");
        assert_eq!(UserTimezone::from_stored(&odd.to_string()), Ok(odd));
        assert_eq!(
            UserTimezone::from_stored("UTC"),
            Ok(UserTimezone::Named(Tz::UTC))
        );
        assert_eq!("UTC-03:00".parse::<UserTimezone>(), Ok(brt));
        // Stored strings are strict; only `parse` is lenient.
        for bad in [
            "berlin",
            "europe/berlin",
            "UTC+2",
            "utc+02:00",
            "UTC+05:60",
            "UTC+99:00",
            " Europe/Berlin",
        ] {
            assert!(UserTimezone::from_stored(bad).is_err(), "{bad}");
        }
        assert_eq!(UserTimezone::from_stored(""), Err(TimezoneError::Empty));
    }

    #[test]
    fn every_zone_round_trips() {
        for &tz in chrono_tz::TZ_VARIANTS.iter() {
            let zone = UserTimezone::Named(tz);
            assert_eq!(
                UserTimezone::from_stored(&zone.to_string()),
                Ok(zone),
                "{}",
                tz.name()
            );
            // Typing the exact IANA name finds it, or a zone with the same
            // rules (a canonical zone for a legacy link such as "Egypt"),
            // except names that are also abbreviations we map elsewhere.
            let parsed = UserTimezone::parse(tz.name());
            let is_abbreviation = ABBREVIATIONS
                .iter()
                .any(|(k, _)| *k == key(&fold(tz.name())));
            if !is_abbreviation {
                let Ok(parsed) = parsed else {
                    panic!("{} does not parse: {parsed:?}", tz.name());
                };
                for probe in [utc(2026, 1, 15, 12, 0), utc(2026, 7, 15, 12, 0)] {
                    assert_eq!(
                        parsed.utc_offset_at(probe),
                        zone.utc_offset_at(probe),
                        "{}",
                        tz.name()
                    );
                }
            }
        }
    }

    #[test]
    fn every_quarter_hour_offset_round_trips() {
        for quarter in -48..=56 {
            let minutes = quarter * 15;
            let zone = UserTimezone::Fixed(FixedOffset::east_opt(minutes * 60).unwrap());
            let stored = zone.to_string();
            assert_eq!(UserTimezone::from_stored(&stored), Ok(zone), "{stored}");
            let typed = UserTimezone::parse(&stored).unwrap();
            if minutes == 0 {
                assert_eq!(typed, UserTimezone::Named(Tz::UTC));
            } else {
                assert_eq!(typed, zone, "{stored}");
            }
        }
    }

    /// Minimal serializer capturing a string, to test `Serialize` without
    /// pulling in serde_json.
    struct StringSerializer;

    macro_rules! unsupported {
        ($($method:ident($($ty:ty),*)),* $(,)?) => {
            $(fn $method(self, $(_: $ty),*) -> Result<String, serde::de::value::Error> {
                Err(serde::ser::Error::custom("unsupported"))
            })*
        };
    }

    impl serde::Serializer for StringSerializer {
        type Ok = String;
        type Error = serde::de::value::Error;
        type SerializeSeq = serde::ser::Impossible<String, Self::Error>;
        type SerializeTuple = serde::ser::Impossible<String, Self::Error>;
        type SerializeTupleStruct = serde::ser::Impossible<String, Self::Error>;
        type SerializeTupleVariant = serde::ser::Impossible<String, Self::Error>;
        type SerializeMap = serde::ser::Impossible<String, Self::Error>;
        type SerializeStruct = serde::ser::Impossible<String, Self::Error>;
        type SerializeStructVariant = serde::ser::Impossible<String, Self::Error>;

        fn serialize_str(self, v: &str) -> Result<String, Self::Error> {
            Ok(v.to_owned())
        }

        unsupported!(
            serialize_bool(bool),
            serialize_i8(i8),
            serialize_i16(i16),
            serialize_i32(i32),
            serialize_i64(i64),
            serialize_u8(u8),
            serialize_u16(u16),
            serialize_u32(u32),
            serialize_u64(u64),
            serialize_f32(f32),
            serialize_f64(f64),
            serialize_char(char),
            serialize_bytes(&[u8]),
            serialize_none(),
            serialize_unit(),
            serialize_unit_struct(&'static str),
            serialize_unit_variant(&'static str, u32, &'static str),
        );

        fn serialize_some<T: ?Sized + serde::Serialize>(
            self,
            _: &T,
        ) -> Result<String, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
        fn serialize_newtype_struct<T: ?Sized + serde::Serialize>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<String, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
        fn serialize_newtype_variant<T: ?Sized + serde::Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<String, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Self::Error> {
            Err(serde::ser::Error::custom("unsupported"))
        }
    }

    #[test]
    fn serde_uses_the_canonical_string() {
        use serde::de::IntoDeserializer;
        use serde::{Deserialize, Serialize};
        type E = serde::de::value::Error;
        for zone in [
            UserTimezone::Named(Tz::Europe__Berlin),
            UserTimezone::Named(Tz::UTC),
            UserTimezone::Fixed(FixedOffset::east_opt(19_800).unwrap()),
            UserTimezone::Fixed(FixedOffset::west_opt(10_800).unwrap()),
        ] {
            let s = zone.serialize(StringSerializer).unwrap();
            assert_eq!(s, zone.to_string());
            let back = UserTimezone::deserialize(s.as_str().into_deserializer()).map_err(|e: E| e);
            assert_eq!(back, Ok(zone));
        }
        let bad = UserTimezone::deserialize("berlin".into_deserializer()).map_err(|e: E| e);
        assert!(bad.is_err());
    }

    #[test]
    fn local_dates_and_offsets() {
        let berlin = UserTimezone::Named(Tz::Europe__Berlin);
        let t = utc(2026, 12, 31, 23, 30);
        assert_eq!(berlin.local_datetime(t), local(2027, 1, 1, 0, 30));
        assert_eq!(
            berlin.local_date(t),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
        assert_eq!(berlin.utc_offset_at(t).local_minus_utc(), 3600);
        assert_eq!(
            berlin
                .utc_offset_at(utc(2026, 7, 1, 12, 0))
                .local_minus_utc(),
            7200
        );
        let kolkata = UserTimezone::Named(Tz::Asia__Kolkata);
        assert_eq!(kolkata.utc_offset_at(t).local_minus_utc(), 19_800);
        let minus3 = UserTimezone::parse("UTC-3").unwrap();
        assert_eq!(minus3.local_datetime(t), local(2026, 12, 31, 20, 30));
        assert_eq!(minus3.utc_offset_at(t).local_minus_utc(), -10_800);
        assert_eq!(minus3.resolve_local(local(2026, 12, 31, 20, 30)), t);
    }

    #[test]
    fn spring_forward_gap_moves_to_the_end_of_the_gap() {
        let cases = [
            (
                Tz::Europe__Berlin,
                local(2026, 3, 29, 2, 30),
                utc(2026, 3, 29, 1, 0),
                local(2026, 3, 29, 3, 0),
            ),
            (
                Tz::Europe__Berlin,
                local(2026, 3, 29, 2, 0),
                utc(2026, 3, 29, 1, 0),
                local(2026, 3, 29, 3, 0),
            ),
            (
                Tz::America__New_York,
                local(2026, 3, 8, 2, 30),
                utc(2026, 3, 8, 7, 0),
                local(2026, 3, 8, 3, 0),
            ),
            (
                Tz::Australia__Sydney,
                local(2026, 10, 4, 2, 30),
                utc(2026, 10, 3, 16, 0),
                local(2026, 10, 4, 3, 0),
            ),
            (
                Tz::Pacific__Chatham,
                local(2026, 9, 27, 3, 0),
                utc(2026, 9, 26, 14, 0),
                local(2026, 9, 27, 3, 45),
            ),
            // Samoa skipped 30 December 2011 entirely.
            (
                Tz::Pacific__Apia,
                local(2011, 12, 30, 12, 0),
                utc(2011, 12, 30, 10, 0),
                local(2011, 12, 31, 0, 0),
            ),
        ];
        for (tz, wall, expected, after) in cases {
            let zone = UserTimezone::Named(tz);
            assert!(
                tz.from_local_datetime(&wall).single().is_none(),
                "{wall} should be a gap"
            );
            let got = zone.resolve_local(wall);
            assert_eq!(got, expected, "{} {wall}", tz.name());
            assert_eq!(zone.local_datetime(got), after);
        }
    }

    #[test]
    fn fall_back_overlap_takes_the_earlier_instant() {
        let berlin = UserTimezone::Named(Tz::Europe__Berlin);
        assert_eq!(
            berlin.resolve_local(local(2026, 10, 25, 2, 30)),
            utc(2026, 10, 25, 0, 30)
        );
        let ny = UserTimezone::Named(Tz::America__New_York);
        assert_eq!(
            ny.resolve_local(local(2026, 11, 1, 1, 30)),
            utc(2026, 11, 1, 5, 30)
        );
        let sydney = UserTimezone::Named(Tz::Australia__Sydney);
        assert_eq!(
            sydney.resolve_local(local(2026, 4, 5, 2, 30)),
            utc(2026, 4, 4, 15, 30)
        );
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        let zones = [
            UserTimezone::Named(Tz::Europe__Berlin),
            UserTimezone::Named(Tz::America__Los_Angeles),
            UserTimezone::Fixed(FixedOffset::east_opt(14 * 3600).unwrap()),
            UserTimezone::Fixed(FixedOffset::west_opt(12 * 3600).unwrap()),
        ];
        for zone in zones {
            for t in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
                let _ = zone.local_datetime(t);
                let _ = zone.local_date(t);
                let _ = zone.utc_offset_at(t);
            }
            for l in [NaiveDateTime::MIN, NaiveDateTime::MAX] {
                let _ = zone.resolve_local(l);
            }
        }
    }

    const ZONES: [Tz; 8] = [
        Tz::Europe__Berlin,
        Tz::America__New_York,
        Tz::Australia__Sydney,
        Tz::Asia__Kolkata,
        Tz::Pacific__Chatham,
        Tz::Pacific__Apia,
        Tz::America__Sao_Paulo,
        Tz::UTC,
    ];

    proptest! {
        #[test]
        fn parse_never_panics(s in "(?s).{0,60}") {
            let _ = UserTimezone::parse(&s);
            let _ = UserTimezone::from_stored(&s);
            if let Err(e) = UserTimezone::parse(&s) {
                let _ = e.suggestions();
            }
        }

        #[test]
        fn offset_soup_never_panics(s in "[uUtTcCgGmMzZ +\\-−:.0-9]{0,16}") {
            if let Ok(UserTimezone::Fixed(offset)) = UserTimezone::parse(&s) {
                let secs = offset.local_minus_utc();
                prop_assert!((-12 * 3600..=14 * 3600).contains(&secs));
                prop_assert_eq!(secs % 900, 0);
            }
        }

        #[test]
        fn local_round_trip_outside_overlaps(
            secs in 631_152_000i64..4_102_444_800, // 1990..2100
            zone in 0usize..ZONES.len(),
            offset_quarters in -48i32..=56,
        ) {
            let t = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
            let tz = ZONES[zone];
            let named = UserTimezone::Named(tz);
            let wall = named.local_datetime(t);
            if tz.from_local_datetime(&wall).single().is_some() {
                prop_assert_eq!(named.resolve_local(wall), t);
            }
            let fixed = UserTimezone::Fixed(FixedOffset::east_opt(offset_quarters * 900).unwrap());
            prop_assert_eq!(fixed.resolve_local(fixed.local_datetime(t)), t);
        }

        #[test]
        fn resolved_local_time_is_never_before_the_wall_time(
            secs in 631_152_000i64..4_102_444_800,
            zone in 0usize..ZONES.len(),
        ) {
            let wall = DateTime::<Utc>::from_timestamp(secs, 0).unwrap().naive_utc();
            let named = UserTimezone::Named(ZONES[zone]);
            let got = named.resolve_local(wall);
            let back = named.local_datetime(got);
            prop_assert!(back >= wall);
            // Only a gap moves the time, and never by more than a day.
            prop_assert!(back - wall <= Duration::hours(24));
            if back != wall {
                prop_assert!(ZONES[zone].from_local_datetime(&wall).single().is_none());
                // It is the first instant after the gap.
                let before = named.local_datetime(got - Duration::seconds(1));
                prop_assert!(before < wall);
            }
        }
    }
}
