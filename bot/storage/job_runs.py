"""Daily jobs that run once across every process: the first to claim a run's key does it.

Several processes over one database each run the same scheduled jobs (retention, say). The
claim is one INSERT on the primary key (job, run_key), e.g. ("retention", "2026-12-01"): the
process whose row lands runs the job; the others see the key taken and skip it. A process
that crashes mid-run leaves the key claimed, and the job simply runs the next day, which
suits idempotent housekeeping.
"""

from __future__ import annotations

from datetime import datetime

from bot.storage.database import Database
from bot.storage.timestamps import to_utc_iso


async def claim_job_run(db: Database, job: str, run_key: str, now: datetime, claimed_by: str) -> bool:
    """True if this process won the run ``run_key`` of ``job`` and should do it."""
    inserted = await db.execute(
        "INSERT INTO job_runs (job, run_key, claimed_at, claimed_by) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (job, run_key) DO NOTHING",
        (job, run_key, to_utc_iso(now), claimed_by),
    )
    return inserted == 1


async def prune_job_runs(db: Database, before_key: str) -> int:
    """Forget claims older than ``before_key`` (keys sort by date); returns the rows removed."""
    return await db.execute("DELETE FROM job_runs WHERE run_key < ?", (before_key,))
