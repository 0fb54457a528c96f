-- 0002: what moderators decide in the improvement loop.
--
-- Neither table holds anything about a user: an alias is content a moderator approved, and a
-- dismissal names a question only by a hash of its normalised text.

-- Aliases learned from unanswered questions (attached by a moderator, or an accepted
-- suggestion). They are content: shared by every guild, indexed with the files' own aliases,
-- written out by content export. One alias per normalised question and language: attaching
-- the same question again moves it to the newly chosen topic.
CREATE TABLE learned_aliases (
    id         INTEGER PRIMARY KEY,
    topic_id   TEXT NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
    alias      TEXT NOT NULL,
    group_key  TEXT NOT NULL,
    guild_id   INTEGER,
    source     TEXT NOT NULL CHECK (source IN ('unanswered', 'suggestion')),
    added_at   TEXT NOT NULL,
    UNIQUE (lang, group_key)
);

CREATE INDEX learned_aliases_topic ON learned_aliases (topic_id);

-- Questions a moderator set aside, per guild. topic_id '' dismisses the question itself (it
-- leaves the unanswered list and is no longer suggested); a topic id rejects only the bot's
-- suggestion to attach it to that topic.
CREATE TABLE dismissed_questions (
    guild_id     INTEGER NOT NULL,
    group_key    TEXT NOT NULL,
    topic_id     TEXT NOT NULL DEFAULT '',
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, group_key, topic_id)
);
