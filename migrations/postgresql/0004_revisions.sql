-- 0004 (PostgreSQL): the revision history of live edits (see ../0004_revisions.sql).

CREATE TABLE topic_revisions (
    topic_id TEXT NOT NULL, n INTEGER NOT NULL CHECK (n >= 1), created_at TEXT NOT NULL,
    editor_hash TEXT, editor_name TEXT, reason TEXT,
    action TEXT NOT NULL CHECK (action IN ('edit', 'revert')), lang TEXT, reverted_to INTEGER,
    follows_file INTEGER NOT NULL DEFAULT 0 CHECK (follows_file IN (0, 1)),
    changes TEXT NOT NULL DEFAULT '[]', topic_json TEXT NOT NULL,
    PRIMARY KEY (topic_id, n)
);
CREATE INDEX topic_revisions_editor_hash ON topic_revisions (editor_hash);
