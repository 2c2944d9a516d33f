//! Free text: coaching guidance with something to do instead, crisis safety first, and the
//! actions behind the buttons (wait with me, write it here instead, I resisted, I reached out).

use chrono::Duration;

use super::intents::asks_for_streak;
use super::{Action, Engine, EngineError, Incoming, Reply, Turn, expired, pick, seed};
use crate::coach::{Advice, AdviceContext, Situation, render};
use crate::domain::ChatId;
use crate::domain::dialogue::Dialogue;
use crate::domain::streak;
use crate::store::{EventKind, JobKind, JournalKind, NewJob};

/// How long a draft stays sealed before the user can read it back.
const DRAFT_SEAL_HOURS: i64 = 24;

impl Engine {
    /// A message outside any question: a streak question, or coaching.
    pub(super) async fn free_text(
        &self,
        turn: &mut Turn,
        text: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        if asks_for_streak(text) {
            return self.streak(turn).await;
        }
        let context = advice_context(turn);
        let advice = match turn.classified.take() {
            Some((words, verdict)) if words == text => {
                self.coach().advise_classified(verdict, text, &context)
            }
            _ => self
                .coach()
                .advise_classified(self.classify(text), text, &context),
        };
        // The situation goes on the update's span (never the words).
        tracing::Span::current().record("situation", advice.situation.id());
        self.coaching_reply(turn, advice).await
    }

    /// A forwarded message is the ex's words: they reached out.
    pub(super) async fn on_forwarded(
        &self,
        turn: &mut Turn,
        text: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        let (text, _) = crate::domain::text::clean(text);
        turn.dialogue = Dialogue::Idle;
        let context = advice_context(turn);
        let advice = self
            .coach()
            .advise_for(Situation::TheyReachedOut, &text, &context);
        self.coaching_reply(turn, advice).await
    }

    async fn coaching_reply(
        &self,
        turn: &mut Turn,
        advice: Advice,
    ) -> Result<Vec<Reply>, EngineError> {
        tracing::debug!(situation = advice.situation.id(), "coached");
        let mut writes_safety = false;
        if advice.situation == Situation::Abuse && !turn.user.safety.unsafe_ex {
            // Remembered, so that later replies about the ex never suggest meeting them.
            turn.user.safety.unsafe_ex = true;
            writes_safety = true;
        }
        if writes_safety {
            self.store()
                .save_safety(turn.user.id, &turn.user.safety)
                .await?;
        }
        let mut text = advice.text;
        if advice.situation != Situation::Abuse
            && let Some(reason) = self.reason_for(turn, advice.situation).await?
        {
            text = format!("{text}\n\n{reason}");
        }
        let care = turn.user.in_care(turn.now);
        let reply = Reply::text(text);
        if advice.situation == Situation::Other {
            self.store()
                .set_last_variant(turn.user.id, advice.variant)
                .await?;
            return Ok(vec![if care {
                reply.row([sos_button()])
            } else {
                reply
            }]);
        }
        let event = self
            .store()
            .add_coached(
                turn.user.id,
                advice.variant,
                advice.situation.id(),
                turn.now,
            )
            .await?;
        if advice.situation == Situation::Abuse {
            // Safety, not strategy: nothing to wait out and decide later.
            return Ok(vec![reply.row([
                Action::WriteInstead(event).button("Write it here instead"),
                sos_button(),
            ])]);
        }
        let reached_out_label = if advice.situation == Situation::Slipped {
            "Log it as a slip"
        } else {
            "I reached out"
        };
        let mut reply = reply
            .row([
                Action::Wait(event).button("Wait with me"),
                Action::WriteInstead(event).button("Write it here instead"),
            ])
            .row([
                Action::Resisted(event).button("I resisted"),
                Action::ReachedOut(event).button(reached_out_label),
            ]);
        if care {
            reply = reply.row([sos_button()]);
        }
        Ok(vec![reply])
    }

