-- 0001 (PostgreSQL): the question log, its feedback, and small settings.
-- Same version and meaning as ../0001_initial.sql; Discord ids are BIGINT (they pass 2^31),
-- scores DOUBLE PRECISION. Applied by bot/storage/postgres_migrations.py in one transaction.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE questions (
    id TEXT PRIMARY KEY, asked_at TEXT NOT NULL,
    guild_id BIGINT, channel_id BIGINT,
    user_hash TEXT, locale TEXT, lang TEXT, command TEXT NOT NULL, question TEXT NOT NULL,
    topic_id TEXT, score DOUBLE PRECISION, latency_ms DOUBLE PRECISION
);
CREATE INDEX questions_asked_at ON questions (asked_at);
CREATE INDEX questions_guild_asked_at ON questions (guild_id, asked_at);
CREATE INDEX questions_user_hash ON questions (user_hash);

CREATE TABLE feedback (
    question_id TEXT PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    user_hash TEXT, rating INTEGER NOT NULL CHECK (rating IN (-1, 1)), rated_at TEXT NOT NULL
);
CREATE INDEX feedback_user_hash ON feedback (user_hash);
