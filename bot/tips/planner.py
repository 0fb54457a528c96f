"""Decides, for stored schedules, what is owed now and which tip goes next.

Everything here is Discord-free and driven by an explicit `now`, so the tests can walk a
schedule through weeks and clock changes in microseconds. The scheduler cog asks this class
what to do and only does the sending.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.knowledge.model import Tip
from bot.storage.tip_schedules import StoredSchedule, TipScheduleRepository
from bot.tips.rotation import Pick, next_tip
from bot.tips.schedule import Schedule, Slot, owed_slots

log = logging.getLogger(__name__)


def schedule_of(stored: StoredSchedule) -> Schedule:
    """Raises ScheduleError if what was stored no longer parses (a zone removed from tzdata)."""
    return Schedule.parse(stored.local_time, stored.days, stored.timezone)


class TipPlanner:
    def __init__(self, repo: TipScheduleRepository, tips: Callable[[], Sequence[Tip]], grace: timedelta):
        self._repo = repo
        self._tips = tips
        self.grace = grace
        # Slots known to be handled in the database, per guild, within the current look-back
        # window: a pass over thousands of schedules then reads the database only for slots
        # it has not seen yet. Only ever a shortcut to "skip": the claim stays the authority.
        self._handled: dict[int, set[tuple[str, str]]] = {}

    def remember(self, guild_id: int, key: tuple[str, str]) -> None:
        self._handled.setdefault(guild_id, set()).add(key)

    async def slots_to_post(self, stored: StoredSchedule, now: datetime) -> list[Slot]:
        """Owed slots not yet handled, in order. Slots later than the grace window are
        recorded as skipped and logged once, here."""
        todo: list[Slot] = []
        decisions = owed_slots(schedule_of(stored), stored.active_from, now, self.grace)
        known = self._handled.get(stored.guild_id, set()) & {decision.slot.key for decision in decisions}
        self._handled[stored.guild_id] = known
        for decision in decisions:
            slot = decision.slot
            if slot.key in known:
                continue
            if await self._repo.is_handled(stored.guild_id, slot.key):
                known.add(slot.key)
                continue
            if decision.post:
                todo.append(slot)
                continue
            known.add(slot.key)
            if await self._repo.skip(stored.guild_id, slot.key, slot.due, now):
                log.warning(
                    "tip slot skipped: guild=%s slot=%s %s due=%s is %d min late, beyond the %d min grace window",
                    stored.guild_id,
                    *slot.key,
                    slot.due.isoformat(),
                    (now - slot.due) // timedelta(minutes=1),
                    self.grace // timedelta(minutes=1),
                )
        return todo

    async def next_pick(self, guild_id: int) -> tuple[Pick, Tip] | None:
        tips = {tip.id: tip for tip in self._tips()}
        last = await self._repo.last_posted(guild_id)
        pick = next_tip(list(tips), await self._repo.shown(guild_id), guild_id, last.tip_id if last else None)
        return None if pick is None else (pick, tips[pick.tip_id])
