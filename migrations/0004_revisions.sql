-- 0004: live edits of topics, every revision kept.
--
-- Applied by bot/storage/migrations.py inside one transaction together with its
-- schema_migrations row; do not put BEGIN/COMMIT in migration files.

-- One row per revision of a topic, numbered 1, 2, ... per topic (0 stands for the version in
-- the content files and is never stored). A revert is a revision too, so history only grows.
-- n is allocated as MAX(n)+1 inside a write transaction; the primary key refuses a duplicate
-- number should two writers ever race anyway.
--
-- follows_file = 1 means this revision made the file version live (a revert to 0, or to a
-- revision that did): the topic then has no live override. topic_json always holds the full
-- topic as it was made live, so history can say what changed and a revert can restore it.
-- editor_hash is the keyed HMAC of the editor's Discord id (as in the question log);
-- editor_name is their display name at the time, so moderators can read who did what.
-- changes is a JSON list of [field, lang or null] pairs: what this revision changed compared
-- with what was live just before it, computed when it was made.
CREATE TABLE topic_revisions (
    topic_id     TEXT    NOT NULL,
    n            INTEGER NOT NULL CHECK (n >= 1),
    created_at   TEXT    NOT NULL,
    editor_hash  TEXT,
    editor_name  TEXT,
    reason       TEXT,
    action       TEXT    NOT NULL CHECK (action IN ('edit', 'revert')),
    lang         TEXT,
    reverted_to  INTEGER,
    follows_file INTEGER NOT NULL DEFAULT 0 CHECK (follows_file IN (0, 1)),
    changes      TEXT    NOT NULL DEFAULT '[]',
    topic_json   TEXT    NOT NULL,
    PRIMARY KEY (topic_id, n)
);

CREATE INDEX topic_revisions_editor_hash ON topic_revisions (editor_hash);
