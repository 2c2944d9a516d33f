-- The user's own reasons for no contact ("he made me feel small"), shown back when tempted.
CREATE TABLE reasons (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX reasons_by_user ON reasons(user_id, id);
