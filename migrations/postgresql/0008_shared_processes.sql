-- 0008 (PostgreSQL): what several processes over one database agree on (see ../0008_shared_processes.sql).

CREATE TABLE job_runs (
    job TEXT NOT NULL, run_key TEXT NOT NULL, claimed_at TEXT NOT NULL, claimed_by TEXT,
    PRIMARY KEY (job, run_key)
);
INSERT INTO meta (key, value) VALUES ('content_version', '0') ON CONFLICT (key) DO NOTHING;
