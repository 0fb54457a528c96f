"""Tip burst: N servers (default 2,000) with a tip at 09:00 Europe/Amsterdam, posted by the real
bot against the fake Discord with Discord's REST rate limits on (50 requests/s for the whole
bot, 5 messages per 5 s per channel).

The clock (a ManualClock, as in tests/test_e2e_tips.py) is moved to 09:00 and the bench waits
until every server has its post. It prints the time to post all, posts per second, the 429s
the bot received (global and per channel), duplicates and missing posts (both must be 0),
once with the bot's pacer and once without it, for comparison. Run from the repository root:

    python -m bench.bench_tip_burst [--servers 2000]

tests/test_tip_burst.py runs the same burst with fewer servers and asserts on it.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.command_line import counts_parser, parse_quietly
from bot.clock import ManualClock
from bot.features.tip_scheduler import SCHEDULE_CHANGED_EVENT
from bot.tips.pacing import DEFAULT_TIP_POSTS_PER_SECOND, PostPacer
from tests.e2e import rows
from tests.fake_discord import FakeDiscord, make_guilds
from tests.fake_discord.rate_limits import CHANNEL_MESSAGES, RateLimits
from tests.harness import BotHarness, running_bot

NINE_AM = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam (summer time)
SCHEDULED_AT = NINE_AM - timedelta(hours=1)
SLOT_STATUSES = "SELECT status, COUNT(*) AS n FROM tip_slots GROUP BY status"


@dataclass
class Burst:
    servers: int
    seconds: float  # the clock reaching 09:00 -> the last post received by the fake
    global_429s: int
    channel_429s: int
    duplicates: int  # posts beyond the first in a server's tip channel
    missing: int  # servers without a post
    slots: Counter[str]  # the database's verdict per slot: posted, failed, skipped, claimed
    grace: timedelta

    @property
    def per_second(self) -> float:
        return self.servers / self.seconds if self.seconds else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<16} {self.servers} servers posted in {self.seconds:6.2f} s ({self.per_second:6.1f}/s)   "
            f"429s: global {self.global_429s}, per channel {self.channel_429s}   "
            f"duplicates {self.duplicates}   missing {self.missing}"
        )


def tip_scheduler(harness: BotHarness):
    assert harness.bot is not None
    cog = harness.bot.get_cog("TipScheduler")  # loaded as an extension: no isinstance
    assert cog is not None
    return cog


async def schedule_nine_am(harness: BotHarness, channels: dict[int, int]) -> None:
    """Every server's schedule stored as /cmo-admin tips-set stores it, and the scheduler told."""
    assert harness.services is not None and harness.bot is not None
    for guild_id, channel_id in channels.items():
        await harness.services.tip_schedules.save(
            guild_id, channel_id, "09:00", "daily", "Europe/Amsterdam", "nl", SCHEDULED_AT
        )
        harness.bot.dispatch(SCHEDULE_CHANGED_EVENT, guild_id)
    async with asyncio.timeout(60):
        await tip_scheduler(harness).wait_idle()


async def until_all_posted(fake: FakeDiscord, channels: dict[int, int], timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while any(not fake.channel_messages.get(channel) for channel in channels.values()):
            await asyncio.sleep(0.05)


async def run_burst(
    servers: int, per_second: float | None, workdir: Path, rate_limits: RateLimits | None = None
) -> Burst:
    """One burst on a fresh fake and database; `per_second=None` runs the bot without a pacer."""
    limits = rate_limits or RateLimits()
    clock = ManualClock(SCHEDULED_AT)
    async with FakeDiscord(guilds=make_guilds(servers, channels=2, roles=1), rate_limits=limits) as fake:
        channels = {guild.id: guild.first_text_channel_id for guild in fake.guilds.values()}
        db_path = workdir / f"burst-{per_second}.sqlite3"
        async with running_bot(fake, db_path, clock=clock) as harness:
            tip_scheduler(harness).pacer = PostPacer(per_second)
            await schedule_nine_am(harness, channels)
            before = limits.global_429s, limits.channel_429s  # start-up traffic is not the burst's
            started = time.monotonic()
            await clock.set(NINE_AM)
            await until_all_posted(fake, channels, timeout=60 + servers / 10)
            async with asyncio.timeout(60):
                await tip_scheduler(harness).wait_idle()
            assert harness.services is not None
            await harness.services.writer.flush()
            grace = harness.services.planner.grace
            slots = Counter({row["status"]: row["n"] for row in rows(harness, SLOT_STATUSES)})
        posts = fake.requests_matching("POST", CHANNEL_MESSAGES)
        delivered = [request for request in posts if request.status == 200]
        counts = Counter(int(request.params["channel_id"]) for request in delivered)
    return Burst(
        servers=servers,
        seconds=max(request.time for request in delivered) - started,
        global_429s=limits.global_429s - before[0],
        channel_429s=limits.channel_429s - before[1],
        duplicates=sum(n - 1 for n in counts.values() if n > 1),
        missing=sum(1 for channel in channels.values() if not counts[channel]),
        slots=slots,
        grace=grace,
    )


RUNS = {f"paced {DEFAULT_TIP_POSTS_PER_SECOND:g}/s": DEFAULT_TIP_POSTS_PER_SECOND, "unpaced": None}


async def main_async(servers: int) -> None:
    limits = RateLimits()
    print(
        f"{servers} servers, tips at 09:00 Europe/Amsterdam; fake Discord: {limits.global_per_second} requests/s"
        f" global, {limits.channel_messages} per {limits.channel_window:g} s per channel"
    )
    with tempfile.TemporaryDirectory() as workdir:
        for name, per_second in RUNS.items():
            burst = await run_burst(servers, per_second, Path(workdir))
            print(burst.line(name), flush=True)
            print(f"{'':<16} slots in the database: {dict(burst.slots)}; grace window {burst.grace}")


def main() -> None:
    args = parse_quietly(counts_parser(__doc__, servers=2000))
    asyncio.run(main_async(args.servers))


if __name__ == "__main__":
    main()
