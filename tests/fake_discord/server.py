"""``FakeDiscord``: a fake Discord (REST + gateway) that the real, unmodified discord.py client talks to over
a real socket.

This module composes the parts and owns what they share: the identities (bot, owner, guilds), the aiohttp
server's lifecycle, patching discord.py to point at it, and waiting for what a test expects. Each part is
its own module:

* ``gateway.py``: websocket, compression, sessions, RESUME/replay, intents;
* ``rest.py``: routing, recording, auth, error bodies, rate limits (429s);
* ``rate_limits.py``: Discord's standing REST limits, on with ``rate_limits=RateLimits()``;
* ``application.py``: application info and command sync;
* ``guilds.py``: guild, channel, member and user lookups and routes, the web users and their roles;
* ``oauth.py``: Discord's OAuth2 login (consent page, token exchange, the user's Bearer routes);
* ``messages.py``: the message store and the channel message routes;
* ``interactions.py``: what a user does (slash commands, components, modals);
* ``responses.py``: how the bot answers (callbacks, @original, followups) and the ``Interaction`` handle;
* ``validation.py``: what Discord refuses; ``protocol.py``: the shared numbers and records.

See ``tests/fake_discord/__init__.py`` for the public surface and a usage example.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from .application import ApplicationMixin
from .gateway import GatewayMixin
from .guilds import GuildsMixin
from .interactions import InteractionsMixin
from .messages import MessagesMixin
from .models import (
    GuildSpec,
    SnowflakeFactory,
    make_guilds,
    user_payload,
)
from .oauth import OAuthMixin
from .protocol import (
    API_PREFIX,
    DEFAULT_TOKEN,
    FakeDiscordTimeout,
    RecordedFile,
    RecordedRequest,
)
from .rate_limits import RateLimits
from .responses import Interaction, ResponsesMixin
from .rest import RestMixin

__all__ = [
    "DEFAULT_TOKEN",
    "FakeDiscord",
    "FakeDiscordTimeout",
    "Interaction",
    "RecordedFile",
    "RecordedRequest",
]


class FakeDiscord(
    GatewayMixin,
    InteractionsMixin,
    ResponsesMixin,
    MessagesMixin,
    ApplicationMixin,
    OAuthMixin,
    GuildsMixin,
    RestMixin,
):
    """Fake Discord HTTP API + gateway on 127.0.0.1 (ephemeral port).

    ``async with FakeDiscord(guilds=make_guilds(2)) as fake:`` starts it and (unless ``patch_discord=False``)
    points ``discord.http.Route.BASE`` and ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` at it,
    restoring both on exit.
    """

    def __init__(
        self,
        guilds: Iterable[GuildSpec] | None = None,
        *,
        token: str = DEFAULT_TOKEN,
        application_id: int | None = None,
        bot_user_id: int | None = None,
        bot_name: str = "cmo-bot",
        owner_id: int | None = None,
        heartbeat_interval: int = 41250,
        compression_level: int = 6,
        patch_discord: bool = True,
        validate: bool = True,
        rate_limits: RateLimits | None = None,
    ) -> None:
        self._snow = SnowflakeFactory()
        self.rate_limits = rate_limits  # Discord's REST limits (rate_limits.py); None: off
        self.token = token
        self.bot_user_id: int = bot_user_id or self._snow.next()
        self.application_id: int = application_id or self.bot_user_id
        self.owner_id: int = owner_id or self._snow.next()
        self.bot_user = user_payload(self.bot_user_id, bot_name, bot=True)
        self.bot_user.update(verified=True, mfa_enabled=False, email=None, locale="en-US")
        self.owner_user = user_payload(self.owner_id, "eigenaar")
        self.default_user = user_payload(self._snow.next(), "tester")
        self.heartbeat_interval = heartbeat_interval
        self.compression_level = compression_level
        self.validate = validate
        self._patch = patch_discord
        self._patched: tuple[Any, Any] | None = None

        gl = list(guilds) if guilds is not None else make_guilds(2)
        self.guilds: dict[int, GuildSpec] = {g.id: g for g in gl}
        self.dm_channels: dict[int, dict[str, Any]] = {}

        # server
        self._runner: web.AppRunner | None = None
        self.port: int = 0
        self._tasks: set[asyncio.Task] = set()
        self._changed = asyncio.Event()

        self._init_rest()
        self._init_members()
        self._init_oauth()
        self._init_gateway()
        self._init_application()
        self._init_messages()
        self._init_responses()

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway_handler)
        app.router.add_get("/gateway/resume", self._gateway_handler)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment_handler)
        self._add_oauth_routes(app)
        app.router.add_route("*", "/{tail:.*}", self._rest_handler)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]
        if self._patch:
            self.patch_discord()

    async def stop(self) -> None:
        for conn in list(self._conns):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.ws.close(code=1001), 2)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.unpatch_discord()

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def patch_discord(self) -> None:
        """Point discord.py's REST base and default gateway at this fake (idempotent)."""
        import discord.gateway
        import discord.http
        import yarl

        if self._patched is None:
            self._patched = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    def unpatch_discord(self) -> None:
        if self._patched is None:
            return
        import discord.gateway
        import discord.http

        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._patched
        self._patched = None

    @property
    def http_base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.http_base}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        return f"{self.gateway_url}/resume"

    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # ------------------------------------------------------------------ waiting

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait(self, check: Callable[[], Any], timeout: float, what: str) -> Any:
        try:
            async with asyncio.timeout(timeout):
                while True:
                    result = check()
                    if result is not None:
                        return result
                    await self._changed.wait()
        except TimeoutError:
            recent = self.requests[-8:]
            raise FakeDiscordTimeout(
                f"timed out after {timeout}s waiting for {what}; recent requests={recent!r}; "
                f"unexpected={self.unexpected_requests!r}; client_errors="
                f"{[(r, r.response) for r in self.client_errors]!r}"
            ) from None
