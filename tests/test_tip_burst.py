"""A tip burst under Discord's rate limits: many servers share 09:00, and each gets its tip once.

The real bot runs against the fake Discord with its REST limits on (50 requests/s for the
bot, 5 messages per 5 s per channel); bench/bench_tip_burst.py runs the same burst at 2,000
servers and prints the figures. Nothing here asserts how long a burst takes.
"""

from __future__ import annotations

import asyncio

import pytest

from bench.bench_tip_burst import run_burst
from bot.tips.pacing import DEFAULT_TIP_POSTS_PER_SECOND, PostPacer

SERVERS = 150


async def test_every_server_gets_its_nine_oclock_tip_once_without_a_global_429(tmp_path, restore_discord_routes):
    burst = await run_burst(SERVERS, DEFAULT_TIP_POSTS_PER_SECOND, tmp_path)
    assert burst.missing == 0
    assert burst.duplicates == 0
    # none skipped as too late, none failed, none left claimed but unsent
    assert burst.slots == {"posted": SERVERS}
    assert burst.seconds < burst.grace.total_seconds()
    # the pacer keeps the bot below the global limit: a global 429 pauses all its REST traffic
    assert burst.global_429s == 0
    assert burst.channel_429s == 0


async def test_the_pacer_spreads_posts_and_lets_a_burst_through():
    loop = asyncio.get_running_loop()
    pacer = PostPacer(200, burst=2)
    started = loop.time()
    for _ in range(6):
        await pacer.wait()
    # two at once from the bucket, then one per 5 ms: at least 20 ms in all
    assert loop.time() - started >= 4 / 200 * 0.9


def test_an_unpaced_pacer_never_suspends():
    waiting = PostPacer(None).wait()
    with pytest.raises(StopIteration):
        waiting.send(None)  # done at its first step: it never gave the loop a turn


@pytest.mark.parametrize("per_second, burst", [(0, 1), (-5, 1), (10, 0)])
def test_a_pacer_needs_a_positive_rate_and_burst(per_second, burst):
    with pytest.raises(ValueError):
        PostPacer(per_second, burst=burst)
