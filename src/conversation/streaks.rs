//! `/streak`, `/since`, `/slip` and `/history`.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::onboarding::{DateRead, date_problem, streak_date_problem};
use super::{Action, Engine, EngineError, Reply, Turn, days, human_date, pick, seed};
use crate::coach::render;
use crate::domain::dates::{SlipWhen, parse_slip_when};
use crate::domain::dialogue::{DatePurpose, Dialogue};
use crate::domain::streak;
use crate::store::{EventKind, NewSlip};

const NO_START_YET: &str = "I don't know when your last contact was yet. Tell me with /since \
     (for example \"/since yesterday\"), or set everything up with /start.";

impl Engine {
    /// The day the latest slip ended a streak, if any.
    pub(super) async fn last_slip_date(
        &self,
        turn: &Turn,
    ) -> Result<Option<NaiveDate>, EngineError> {
        let periods = self.store().periods(turn.user.id).await?;
        Ok(periods.iter().filter_map(|p| p.ended_on).max())
    }

    pub(super) async fn streak(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        let (periods, resisted) = self
            .store()
            .periods_counting(turn.user.id, EventKind::UrgeResisted)
            .await?;
        let today = turn.today();
        let Some(summary) = streak::summarize(&periods, today) else {
            return Ok(vec![Reply::text(NO_START_YET)]);
        };
        let resisted = resisted.unwrap_or(0);
        let pack = self.coach().pack();
        let mut lines = vec![
            format!("Day {} of no contact.", summary.current_days),
            format!("Last contact: {}.", human_date(summary.started_on)),
            format!("Longest streak: {}.", days(summary.longest_days)),
        ];
        if let Some(milestone) = pack.milestone_on(summary.current_days) {
            lines.push(format!("Today is a milestone: {}!", milestone.title));
        }
        match pack.next_milestone(summary.current_days) {
            Some(next) => lines.push(format!(
                "Next milestone: day {} ({}), {} to go.",
                next.day,
                next.title,
                days(i64::from(next.day) - summary.current_days)
            )),
            None => lines.push("You're past every milestone I know. Keep going.".into()),
        }
        lines.push(format!("Urges resisted: {resisted}."));
        if summary.slips > 0 {
            lines.push(format!(
                "Slips along the way: {}. They don't erase a single day you kept.",
                summary.slips
            ));
        }
        Ok(vec![Reply::text(lines.join("\n"))])
    }

    pub(super) async fn since(
        &self,
        turn: &mut Turn,
        args: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        if args.trim().is_empty() {
            turn.dialogue = Dialogue::AskSinceDate;
            return Ok(vec![Reply::text(
                "When was your last contact? For example \"yesterday\", \"3 days ago\" or \"1 Nov\".",
            )]);
        }
        match self.read_date(turn, args, DatePurpose::Since) {
            DateRead::Date(date, _) => self.set_since(turn, date).await,
            DateRead::Ask(replies) => {
                if !matches!(turn.dialogue, Dialogue::PickDate { .. }) {
                    turn.dialogue = Dialogue::AskSinceDate;
                }
                Ok(replies)
            }
        }
    }

    pub(super) async fn set_since(
        &self,
        turn: &mut Turn,
        date: NaiveDate,
    ) -> Result<Vec<Reply>, EngineError> {
        let last_slip = self.last_slip_date(turn).await?;
        if let Err(problem) = streak::check_new_start(date, last_slip, turn.today()) {
            turn.dialogue = Dialogue::AskSinceDate;
            return Ok(vec![Reply::text(streak_date_problem(&problem))]);
        }
        self.store()
            .set_streak_start(turn.user.id, date, turn.now)
            .await?;
        turn.dialogue = Dialogue::Idle;
        Ok(vec![Reply::text(format!(
            "Done: your last contact was on {}. Today is day {} of no contact.",
            human_date(date),
            streak::days_between(date, turn.today())
        ))])
    }

    pub(super) async fn slip(
        &self,
        turn: &mut Turn,
        args: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        if args.trim().is_empty() {
            turn.dialogue = Dialogue::AskSlipWhen;
            return Ok(vec![
                Reply::text(
                    "Thank you for telling me. It's okay: this is part of it. When did the \
                     contact happen? Tap the button, or type \"this morning\", \"last night\", \
                     \"yesterday 11pm\" or a date.",
                )
                .row([Action::SlipNow.button("Just now")]),
            ]);
        }
        match parse_slip_when(args, turn.local_now()) {
            Ok(SlipWhen::Now) => self.log_slip_at(turn, turn.now, None).await,
            Ok(SlipWhen::Date(date)) => self.slip_on_date(turn, date).await,
            Ok(SlipWhen::DateTime(local)) => {
                let at = turn.user.settings.timezone.resolve_local(local);
                self.log_slip_at(turn, at.min(turn.now), None).await
            }
            Ok(SlipWhen::Ambiguous {
                day_month,
                month_day,
            }) => {
                turn.dialogue = Dialogue::PickDate {
                    purpose: DatePurpose::Slip,
                    options: [day_month, month_day],
                };
                Ok(vec![Reply::text("Which day did you mean?").row([
                    Action::PickDate(day_month).button(human_date(day_month)),
                    Action::PickDate(month_day).button(human_date(month_day)),
                ])])
            }
            Err(error) => {
                turn.dialogue = Dialogue::AskSlipWhen;
                Ok(vec![Reply::text(date_problem(&error))])
            }
        }
    }

