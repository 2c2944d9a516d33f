//! Pure types and rules: streak arithmetic, local dates and times, and parsing what
//! users type. Nothing here does I/O.

pub mod clock;
pub mod country;
mod country_data;
pub mod dates;
pub mod dialogue;
pub mod locate;
pub mod plural;
pub mod schedule;
pub mod streak;
pub mod text;
pub mod time_of_day;
pub mod timezone;
pub mod user;

/// The chat a conversation happens in (a Telegram chat id, or the console's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChatId(pub i64);

impl std::fmt::Display for ChatId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
