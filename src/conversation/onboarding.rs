//! `/start`: last contact, timezone, morning and evening times. Also the date questions
//! shared with `/since` and `/slip` (including "did you mean 1 Nov or 11 Jan?").

use chrono::{Duration, NaiveDate, NaiveTime};

use super::{Action, Engine, EngineError, Reply, Turn, days, expired, human_date};
use crate::domain::dates::{DateAnswer, DateError, parse_contact_date};
use crate::domain::dialogue::{DatePurpose, Dialogue};
use crate::domain::streak::{self, StreakDateError};
use crate::domain::time_of_day::{TimeError, parse_time_of_day};
use crate::domain::timezone::UserTimezone;

const ASK_LAST_CONTACT: &str = "When was your last contact with your ex? Any way you'd say \
     it works: \"today\", \"yesterday\", \"3 days ago\", \"last friday\", \"1 Nov\" or \"2026-11-01\".";

const ASK_TIMEZONE: &str = "Which timezone are you in? Type a city (\"Berlin\", \"new york\"), \
     a zone name (\"Europe/Berlin\") or an offset (\"UTC+2\"). I count your days in your own calendar.";

const TIME_EXAMPLES: &str = "Type a time like \"9\", \"9am\", \"09:30\", \"21:00\" or \"9pm\".";

/// The outcome of reading a date answer.
pub(super) enum DateRead {
    /// A date, and how many days before today it was when it was said relatively.
    Date(NaiveDate, Option<i64>),
    /// Not usable yet: these replies ask again or ask which reading was meant.
    Ask(Vec<Reply>),
}

impl Engine {
    pub(super) async fn start(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        if turn.user.onboarded {
            let mut replies = vec![Reply::text(
                "Welcome back. You're all set up already; here is where you stand. \
                 (/since changes your start date, /settings your timezone and times.)",
            )];
            replies.extend(self.streak(turn).await?);
            return Ok(replies);
        }
        turn.dialogue = Dialogue::AskLastContact;
        Ok(vec![
            Reply::text(self.coach().pack().welcome()),
            Reply::text(ASK_LAST_CONTACT),
        ])
    }

    /// Reads a date for `purpose` in the user's calendar, asking again kindly when needed.
    pub(super) fn read_date(&self, turn: &mut Turn, text: &str, purpose: DatePurpose) -> DateRead {
        let today = turn.today();
        match parse_contact_date(text, today) {
            Ok(DateAnswer::Exact(date)) => {
                // A relative answer ("3 days ago") moves with "today"; an absolute one does not.
                let relative = match parse_contact_date(text, today + Duration::days(1)) {
                    Ok(DateAnswer::Exact(shifted)) if shifted != date => {
                        Some((today - date).num_days())
                    }
                    _ => None,
                };
                DateRead::Date(date, relative)
            }
            Ok(DateAnswer::Ambiguous {
                day_month,
                month_day,
            }) => {
                turn.dialogue = Dialogue::PickDate {
                    purpose,
                    options: [day_month, month_day],
                };
                DateRead::Ask(vec![
                    Reply::text("Just to be sure I count the right days: which one did you mean?")
                        .row([
                            Action::PickDate(day_month).button(human_date(day_month)),
                            Action::PickDate(month_day).button(human_date(month_day)),
                        ]),
                ])
            }
            Err(error) => DateRead::Ask(vec![Reply::text(date_problem(&error))]),
        }
    }

    pub(super) async fn answer_last_contact(
        &self,
        turn: &mut Turn,
        text: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        match self.read_date(turn, text, DatePurpose::Onboarding) {
            DateRead::Date(date, days_ago) => self.onboarding_date(turn, date, days_ago).await,
            DateRead::Ask(replies) => Ok(replies),
        }
    }

