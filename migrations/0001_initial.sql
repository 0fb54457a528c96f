-- 0001: the question log, its feedback, and small settings.
--
-- Applied by bot/storage/migrations.py inside one transaction together with its
-- schema_migrations row; do not put BEGIN/COMMIT in migration files.

-- Small key/value settings that must survive restarts (e.g. the generated hash secret).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per question asked. The id is a uuid4 hex made when the question is enqueued, so a
-- feedback button can reference it before the batched writer has written the row.
-- asked_at is ISO-8601 UTC with milliseconds and a Z (2026-11-24T18:06:25.123Z): fixed width,
-- so text order is time order and range queries can use the index.
-- user_hash is a keyed HMAC of the Discord user id; raw user ids are never stored.
CREATE TABLE questions (
    id         TEXT PRIMARY KEY,
    asked_at   TEXT NOT NULL,
    guild_id   INTEGER,
    channel_id INTEGER,
    user_hash  TEXT,
    locale     TEXT,
    lang       TEXT,
    command    TEXT NOT NULL,
    question   TEXT NOT NULL,
    topic_id   TEXT,
    score      REAL,
    latency_ms REAL
);

CREATE INDEX questions_asked_at ON questions (asked_at);
CREATE INDEX questions_guild_asked_at ON questions (guild_id, asked_at);
CREATE INDEX questions_user_hash ON questions (user_hash);

-- One rating per question; a changed vote replaces the earlier one (upsert on question_id).
-- The foreign key is immediate on purpose: deferring it would only help within one
-- transaction, and feedback is written in its own. A rating that arrives before the batched
-- writer has stored its question is handled in bot/storage/question_log.py (flush, then retry).
-- Deleting a question (retention, erasure) takes its rating with it.
CREATE TABLE feedback (
    question_id TEXT PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    user_hash   TEXT,
    rating      INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    rated_at    TEXT NOT NULL
);

-- Erasure deletes the ratings a user gave on other people's questions too.
CREATE INDEX feedback_user_hash ON feedback (user_hash);