    /// The answer to words of self-harm or suicide: crisis resources for the user's
    /// country, never streak talk, a careful time after it, and a gentle check-in the next
    /// day. The resources go out even when the database fails (with the worldwide lines
    /// then); remembering the moment (and a draft being written) is best effort. When only
    /// the classifier leaned toward crisis (`certain` false), the reply opens with a gentle
    /// "are you safe?" instead: asking costs little, a missed crisis can cost a life.
    pub(super) async fn crisis_first(
        &self,
        chat: ChatId,
        incoming: &Incoming,
        certain: bool,
    ) -> Result<Vec<Reply>, EngineError> {
        let words = incoming.words().unwrap_or_default();
        // A failure is not swallowed: on PostgreSQL it would leave the turn's transaction
        // aborted. The turn is tried again, and if it keeps failing the adapter still sends
        // crisis resources (`Engine::fallback`).
        let country = self.store().user(chat).await?.and_then(|u| u.country());
        let context = AdviceContext {
            country,
            seed: seed(),
            ..AdviceContext::default()
        };
        let text = if certain {
            self.coach()
                .advise_for(Situation::Crisis, words, &context)
                .text
        } else {
            let pack = self.coach().pack();
            format!(
                "{}\n\n{}",
                pick(pack.crisis_check(), context.seed),
                pack.helplines_for(country, crate::coach::LineKind::Crisis)
            )
        };
        tracing::debug!("crisis message answered with resources");
        let mut replies = vec![Reply::text(text).row([sos_button()])];
        replies.extend(self.after_crisis(chat, incoming).await?);
        Ok(replies)
    }

    async fn after_crisis(
        &self,
        chat: ChatId,
        incoming: &Incoming,
    ) -> Result<Vec<Reply>, EngineError> {
        let now = self.now();
        let (user, _) = self.store().ensure_user(chat, now).await?;
        let mut turn = Turn {
            dialogue: user.pending(now),
            user,
            now,
            deleted: false,
            classified: None,
        };
        self.store()
            .add_event(turn.user.id, EventKind::Crisis, None, now)
            .await?;
        turn.user.safety.care_until =
            Some(now + Duration::hours(i64::from(self.settings.care_hours)));
        self.store()
            .save_safety(turn.user.id, &turn.user.safety)
            .await?;
        self.schedule_checkin(&turn, self.settings.crisis_checkin_hours)
            .await?;
        // A draft being written is kept all the same.
        if let (Dialogue::AwaitDraft { event_id }, Incoming::Text(text)) =
            (turn.dialogue.clone(), incoming)
        {
            let (text, truncated) = crate::domain::text::clean(text);
            let replies = self
                .keep_draft(&mut turn, event_id, &text, truncated)
                .await?;
            self.store()
                .save_dialogue(turn.user.id, &turn.dialogue, now)
                .await?;
            return Ok(replies);
        }
        Ok(Vec::new())
    }

    /// A gentle check-in `hours` from now (moved out of the user's night), one a day.
    pub(super) async fn schedule_checkin(
        &self,
        turn: &Turn,
        hours: u32,
    ) -> Result<bool, EngineError> {
        let settings = &turn.user.settings;
        let due_at = crate::domain::schedule::outside_quiet_hours(
            &settings.timezone,
            settings.morning,
            settings.evening,
            turn.now + Duration::hours(i64::from(hours)),
        );
        let checkin = NewJob {
            kind: JobKind::CrisisCheckin,
            due_at,
            payload: "{}".into(),
            dedupe_key: Some(format!("crisis:{}:{}", turn.user.id, turn.today())),
        };
        Ok(self
            .store()
            .schedule_job(turn.user.id, &checkin, turn.now)
            .await?)
    }

