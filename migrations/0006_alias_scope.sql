-- 0006: a learned alias belongs to the server that attached it.
--
-- Applied by bot/storage/migrations.py inside one transaction together with its
-- schema_migrations row; do not put BEGIN/COMMIT in migration files.
--
-- Who sees an alias is decided from guild_id and the CMO_HOME_GUILD_ID setting, not stored:
-- with a home server, the aliases attached there are shared content (indexed for every
-- server); every other alias counts only in the server that attached it (bot/storage/aliases.py).
-- That also classifies the rows written before this migration: attached in the home server,
-- shared; attached anywhere else, that server's own.
--
-- Two servers may attach the same question to different topics, so one alias per question,
-- language AND server (was: per question and language). SQLite cannot change a UNIQUE
-- constraint in place: the table is rebuilt, keeping every row and its id.

CREATE TABLE learned_aliases_0006 (
    id         INTEGER PRIMARY KEY,
    topic_id   TEXT NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
    alias      TEXT NOT NULL,
    group_key  TEXT NOT NULL,
    guild_id   INTEGER,
    source     TEXT NOT NULL CHECK (source IN ('unanswered', 'suggestion')),
    added_at   TEXT NOT NULL,
    UNIQUE (guild_id, lang, group_key)
);

INSERT INTO learned_aliases_0006 (id, topic_id, lang, alias, group_key, guild_id, source, added_at)
    SELECT id, topic_id, lang, alias, group_key, guild_id, source, added_at FROM learned_aliases;

DROP TABLE learned_aliases;
ALTER TABLE learned_aliases_0006 RENAME TO learned_aliases;

CREATE INDEX learned_aliases_topic ON learned_aliases (topic_id);
-- Erasure looks aliases up by question group.
CREATE INDEX learned_aliases_group_key ON learned_aliases (group_key);
