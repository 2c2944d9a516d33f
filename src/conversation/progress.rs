//! Seeing and keeping progress: the `/progress` picture, `/mood` and `/why`.

use std::collections::{BTreeMap, BTreeSet};

use super::{Action, Document, Engine, EngineError, Reply, Turn, days, expired, seed};
use crate::coach::Situation;
use crate::domain::dialogue::Dialogue;
use crate::domain::streak;
use crate::picture::calendar::{Progress, render};
use crate::store::EventKind;

/// The longest reason kept, so that one fits under any reply.
const MAX_REASON_CHARS: usize = 300;

impl Engine {
    pub(super) async fn progress(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        let store = self.store();
        let user_id = turn.user.id;
        let periods = store.periods(user_id).await?;
        let today = turn.today();
        let Some(summary) = streak::summarize(&periods, today) else {
            return Ok(vec![Reply::text(
                "Once I know when your last contact was (/since yesterday, for example), I can \
                 draw your progress.",
            )]);
        };
        let tz = turn.user.settings.timezone;
        let mut resisted_by_day = BTreeMap::new();
        for event in store.events_of(user_id, EventKind::UrgeResisted).await? {
            *resisted_by_day.entry(tz.local_date(event.at)).or_insert(0) += 1;
        }
        let mood_by_day = store
            .events_of(user_id, EventKind::Mood)
            .await?
            .into_iter()
            .filter_map(|e| Some((e.local_date?, u8::try_from(e.value?).ok()?)))
            .collect();
        let slip_days: BTreeSet<_> = store
            .slips(user_id)
            .await?
            .into_iter()
            .map(|s| s.local_date)
            .collect();
        let progress = Progress {
            today,
            current_days: Some(summary.current_days),
            longest_days: summary.longest_days,
            resisted_total: resisted_by_day.values().map(|n| i64::from(*n)).sum(),
            periods,
            slip_days,
            resisted_by_day,
            mood_by_day,
        };
        let png = render(&progress).to_png();
        Ok(vec![
            Reply::text(format!(
                "Here is how far you've come: day {}, longest streak {}.",
                summary.current_days,
                days(summary.longest_days)
            ))
            .with_document(Document {
                file_name: "progress.png".into(),
                bytes: png,
                is_picture: true,
            }),
        ])
    }

    pub(super) async fn mood_command(
        &self,
        turn: &mut Turn,
        args: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        let today = turn.today();
        match args.trim().parse::<u8>() {
            Ok(score) if (1..=5).contains(&score) => self.mood(turn, today, score).await,
            _ if args.trim().is_empty() => Ok(vec![
                Reply::text("How are you today, from 1 (awful) to 5 (good)?").row(
                    (1..=5)
                        .map(|score| Action::Mood { day: today, score }.button(score.to_string())),
                ),
            ]),
            _ => Ok(vec![Reply::text(
                "A mood is a number from 1 (awful) to 5 (good), like /mood 3. Or type /mood and tap one.",
            )]),
        }
    }

    pub(super) async fn why(&self, turn: &mut Turn, args: &str) -> Result<Vec<Reply>, EngineError> {
        if !args.trim().is_empty() {
            return self.keep_reason(turn, args).await;
        }
        let reasons = self.store().reasons(turn.user.id).await?;
        turn.dialogue = Dialogue::AwaitReason;
        let ask = "Why are you doing no contact? Write one reason in your own words (\"I want to \
                   heal\", \"I deserve someone who chooses me\"). I'll keep it and remind you of \
                   it when the urge is strong.";
        if reasons.is_empty() {
            return Ok(vec![Reply::text(ask)]);
        }
        let mut replies = vec![Reply::text("Your reasons, in your own words:")];
        for reason in reasons {
            replies.push(
                Reply::text(format!("\"{}\"", reason.body))
                    .row([Action::DeleteReason(reason.id).button("Remove")]),
            );
        }
        replies.push(Reply::text(format!("{ask}\n(Or /cancel.)")));
        Ok(replies)
    }

    pub(super) async fn keep_reason(
        &self,
        turn: &mut Turn,
        text: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        turn.dialogue = Dialogue::Idle;
        let reason = crate::domain::text::preview(text.trim(), MAX_REASON_CHARS);
        self.store()
            .add_reason(turn.user.id, &reason, turn.now)
            .await?;
        Ok(vec![Reply::text(
            "Kept. When you're tempted to reach out, I'll show it back to you. /why lists all your reasons.",
        )])
    }

    pub(super) async fn delete_reason(
        &self,
        turn: &mut Turn,
        id: i64,
    ) -> Result<Vec<Reply>, EngineError> {
        if !self.store().delete_reason(turn.user.id, id).await? {
            return Ok(vec![expired()]);
        }
        Ok(vec![Reply::text("Removed.")])
    }

    /// One of the user's own reasons, for a tempting situation.
    pub(super) async fn reason_for(
        &self,
        turn: &Turn,
        situation: Situation,
    ) -> Result<Option<String>, EngineError> {
        if !matches!(
            situation,
            Situation::ReachOut | Situation::Convince | Situation::Hookup | Situation::SpecialDate
        ) {
            return Ok(None);
        }
        let reasons = self.store().reasons(turn.user.id).await?;
        if reasons.is_empty() {
            return Ok(None);
        }
        let reason = &reasons[(seed() % reasons.len() as u64) as usize];
        Ok(Some(format!(
            "You told me why you're doing this: \"{}\"",
            reason.body
        )))
    }
}