    pub(super) async fn wait_with_me(
        &self,
        turn: &mut Turn,
        event: i64,
    ) -> Result<Vec<Reply>, EngineError> {
        if !self.store().is_coached_event(turn.user.id, event).await? {
            return Ok(vec![expired()]);
        }
        let minutes = self.settings.wait_minutes;
        let job = NewJob {
            kind: JobKind::WaitCheckback,
            due_at: turn.now + Duration::minutes(i64::from(minutes)),
            payload: serde_json::json!({ "event": event }).to_string(),
            dedupe_key: Some(format!("wait:{event}")),
        };
        if !self
            .store()
            .schedule_job(turn.user.id, &job, turn.now)
            .await?
        {
            return Ok(vec![Reply::text(
                "I'm already waiting with you for this one. I'll be back soon. Breathe slowly \
                 in the meantime.",
            )]);
        }
        let text = render(
            pick(self.coach().pack().wait_start(), seed()),
            // The unit is part of the value, so that 1 reads "1 minute".
            &[(
                "minutes",
                crate::domain::plural::plural(i64::from(minutes), "minute"),
            )],
        );
        Ok(vec![Reply::text(text)])
    }

    pub(super) async fn write_instead(
        &self,
        turn: &mut Turn,
        event: i64,
    ) -> Result<Vec<Reply>, EngineError> {
        if !self.store().is_coached_event(turn.user.id, event).await? {
            return Ok(vec![expired()]);
        }
        turn.dialogue = Dialogue::AwaitDraft { event_id: event };
        Ok(vec![Reply::text(pick(
            self.coach().pack().draft_prompts(),
            seed(),
        ))])
    }

    /// Keeps a draft: written here instead of sent, never sent to anyone.
    pub(super) async fn keep_draft(
        &self,
        turn: &mut Turn,
        event: i64,
        text: &str,
        truncated: bool,
    ) -> Result<Vec<Reply>, EngineError> {
        let sealed_until = turn.now + Duration::hours(DRAFT_SEAL_HOURS);
        self.store()
            .add_journal_entry(
                turn.user.id,
                JournalKind::Draft,
                text,
                turn.now,
                Some(sealed_until),
            )
            .await?;
        turn.dialogue = Dialogue::Idle;
        let mut saved = pick(self.coach().pack().draft_saved(), seed()).to_owned();
        if truncated {
            saved.push_str("\n\n(It was very long, so I kept the first 16,000 characters.)");
        }
        Ok(vec![
            Reply::text(saved).row([Action::Resisted(event).button("I resisted")]),
        ])
    }

    pub(super) async fn resisted(
        &self,
        turn: &mut Turn,
        event: i64,
    ) -> Result<Vec<Reply>, EngineError> {
        if !self
            .store()
            .resolve_event(turn.user.id, event, "resisted")
            .await?
        {
            let text = if self.store().is_coached_event(turn.user.id, event).await? {
                "You already logged this one, and it still counts. Proud of you."
            } else {
                return Ok(vec![expired()]);
            };
            return Ok(vec![Reply::text(text)]);
        }
        self.store()
            .add_event(turn.user.id, EventKind::UrgeResisted, None, turn.now)
            .await?;
        let count = self
            .store()
            .count_events(turn.user.id, EventKind::UrgeResisted)
            .await?;
        let text = render(
            pick(self.coach().pack().resisted_replies(), seed()),
            &[("count", count.to_string())],
        );
        Ok(vec![Reply::text(text)])
    }

    pub(super) async fn reached_out(
        &self,
        turn: &mut Turn,
        event: i64,
    ) -> Result<Vec<Reply>, EngineError> {
        if !self
            .store()
            .resolve_event(turn.user.id, event, "reached_out")
            .await?
        {
            return Ok(vec![expired()]);
        }
        self.slip(turn, "").await
    }
}

/// The button that opens `/sos` wherever a crisis reply or the careful time appears.
pub(super) fn sos_button() -> super::Button {
    Action::Sos.button("Talk to someone now")
}

/// What composing a reply needs to know of the user: read with the user, no query of its own.
pub(super) fn advice_context(turn: &Turn) -> AdviceContext {
    use chrono::Timelike;
    let hour = turn.local_now().hour();
    AdviceContext {
        country: turn.user.country(),
        care: turn.user.in_care(turn.now),
        unsafe_ex: turn.user.safety.unsafe_ex,
        night: !(5..23).contains(&hour),
        streak_days: turn.user.running_since.map(|started_on| {
            streak::Period {
                started_on,
                ended_on: None,
            }
            .days(turn.today())
        }),
        previous_variant: turn.user.last_variant,
        seed: seed(),
    }
}
