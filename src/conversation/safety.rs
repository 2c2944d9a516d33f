//! Help at any time (`/sos`: helplines where the user is, a grounding exercise, a check-in
//! later), the careful time after a crisis message, and the country and unsafe-ex settings.

use super::{Action, Engine, EngineError, Reply, Turn, pick, seed};
use crate::coach::LineKind;
use crate::domain::country::Country;
use crate::domain::dialogue::Dialogue;

/// Hours until the check-in a user asked for from `/sos`.
const LATER_HOURS: u32 = 3;

impl Engine {
    /// `/sos`: the helplines of the user's country (or the worldwide ones), a grounding
    /// exercise, and a button to be checked on later.
    pub(super) fn sos(&self, turn: &Turn) -> Vec<Reply> {
        let pack = self.coach().pack();
        let sos = pack.sos();
        let text = format!(
            "{}\n\n{}\n\n{}",
            sos.intro,
            pack.helplines_plain(turn.user.country(), LineKind::Crisis),
            pick(&sos.grounding, seed()),
        );
        vec![Reply::text(text).row([Action::CheckInLater.button("Check in on me later")])]
    }

    /// "Check in on me later": one gentle message in a few hours.
    pub(super) async fn check_in_later(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        self.schedule_checkin(turn, LATER_HOURS).await?;
        Ok(vec![Reply::text(self.coach().pack().sos().later.clone())])
    }

    /// Forgets that the ex was unsafe (the user asked, in `/settings`).
    pub(super) async fn clear_unsafe(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        if !turn.user.safety.unsafe_ex {
            return Ok(vec![Reply::text(
                "There was nothing to clear: I don't have a note that your ex was unsafe.",
            )]);
        }
        turn.user.safety.unsafe_ex = false;
        self.store()
            .save_safety(turn.user.id, &turn.user.safety)
            .await?;
        Ok(vec![Reply::text(
            "Done: I no longer keep the note that your ex was unsafe. If that changes, just \
             tell me, and /sos is there any time.",
        )])
    }

    /// The answer to "which country are you in?" (for helplines); "auto" goes back to
    /// the country of the timezone.
    pub(super) async fn answer_country(
        &self,
        turn: &mut Turn,
        text: &str,
    ) -> Result<Vec<Reply>, EngineError> {
        let wanted = text.trim().to_lowercase();
        let country = if matches!(wanted.as_str(), "auto" | "automatic" | "reset" | "default") {
            None
        } else {
            match Country::parse(text) {
                Some(c) => Some(c),
                None => {
                    return Ok(vec![Reply::text(
                        "I couldn't find that country. Type its name (\"Australia\") or its \
                         two-letter code (\"AU\"), or \"auto\" to go by your timezone.",
                    )]);
                }
            }
        };
        turn.user.safety.country = country;
        self.store()
            .save_safety(turn.user.id, &turn.user.safety)
            .await?;
        turn.dialogue = Dialogue::Idle;
        let shown = turn.user.country();
        let has_lines = shown.is_some_and(|c| {
            self.coach()
                .pack()
                .helplines()
                .of(c, LineKind::Crisis)
                .next()
                .is_some()
        });
        let text = match (country, shown) {
            (Some(c), _) if has_lines => format!(
                "Country set to {}. /sos and crisis replies now show its helplines.",
                c.name()
            ),
            (Some(c), _) => format!(
                "Country set to {}. I don't have a checked helpline there yet, so I'll show \
                 the worldwide directory and your local emergency number.",
                c.name()
            ),
            (None, Some(c)) => format!("I'll go by your timezone again: that's {}.", c.name()),
            (None, None) => "I'll go by your timezone again. It doesn't tell me a country, so \
                             I'll show worldwide helplines."
                .to_owned(),
        };
        Ok(vec![Reply::text(text)])
    }
}
