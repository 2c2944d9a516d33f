//! `/settings`: timezone, morning and evening times, pausing nudges.

use super::onboarding::{time_problem, timezone_problem};
use super::{Action, Engine, EngineError, Reply, Turn};
use crate::domain::dialogue::Dialogue;
use crate::domain::dialogue::SettingKey;
use crate::domain::streak;
use crate::domain::time_of_day::parse_time_of_day;
use crate::domain::timezone::UserTimezone;

impl Engine {
    pub(super) async fn show_settings(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        let s = &turn.user.settings;
        let nudges = if s.nudges_paused { "paused" } else { "on" };
        let pause = if s.nudges_paused {
            Action::ResumeNudges.button("Resume nudges")
        } else {
            Action::PauseNudges.button("Pause nudges")
        };
        let country = match (turn.user.safety.country, turn.user.country()) {
            (Some(c), _) => format!("{} (chosen)", c.name()),
            (None, Some(c)) => format!("{} (from your timezone)", c.name()),
            (None, None) => "not known: helplines are the worldwide ones".to_owned(),
        };
        let mut text = format!(
            "Your settings:\nTimezone: {}\nMorning encouragement: {}\nEvening reflection: {}\n\
             Nudges: {nudges}\nCountry for helplines: {country}",
            s.timezone,
            s.morning.format("%H:%M"),
            s.evening.format("%H:%M"),
        );
        if turn.user.safety.unsafe_ex {
            text.push_str(
                "\nYou told me your ex was unsafe, so I keep safety first in what I say about them.",
            );
        }
        text.push_str("\n\nTap what you'd like to change.");
        let mut reply = Reply::text(text)
            .row([
                Action::Setting(SettingKey::Timezone).button("Timezone"),
                Action::Setting(SettingKey::Morning).button("Morning time"),
                Action::Setting(SettingKey::Evening).button("Evening time"),
            ])
            .row([
                pause,
                Action::Setting(SettingKey::Country).button("Country"),
            ]);
        if turn.user.safety.unsafe_ex {
            reply = reply.row([Action::ClearUnsafe.button("Clear the unsafe-ex note")]);
        }
        Ok(vec![reply])
    }

    pub(super) fn ask_setting(&self, turn: &mut Turn, key: SettingKey) -> Vec<Reply> {
        turn.dialogue = Dialogue::AskSetting { key };
        let question = match key {
            SettingKey::Timezone => {
                "Which timezone are you in? A city (\"Berlin\"), a zone (\"Europe/Berlin\") or an \
                 offset (\"UTC+2\")."
            }
            SettingKey::Morning => {
                "When should the morning encouragement come? For example \"8\", \"7:30\" or \"9am\"."
            }
            SettingKey::Evening => {
                "When should the evening reflection come? For example \"21:00\", \"9pm\" or \"22\"."
            }
            SettingKey::Country => {
                "Which country are you in? I use it to show the right helplines. A name \
                 (\"Australia\") or a code (\"AU\"), or \"auto\" to go by your timezone."
            }
        };
        vec![Reply::text(question)]
    }

    pub(super) async fn answer_setting(
        &self,
        turn: &mut Turn,
        key: SettingKey,
        text: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        let saved = match key {
            SettingKey::Country => return self.answer_country(turn, text).await,
            SettingKey::Timezone => match UserTimezone::parse(text) {
                Ok(tz) => {
                    turn.user.settings.timezone = tz;
                    let periods = self.store().periods(turn.user.id).await?;
                    match streak::summarize(&periods, turn.today()) {
                        Some(s) => format!(
                            "Timezone set to {tz}. In your calendar today is day {} of no contact.",
                            s.current_days
                        ),
                        None => format!("Timezone set to {tz}."),
                    }
                }
                Err(_) => return Ok(vec![Reply::text(timezone_problem())]),
            },
            SettingKey::Morning | SettingKey::Evening => match parse_time_of_day(text) {
                Ok(time) => {
                    let label = if key == SettingKey::Morning {
                        turn.user.settings.morning = time;
                        "Morning encouragement"
                    } else {
                        turn.user.settings.evening = time;
                        "Evening reflection"
                    };
                    format!("{label} set to {}.", time.format("%H:%M"))
                }
                Err(error) => return Ok(vec![Reply::text(time_problem(&error))]),
            },
        };
        self.store()
            .save_settings(turn.user.id, &turn.user.settings, turn.now)
            .await?;
        self.schedule_nudges(&turn.user, turn.now).await?;
        turn.dialogue = Dialogue::Idle;
        Ok(vec![Reply::text(saved)])
    }

    /// A shared location sets the timezone (looked up offline); during onboarding it
    /// answers the timezone question.
    pub(super) async fn on_location(
        &self,
        turn: &mut Turn,
        latitude: f64,
        longitude: f64,
    ) -> Result<Vec<Reply>, EngineError> {
        let Some(zone) = crate::domain::locate::timezone_at(latitude, longitude) else {
            return Ok(vec![Reply::text(
                "I couldn't place that location. Type your city instead, like \"Berlin\".",
            )]);
        };
        let name = zone.name().to_owned();
        match turn.dialogue.clone() {
            Dialogue::AskTimezone { contact, days_ago } => {
                self.answer_timezone(turn, &name, contact, days_ago).await
            }
            // Another onboarding question is open: keep it open, just note the zone.
            step if step.is_onboarding() => {
                turn.user.settings.timezone = crate::domain::timezone::UserTimezone::Named(zone);
                self.store()
                    .save_settings(turn.user.id, &turn.user.settings, turn.now)
                    .await?;
                Ok(vec![Reply::text(format!(
                    "Timezone set to {name}. I'm still waiting for the answer to my last question."
                ))])
            }
            _ => self.answer_setting(turn, SettingKey::Timezone, &name).await,
        }
    }

    pub(super) async fn set_paused(
        &self,
        turn: &mut Turn,
        paused: bool,
    ) -> Result<Vec<Reply>, EngineError> {
        turn.user.settings.nudges_paused = paused;
        self.store()
            .save_settings(turn.user.id, &turn.user.settings, turn.now)
            .await?;
        self.schedule_nudges(&turn.user, turn.now).await?;
        Ok(vec![Reply::text(if paused {
            "Nudges paused. I'll stay quiet until you resume them in /settings, but I'm here \
             whenever you write."
        } else {
            "Nudges are back on."
        })])
    }
}
