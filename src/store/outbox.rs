//! The outbox: replies and scheduled messages committed with the turn that decided them,
//! sent from here, and deleted once Telegram confirms them.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Store, StoreError, StoreResult, first_row, secs};
use crate::conversation::{Button, Document, Reply};
use crate::domain::ChatId;

/// Confirmed parcels waiting to be deleted, and the lock of the one flush at a time that
/// deletes all of them.
#[derive(Default)]
pub(crate) struct Confirmed {
    waiting: std::sync::Mutex<Vec<(i64, tokio::sync::oneshot::Sender<bool>)>>,
    flush: tokio::sync::Mutex<()>,
}

impl Confirmed {
    fn waiting(&self) -> std::sync::MutexGuard<'_, Vec<(i64, tokio::sync::oneshot::Sender<bool>)>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A committed message waiting for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parcel {
    pub id: i64,
    pub chat: ChatId,
    pub reply: Reply,
    /// Delivery attempts so far, this one included. Each claim counts one, so it also names
    /// the claim: only the holder of the latest claim may give the parcel back for later.
    pub attempts: i64,
    /// The holder's lease: after this another process may claim the parcel, so the holder
    /// no longer sends it.
    pub leased_until: DateTime<Utc>,
    /// After this it is dropped rather than sent (a morning nudge at teatime).
    pub expires_at: Option<DateTime<Utc>>,
}

/// A reply as stored: everything but the file's bytes, which go in their own column.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    text: String,
    #[serde(default)]
    keyboard: Vec<Vec<(String, String)>>,
    /// File name and whether it is a picture.
    #[serde(default)]
    file: Option<(String, bool)>,
}

impl Stored {
    fn of(reply: &Reply) -> Stored {
        Stored {
            text: reply.text.clone(),
            keyboard: reply
                .keyboard
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|b| (b.label.clone(), b.data.clone()))
                        .collect()
                })
                .collect(),
            file: reply
                .document
                .as_ref()
                .map(|d| (d.file_name.clone(), d.is_picture)),
        }
    }

    fn into_reply(self, bytes: Option<Vec<u8>>) -> Reply {
        Reply {
            text: self.text,
            keyboard: self
                .keyboard
                .into_iter()
                .map(|row| row.into_iter().map(|(l, d)| Button::new(l, d)).collect())
                .collect(),
            document: self.file.map(|(file_name, is_picture)| Document {
                file_name,
                bytes: bytes.unwrap_or_default(),
                is_picture,
            }),
        }
    }
}

const CLAIM_SQLITE: &str = "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE claimed_until <= $2 ORDER BY id LIMIT $3) \
     RETURNING id, chat_id, reply, document, attempts, expires_at, claimed_until";

const CLAIM_POSTGRES: &str = "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE claimed_until <= $2 ORDER BY id LIMIT $3 \
         FOR UPDATE SKIP LOCKED) \
     RETURNING id, chat_id, reply, document, attempts, expires_at, claimed_until";

fn parcel_from_row(row: &AnyRow) -> StoreResult<Parcel> {
    let stored: Stored = serde_json::from_str(&row.try_get::<String, _>("reply")?)
        .map_err(|e| StoreError::Corrupt(format!("outbox reply: {e}")))?;
    Ok(Parcel {
        id: row.try_get("id")?,
        chat: ChatId(row.try_get("chat_id")?),
        reply: stored.into_reply(row.try_get("document")?),
        attempts: row.try_get("attempts")?,
        leased_until: super::instant(row.try_get("claimed_until")?)?,
        expires_at: row
            .try_get::<Option<i64>, _>("expires_at")?
            .map(super::instant)
            .transpose()?,
    })
}

