-- nocontact schema, SQLite flavour. Instants are Unix seconds (INTEGER), calendar dates
-- are ISO-8601 text (YYYY-MM-DD) in the user's own timezone, flags are 0/1.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id         INTEGER NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    timezone        TEXT    NOT NULL DEFAULT 'UTC',
    morning_time    TEXT    NOT NULL DEFAULT '09:00',
    evening_time    TEXT    NOT NULL DEFAULT '21:00',
    nudges_paused   INTEGER NOT NULL DEFAULT 0,
    active          INTEGER NOT NULL DEFAULT 1,
    onboarded       INTEGER NOT NULL DEFAULT 0,
    dialogue        TEXT    NOT NULL DEFAULT '{"step":"idle"}',
    last_variant    INTEGER
);

-- One row per no-contact period. The open period has ended_on NULL.
CREATE TABLE streaks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    started_on  TEXT    NOT NULL,
    ended_on    TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX streaks_by_user ON streaks(user_id, started_on);

CREATE TABLE slips (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    happened_at INTEGER NOT NULL,
    local_date  TEXT    NOT NULL,
    streak_days INTEGER NOT NULL,
    note        TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX slips_by_user ON slips(user_id, happened_at);

-- Things that happened: coaching conversations, urges resisted, moods, crisis messages.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    situation   TEXT,
    value       INTEGER,
    resolution  TEXT
);
CREATE INDEX events_by_user ON events(user_id, kind, at);

-- Reflections and unsent drafts. Never sent to anyone.
CREATE TABLE journal_entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    sealed_until INTEGER
);
CREATE INDEX journal_by_user ON journal_entries(user_id, created_at);

-- Durable work for the scheduler: claimed by due time, leased while being sent.
CREATE TABLE scheduled_jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    due_at       INTEGER NOT NULL,
    payload      TEXT    NOT NULL DEFAULT '{}',
    dedupe_key   TEXT    UNIQUE,
    status       TEXT    NOT NULL DEFAULT 'pending',
    claimed_by   TEXT,
    lease_until  INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX jobs_due ON scheduled_jobs(status, due_at);
CREATE INDEX jobs_by_user ON scheduled_jobs(user_id);
