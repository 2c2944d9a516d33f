//! Button actions and their compact callback data (Telegram allows 64 bytes).
//!
//! Buttons that act on a coaching conversation carry its event id, so a replayed, stale,
//! foreign or forged press can be recognised and answered kindly instead of acting twice.

use chrono::NaiveDate;

use super::reply::Button;

/// What a button press asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// "Wait with me" for the coached event.
    Wait(i64),
    /// "Write it here instead".
    WriteInstead(i64),
    /// "I resisted".
    Resisted(i64),
    /// "I reached out": go to the slip flow.
    ReachedOut(i64),
    /// Which reading of an ambiguous date was meant.
    PickDate(NaiveDate),
    /// The slip happened just now.
    SlipNow,
    /// No note for the slip.
    SkipNote,
    /// Keep the default nudge time in onboarding.
    KeepTime,
    DeleteConfirm,
    DeleteCancel,
    Setting(SettingKey),
    PauseNudges,
    ResumeNudges,
    /// The evening check-in: mood 1 (awful) to 5 (good) for a day.
    Mood {
        day: NaiveDate,
        score: u8,
    },
    /// Show a draft in full.
    ReadDraft(i64),
    /// Delete a draft.
    DeleteDraft(i64),
    /// Remove one of the user's reasons.
    DeleteReason(i64),
    /// Helplines and a grounding exercise (`/sos`).
    Sos,
    /// "Check in on me later", after `/sos`.
    CheckInLater,
    /// Forget that the ex was unsafe (from `/settings`).
    ClearUnsafe,
}

pub use crate::domain::dialogue::SettingKey;

impl Action {
    /// The callback data for this action.
    pub fn encode(self) -> String {
        match self {
            Action::Wait(id) => format!("w:{id}"),
            Action::WriteInstead(id) => format!("d:{id}"),
            Action::Resisted(id) => format!("r:{id}"),
            Action::ReachedOut(id) => format!("s:{id}"),
            Action::PickDate(date) => format!("dt:{}", date.format("%Y-%m-%d")),
            Action::SlipNow => "slip:now".into(),
            Action::SkipNote => "slip:skip".into(),
            Action::KeepTime => "time:keep".into(),
            Action::DeleteConfirm => "del:yes".into(),
            Action::DeleteCancel => "del:no".into(),
            Action::Setting(SettingKey::Timezone) => "set:tz".into(),
            Action::Setting(SettingKey::Morning) => "set:am".into(),
            Action::Setting(SettingKey::Evening) => "set:pm".into(),
            Action::Setting(SettingKey::Country) => "set:cc".into(),
            Action::Sos => "sos".into(),
            Action::CheckInLater => "sos:later".into(),
            Action::ClearUnsafe => "set:safe".into(),
            Action::PauseNudges => "set:pause".into(),
            Action::ResumeNudges => "set:resume".into(),
            Action::Mood { day, score } => format!("m:{}:{score}", day.format("%Y%m%d")),
            Action::ReadDraft(id) => format!("dr:{id}"),
            Action::DeleteDraft(id) => format!("dx:{id}"),
            Action::DeleteReason(id) => format!("rx:{id}"),
        }
    }

    /// Reads callback data; `None` for anything this version did not produce.
    pub fn decode(data: &str) -> Option<Action> {
        if data == "sos" {
            return Some(Action::Sos);
        }
        let (head, tail) = data.split_once(':')?;
        let id = || tail.parse::<i64>().ok().filter(|id| *id > 0);
        Some(match (head, tail) {
            ("w", _) => Action::Wait(id()?),
            ("d", _) => Action::WriteInstead(id()?),
            ("r", _) => Action::Resisted(id()?),
            ("s", _) => Action::ReachedOut(id()?),
            ("dr", _) => Action::ReadDraft(id()?),
            ("dx", _) => Action::DeleteDraft(id()?),
            ("rx", _) => Action::DeleteReason(id()?),
            ("dt", date) => Action::PickDate(NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?),
            ("slip", "now") => Action::SlipNow,
            ("slip", "skip") => Action::SkipNote,
            ("time", "keep") => Action::KeepTime,
            ("del", "yes") => Action::DeleteConfirm,
            ("del", "no") => Action::DeleteCancel,
            ("set", "tz") => Action::Setting(SettingKey::Timezone),
            ("set", "am") => Action::Setting(SettingKey::Morning),
            ("set", "pm") => Action::Setting(SettingKey::Evening),
            ("set", "cc") => Action::Setting(SettingKey::Country),
            ("set", "safe") => Action::ClearUnsafe,
            ("sos", "later") => Action::CheckInLater,
            ("set", "pause") => Action::PauseNudges,
            ("set", "resume") => Action::ResumeNudges,
            ("m", rest) => {
                let (day, score) = rest.split_once(':')?;
                let score = score.parse::<u8>().ok().filter(|s| (1..=5).contains(s))?;
                let day = NaiveDate::parse_from_str(day, "%Y%m%d").ok()?;
                Action::Mood { day, score }
            }
            _ => return None,
        })
    }

    /// A button for this action.
    pub fn button(self, label: impl Into<String>) -> Button {
        Button::new(label, self.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_actions() -> Vec<Action> {
        let date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        vec![
            Action::Wait(i64::MAX),
            Action::WriteInstead(1),
            Action::Resisted(42),
            Action::ReachedOut(7),
            Action::PickDate(date),
            Action::SlipNow,
            Action::SkipNote,
            Action::KeepTime,
            Action::DeleteConfirm,
            Action::DeleteCancel,
            Action::Setting(SettingKey::Timezone),
            Action::Setting(SettingKey::Morning),
            Action::Setting(SettingKey::Evening),
            Action::PauseNudges,
            Action::ResumeNudges,
            Action::Mood {
                day: date,
                score: 5,
            },
            Action::ReadDraft(3),
            Action::DeleteDraft(i64::MAX),
            Action::DeleteReason(9),
            Action::Setting(SettingKey::Country),
            Action::Sos,
            Action::CheckInLater,
            Action::ClearUnsafe,
        ]
    }

    #[test]
    fn every_action_round_trips_within_64_bytes() {
        for action in all_actions() {
            let data = action.encode();
            assert!(data.len() <= 64, "{data} is too long for Telegram");
            assert_eq!(Action::decode(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn forged_or_foreign_data_is_not_an_action() {
        for junk in [
            "",
            "w",
            "w:",
            "w:abc",
            "w:-5",
            "w:0",
            "dt:2026-13-01",
            "del:maybe",
            "x:1",
            "set:tz:extra",
            "💔",
            "r:99999999999999999999999",
            "m:20261101:6",
            "m:2026:3",
            "m:20261101",
        ] {
            assert_eq!(Action::decode(junk), None, "{junk:?}");
        }
    }
}
