"""What tips-status reports for a server, read once for every place that shows it: the
stored schedule, whether it still parses, when the next tip is due and the last post. The
Discord panel and the dashboard's tips page render this in their own way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.tip_schedules import PostedTip, StoredSchedule, TipScheduleRepository
from bot.tips.planner import schedule_of
from bot.tips.schedule import Schedule, ScheduleError


@dataclass(frozen=True)
class TipStatus:
    stored: StoredSchedule
    schedule: Schedule | None  # None: the stored values no longer parse (a zone removed since)
    next_due: datetime | None  # None while off, or when the schedule does not parse
    last: PostedTip | None


async def tip_status(repo: TipScheduleRepository, guild_id: int, now: datetime) -> TipStatus | None:
    """None when the server never set up tips."""
    stored = await repo.get(guild_id)
    if stored is None:
        return None
    try:
        schedule: Schedule | None = schedule_of(stored)
    except ScheduleError:
        schedule = None
    next_due = schedule.next_slot(now).due if schedule is not None and stored.enabled else None
    return TipStatus(stored, schedule, next_due, await repo.last_posted(guild_id))
