-- 0009 (PostgreSQL): topics created and retired live (see ../0009_topic_lifecycle.sql).

ALTER TABLE topic_revisions DROP CONSTRAINT topic_revisions_action_check;
ALTER TABLE topic_revisions ADD CONSTRAINT topic_revisions_action_check
    CHECK (action IN ('edit', 'revert', 'create', 'retire'));
ALTER TABLE topic_revisions ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
