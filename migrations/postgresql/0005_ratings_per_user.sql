-- 0005 (PostgreSQL): one rating per user per answer (see ../0005_ratings_per_user.sql).
-- PostgreSQL changes the key in place where SQLite has to copy the table.

UPDATE feedback SET user_hash = '' WHERE user_hash IS NULL;
ALTER TABLE feedback ALTER COLUMN user_hash SET NOT NULL;
ALTER TABLE feedback DROP CONSTRAINT feedback_pkey;
ALTER TABLE feedback ADD PRIMARY KEY (question_id, user_hash);
