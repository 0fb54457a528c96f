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

discord.py behaviour to accommodate:

* A plain ``Client``/``Bot`` never calls ``GET /gateway/bot``: it connects to the class attribute
  ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``. ``FakeDiscord`` patches it together with
  ``discord.http.Route.BASE`` on start and restores both on stop (``patch_discord=False`` to opt out).
  ``AutoShardedClient`` does use ``/gateway/bot`` (it gets the fake's URL and ``shards``).
* ``on_ready`` fires ``guild_ready_timeout`` (default 2 s) after the last GUILD_CREATE: pass e.g.
  ``guild_ready_timeout=0.05`` to the bot in tests.
* discord.py sleeps 5 s before every non-initial IDENTIFY (``Client.before_identify_hook``); override it in
  a subclass for tests that re-identify or run several shards. RESUMEs are not delayed.
* REST JSON is only parsed when ``Content-Type`` is exactly ``application/json``; 429s are only retried
  when the response carries a ``Via`` header (otherwise treated as a Cloudflare ban). The fake does both.
* Dashboard login (``oauth.py``): ``role = fake.add_role(guild_id, "Moderator", permissions=P_MANAGE_GUILD)``,
  ``user = fake.add_web_user("mod", memberships={guild_id: [role.id]})``, ``fake.oauth_login_as(user)``; point
  the dashboard at ``fake.oauth_authorize_url``, ``fake.oauth_token_url`` and ``fake.api_base`` with
  ``fake.oauth_client_id`` / ``fake.oauth_client_secret``. The consent page's button is "Autoriseren".
* ``FakeDiscord.wait_until_ready()`` means "READY and every GUILD_CREATE were *sent*"; await
  ``bot.wait_until_ready()`` too if the test needs the client's cache filled.
"""

from .models import (
    ALL_PERMISSIONS,
    DEFAULT_MEMBER_PERMISSIONS,
    P_ADMINISTRATOR,
    P_MANAGE_GUILD,
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
    "P_ADMINISTRATOR",
    "P_MANAGE_GUILD",
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