    async fn onboarding_date(
        &self,
        turn: &mut Turn,
        date: NaiveDate,
        days_ago: Option<i64>,
    ) -> Result<Vec<Reply>, EngineError> {
        let last_slip = self.last_slip_date(turn).await?;
        if let Err(problem) = streak::check_new_start(date, last_slip, turn.today()) {
            turn.dialogue = Dialogue::AskLastContact;
            return Ok(vec![Reply::text(streak_date_problem(&problem))]);
        }
        self.store()
            .set_streak_start(turn.user.id, date, turn.now)
            .await?;
        turn.dialogue = Dialogue::AskTimezone {
            contact: date,
            days_ago,
        };
        Ok(vec![
            Reply::text(format!(
                "Got it: last contact on {}. That's {} of no contact so far.",
                human_date(date),
                days(streak::days_between(date, turn.today()))
            )),
            Reply::text(ASK_TIMEZONE),
        ])
    }

    pub(super) async fn answer_timezone(
        &self,
        turn: &mut Turn,
        text: &str,
        contact: NaiveDate,
        days_ago: Option<i64>,
    ) -> Result<Vec<Reply>, EngineError> {
        let Ok(timezone) = UserTimezone::parse(text) else {
            return Ok(vec![Reply::text(timezone_problem())]);
        };
        turn.user.settings.timezone = timezone;
        self.store()
            .save_settings(turn.user.id, &turn.user.settings, turn.now)
            .await?;
        // "3 days ago" means three days before today in the user's own calendar.
        if let Some(n) = days_ago {
            let local = turn.today() - Duration::days(n);
            if local != contact && streak::check_new_start(local, None, turn.today()).is_ok() {
                self.store()
                    .set_streak_start(turn.user.id, local, turn.now)
                    .await?;
            }
        }
        turn.dialogue = Dialogue::AskMorning;
        Ok(vec![ask_time(
            &format!("Timezone set to {timezone}. When would you like a morning encouragement?"),
            turn.user.settings.morning,
        )])
    }

    pub(super) async fn answer_time(
        &self,
        turn: &mut Turn,
        text: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        match parse_time_of_day(text) {
            Ok(time) => self.set_onboarding_time(turn, time).await,
            Err(error) => Ok(vec![Reply::text(time_problem(&error))]),
        }
    }

    pub(super) async fn keep_default_time(
        &self,
        turn: &mut Turn,
    ) -> Result<Vec<Reply>, EngineError> {
        let time = match turn.dialogue {
            Dialogue::AskMorning => turn.user.settings.morning,
            Dialogue::AskEvening => turn.user.settings.evening,
            _ => return Ok(vec![expired()]),
        };
        self.set_onboarding_time(turn, time).await
    }

    async fn set_onboarding_time(
        &self,
        turn: &mut Turn,
        time: NaiveTime,
    ) -> Result<Vec<Reply>, EngineError> {
        match turn.dialogue {
            Dialogue::AskMorning => {
                turn.user.settings.morning = time;
                self.store()
                    .save_settings(turn.user.id, &turn.user.settings, turn.now)
                    .await?;
                turn.dialogue = Dialogue::AskEvening;
                Ok(vec![ask_time(
                    &format!(
                        "Morning: {}. And when should I ask an evening reflection question?",
                        time.format("%H:%M")
                    ),
                    turn.user.settings.evening,
                )])
            }
            Dialogue::AskEvening => {
                turn.user.settings.evening = time;
                self.store()
                    .save_settings(turn.user.id, &turn.user.settings, turn.now)
                    .await?;
                self.store().set_onboarded(turn.user.id, true).await?;
                turn.user.onboarded = true;
                self.schedule_nudges(&turn.user, turn.now).await?;
                turn.dialogue = Dialogue::Idle;
                let mut replies = vec![Reply::text(format!(
                    "All set. Morning encouragement at {}, evening reflection at {}, your time \
                     ({}). Whenever you want to reach out, write to me here first. \
                     /help lists everything I can do.",
                    turn.user.settings.morning.format("%H:%M"),
                    time.format("%H:%M"),
                    turn.user.settings.timezone,
                ))];
                replies.extend(self.streak(turn).await?);
                Ok(replies)
            }
            _ => Ok(vec![expired()]),
        }
    }

