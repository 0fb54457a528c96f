"""The fake Discord's REST rate limits (tests/fake_discord/rate_limits.py).

First the limiter on its own, on a clock the test moves; then on the wire, where the real
discord.py client must read our headers and 429s as it reads Discord's: it paces a channel
from the headers alone, and retries a global 429 after `retry_after`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
import pytest_asyncio

from tests.fake_discord import FakeDiscord, make_guilds
from tests.fake_discord.protocol import API_PREFIX
from tests.fake_discord.rate_limits import CHANNEL_MESSAGES, RateLimits

CALLBACK = "/interactions/{interaction_id}/{token}/callback"
FOLLOWUP = "/webhooks/{webhook_id}/{token}"


class MovingClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limits(clock: MovingClock, global_per_second: int = 50) -> RateLimits:
    return RateLimits(global_per_second, clock=clock, wall_clock=lambda: 1.7e9 + clock.now)


def post(limiter: RateLimits, channel: int = 1):
    return limiter.check("POST", CHANNEL_MESSAGES, {"channel_id": str(channel)})


def test_a_channel_takes_five_messages_per_window_with_discords_headers():
    clock = MovingClock()
    limiter = limits(clock)
    verdicts = [post(limiter) for _ in range(5)]
    assert [v.headers["X-RateLimit-Remaining"] for v in verdicts] == ["4", "3", "2", "1", "0"]
    assert all(not v.refused for v in verdicts)
    first = verdicts[0].headers
    assert first["X-RateLimit-Limit"] == "5"
    assert first["X-RateLimit-Reset-After"] == "5.000"
    assert float(first["X-RateLimit-Reset"]) == pytest.approx(1.7e9 + 1005.0)
    assert len({v.headers["X-RateLimit-Bucket"] for v in verdicts}) == 1

    clock.now += 2.0
    refused = post(limiter)
    assert refused.refused and not refused.is_global
    assert refused.retry_after == pytest.approx(3.0)
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    rule = refused.rule("POST", CHANNEL_MESSAGES)
    assert (rule.scope, rule.is_global) == ("user", False)
    assert not post(limiter, channel=2).refused  # every channel has its own bucket
    assert (limiter.channel_429s, limiter.global_429s) == (1, 0)

    clock.now += 3.0  # the window has passed
    assert post(limiter).headers["X-RateLimit-Remaining"] == "4"


def test_the_global_limit_counts_every_route_but_interactions_and_webhooks():
    clock = MovingClock()
    limiter = limits(clock, global_per_second=3)
    for _ in range(10):  # exempt: limited per interaction token on Discord, not globally
        assert limiter.check("POST", CALLBACK, {}) is None
        assert limiter.check("POST", FOLLOWUP, {}) is None
    assert not limiter.check("GET", "/users/@me", {}).refused
    assert not limiter.check("GET", "/channels/{channel_id}", {"channel_id": "1"}).refused
    assert not post(limiter).refused

    clock.now += 0.25
    refused = post(limiter)
    assert refused.refused and refused.is_global
    assert refused.retry_after == pytest.approx(0.75)
    assert refused.headers == {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}
    assert refused.rule("POST", CHANNEL_MESSAGES).scope == "global"
    assert (limiter.global_429s, limiter.channel_429s, limiter.total_429s) == (1, 0, 1)
    # a refused request took no place in its channel's bucket
    clock.now += 0.75
    assert post(limiter).headers["X-RateLimit-Remaining"] == "3"


# -- on the wire ---------------------------------------------------------------------------


@pytest_asyncio.fixture
async def limited_fake(restore_discord_routes) -> AsyncIterator[FakeDiscord]:
    rate_limits = RateLimits(global_per_second=3, global_window=0.2, channel_messages=5, channel_window=0.3)
    async with FakeDiscord(guilds=make_guilds(1), rate_limits=rate_limits) as fake:
        yield fake


async def test_a_429_carries_discords_body_and_headers(limited_fake: FakeDiscord):
    fake = limited_fake
    channel = fake.guild().first_text_channel_id
    url = f"{fake.http_base}{API_PREFIX}/channels/{channel}/messages"
    async with aiohttp.ClientSession(headers={"Authorization": f"Bot {fake.token}"}) as session:
        answers = []
        for _ in range(4):
            async with session.post(url, json={"content": "hallo"}) as response:
                answers.append((response.status, dict(response.headers), await response.json()))
    ok_status, ok_headers, _ = answers[0]
    assert ok_status == 200
    assert ok_headers["X-RateLimit-Limit"] == "5" and ok_headers["X-RateLimit-Remaining"] == "4"
    assert {"X-RateLimit-Reset", "X-RateLimit-Reset-After", "X-RateLimit-Bucket", "Via"} <= ok_headers.keys()

    status, headers, body = answers[3]
    assert status == 429
    assert body["global"] is True and body["message"] and 0 < body["retry_after"] <= 0.2
    assert headers["X-RateLimit-Global"] == "true"
    assert headers["X-RateLimit-Scope"] == "global"
    assert headers["Retry-After"] == "1"
    assert headers["Via"]  # without it discord.py takes a 429 for a Cloudflare ban
    assert headers["Content-Type"] == "application/json"
    assert fake.rate_limits is not None and fake.rate_limits.global_429s == 1
    assert [r.status for r in fake.rate_limited_requests] == [429]


async def test_discord_py_paces_a_channel_from_the_headers_and_retries_global_429s(limited_fake: FakeDiscord):
    fake = limited_fake
    assert fake.rate_limits is not None
    channel_id = fake.guild().first_text_channel_id
    client = discord.Client(intents=discord.Intents.none())
    await client.login(fake.token)  # REST only: no gateway needed to send
    try:
        channel = client.get_partial_messageable(channel_id)
        for n in range(8):
            await channel.send(f"bericht {n}")
    finally:
        await client.close()
    assert [m["content"] for m in fake.channel_messages[channel_id]] == [f"bericht {n}" for n in range(8)]
    # The channel's bucket ran out twice; discord.py waited for its reset from our headers.
    assert fake.rate_limits.channel_429s == 0
    # The global limit (3 per 0.2 s) has no headers: discord.py learns it from 429s and retries.
    assert fake.rate_limits.global_429s >= 1
    assert len(fake.rate_limited_requests) == fake.rate_limits.total_429s
