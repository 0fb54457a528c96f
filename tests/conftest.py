"""Shared fixtures: the fake Discord server and the real bot running against it."""

from __future__ import annotations

import pytest_asyncio

from tests.e2e import assert_no_pings
from tests.fake_discord.fixtures import fake_discord, restore_discord_routes  # noqa: F401
from tests.harness import BotHarness


@pytest_asyncio.fixture
async def harness(fake_discord, tmp_path):  # noqa: F811
    running = BotHarness(fake_discord, tmp_path / "cmo-bot.sqlite3")
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
    assert_no_pings(fake_discord)  # whatever the test did, no message the bot sent may ping anyone
