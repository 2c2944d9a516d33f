-- Safety state, the user's own data (exported, deleted with them, never logged):
-- the country whose helplines they see (NULL: from their timezone), the end of the careful
-- time after a crisis message (Unix seconds), and whether they said the ex was violent,
-- threatening or controlling (0/1).
ALTER TABLE users ADD COLUMN country TEXT;
ALTER TABLE users ADD COLUMN care_until INTEGER;
ALTER TABLE users ADD COLUMN unsafe_ex INTEGER NOT NULL DEFAULT 0;
