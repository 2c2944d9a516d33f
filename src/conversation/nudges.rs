//! Scheduled messages: morning encouragement (or the day's milestone), the evening
//! reflection prompt with a mood check-in, "wait with me" check-backs and crisis
//! check-ins. Also the answers to them: reflections kept as a journal, moods, `/journal`.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{Action, Engine, EngineError, Reply, Turn, expired, human_date, pick, seed};
use crate::coach::render;
use crate::domain::ChatId;
use crate::domain::dialogue::Dialogue;
use crate::domain::schedule::{next_occurrence, still_timely};
use crate::domain::streak;
use crate::domain::user::Rotation;
use crate::store::{Job, JobKind, JournalKind, NewJob, User};

/// What a due job sends.
#[derive(Debug)]
pub struct DueMessage {
    pub chat: ChatId,
    pub replies: Vec<Reply>,
    /// Past this it would be unkind (a good morning at teatime): dropped unsent.
    pub expires_at: DateTime<Utc>,
}

/// What a nudge job's payload says: the local day and instant it was planned for.
#[derive(Debug, Default, serde::Deserialize)]
struct NudgePlan {
    day: Option<NaiveDate>,
    due: Option<i64>,
}

/// Picks an item not yet seen this round; starts a new round when all were seen.
fn pick_unseen(len: usize, seen: &mut Vec<usize>, seed: u64) -> usize {
    if len == 0 {
        return 0;
    }
    seen.retain(|&i| i < len);
    if seen.len() >= len {
        seen.clear();
    }
    let unseen: Vec<usize> = (0..len).filter(|i| !seen.contains(i)).collect();
    let choice = unseen[(seed % unseen.len() as u64) as usize];
    seen.push(choice);
    choice
}

