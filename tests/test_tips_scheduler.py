"""The real scheduler task, driven by a ManualClock over a real SQLite file, with a stand-in
for the bot that records what would be sent. Weeks pass in milliseconds: each step moves the
clock and awaits the task going back to sleep (never a wall-clock sleep)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import discord
import pytest
import pytest_asyncio

from bot.clock import ManualClock
from bot.features.tip_scheduler import TipScheduler
from bot.knowledge.loader import default_content_dir
from bot.knowledge.store import ContentStore
from bot.shards import ShardPlan
from bot.storage.database import Database, open_database
from bot.storage.tip_schedules import TipScheduleRepository
from bot.tips.planner import TipPlanner

AMS = ZoneInfo("Europe/Amsterdam")
GUILD, CHANNEL = 1001, 2001
OTHER_GUILD, DELETED_CHANNEL = 1002, 2999


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


class Channel:
    def __init__(self, channel_id: int, sent: list, clock: ManualClock, error: Exception | None = None):
        self.id, self._sent, self._clock, self._error = channel_id, sent, clock, error

    async def send(self, *, embed: discord.Embed, view: discord.ui.View, allowed_mentions: discord.AllowedMentions):
        if self._error is not None:
            raise self._error
        assert allowed_mentions.to_dict() == {"parse": []}
        self._sent.append(SimpleNamespace(channel=self.id, at=self._clock.now(), embed=embed, view=view))
        return SimpleNamespace(id=len(self._sent))


def not_found() -> discord.NotFound:
    return discord.NotFound(SimpleNamespace(status=404, reason="Not Found"), {"code": 10003, "message": "Unknown"})


class StandInBot:
    """What the scheduler uses of the bot: readiness, the channel cache, partial channels."""

    def __init__(self, services, clock: ManualClock):
        self.services = services
        self.sent: list = []
        self._clock = clock
        self.errors: dict[int, Exception] = {}

    async def wait_until_ready(self) -> None:
        return None

    def get_channel(self, channel_id: int):
        return None  # as with an empty cache: the scheduler falls back to a partial messageable

    def get_partial_messageable(self, channel_id: int, *, guild_id: int | None = None):
        return Channel(channel_id, self.sent, self._clock, self.errors.get(channel_id))


@pytest.fixture(scope="module")
def store() -> ContentStore:
    return ContentStore.from_dir(default_content_dir())


class Rig:
    def __init__(self, db: Database, store: ContentStore, clock: ManualClock, grace_minutes: int = 120):
        self.db, self.clock = db, clock
        settings = SimpleNamespace(tip_grace_minutes=grace_minutes, default_lang="nl", shards=ShardPlan())
        self.services = SimpleNamespace(settings=settings, store=store, db=db, clock=clock)
        self.bot = StandInBot(self.services, clock)
        self.repo = TipScheduleRepository(db)
        self.cog: TipScheduler | None = None

    async def start(self) -> None:
        # As Services.open does at each start: a restart begins with a fresh planner.
        self.services.tip_schedules = TipScheduleRepository(self.db)
        self.services.planner = TipPlanner(
            self.services.tip_schedules,
            lambda: self.services.store.current.tips,
            timedelta(minutes=self.services.settings.tip_grace_minutes),
        )
        self.cog = TipScheduler(self.bot)  # type: ignore[arg-type]
        await self.cog.cog_load()
        await self.idle()

    async def stop(self) -> None:
        if self.cog is not None:
            await self.cog.cog_unload()
            self.cog = None

    async def idle(self) -> None:
        assert self.cog is not None
        async with asyncio.timeout(5):
            await self.cog.wait_idle()

    async def to(self, moment: datetime) -> None:
        await self.clock.set(moment)
        await self.idle()

    async def schedule(self, time: str, days: str, guild: int = GUILD, channel: int = CHANNEL, lang: str = "nl"):
        await self.repo.save(guild, channel, time, days, "Europe/Amsterdam", lang, self.clock.now())
        if self.cog is not None:
            await self.cog.on_schedule_changed(guild)
            await self.idle()

    async def walk(self, until: datetime, step: timedelta = timedelta(minutes=30)) -> None:
        """Steps that land on every slot minute: a ManualClock jump past a slot would be seen
        by the task as the bot having been asleep (late, or skipped beyond the grace window)."""
        moment = self.clock.now()
        while moment < until:
            moment = min(moment + step, until)
            await self.to(moment)


@pytest_asyncio.fixture
async def db(database_target):
    database = await open_database(database_target)
    yield database
    await database.close()


@pytest_asyncio.fixture
async def rig(db, store):
    running = Rig(db, store, ManualClock(utc(2026, 6, 1, 5, 0)))  # Monday 07:00 in Amsterdam
    yield running
    await running.stop()


def local_times(sent) -> list[str]:
    return [item.at.astimezone(AMS).strftime("%a %Y-%m-%d %H:%M") for item in sent]


async def test_weekdays_post_once_each_working_day_at_the_local_minute(rig):
    await rig.start()
    await rig.schedule("09:00", "mon-fri")
    await rig.walk(utc(2026, 6, 15, 0, 0))
    assert local_times(rig.bot.sent) == [
        f"{day} 2026-06-{date:02d} 09:00"
        for day, date in zip(["Mon", "Tue", "Wed", "Thu", "Fri"] * 2, [1, 2, 3, 4, 5, 8, 9, 10, 11, 12], strict=True)
    ]
    assert {item.channel for item in rig.bot.sent} == {CHANNEL}


async def test_comma_list_in_dutch_posts_on_those_days_only(rig):
    await rig.start()
    await rig.schedule("12:30", "ma,wo,vr")
    await rig.walk(utc(2026, 6, 8, 0, 0))
    assert local_times(rig.bot.sent) == ["Mon 2026-06-01 12:30", "Wed 2026-06-03 12:30", "Fri 2026-06-05 12:30"]


@pytest.mark.parametrize(
    ("start", "end", "posted"),
    [
        pytest.param(
            utc(2026, 3, 27, 0, 0),
            utc(2026, 3, 31, 0, 0),
            [
                utc(2026, 3, 27, 1, 30),
                utc(2026, 3, 28, 1, 30),
                utc(2026, 3, 29, 1, 0),  # 03:00 CEST: 02:30 does not exist that night
                utc(2026, 3, 30, 0, 30),
            ],
            id="spring-forward-posts-once-at-the-first-valid-minute",
        ),
        pytest.param(
            utc(2026, 10, 24, 0, 0),
            utc(2026, 10, 27, 0, 0),
            [
                utc(2026, 10, 24, 0, 30),
                utc(2026, 10, 25, 0, 30),  # 02:30 CEST; 02:30 CET an hour later is not posted again
                utc(2026, 10, 26, 1, 30),
            ],
            id="fall-back-posts-the-repeated-minute-once",
        ),
    ],
)
async def test_a_daylight_saving_day_posts_once(db, store, start, end, posted):
    rig = Rig(db, store, ManualClock(start))
    await rig.start()
    await rig.schedule("02:30", "daily")
    await rig.walk(end, step=timedelta(minutes=15))
    await rig.stop()
    assert [item.at for item in rig.bot.sent] == posted


async def test_rotation_shows_every_tip_before_any_repeats_across_a_restart(rig, store):
    tips = [tip.id for tip in store.current.tips]
    await rig.start()
    await rig.schedule("09:00", "daily")
    half = len(tips) // 2
    await rig.to(utc(2026, 6, 1, 7, 0))
    for day in range(1, half):
        await rig.to(utc(2026, 6, 1, 7, 0) + timedelta(days=day))
    await rig.stop()  # the rotation lives in the database, not in the task
    await rig.start()
    for day in range(half, len(tips) + 3):
        await rig.to(utc(2026, 6, 1, 7, 0) + timedelta(days=day))
    shown = [item.embed.description for item in rig.bot.sent]
    texts = {tip.text.nl: tip.id for tip in store.current.tips}
    order = [texts[text] for text in shown]
    assert len(order) == len(tips) + 3
    assert sorted(order[: len(tips)]) == sorted(tips)  # a full round, each tip once
    assert order[len(tips)] != order[len(tips) - 1]  # no back-to-back repeat at the round boundary
    assert len(set(order[len(tips) :])) == 3


async def test_rotation_orders_differ_between_guilds(rig):
    await rig.start()
    await rig.schedule("09:00", "daily", guild=GUILD, channel=CHANNEL)
    await rig.schedule("09:00", "daily", guild=OTHER_GUILD, channel=CHANNEL + 1)
    for day in range(3):
        await rig.to(utc(2026, 6, 1, 7, 0) + timedelta(days=day))
    first = [item.embed.description for item in rig.bot.sent if item.channel == CHANNEL]
    second = [item.embed.description for item in rig.bot.sent if item.channel == CHANNEL + 1]
    assert len(first) == len(second) == 3 and first != second


async def test_a_slot_missed_while_down_is_posted_late_within_the_grace_window(rig):
    await rig.schedule("09:00", "daily")  # set while the scheduler is not running
    await rig.clock.set(utc(2026, 6, 1, 8, 30))  # 10:30 local: 90 minutes late
    await rig.start()
    assert [item.at for item in rig.bot.sent] == [utc(2026, 6, 1, 8, 30)]


async def test_a_slot_missed_beyond_the_grace_window_is_skipped_and_logged_once(rig, caplog):
    await rig.schedule("09:00", "daily")
    await rig.clock.set(utc(2026, 6, 1, 9, 1))  # 11:01 local: 121 minutes late
    with caplog.at_level(logging.WARNING, logger="bot.tips.planner"):
        await rig.start()
        await rig.stop()
        await rig.start()  # a restart does not log the same skip again
    assert rig.bot.sent == []
    skips = [record for record in caplog.records if "skipped" in record.getMessage()]
    assert len(skips) == 1 and "2026-06-01 09:00" in skips[0].getMessage()
    await rig.to(utc(2026, 6, 2, 7, 0))
    assert [item.at for item in rig.bot.sent] == [utc(2026, 6, 2, 7, 0)]


async def test_grace_window_comes_from_the_settings(db, store):
    rig = Rig(db, store, ManualClock(utc(2026, 6, 1, 5, 0)), grace_minutes=10)
    await rig.schedule("09:00", "daily")
    await rig.clock.set(utc(2026, 6, 1, 7, 11))
    await rig.start()
    await rig.stop()
    assert rig.bot.sent == []


async def test_a_restart_right_after_posting_does_not_post_again(rig):
    await rig.start()
    await rig.schedule("09:00", "daily")
    await rig.to(utc(2026, 6, 1, 7, 0))
    await rig.stop()
    await rig.start()
    await rig.to(utc(2026, 6, 1, 8, 0))
    assert len(rig.bot.sent) == 1


async def test_two_processes_on_one_database_post_a_slot_once(rig, db, store, database_target):
    other_db = await open_database(database_target)
    other = Rig(other_db, store, rig.clock)
    try:
        await rig.schedule("09:00", "daily")
        await rig.start()
        await other.start()
        await rig.clock.set(utc(2026, 6, 1, 7, 0))
        await rig.idle()
        await other.idle()
        assert len(rig.bot.sent) + len(other.bot.sent) == 1
    finally:
        await other.stop()
        await other_db.close()


async def test_one_guilds_failure_is_recorded_and_does_not_stop_the_others(rig):
    rig.bot.errors[DELETED_CHANNEL] = not_found()
    await rig.start()
    await rig.schedule("09:00", "daily", guild=OTHER_GUILD, channel=DELETED_CHANNEL)
    await rig.schedule("09:00", "daily", guild=GUILD, channel=CHANNEL)
    await rig.to(utc(2026, 6, 1, 7, 0))
    await rig.to(utc(2026, 6, 2, 7, 0))
    assert [item.channel for item in rig.bot.sent] == [CHANNEL, CHANNEL]
    broken = await rig.repo.get(OTHER_GUILD)
    assert broken is not None and broken.last_error == "not_found"
    assert broken.last_error_at == utc(2026, 6, 2, 7, 0)
    healthy = await rig.repo.get(GUILD)
    assert healthy is not None and healthy.last_error is None
    last = await rig.repo.last_posted(GUILD)
    assert last is not None and last.message_id == 2 and last.posted_at == utc(2026, 6, 2, 7, 0)


async def test_an_unexpected_error_in_one_guild_keeps_the_task_alive(rig, caplog):
    rig.bot.errors[DELETED_CHANNEL] = RuntimeError("boom")
    await rig.start()
    await rig.schedule("09:00", "daily", guild=OTHER_GUILD, channel=DELETED_CHANNEL)
    with caplog.at_level(logging.WARNING, logger="bot.features.tip_scheduler"):
        await rig.to(utc(2026, 6, 1, 7, 0))
    await rig.schedule("10:00", "daily", guild=GUILD, channel=CHANNEL)
    await rig.to(utc(2026, 6, 1, 8, 0))
    assert [item.channel for item in rig.bot.sent] == [CHANNEL]
    assert (await rig.repo.get(OTHER_GUILD)).last_error == "error RuntimeError"
    assert rig.cog is not None and rig.cog._task is not None and not rig.cog._task.done()


async def test_turned_off_schedules_post_nothing(rig):
    await rig.start()
    await rig.schedule("09:00", "daily")
    await rig.repo.disable(GUILD, rig.clock.now())
    await rig.cog.on_schedule_changed(GUILD)
    await rig.walk(utc(2026, 6, 3, 0, 0), step=timedelta(hours=1))
    assert rig.bot.sent == []


async def test_posts_are_in_the_schedule_language_with_a_button_to_the_topic(rig, store):
    await rig.start()
    await rig.schedule("09:00", "daily", lang="en")
    await rig.to(utc(2026, 6, 1, 7, 0))
    [item] = rig.bot.sent
    english = {tip.text.en for tip in store.current.tips}
    assert item.embed.description in english
    [button] = item.view.children
    assert button.custom_id.startswith("cmo:open:")
