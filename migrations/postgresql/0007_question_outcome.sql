-- 0007 (PostgreSQL): how each /ask went: an answer, a best guess, or none (see ../0007_question_outcome.sql).

ALTER TABLE questions ADD COLUMN outcome TEXT CHECK (outcome IN ('answer', 'guess', 'none'));
UPDATE questions SET outcome = CASE WHEN topic_id IS NULL THEN 'none' ELSE 'answer' END WHERE command = 'ask';