impl Engine {
    /// (Re)plans the user's morning and evening nudges from their settings: the next
    /// occurrence of each, or none while nudges are paused or the user is unreachable.
    pub(super) async fn schedule_nudges(
        &self,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<(), EngineError> {
        for kind in [JobKind::Morning, JobKind::Evening] {
            self.store().cancel_pending_jobs_of(user.id, kind).await?;
            if user.onboarded && user.active && !user.settings.nudges_paused {
                self.schedule_next_nudge(user, kind, now).await?;
            }
        }
        Ok(())
    }

    /// Schedules the next nudge of a kind after `after`, one per local day at most: a day
    /// that already had its nudge is skipped.
    async fn schedule_next_nudge(
        &self,
        user: &User,
        kind: JobKind,
        mut after: DateTime<Utc>,
    ) -> Result<(), EngineError> {
        let settings = &user.settings;
        let time = match kind {
            JobKind::Evening => settings.evening,
            _ => settings.morning,
        };
        for _ in 0..3 {
            let (day, due_at) = next_occurrence(&settings.timezone, time, after);
            // The payload keeps the planned day and time: a retry moves `due_at`, but
            // lateness is always judged from the original plan.
            let job = NewJob {
                kind,
                due_at,
                payload: serde_json::json!({ "day": day, "due": due_at.timestamp() }).to_string(),
                dedupe_key: Some(format!("{}:{}:{day}", kind.as_str(), user.id)),
            };
            if self.store().schedule_job(user.id, &job, self.now()).await? {
                return Ok(());
            }
            after = due_at;
        }
        tracing::warn!(kind = kind.as_str(), "could not plan the next nudge");
        Ok(())
    }

    /// The message a due job sends, to whom, and until when it is still kind to send it.
    /// `None` when nothing is to be sent: the user is gone, unreachable, paused, or the
    /// nudge is too late.
    pub async fn job_replies(&self, job: &Job) -> Result<Option<DueMessage>, EngineError> {
        let Some(user) = self.store().user_by_id(job.user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        let now = self.now();
        let pack = self.coach().pack();
        let plan = serde_json::from_str::<NudgePlan>(&job.payload).unwrap_or_default();
        let due = plan
            .due
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .unwrap_or(job.due_at);
        let late_after = match job.kind {
            JobKind::WaitCheckback => Duration::hours(2),
            JobKind::CrisisCheckin => Duration::hours(24),
            JobKind::Morning | JobKind::Evening => {
                Duration::minutes(i64::from(self.settings.nudge_grace_minutes))
            }
        };
        let timely = still_timely(due, now, late_after);
        let reply = match job.kind {
            _ if !timely && matches!(job.kind, JobKind::WaitCheckback | JobKind::CrisisCheckin) => {
                return Ok(None);
            }
            JobKind::WaitCheckback => {
                let event = serde_json::from_str::<serde_json::Value>(&job.payload)
                    .ok()
                    .and_then(|v| v.get("event").and_then(serde_json::Value::as_i64));
                let reply = Reply::text(pick(pack.wait_checkback(), seed()));
                match event {
                    Some(event) => reply.row([
                        Action::Resisted(event).button("I resisted"),
                        Action::WriteInstead(event).button("Write it here instead"),
                    ]),
                    None => reply,
                }
            }
            JobKind::CrisisCheckin => Reply::text(pick(pack.crisis_checkins(), seed()))
                .row([super::coaching::sos_button()]),
            JobKind::Morning | JobKind::Evening => {
                // The chain goes on whatever happens to this one.
                self.schedule_next_nudge(&user, job.kind, due.max(now))
                    .await?;
                if user.settings.nudges_paused || !timely {
                    return Ok(None);
                }
                let day = plan
                    .day
                    .unwrap_or_else(|| user.settings.timezone.local_date(due));
                match job.kind {
                    JobKind::Morning => self.morning(&user, now).await?,
                    _ => self.evening(&user, day).await?,
                }
            }
        };
        Ok(Some(DueMessage {
            chat: user.chat,
            replies: vec![reply],
            expires_at: due + late_after,
        }))
    }

    async fn morning(&self, user: &User, now: DateTime<Utc>) -> Result<Reply, EngineError> {
        if user.in_care(now) {
            // The careful time after a crisis message: no count, no cheer, a gentle check-in.
            let text = pick(self.coach().pack().care_checkins(), seed());
            return Ok(Reply::text(text).row([super::coaching::sos_button()]));
        }
        let today = user.settings.timezone.local_date(now);
        let periods = self.store().periods(user.id).await?;
        let days = streak::summarize(&periods, today).map_or(0, |s| s.current_days);
        let pack = self.coach().pack();
        if let Some(milestone) = pack.milestone_on(days) {
            let message = render(&milestone.message, &[("days", days.to_string())]);
            return Ok(Reply::text(format!("{}\n\n{message}", milestone.title)));
        }
        let mut rotation = user.rotation.clone();
        let messages = pack.morning_messages();
        let index = pick_unseen(messages.len(), &mut rotation.morning, seed());
        self.save_rotation(user, &rotation).await?;
        let text = messages.get(index).map(String::as_str).unwrap_or_default();
        Ok(Reply::text(render(text, &[("days", days.to_string())])))
    }

    /// The evening prompt of a local day (the day it was planned for, even if sent late).
    async fn evening(&self, user: &User, today: NaiveDate) -> Result<Reply, EngineError> {
        let mut rotation = user.rotation.clone();
        let prompts = self.coach().pack().evening_prompts();
        let index = pick_unseen(prompts.len(), &mut rotation.evening, seed());
        self.save_rotation(user, &rotation).await?;
        // The answer becomes a journal entry, unless the user is in the middle of something.
        if user.pending(self.now()) == Dialogue::Idle {
            let awaiting = Dialogue::AwaitReflection { day: today };
            self.store()
                .save_dialogue(user.id, &awaiting, self.now())
                .await?;
        }
        let prompt = prompts.get(index).map(String::as_str).unwrap_or_default();
        Ok(Reply::text(format!(
            "{prompt}\n\nWrite your answer here: I'll keep it in your private journal. \
             And how was today, from 1 (awful) to 5 (good)?"
        ))
        .row((1..=5).map(|score| Action::Mood { day: today, score }.button(score.to_string()))))
    }

    async fn save_rotation(&self, user: &User, rotation: &Rotation) -> Result<(), EngineError> {
        self.store().save_rotation(user.id, rotation).await?;
        Ok(())
    }

    /// An answer to the evening prompt: kept in the journal. If it also asks for help with
    /// an urge, the guidance follows.
    pub(super) async fn reflection(
        &self,
        turn: &mut Turn,
        day: NaiveDate,
        text: &str,
        truncated: bool,
    ) -> Result<Vec<Reply>, EngineError> {
        turn.dialogue = Dialogue::Idle;
        if turn.today() > day + Duration::days(1) {
            // An old prompt: this message is not its answer.
            return self.free_text(turn, text).await;
        }
        self.store()
            .add_journal_entry(turn.user.id, JournalKind::Reflection, text, turn.now, None)
            .await?;
        let mut ack = String::from(
            "Kept in your journal. Thank you for taking the time. /journal shows your recent entries.",
        );
        if truncated {
            ack.push_str(" (It was very long, so I kept the first 16,000 characters.)");
        }
        let mut replies = vec![Reply::text(ack)];
        if self.classify(text).situation.is_tempting() {
            replies.extend(self.free_text(turn, text).await?);
        }
        Ok(replies)
    }

    pub(super) async fn mood(
        &self,
        turn: &mut Turn,
        day: NaiveDate,
        score: u8,
    ) -> Result<Vec<Reply>, EngineError> {
        let today = turn.today();
        if day > today || day < today - Duration::days(2) {
            return Ok(vec![expired()]);
        }
        // One mood a day: a later answer for the same day replaces the earlier one.
        self.store()
            .set_mood(turn.user.id, day, score, turn.now)
            .await?;
        Ok(vec![Reply::text(match score {
            1 | 2 => {
                "Thank you for telling me. Hard days count too: you got through this one without giving in. Be gentle with yourself tonight."
            }
            3 => "Noted. An in-between day is still a day kept.",
            _ => "Glad to hear it. Noted. Remember this day when a hard one comes.",
        })])
    }

    pub(super) async fn journal(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        let entries = self
            .store()
            .journal_entries(turn.user.id, JournalKind::Reflection, 10)
            .await?;
        if entries.is_empty() {
            return Ok(vec![Reply::text(
                "Your journal is empty so far. Each evening I'll ask you a question; your answers \
                 are kept here, privately.",
            )]);
        }
        let tz = turn.user.settings.timezone;
        let mut text = String::from("Your recent reflections:\n");
        for entry in entries {
            text.push_str(&format!(
                "\n{}: {}\n",
                human_date(tz.local_date(entry.created_at)),
                crate::domain::text::preview(&entry.body, 300)
            ));
        }
        Ok(vec![Reply::text(text.trim_end())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_shows_everything_once_before_repeating() {
        let mut seen = Vec::new();
        let mut picked: Vec<usize> = (0..7).map(|s| pick_unseen(7, &mut seen, s * 31)).collect();
        picked.sort_unstable();
        assert_eq!(picked, (0..7).collect::<Vec<_>>());
        let next = pick_unseen(7, &mut seen, 3);
        assert!(next < 7);
        assert_eq!(seen, vec![next], "a new round began");
    }
}
