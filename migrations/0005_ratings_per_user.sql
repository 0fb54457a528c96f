-- 0005: one rating per user per answer, instead of one per answer.
--
-- Before this, a 👍/👎 from anyone replaced the asker's (the primary key was question_id, and
-- the last click won). Now each user has their own rating of an answer; a second click by the
-- same user replaces only theirs, and stats count every user's rating.
--
-- user_hash is NOT NULL so the primary key works as a key (SQLite lets NULLs repeat in a
-- primary key); a rating with no known user is stored under '' (one anonymous rating per answer).
-- Applied by bot/storage/migrations.py inside one transaction; no BEGIN/COMMIT here.

CREATE TABLE feedback_per_user (
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_hash   TEXT NOT NULL,
    rating      INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    rated_at    TEXT NOT NULL,
    PRIMARY KEY (question_id, user_hash)
);

INSERT INTO feedback_per_user (question_id, user_hash, rating, rated_at)
    SELECT question_id, COALESCE(user_hash, ''), rating, rated_at FROM feedback;

DROP TABLE feedback;
ALTER TABLE feedback_per_user RENAME TO feedback;

-- Erasure deletes the ratings a user gave on other people's questions too.
CREATE INDEX feedback_user_hash ON feedback (user_hash);
