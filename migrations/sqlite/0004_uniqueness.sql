-- Invariants the database enforces, so replicas racing on one user cannot break them.

-- One mood check-in per user and local day.
CREATE UNIQUE INDEX events_one_mood_a_day ON events(user_id, local_date) WHERE kind = 'mood';

-- One running streak per user.
CREATE UNIQUE INDEX streaks_one_running ON streaks(user_id) WHERE ended_on IS NULL;
