"""Pytest fixtures for the fake Discord server.

The lead can register them in ``tests/conftest.py`` with::

    from tests.fake_discord.fixtures import fake_discord, restore_discord_routes  # noqa: F401
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import discord.gateway
import discord.http
import pytest
import pytest_asyncio

from .models import make_guilds
from .server import FakeDiscord


@pytest.fixture
def restore_discord_routes() -> Iterator[None]:
    """Restore ``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY`` after the test."""
    base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        yield
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@pytest_asyncio.fixture
async def fake_discord(restore_discord_routes: None) -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with 2 guilds; discord.py is pointed at it for the duration of the test."""
    async with FakeDiscord(guilds=make_guilds(2)) as fake:
        yield fake
