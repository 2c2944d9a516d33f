//! `/drafts`: what the user wrote here instead of sending it. A draft stays sealed for a
//! day (the bot shows that it exists, not its words), then can be read or deleted. No draft
//! is ever sent to anyone.

use super::{Action, Engine, EngineError, Reply, Turn, expired};
use crate::store::{JournalEntry, JournalKind};

impl Engine {
    pub(super) async fn drafts(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        let drafts = self
            .store()
            .journal_entries(turn.user.id, JournalKind::Draft, 10)
            .await?;
        if drafts.is_empty() {
            return Ok(vec![Reply::text(
                "No drafts yet. When you want to write to your ex, tap \"Write it here instead\" \
                 and put it all here: it stays with me and is never sent.",
            )]);
        }
        let mut replies = vec![Reply::text(
            "Your drafts, newest first. None of them was sent to anyone. A draft stays sealed \
             for a day, so you can look at it again with calmer eyes.",
        )];
        for draft in drafts {
            replies.push(self.draft_card(turn, &draft));
        }
        Ok(replies)
    }

    fn draft_card(&self, turn: &Turn, draft: &JournalEntry) -> Reply {
        let tz = turn.user.settings.timezone;
        let written = tz
            .local_datetime(draft.created_at)
            .format("%a %-d %b, %H:%M");
        match draft.sealed_until.filter(|until| *until > turn.now) {
            Some(until) => Reply::text(format!(
                "Draft written {written}: sealed until {}.",
                tz.local_datetime(until).format("%a %-d %b, %H:%M")
            ))
            .row([Action::DeleteDraft(draft.id).button("Delete")]),
            None => Reply::text(format!(
                "Draft written {written}: \"{}\"",
                crate::domain::text::preview(&draft.body, 200)
            ))
            .row([
                Action::ReadDraft(draft.id).button("Read it all"),
                Action::DeleteDraft(draft.id).button("Delete"),
            ]),
        }
    }

    pub(super) async fn read_draft(
        &self,
        turn: &mut Turn,
        id: i64,
    ) -> Result<Vec<Reply>, EngineError> {
        let Some(draft) = self.own_draft(turn, id).await? else {
            return Ok(vec![expired()]);
        };
        if draft.sealed_until.is_some_and(|until| until > turn.now) {
            return Ok(vec![self.draft_card(turn, &draft)]);
        }
        Ok(vec![
            Reply::text(format!(
                "{}\n\n(Reading it now, does it still say what you want? You can keep it or let it go.)",
                draft.body
            ))
            .row([Action::DeleteDraft(draft.id).button("Delete it")]),
        ])
    }

    pub(super) async fn delete_draft(
        &self,
        turn: &mut Turn,
        id: i64,
    ) -> Result<Vec<Reply>, EngineError> {
        if self.own_draft(turn, id).await?.is_none()
            || !self.store().delete_journal_entry(turn.user.id, id).await?
        {
            return Ok(vec![expired()]);
        }
        Ok(vec![Reply::text(
            "Deleted. Letting words go without sending them is its own kind of strength.",
        )])
    }

    async fn own_draft(&self, turn: &Turn, id: i64) -> Result<Option<JournalEntry>, EngineError> {
        Ok(self
            .store()
            .journal_entry(turn.user.id, id)
            .await?
            .filter(|entry| entry.kind == JournalKind::Draft))
    }
}