impl Store {
    /// Stages replies for a chat, in order, leased to the caller until `claimed_until` (it
    /// sends them right after its commit; after that anyone may), and dropped unsent after
    /// `expires_at` if one is given.
    pub async fn outbox_push(
        &self,
        chat: ChatId,
        replies: &[Reply],
        now: DateTime<Utc>,
        claimed_until: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> StoreResult<Vec<Parcel>> {
        self.during("outbox_push", async {
            let mut parcels = Vec::with_capacity(replies.len());
            for reply in replies {
                let json = serde_json::to_string(&Stored::of(reply))
                    .map_err(|e| StoreError::Corrupt(format!("outbox reply: {e}")))?;
                let rows = sqlx::query(
                    "INSERT INTO outbox \
                     (chat_id, reply, document, created_at, claimed_until, expires_at, attempts) \
                     VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id",
                )
                .bind(chat.0)
                .bind(json)
                .bind(reply.document.as_ref().map(|d| d.bytes.clone()))
                .bind(secs(now))
                .bind(secs(claimed_until))
                .bind(expires_at.map(secs))
                .fetch_all(&mut *self.conn().await?)
                .await?;
                parcels.push(Parcel {
                    id: first_row(rows, "staging a reply")?.try_get("id")?,
                    chat,
                    reply: reply.clone(),
                    attempts: 1,
                    leased_until: claimed_until,
                    expires_at,
                });
            }
            Ok(parcels)
        })
        .await
    }

    /// Claims up to `limit` parcels nobody holds (their lease ran out), oldest first.
    pub async fn outbox_claim(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Parcel>> {
        self.during("outbox_claim", async {
            let sql = match self.backend {
                Backend::Sqlite => CLAIM_SQLITE,
                Backend::Postgres => CLAIM_POSTGRES,
            };
            let rows = sqlx::query(sql)
                .bind(secs(lease_until))
                .bind(secs(now))
                .bind(i64::from(limit))
                .fetch_all(&mut *self.write_conn().await?)
                .await?;
            let mut parcels = rows
                .iter()
                .map(parcel_from_row)
                .collect::<StoreResult<Vec<_>>>()?;
            parcels.sort_by_key(|p| p.id);
            Ok(parcels)
        })
        .await
    }

    /// Telegram confirmed the parcel (or it can never be delivered): it is forgotten.
    /// Outside a turn, confirmations that queue for the database at the same time are
    /// deleted by one statement (a group commit): under load one write answers many, and
    /// each caller still returns only once its own row is gone.
    pub async fn outbox_done(&self, id: i64) -> StoreResult<()> {
        self.during("outbox_done", async {
            if self.turn.is_some() {
                sqlx::query("DELETE FROM outbox WHERE id = $1")
                    .bind(id)
                    .execute(&mut *self.conn().await?)
                    .await?;
                return Ok(());
            }
            let (sent, gone) = tokio::sync::oneshot::channel();
            self.confirmed.waiting().push((id, sent));
            {
                let _flushing = self.confirmed.flush.lock().await;
                let batch = std::mem::take(&mut *self.confirmed.waiting());
                if !batch.is_empty() {
                    let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
                    let deleted = self.delete_parcels(&ids).await;
                    let ok = deleted.is_ok();
                    for (_, sent) in batch {
                        let _ = sent.send(ok);
                    }
                    deleted?;
                }
            }
            // Deleted by this flush or an earlier one; a flush that failed (or was dropped
            // halfway) leaves the parcel to be sent again once its lease runs out.
            match gone.await {
                Ok(true) => Ok(()),
                _ => Err(StoreError::GroupWrite),
            }
        })
        .await
    }

    /// Deletes parcels by id, a few hundred per statement.
    async fn delete_parcels(&self, ids: &[i64]) -> StoreResult<()> {
        let mut conn = self.write_conn().await?;
        for chunk in ids.chunks(200) {
            let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let sql = sqlx::AssertSqlSafe(format!(
                "DELETE FROM outbox WHERE id IN ({})",
                marks.join(", ")
            ));
            let mut query = sqlx::query(sql);
            for id in chunk {
                query = query.bind(*id);
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Gives a parcel back, to be tried again from `retry_at`: only while this claim is the
    /// latest (a holder whose lease ran out and was claimed again changes nothing).
    pub async fn outbox_retry(&self, parcel: &Parcel, retry_at: DateTime<Utc>) -> StoreResult<()> {
        self.during("outbox_retry", async {
            sqlx::query("UPDATE outbox SET claimed_until = $1 WHERE id = $2 AND attempts = $3")
                .bind(secs(retry_at))
                .bind(parcel.id)
                .bind(parcel.attempts)
                .execute(&mut *self.write_conn().await?)
                .await?;
            Ok(())
        })
        .await
    }

    /// Forgets everything waiting for a chat (it is unreachable, or its user was deleted).
    pub async fn outbox_drop_chat(&self, chat: ChatId) -> StoreResult<u64> {
        self.during("outbox_drop_chat", async {
            let gone = sqlx::query("DELETE FROM outbox WHERE chat_id = $1")
                .bind(chat.0)
                .execute(&mut *self.write_conn().await?)
                .await?
                .rows_affected();
            Ok(gone)
        })
        .await
    }

    /// How many parcels wait, for the metrics.
    pub async fn outbox_depth(&self) -> StoreResult<i64> {
        self.during("outbox_depth", async {
            let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox")
                .fetch_all(&mut *self.conn().await?)
                .await?;
            Ok(first_row(row, "counting the outbox")?.try_get("n")?)
        })
        .await
    }
}
