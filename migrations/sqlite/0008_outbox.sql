-- Replies and scheduled messages waiting to reach Telegram, committed with the turn that
-- decided them. A row is deleted once Telegram confirms it, so nothing said stays here;
-- claimed_until is a lease: the process that committed a row sends it at once, and any
-- process sends it after the lease runs out (a crash, a failed send). The inbox notes when
-- an update's turn was committed, in the same transaction.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id BIGINT NOT NULL,
    reply TEXT NOT NULL,
    document BLOB,
    created_at BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL,
    -- A scheduled message too late to be kind after this is dropped, not sent.
    expires_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbox_claimed_until ON outbox (claimed_until);
CREATE INDEX outbox_chat ON outbox (chat_id);