    /// A press on one of the two readings of an ambiguous date.
    pub(super) async fn pick_date(
        &self,
        turn: &mut Turn,
        date: NaiveDate,
    ) -> Result<Vec<Reply>, EngineError> {
        let Dialogue::PickDate { purpose, options } = turn.dialogue else {
            return Ok(vec![expired()]);
        };
        if !options.contains(&date) {
            return Ok(vec![expired()]);
        }
        self.use_date(turn, purpose, date, None).await
    }

    /// A typed answer while the two readings are on offer: read it afresh.
    pub(super) async fn retype_date(
        &self,
        turn: &mut Turn,
        purpose: DatePurpose,
        text: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        match self.read_date(turn, text, purpose) {
            DateRead::Date(date, days_ago) => self.use_date(turn, purpose, date, days_ago).await,
            DateRead::Ask(replies) => Ok(replies),
        }
    }

    async fn use_date(
        &self,
        turn: &mut Turn,
        purpose: DatePurpose,
        date: NaiveDate,
        days_ago: Option<i64>,
    ) -> Result<Vec<Reply>, EngineError> {
        match purpose {
            DatePurpose::Onboarding => self.onboarding_date(turn, date, days_ago).await,
            DatePurpose::Since => self.set_since(turn, date).await,
            DatePurpose::Slip => self.slip_on_date(turn, date).await,
        }
    }
}

fn ask_time(question: &str, default: NaiveTime) -> Reply {
    Reply::text(format!("{question} {TIME_EXAMPLES}"))
        .row([Action::KeepTime.button(format!("{} is fine", default.format("%H:%M")))])
}

pub(super) fn timezone_problem() -> String {
    "I don't know that timezone. Try a city (\"Berlin\", \"New York\", \"Mumbai\"), a zone \
     name (\"Europe/Berlin\") or an offset from UTC (\"UTC+2\", \"UTC-5:30\")."
        .into()
}

/// A kind explanation of why a typed time of day can't be used.
pub(super) fn time_problem(error: &TimeError) -> String {
    match error {
        TimeError::Negative => format!(
            "A time of day can't be negative: clocks start at 0:00 (midnight). {TIME_EXAMPLES}"
        ),
        TimeError::Empty | TimeError::NotATime | TimeError::OutOfRange => {
            format!("I couldn't read that as a time of day. {TIME_EXAMPLES}")
        }
    }
}

/// A kind explanation of why a typed date can't be used.
pub(super) fn date_problem(error: &DateError) -> String {
    match error {
        DateError::Empty | DateError::NotADate => "I couldn't read that as a date. You can \
             write \"today\", \"yesterday\", \"3 days ago\", \"last friday\", \"1 Nov\" or \
             \"2026-11-01\"."
            .into(),
        DateError::InFuture(date) => format!(
            "{} hasn't happened yet. Which day was the last contact, up to today?",
            human_date(*date)
        ),
        DateError::TooEarly(date) => format!(
            "{} is before 1990, further back than I can count. Which day was the last contact?",
            human_date(*date)
        ),
        DateError::NoSuchDay => {
            "That day isn't in the calendar (like 31 April). Could you check the date?".into()
        }
        DateError::Negative => "That has a minus sign in it, and I can only count back from \
             today, not from a negative number. If you meant \"5 days ago\", write it without \
             the minus; \"yesterday\" or \"1 Nov\" work too."
            .into(),
    }
}

/// A kind explanation of why a date can't start a streak or mark a slip.
pub(super) fn streak_date_problem(error: &StreakDateError) -> String {
    match error {
        StreakDateError::InFuture(date) => format!(
            "{} hasn't happened yet. Which day was it, up to today?",
            human_date(*date)
        ),
        StreakDateError::TooEarly(date) => format!(
            "{} is before 1990, further back than I can count. Which day was it?",
            human_date(*date)
        ),
        StreakDateError::BeforeLastSlip { last_slip } => format!(
            "You logged a slip on {}, so your current streak can't start before that day. \
             Which day was your last contact since then? (/history shows your slips.)",
            human_date(*last_slip)
        ),
        StreakDateError::BeforeStreakStart { started_on } => format!(
            "Your current streak began on {}, so a slip can't be earlier than that. \
             Which day did it happen? (To change the start, use /since.)",
            human_date(*started_on)
        ),
    }
}
