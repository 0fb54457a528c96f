"""The retention job: deletes old questions once at start and then once a day.

A `discord.ext.tasks` loop started and stopped with its cog. The loop itself has no
interval: each run sleeps on the injected clock until a day after it started, so production
waits with asyncio.sleep and tests move a ManualClock instead of waiting. A failed run is
logged and retried at the next one (the rows are still there, nothing is lost by waiting a
day). What is deleted is decided by `bot.insights.retention.apply_retention`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from datetime import timedelta
from typing import TYPE_CHECKING

from discord.ext import commands, tasks

from bot.insights.retention import apply_retention
from bot.storage.job_runs import claim_job_run

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

RETENTION_INTERVAL = timedelta(days=1)


class RetentionJob(commands.Cog):
    def __init__(self, bot: CmoBot, interval: timedelta = RETENTION_INTERVAL):
        services = bot.services
        self._questions = services.questions
        self._clock = services.clock
        self._days = services.settings.retention_days
        self._db = services.db
        self._me = f"pid {os.getpid()} ({services.settings.shards.describe()})"
        self._interval = interval
        self.runs = 0
        self.ran = asyncio.Event()  # set after every run (tests clear it and wait)

    async def cog_load(self) -> None:
        self.daily.start()

    async def cog_unload(self) -> None:
        self.daily.cancel()
        task = self.daily.get_task()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_once(self) -> int:
        """Deletes what is past retention, unless another process sharing the database
        already ran today's run; returns the questions deleted."""
        now = self._clock.now()
        if not await claim_job_run(self._db, "retention", now.date().isoformat(), now, self._me):
            log.info("retention for %s already ran in another process", now.date())
            return 0
        return await apply_retention(self._questions, now, self._days)

    @tasks.loop(name="cmo-retention")
    async def daily(self) -> None:
        started = self._clock.now()
        try:
            await self.run_once()
        except Exception:
            log.exception("retention run failed; retrying at the next one")
        self.runs += 1
        self.ran.set()
        await self._clock.sleep_until(started + self._interval)


async def setup(bot: CmoBot) -> None:
    await bot.add_cog(RetentionJob(bot))
