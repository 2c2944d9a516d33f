//! The user model: who the user is, their settings, where their conversation stands and
//! what keeps them safe, as typed values. The store loads and saves it; the engine decides
//! what changes.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::ChatId;
use super::country::Country;
use super::dialogue::{Dialogue, Pending};
use super::timezone::UserTimezone;

/// A user of the bot: identity, settings, where the conversation stands, and what keeps
/// them safe. Loaded by the store for a turn, changed by the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub chat: ChatId,
    pub created_at: DateTime<Utc>,
    pub settings: UserSettings,
    pub onboarded: bool,
    /// False after Telegram said the user blocked the bot; true again when they write.
    pub active: bool,
    /// The pending question and when it was asked (see [`User::pending`]).
    pub dialogue: Pending,
    /// Which coaching variant the user saw last, so the next reply differs.
    pub last_variant: Option<u32>,
    /// Which nudges the user has seen this round.
    pub rotation: Rotation,
    /// The day the running streak began, read with the user: a coaching reply needs no
    /// other streak query.
    pub running_since: Option<NaiveDate>,
    /// What keeps the user safe: their country's helplines, the careful time after a
    /// crisis message, an ex who is unsafe.
    pub safety: Safety,
}

/// The user's safety state (their data: exported, deleted, never logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Safety {
    /// The country they chose in `/settings`; `None`: the country of their timezone.
    pub country: Option<Country>,
    /// Until when replies are careful (no streak talk) after a crisis message.
    pub care_until: Option<DateTime<Utc>>,
    /// They said the ex was violent, threatening or controlling.
    pub unsafe_ex: bool,
}

impl User {
    /// The country whose helplines the user sees: chosen, or from the timezone.
    pub fn country(&self) -> Option<Country> {
        self.safety
            .country
            .or_else(|| Country::of_timezone(&self.settings.timezone))
    }

    /// The question still open at `now` (an old one has expired).
    pub fn pending(&self, now: DateTime<Utc>) -> Dialogue {
        self.dialogue.at(now)
    }

    /// Within the careful time after a crisis message.
    pub fn in_care(&self, now: DateTime<Utc>) -> bool {
        self.safety.care_until.is_some_and(|until| now < until)
    }
}

/// What `/settings` changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserSettings {
    pub timezone: UserTimezone,
    pub morning: NaiveTime,
    pub evening: NaiveTime,
    pub nudges_paused: bool,
}

/// Which nudges a user has seen in the current round, so texts rotate without repeats
/// (indices into the content pack's morning messages and evening prompts).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rotation {
    #[serde(default)]
    pub morning: Vec<usize>,
    #[serde(default)]
    pub evening: Vec<usize>,
}
