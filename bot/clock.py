"""Time as a service, so that schedules and retention can be tested without waiting.

Production uses `SystemClock`; tests pass a `ManualClock` and move it forward, and every
task sleeping on it wakes exactly when its time has come.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...

    async def sleep_until(self, moment: datetime) -> None:
        """Returns at `moment` (at once when it has passed)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime) -> None:
        delay = (moment - self.now()).total_seconds()
        if delay > 0:
            await asyncio.sleep(delay)


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        return self._now

    async def sleep_until(self, moment: datetime) -> None:
        if moment <= self._now:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (moment, next(self._order), future))
        await future

    def waiting(self) -> int:
        """How many tasks are asleep on this clock (to wait until a loop has gone to sleep)."""
        return sum(1 for *_, future in self._sleepers if not future.done())

    async def advance(self, delta: timedelta) -> None:
        await self.set(self._now + delta)

    async def set(self, moment: datetime) -> None:
        """Moves to `moment`, waking every sleeper whose time has come, in order."""
        moment = moment.astimezone(UTC)
        while self._sleepers and self._sleepers[0][0] <= moment:
            when, _, future = heapq.heappop(self._sleepers)
            self._now = max(self._now, when)
            if not future.done():
                future.set_result(None)
            await asyncio.sleep(0)
        self._now = max(self._now, moment)
        await asyncio.sleep(0)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """Shorthand for tests: utc(2026, 3, 29, 1, 0)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


__all__ = ["Clock", "ManualClock", "SystemClock", "timedelta", "utc"]
