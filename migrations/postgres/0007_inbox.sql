-- Updates received from Telegram, by id only (no message text, no chat): a replayed update
-- (polling after a crash, a webhook retry) is recognised and not acted on twice. done_at is
-- NULL while the update is being handled; a row left unfinished by a crash is handled again
-- when the update comes back. Rows older than a few days are pruned.
CREATE TABLE inbox (
    update_id BIGINT PRIMARY KEY,
    received_at BIGINT NOT NULL,
    done_at BIGINT
);
CREATE INDEX inbox_received_at ON inbox (received_at);
