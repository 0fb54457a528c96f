"""Posts the scheduled tips: one background task for all guilds.

The task sleeps on the injected clock until the earliest next slot of any guild (or until a
moderator changes a schedule), then posts what is owed. It is a plain task rather than
`tasks.loop` because its interval is not fixed: it sleeps on `services.clock.sleep_until`,
which production maps to asyncio.sleep and tests to a ManualClock they move forward.

Exactly once comes from the database: every slot is claimed with an INSERT on its primary
key before anything is sent (bot/storage/tip_schedules.py). Each guild is handled in its own
try block, so a deleted channel or a bug in one guild never stops the others or the task.
A 429 never reaches us: discord.py waits and retries rate-limited requests itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

import discord
from discord.ext import commands

from bot.features.common import NO_MENTIONS, to_embed
from bot.features.components import OpenTopicButton, button_label, static_view
from bot.i18n import t
from bot.knowledge.model import Lang, Tip
from bot.knowledge.snapshot import ContentSnapshot
from bot.render import tip_embed
from bot.storage.tip_schedules import StoredSchedule, TipScheduleRepository
from bot.tips.planner import TipPlanner
from bot.tips.schedule import ScheduleError, Slot

log = logging.getLogger(__name__)

# Wake at least this often even with nothing due: picks up schedules written by another
# process, and retries after the database failed.
MAX_SLEEP = timedelta(hours=1)
RETRY_AFTER_ERROR = timedelta(minutes=1)
SCHEDULE_CHANGED_EVENT = "cmo_tip_schedule_changed"


def tip_message(tip: Tip, snapshot: ContentSnapshot, lang: Lang) -> tuple[discord.Embed, discord.ui.View]:
    """The tip embed and a button to the topic it comes from (the same as /tip)."""
    topic = snapshot.topic(tip.topic)
    items = (
        []
        if topic is None
        else [OpenTopicButton(topic.id, button_label(t("open_topic", lang, title=topic.title.get(lang))))]
    )
    return to_embed(tip_embed(tip, topic, lang)), static_view(*items)


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
    def __init__(self, bot: commands.Bot):
        services = bot.services  # type: ignore[attr-defined]
        self.bot = bot
        self._services = services
        self._clock = services.clock
        self._repo = TipScheduleRepository(services.db)
        self.planner = TipPlanner(
            self._repo,
            lambda: services.store.current.tips,
            timedelta(minutes=services.settings.tip_grace_minutes),
        )
        self._changed = asyncio.Event()
        self._state = asyncio.Condition()
        self._sleeping_until: datetime | None = None
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="tip-scheduler")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @commands.Cog.listener(f"on_{SCHEDULE_CHANGED_EVENT}")
    async def on_schedule_changed(self, guild_id: int) -> None:
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
        await self.bot.wait_until_ready()
        log.info("tip scheduler started (grace %s)", self.planner.grace)
        while True:
            self._changed.clear()
            try:
                wake = await self._pass(self._clock.now())
            except Exception:
                log.exception("tip scheduler pass failed; retrying in %s", RETRY_AFTER_ERROR)
                wake = self._clock.now() + RETRY_AFTER_ERROR
            await self._sleep(wake)

    async def _pass(self, now: datetime) -> datetime:
        schedules = await self._repo.enabled()
        for stored in schedules:
            try:
                await self._run_guild(stored, now)
            except Exception:
                log.exception("tip schedule of guild %s failed", stored.guild_id)
        after = self._clock.now()
        wake = TipPlanner.next_wake(schedules, after) or after + MAX_SLEEP
        return min(wake, after + MAX_SLEEP)

    async def _sleep(self, wake: datetime) -> None:
        sleeper = asyncio.ensure_future(self._clock.sleep_until(wake))
        changed = asyncio.ensure_future(self._changed.wait())
        async with self._state:
            self._sleeping_until = wake
            self._state.notify_all()
        try:
            await asyncio.wait({sleeper, changed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            changed.cancel()
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
        if not await self._repo.claim(stored.guild_id, slot.key, slot.due, stored.channel_id, tip.id, now):
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
            return
        await self._repo.mark_posted(stored.guild_id, slot.key, tip.id, message.id, self._clock.now(), pick.new_round)
        log.info(
            "tip posted: guild=%s channel=%s slot=%s %s tip=%s message=%s late_s=%.0f",
            stored.guild_id,
            stored.channel_id,
            *slot.key,
            tip.id,
            message.id,
            (now - slot.due).total_seconds(),
        )

    async def _send(self, stored: StoredSchedule, tip: Tip) -> discord.Message:
        """Guild channels are cached from GUILD_CREATE; without the cache (or for a channel
        the cache no longer knows) a partial messageable needs no lookup, and Discord's answer
        (404, 403) tells us what is wrong."""
        channel = self.bot.get_channel(stored.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            channel = self.bot.get_partial_messageable(stored.channel_id, guild_id=stored.guild_id)
        embed, view = tip_message(tip, self._services.store.current, stored.lang)  # type: ignore[arg-type]
        return await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(TipScheduler(bot))
