-- Nudge rotation per user (which encouragements and prompts they have seen this round),
-- and a token bucket that every replica draws from, so the whole bot keeps one send rate.

ALTER TABLE users ADD COLUMN rotation TEXT NOT NULL DEFAULT '{}';

-- The local day an event is about (a mood check-in answers the prompt of one evening).
ALTER TABLE events ADD COLUMN local_date TEXT;

-- Shared by all users: holds no personal data.
CREATE TABLE rate_limits (
    name        TEXT    PRIMARY KEY,
    tokens      DOUBLE PRECISION NOT NULL,
    updated_ms  BIGINT  NOT NULL
);
