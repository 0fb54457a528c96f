-- 0003 (PostgreSQL): tip schedules, claimed slots and the rotation (see ../0003_tips.sql).
-- A slot's primary key is the exactly-once guarantee across processes: the INSERT that wins it posts.

CREATE TABLE tip_schedules (
    guild_id BIGINT PRIMARY KEY, channel_id BIGINT NOT NULL,
    local_time TEXT NOT NULL, days TEXT NOT NULL, timezone TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    active_from TEXT NOT NULL, updated_at TEXT NOT NULL, last_error TEXT, last_error_at TEXT
);

CREATE TABLE tip_slots (
    guild_id BIGINT NOT NULL, local_date TEXT NOT NULL, local_time TEXT NOT NULL,
    due_at TEXT NOT NULL, claimed_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'failed', 'skipped')),
    channel_id BIGINT, tip_id TEXT, message_id BIGINT, posted_at TEXT, error TEXT,
    PRIMARY KEY (guild_id, local_date, local_time)
);
CREATE INDEX tip_slots_guild_posted ON tip_slots (guild_id, status, posted_at);

CREATE TABLE tip_rotation (
    guild_id BIGINT NOT NULL, tip_id TEXT NOT NULL, shown_at TEXT NOT NULL, PRIMARY KEY (guild_id, tip_id)
);
