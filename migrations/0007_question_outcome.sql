-- 0007: how each question was answered: 'answer', 'guess' (a best guess said as such) or
-- 'none' (not covered yet). A guess keeps its topic in topic_id, so "what was shown" stays
-- one column; outcome tells moderators which answers the bot was not sure of.
--
-- Applied by bot/storage/migrations.py inside one transaction; no BEGIN/COMMIT here.
-- Rows from before this migration: an answer where a topic was shown, else none.

ALTER TABLE questions ADD COLUMN outcome TEXT CHECK (outcome IN ('answer', 'guess', 'none'));

UPDATE questions SET outcome = CASE WHEN topic_id IS NULL THEN 'none' ELSE 'answer' END
WHERE command = 'ask';
