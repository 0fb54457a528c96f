"""IDENTIFY spacing across processes: Discord's ``max_concurrency`` per 5 seconds.

Discord lets a bot start ``max_concurrency`` sessions per 5 seconds, one per rate-limit
bucket (``shard_id % max_concurrency``); an IDENTIFY beyond that is refused and counts
against the daily session limit. discord.py spaces the shards of one process; processes
that share a bot must agree with each other, so each IDENTIFY first takes its bucket's
turn in the shared database. The turn is a row in ``meta`` read and written inside one
write transaction: PostgreSQL's advisory write lock (SQLite's BEGIN IMMEDIATE) makes the
read-then-write atomic across processes, and the wait itself happens outside the
transaction, so nobody else's writes queue behind a sleeping shard.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from bot.storage.database import Database
from bot.storage.meta import get_meta, set_meta

log = logging.getLogger(__name__)

IDENTIFY_WINDOW = 5.0  # seconds, Discord's


class IdentifyGate:
    """``await gate.wait_turn(shard_id)`` before each IDENTIFY."""

    def __init__(
        self,
        db: Database,
        max_concurrency: int,
        *,
        window: float = IDENTIFY_WINDOW,
        now: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._db = db
        self._buckets = max(1, max_concurrency)
        self._window = window
        self._now = now
        self._sleep = sleep

    def bucket(self, shard_id: int) -> int:
        return shard_id % self._buckets

    async def wait_turn(self, shard_id: int) -> float:
        """Wait until this shard's bucket is free, take it; returns the seconds waited."""
        key = f"identify_bucket_{self.bucket(shard_id)}"
        waited = 0.0
        while True:
            async with self._db.transaction() as tx:
                last = await get_meta(tx, key)
                now = self._now()
                free_at = float(last) + self._window if last is not None else 0.0
                if now >= free_at:
                    await set_meta(tx, key, repr(now))
                    if waited:
                        log.info("shard %d waited %.1f s for its IDENTIFY turn", shard_id, waited)
                    return waited
            pause = min(free_at - now, self._window)
            waited += pause
            await self._sleep(pause)
