"""Old questions go: rows older than the retention period are deleted, with their ratings.

The job's core is this one function of a point in time, so it is tested with any `now`; the
Discord layer only decides when to call it (at start and once a day).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.storage.questions import QuestionRepository

log = logging.getLogger(__name__)


async def apply_retention(questions: QuestionRepository, now: datetime, retention_days: int) -> int:
    """Deletes questions asked before `now - retention_days` (their feedback goes by cascade);
    returns how many questions were deleted."""
    cutoff = now - timedelta(days=retention_days)
    deleted = await questions.delete_older_than(cutoff)
    log.info("retention: deleted %d questions asked before %s (%d days)", deleted, cutoff.isoformat(), retention_days)
    return deleted
