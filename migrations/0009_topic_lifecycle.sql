-- 0009: topics created and retired live.
--
-- A revision's action may now also be 'create' (a topic made live that has no file) or
-- 'retire' (a topic taken out of what the bot answers from). retired = 1 means the revision
-- made the topic not live; topic_json then holds the topic as it was when retired, so a
-- revert to the revision before it brings that back. A revert to a retire revision is a
-- 'revert' with retired = 1: the action says what the moderator did, the flags what is live.
--
-- SQLite cannot change a CHECK in place, so the table is rebuilt with every row kept.
-- Applied by bot/storage/migrations.py inside one transaction; no BEGIN/COMMIT here.

CREATE TABLE topic_revisions_0009 (
    topic_id     TEXT    NOT NULL,
    n            INTEGER NOT NULL CHECK (n >= 1),
    created_at   TEXT    NOT NULL,
    editor_hash  TEXT,
    editor_name  TEXT,
    reason       TEXT,
    action       TEXT    NOT NULL CHECK (action IN ('edit', 'revert', 'create', 'retire')),
    lang         TEXT,
    reverted_to  INTEGER,
    follows_file INTEGER NOT NULL DEFAULT 0 CHECK (follows_file IN (0, 1)),
    changes      TEXT    NOT NULL DEFAULT '[]',
    topic_json   TEXT    NOT NULL,
    retired      INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    PRIMARY KEY (topic_id, n)
);

INSERT INTO topic_revisions_0009 (
    topic_id, n, created_at, editor_hash, editor_name, reason, action, lang, reverted_to, follows_file, changes,
    topic_json
)
SELECT topic_id, n, created_at, editor_hash, editor_name, reason, action, lang, reverted_to, follows_file, changes,
       topic_json
FROM topic_revisions;

DROP TABLE topic_revisions;
ALTER TABLE topic_revisions_0009 RENAME TO topic_revisions;
CREATE INDEX topic_revisions_editor_hash ON topic_revisions (editor_hash);
