//! `/settings`: timezone, morning and evening times, pausing nudges.

use super::actions::SettingKey;
use super::dialogue::Dialogue;
use super::onboarding::timezone_problem;
use super::{Action, Engine, EngineError, Reply, Turn};
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
        Ok(vec![
            Reply::text(format!(
                "Your settings:\nTimezone: {}\nMorning encouragement: {}\nEvening reflection: {}\n\
                 Nudges: {nudges}\n\nTap what you'd like to change.",
                s.timezone,
                s.morning.format("%H:%M"),
                s.evening.format("%H:%M"),
            ))
            .row([
                Action::Setting(SettingKey::Timezone).button("Timezone"),
                Action::Setting(SettingKey::Morning).button("Morning time"),
                Action::Setting(SettingKey::Evening).button("Evening time"),
            ])
            .row([pause]),
        ])
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
                Err(_) => {
                    return Ok(vec![Reply::text(
                        "I couldn't read that as a time of day. Try \"9\", \"9am\", \"09:30\", \
                         \"21:00\" or \"9pm\".",
                    )]);
                }
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
