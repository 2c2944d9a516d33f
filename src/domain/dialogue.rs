//! Where a user is in a conversation: the question the bot is waiting for an answer to.
//! Stored with the user, so a restart in the middle of a conversation loses nothing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A setting that `/settings` can change by asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingKey {
    Timezone,
    Morning,
    Evening,
    /// The country whose helplines are shown.
    Country,
}

/// The pending question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Dialogue {
    #[default]
    Idle,
    /// Onboarding: when was the last contact?
    AskLastContact,
    /// Onboarding: which timezone? `days_ago` is set when the date was relative ("3 days
    /// ago"), so it can be re-read in the user's own calendar once the zone is known.
    AskTimezone {
        contact: NaiveDate,
        days_ago: Option<i64>,
    },
    /// Onboarding: morning nudge time.
    AskMorning,
    /// Onboarding: evening nudge time.
    AskEvening,
    /// `/since` without a date.
    AskSinceDate,
    /// Which of two readings of a numeric date was meant.
    PickDate {
        purpose: DatePurpose,
        options: [NaiveDate; 2],
    },
    /// `/slip` without a time.
    AskSlipWhen,
    /// A slip was logged; an optional note may follow.
    AskSlipNote { slip_id: i64 },
    /// "Write it here instead": the next message is kept as a draft.
    AwaitDraft { event_id: i64 },
    /// `/delete` asked for confirmation.
    ConfirmDelete,
    /// `/settings` asked for a new value.
    AskSetting { key: SettingKey },
    /// The evening prompt of `day` was sent: the next message is a journal entry.
    AwaitReflection { day: NaiveDate },
    /// `/why` asked for a reason.
    AwaitReason,
}

/// What an ambiguous date was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePurpose {
    Onboarding,
    Since,
    Slip,
}

/// How long a question stays open. A user who comes back the next day is not held to an
/// answer they have forgotten was asked.
pub const QUESTION_LIFETIME_HOURS: i64 = 12;

/// The pending question as kept with the user: the step and when it was asked (`None`
/// for a step stored by an older version, which never expires).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Pending {
    #[serde(flatten)]
    pub dialogue: Dialogue,
    #[serde(default, with = "chrono::serde::ts_seconds_option")]
    pub asked_at: Option<DateTime<Utc>>,
}

impl Pending {
    /// A question asked at `at`.
    pub fn asked(dialogue: Dialogue, at: DateTime<Utc>) -> Pending {
        Pending {
            dialogue,
            asked_at: Some(at),
        }
    }

    /// Reads the stored form; anything unreadable (an older version's state) is `Idle`.
    pub fn parse(stored: &str) -> Pending {
        serde_json::from_str(stored).unwrap_or_default()
    }

    /// The stored form.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| r#"{"step":"idle"}"#.into())
    }

    /// The question still open at `now`: one older than [`QUESTION_LIFETIME_HOURS`] is
    /// `Idle`.
    pub fn at(&self, now: DateTime<Utc>) -> Dialogue {
        let fresh = self
            .asked_at
            .is_none_or(|at| now - at <= chrono::Duration::hours(QUESTION_LIFETIME_HOURS));
        if fresh {
            self.dialogue.clone()
        } else {
            Dialogue::Idle
        }
    }
}

impl Dialogue {
    /// True while the onboarding questions are being asked.
    pub fn is_onboarding(&self) -> bool {
        matches!(
            self,
            Dialogue::AskLastContact
                | Dialogue::AskTimezone { .. }
                | Dialogue::AskMorning
                | Dialogue::AskEvening
                | Dialogue::PickDate {
                    purpose: DatePurpose::Onboarding,
                    ..
                }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_expire() {
        let asked = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let stored = Pending::asked(Dialogue::AskSlipWhen, asked).encode();
        let later = asked + chrono::Duration::hours(QUESTION_LIFETIME_HOURS);
        assert_eq!(Pending::parse(&stored).at(later), Dialogue::AskSlipWhen);
        let too_late = later + chrono::Duration::minutes(1);
        assert_eq!(Pending::parse(&stored).at(too_late), Dialogue::Idle);
        // A step stored by an older version, without a time, still loads.
        assert_eq!(
            Pending::parse(r#"{"step":"ask_slip_when"}"#).at(too_late),
            Dialogue::AskSlipWhen
        );
    }

    #[test]
    fn steps_round_trip_and_junk_is_idle() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        for step in [
            Dialogue::Idle,
            Dialogue::AskTimezone {
                contact: d,
                days_ago: Some(3),
            },
            Dialogue::PickDate {
                purpose: DatePurpose::Slip,
                options: [d, d],
            },
            Dialogue::AskSetting {
                key: SettingKey::Evening,
            },
        ] {
            let stored = Pending::asked(step.clone(), now).encode();
            assert_eq!(Pending::parse(&stored).at(now), step);
        }
        assert_eq!(Pending::parse("not json").at(now), Dialogue::Idle);
        assert_eq!(
            Pending::parse(r#"{"step":"from_the_future"}"#).at(now),
            Dialogue::Idle
        );
    }
}
