-- One mood check-in per user and local day, enforced by the database (replicas race).
CREATE UNIQUE INDEX events_one_mood_a_day ON events(user_id, local_date) WHERE kind = 'mood';
