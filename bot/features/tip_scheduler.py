"""Posts the scheduled tips: one background task for all guilds.

The task sleeps on the injected clock until the earliest next slot of any guild (or until a
moderator changes a schedule), then posts what is owed. It is a plain task rather than
`tasks.loop` because its interval is not fixed: it sleeps on `services.clock.sleep_until`,
which production maps to asyncio.sleep and tests to a ManualClock they move forward.

Exactly once comes from the database: every slot is claimed with an INSERT on its primary
key before anything is sent (bot/storage/tip_schedules.py). Each guild is handled in its own
try block, so a deleted channel or a bug in one guild never stops the others or the task.
A 429 never reaches us: discord.py waits and retries rate-limited requests itself. To meet
few of them, posts go through a pacer (bot/tips/pacing.py) below Discord's global limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.features.common import NO_MENTIONS
from bot.features.messages import tip_message
from bot.knowledge.model import Tip, as_lang
from bot.storage.tip_schedules import StoredSchedule
from bot.tips.pacing import PostPacer
from bot.tips.planner import schedule_of
from bot.tips.schedule import ScheduleError, Slot

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

# Wake at least this often even with nothing due: picks up schedules written by another
# process, and retries after the database failed.
MAX_SLEEP = timedelta(hours=1)
RETRY_AFTER_ERROR = timedelta(minutes=1)
STOP_TIMEOUT = timedelta(seconds=10)
SCHEDULE_CHANGED_EVENT = "cmo_tip_schedule_changed"


def _next_due(stored: StoredSchedule, now: datetime) -> datetime | None:
    try:
        return schedule_of(stored).next_slot(now).due
    except ValueError:
        return None


def error_code(exc: Exception) -> str:
    """A short, stable code for tips-status (rendered in the reader's language there)."""
    if isinstance(exc, discord.NotFound):
        return "not_found"
    if isinstance(exc, discord.Forbidden):
        return "forbidden"
    if isinstance(exc, discord.HTTPException):
        return f"http {exc.status}/{exc.code}"
    return f"error {type(exc).__name__}"


class TipScheduler(commands.Cog):
    def __init__(self, bot: CmoBot):
        services = bot.services
        self.bot = bot
        self._services = services
        self._clock = services.clock
        self._repo = services.tip_schedules
        self.planner = services.planner
        self._changed = asyncio.Event()
        self._state = asyncio.Condition()
        self._sleeping_until: datetime | None = None
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        # In memory between passes, so a wake-up touches only the guilds that are due:
        # the schedules (reloaded in full hourly, per guild when a moderator changes one) and
        # when each guild next needs a look.
        self._schedules: dict[int, StoredSchedule] = {}
        self._next_look: dict[int, datetime] = {}
        self._loaded_at: datetime | None = None
        self._dirty: set[int] = set()
        # Spreads a burst (every guild at 09:00) below Discord's global rate limit; replaceable
        # by tests and benchmarks with another rate.
        self.pacer = PostPacer()

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="tip-scheduler")

    async def cog_unload(self) -> None:
        """Stops between passes, never in the middle of one: a post that Discord accepted must
        also be recorded as posted (message id, rotation) before the database closes."""
        if self._task is None:
            return
        self._stop.set()
        try:
            async with asyncio.timeout(STOP_TIMEOUT.total_seconds()):
                await asyncio.shield(self._task)
        except TimeoutError:
            log.warning("tip scheduler did not stop within %s; cancelling it", STOP_TIMEOUT)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    @commands.Cog.listener(f"on_{SCHEDULE_CHANGED_EVENT}")
    async def on_schedule_changed(self, guild_id: int) -> None:
        self._dirty.add(guild_id)
        self._changed.set()

    async def wait_idle(self) -> None:
        """Returns once the task is asleep with nothing due and no change pending: after
        moving a ManualClock, tests await this instead of sleeping."""
        async with self._state:
            await self._state.wait_for(
                lambda: (
                    self._sleeping_until is not None
                    and self._sleeping_until > self._clock.now()
                    and not self._changed.is_set()
                )
            )

    # -- the loop --------------------------------------------------------------------------

    async def _run(self) -> None:
        if not await self._first(self.bot.wait_until_ready()):
            return
        log.info("tip scheduler started (grace %s)", self.planner.grace)
        while not self._stop.is_set():
            self._changed.clear()
            try:
                wake = await self._pass(self._clock.now())
            except Exception:
                log.exception("tip scheduler pass failed; retrying in %s", RETRY_AFTER_ERROR)
                wake = self._clock.now() + RETRY_AFTER_ERROR
            await self._sleep(wake)

    async def _pass(self, now: datetime) -> datetime:
        await self._refresh(now)
        for guild_id, stored in list(self._schedules.items()):
            if self._stop.is_set():
                break
            look = self._next_look.get(guild_id)
            if look is not None and look > now:
                continue
            try:
                await self._run_guild(stored, now)
            except Exception:
                log.exception("tip schedule of guild %s failed", guild_id)
            self._next_look[guild_id] = _next_due(stored, now) or now + MAX_SLEEP
        assert self._loaded_at is not None
        return min([*self._next_look.values(), self._loaded_at + MAX_SLEEP])

    async def _refresh(self, now: datetime) -> None:
        """All schedules from the database at start and hourly (another process may have
        written them); in between only the guilds a moderator just changed."""
        if self._loaded_at is None or now >= self._loaded_at + MAX_SLEEP:
            self._dirty.clear()
            # Only the guilds on this process's shards: the others' processes post theirs.
            # The slot claim stays the guarantee; this keeps two processes from racing for it.
            owns = self._services.settings.shards.owns
            enabled = await self._repo.enabled()
            self._schedules = {stored.guild_id: stored for stored in enabled if owns(stored.guild_id)}
            self._next_look.clear()
            self._loaded_at = now
            return
        while self._dirty:
            guild_id = self._dirty.pop()
            stored = await self._repo.get(guild_id)
            self._next_look.pop(guild_id, None)
            if stored is not None and stored.enabled:
                self._schedules[guild_id] = stored
            else:
                self._schedules.pop(guild_id, None)

    async def _first(self, *waits: Coroutine[Any, Any, Any]) -> bool:
        """Waits for the first of `waits`, or for a stop; False when stopping."""
        tasks = {asyncio.ensure_future(wait) for wait in waits}
        stop = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({*tasks, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (*tasks, stop):
                task.cancel()
        return not self._stop.is_set()

    async def _sleep(self, wake: datetime) -> None:
        async with self._state:
            self._sleeping_until = wake
            self._state.notify_all()
        try:
            await self._first(self._clock.sleep_until(wake), self._changed.wait())
        finally:
            self._sleeping_until = None

    async def _run_guild(self, stored: StoredSchedule, now: datetime) -> None:
        try:
            slots = await self.planner.slots_to_post(stored, now)
        except ScheduleError as exc:
            log.error("stored tip schedule of guild %s no longer parses: %s", stored.guild_id, exc)
            if stored.last_error != f"schedule {exc.code}":
                await self._repo.record_error(stored.guild_id, f"schedule {exc.code}", now)
            return
        for slot in slots:
            await self._post(stored, slot, now)

    async def _post(self, stored: StoredSchedule, slot: Slot, now: datetime) -> None:
        picked = await self.planner.next_pick(stored.guild_id)
        if picked is None:
            log.warning("no tips in the content; guild %s gets none", stored.guild_id)
            await self._repo.record_error(stored.guild_id, "no_tips", now)
            return
        pick, tip = picked
        # Paced before the claim: a process stopped while waiting leaves no claimed, unsent slot.
        await self.pacer.wait()
        claimed = await self._repo.claim(stored.guild_id, slot.key, slot.due, stored.channel_id, tip.id, now)
        self.planner.remember(stored.guild_id, slot.key)
        if not claimed:
            log.info("tip slot %s %s of guild %s already claimed", *slot.key, stored.guild_id)
            return
        try:
            message = await self._send(stored, tip)
        except Exception as exc:
            code = error_code(exc)
            log.warning(
                "tip for guild %s slot %s %s in channel %s failed: %s",
                stored.guild_id,
                *slot.key,
                stored.channel_id,
                code,
                exc_info=not isinstance(exc, discord.HTTPException),
            )
            await self._repo.mark_failed(stored.guild_id, slot.key, code, self._clock.now())
            self._count("tips_failed")
            return
        await self._repo.mark_posted(stored.guild_id, slot.key, tip.id, message.id, self._clock.now(), pick.new_round)
        self._count("tips_posted")
        log.info(
            "tip posted: guild=%s channel=%s slot=%s %s tip=%s message=%s late_s=%.0f",
            stored.guild_id,
            stored.channel_id,
            *slot.key,
            tip.id,
            message.id,
            (now - slot.due).total_seconds(),
        )

    def _count(self, counter: str) -> None:
        metrics = getattr(self.bot, "metrics", None)
        if metrics is not None:
            getattr(metrics, counter).inc()

    async def _send(self, stored: StoredSchedule, tip: Tip) -> discord.Message:
        """The bot keeps no guild cache (no intents), so a partial messageable: it needs no
        lookup, and Discord's answer (404, 403) tells us what is wrong."""
        channel = self.bot.get_channel(stored.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            channel = self.bot.get_partial_messageable(stored.channel_id, guild_id=stored.guild_id)
        embed, view = tip_message(tip, self._services.store.current, as_lang(stored.lang))
        return await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)


async def setup(bot: CmoBot) -> None:
    await bot.add_cog(TipScheduler(bot))
