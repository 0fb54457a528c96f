-- 0008: what several processes over one database agree on.
--
-- job_runs: a daily job (retention) is run by whichever process first inserts its
-- (job, run_key) row, e.g. ('retention', '2026-12-01'); the others see the key taken.
-- meta 'content_version': bumped in the same transaction as every live change to the
-- content (an edit, a revert, a learned alias, a reload), so a process that sees a newer
-- number than the one it loaded knows to reload.
-- Applied by bot/storage/migrations.py inside one transaction; no BEGIN/COMMIT here.

CREATE TABLE job_runs (
    job        TEXT NOT NULL,
    run_key    TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    claimed_by TEXT,
    PRIMARY KEY (job, run_key)
);

INSERT INTO meta (key, value) VALUES ('content_version', '0') ON CONFLICT (key) DO NOTHING;
