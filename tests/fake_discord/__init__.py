"""Fake Discord server for driving the real discord.py client in tests.

Usage::

    from tests.fake_discord import FakeDiscord, make_guilds

    async with FakeDiscord(guilds=make_guilds(2)) as fake:   # patches Route.BASE + DEFAULT_GATEWAY
        bot = MyBot(...)                                      # e.g. guild_ready_timeout=0.05
        task = asyncio.create_task(bot.start(fake.token))
        await fake.wait_until_ready()
        handle = await fake.slash_command("ping")
        body = await handle.response(timeout=5)               # {"type": 4, "data": {"content": ...}}
        await bot.close()
"""

from .models import (
    ALL_PERMISSIONS,
    DEFAULT_MEMBER_PERMISSIONS,
    ChannelSpec,
    GuildSpec,
    RoleSpec,
    make_guilds,
    member_payload,
    user_payload,
)
from .server import (
    DEFAULT_TOKEN,
    FakeDiscord,
    FakeDiscordTimeout,
    Interaction,
    RecordedFile,
    RecordedRequest,
)

__all__ = [
    "ALL_PERMISSIONS",
    "DEFAULT_MEMBER_PERMISSIONS",
    "DEFAULT_TOKEN",
    "ChannelSpec",
    "FakeDiscord",
    "FakeDiscordTimeout",
    "GuildSpec",
    "Interaction",
    "RecordedFile",
    "RecordedRequest",
    "RoleSpec",
    "make_guilds",
    "member_payload",
    "user_payload",
]
