-- 0003: scheduled tips: one schedule per guild, one row per slot claimed, the rotation.
--
-- Applied by bot/storage/migrations.py inside one transaction; no BEGIN/COMMIT here.

-- local_time is HH:MM in the guild's IANA zone; days the canonical 'mon,tue,...' list.
-- active_from: slots due before it are not owed (setting 09:00 at 09:05 does not post late).
-- last_error is a short code ('not_found', 'forbidden', 'http:500', ...) for tips-status.
CREATE TABLE tip_schedules (
    guild_id      INTEGER PRIMARY KEY,
    channel_id    INTEGER NOT NULL,
    local_time    TEXT NOT NULL,
    days          TEXT NOT NULL,
    timezone      TEXT NOT NULL,
    lang          TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    active_from   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    last_error    TEXT,
    last_error_at TEXT
);

-- Exactly once: a slot (guild, local date, local time) is inserted here BEFORE the tip is
-- sent; the primary key makes a second insert fail, whichever process or restart tries it.
-- status: claimed (being sent, or the process died while sending), posted, failed, skipped
-- (missed by more than the grace window).
CREATE TABLE tip_slots (
    guild_id   INTEGER NOT NULL,
    local_date TEXT NOT NULL,
    local_time TEXT NOT NULL,
    due_at     TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'failed', 'skipped')),
    channel_id INTEGER,
    tip_id     TEXT,
    message_id INTEGER,
    posted_at  TEXT,
    error      TEXT,
    PRIMARY KEY (guild_id, local_date, local_time)
);

CREATE INDEX tip_slots_guild_posted ON tip_slots (guild_id, status, posted_at);

-- The tips a guild has seen in the current round; cleared when every tip has been shown.
CREATE TABLE tip_rotation (
    guild_id INTEGER NOT NULL,
    tip_id   TEXT NOT NULL,
    shown_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, tip_id)
);