    /// A slip on a whole day: now if it is today, else midday of that day.
    pub(super) async fn slip_on_date(
        &self,
        turn: &mut Turn,
        date: NaiveDate,
    ) -> Result<Vec<Reply>, EngineError> {
        let at = if date == turn.today() {
            turn.now
        } else {
            let noon = date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
            turn.user.settings.timezone.resolve_local(noon)
        };
        self.log_slip_at(turn, at, None).await
    }

    /// Logs a slip at an instant: the running streak ends that local day and a new one starts.
    pub(super) async fn log_slip_at(
        &self,
        turn: &mut Turn,
        at: DateTime<Utc>,
        note: Option<String>,
    ) -> Result<Vec<Reply>, EngineError> {
        let local_date = turn.user.settings.timezone.local_date(at);
        let today = turn.today();
        let periods = self.store().periods(turn.user.id).await?;
        let Some(running) = periods.iter().find(|p| p.ended_on.is_none()) else {
            // No streak yet: the contact just told us where it starts.
            if let Err(problem) = streak::check_new_start(local_date, None, today) {
                turn.dialogue = Dialogue::AskSlipWhen;
                return Ok(vec![Reply::text(streak_date_problem(&problem))]);
            }
            self.store()
                .set_streak_start(turn.user.id, local_date, turn.now)
                .await?;
            turn.dialogue = Dialogue::Idle;
            return Ok(vec![Reply::text(format!(
                "Thank you for being honest. I've started your streak from {}: today is day {}. \
                 Counting from here is what matters.",
                human_date(local_date),
                streak::days_between(local_date, today)
            ))]);
        };
        let outcome = match streak::slip_outcome(&periods, running, local_date, today) {
            Ok(outcome) => outcome,
            Err(problem) => {
                turn.dialogue = Dialogue::AskSlipWhen;
                return Ok(vec![Reply::text(streak_date_problem(&problem))]);
            }
        };
        let slip = NewSlip {
            happened_at: at,
            local_date,
            streak_days: outcome.ended_days,
            note,
        };
        let slip_id = self
            .store()
            .record_slip(turn.user.id, &slip, turn.now)
            .await?;
        let compassion = render(
            pick(self.coach().pack().slip_replies(), seed()),
            &[("days", outcome.ended_days.to_string())],
        );
        turn.dialogue = Dialogue::AskSlipNote { slip_id };
        Ok(vec![
            Reply::text(compassion),
            Reply::text(slip_counts(&outcome, local_date)),
            Reply::text(
                "If you like, tell me what happened or how you feel. It stays private, only for \
                 you. Or tap Skip.",
            )
            .row([Action::SkipNote.button("Skip")]),
        ])
    }

    pub(super) async fn slip_note(
        &self,
        turn: &mut Turn,
        slip_id: i64,
        text: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        turn.dialogue = Dialogue::Idle;
        if self
            .store()
            .set_slip_note(turn.user.id, slip_id, text)
            .await?
        {
            Ok(vec![Reply::text(
                "Kept, privately. Writing it down is how a slip becomes something you learn \
                 from. Be gentle with yourself tonight.",
            )])
        } else {
            self.free_text(turn, text).await
        }
    }

    pub(super) async fn history(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        let periods = self.store().periods(turn.user.id).await?;
        if periods.is_empty() {
            return Ok(vec![Reply::text(NO_START_YET)]);
        }
        let slips = self.store().slips(turn.user.id).await?;
        let today = turn.today();
        let mut lines = vec!["Your streaks, newest first:".to_owned()];
        for period in periods.iter().rev().take(30) {
            lines.push(match period.ended_on {
                None => format!(
                    "• since {}: {} and counting",
                    human_date(period.started_on),
                    days(period.days(today))
                ),
                Some(end) => format!(
                    "• {} to {}: {}",
                    human_date(period.started_on),
                    human_date(end),
                    days(period.days(today))
                ),
            });
        }
        if !slips.is_empty() {
            lines.push(String::new());
            lines.push("Slips (kept without judgement):".to_owned());
            for slip in slips.iter().rev().take(30) {
                let note = slip
                    .note
                    .as_deref()
                    .map(|n| format!(": \"{}\"", crate::domain::text::preview(n, 80)))
                    .unwrap_or_default();
                lines.push(format!(
                    "• {} after {}{}",
                    human_date(slip.local_date),
                    days(slip.streak_days),
                    note
                ));
            }
        }
        Ok(vec![Reply::text(lines.join("\n"))])
    }
}

/// What a logged slip did to the counts, in plain numbers. A slip dated back splits the
/// count shown until now, and the longest streak may be shorter than it looked: say so
/// rather than "a new count begins today" and "stays N days".
fn slip_counts(outcome: &streak::SlipOutcome, slip_on: NaiveDate) -> String {
    let counts = if outcome.backdated() && outcome.ended_days == 0 {
        format!(
            "It happened on {date}, the day your streak began, so the count starts from there \
             as before: today is day {new}.",
            date = human_date(slip_on),
            new = outcome.new_days,
        )
    } else if outcome.backdated() {
        format!(
            "It happened on {date}, so the {before} I was counting split in two: {ended} up \
             to {date}, and a new streak from {date}: today is day {new}.",
            date = human_date(slip_on),
            before = days(outcome.running_before),
            ended = days(outcome.ended_days),
            new = outcome.new_days,
        )
    } else {
        "Your new streak counts from today: today is day 0.".to_owned()
    };
    let longest = if outcome.longest_after < outcome.longest_before {
        format!(
            "Your longest streak is now {}: the {} I counted before included the day of this \
             slip.",
            days(outcome.longest_after),
            days(outcome.longest_before)
        )
    } else {
        format!("Your longest streak stays {}.", days(outcome.longest_after))
    };
    format!("{counts} {longest}")
}
