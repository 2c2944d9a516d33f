//! `/export` and `/delete`: the user's data is theirs to take and to erase.

use super::{Action, Document, Engine, EngineError, Reply, Turn, expired};
use crate::domain::dialogue::Dialogue;

impl Engine {
    pub(super) async fn export(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        let data = self.store().export_user(turn.user.id).await?;
        let export = serde_json::json!({
            "format": "nocontact-export/1",
            "exported_at": turn.now.to_rfc3339(),
            "data": data,
        });
        let bytes = serde_json::to_vec_pretty(&export).unwrap_or_default();
        Ok(vec![
            Reply::text(
                "Here is everything I keep about you, as a JSON file. It's yours: keep it \
                 somewhere safe.",
            )
            .with_document(Document {
                file_name: "nocontact-export.json".into(),
                bytes,
                is_picture: false,
            }),
        ])
    }

    pub(super) fn ask_delete(&self, turn: &mut Turn) -> Vec<Reply> {
        turn.dialogue = Dialogue::ConfirmDelete;
        vec![
            Reply::text(
                "This deletes everything I keep about you: your streaks, slips, notes, drafts, \
                 journal and settings. It can't be undone. (/export first if you want a copy.) \
                 Delete everything?",
            )
            .row([
                Action::DeleteConfirm.button("Yes, delete everything"),
                Action::DeleteCancel.button("No, keep it"),
            ]),
        ]
    }

    pub(super) async fn confirm_delete(&self, turn: &mut Turn) -> Result<Vec<Reply>, EngineError> {
        if turn.dialogue != Dialogue::ConfirmDelete {
            return Ok(vec![expired()]);
        }
        self.store().delete_user(turn.user.id).await?;
        turn.deleted = true;
        tracing::debug!("a user deleted their data");
        Ok(vec![Reply::text(
            "Done. Everything I kept about you is gone. If you ever want to start again, \
             type /start. Take care of yourself.",
        )])
    }
}
