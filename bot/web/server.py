"""Serves the dashboard from the bot process on CMO_WEB_ADDR, beside the health server.

It is built from the services the composition root made (bot/services.py) and the bot's own
REST client, so pages read and change exactly what the slash commands do, and a change made
here is live for the next /ask at once (and, through the content version, in every process).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from importlib import resources

import discord
from aiohttp import web
from aiohttp_session import session_middleware

from bot.services import Services
from bot.web.access import GuildAccess
from bot.web.context import CONTEXT, WebContext
from bot.web.discord_directory import DiscordDirectory
from bot.web.oauth import DiscordOAuth, OAuthEndpoints
from bot.web.pages import auth, content, export, history, overview, queue, tips
from bot.web.render import Pages
from bot.web.security import csrf_check, error_pages, security_headers
from bot.web.session import cookie_storage
from bot.web.session_epochs import SessionEpochs

log = logging.getLogger(__name__)

CALLBACK_PATH = "/auth/callback"
MAX_BODY = 512 * 1024  # a whole topic is a few kB; anything far larger is refused


def session_key(services: Services) -> bytes:
    secret = services.settings.web_secret
    if secret is not None:
        return hashlib.sha256(secret.get_secret_value().encode()).digest()
    return services.hasher.derive("web session cookies")


def build_app(context: WebContext, key: bytes, *, secure: bool, hours: int) -> web.Application:
    app = web.Application(
        middlewares=[
            security_headers,
            session_middleware(cookie_storage(key, hours=hours, secure=secure)),
            error_pages,
            csrf_check,
        ],
        client_max_size=MAX_BODY,
    )
    app[CONTEXT] = context
    for module in (auth, overview, queue, content, history, tips, export):
        app.router.add_routes(module.routes)
    static = resources.files("bot.web").joinpath("static")
    app.router.add_static("/static/", str(static), append_version=True)
    return app


class WebDashboard:
    def __init__(
        self, services: Services, http: discord.http.HTTPClient, schedule_changed: Callable[[int], None]
    ) -> None:
        settings = services.settings
        if not (settings.web_addr and settings.public_url and settings.client_id and settings.client_secret):
            raise ValueError(f"the dashboard needs {', '.join(settings.web_missing) or 'CMO_WEB_ADDR'}")
        self.host, self.port = settings.web_addr
        endpoints = OAuthEndpoints(
            settings.oauth_authorize_url, settings.token_url, settings.discord_api_base,
            settings.public_url + CALLBACK_PATH,
        )  # fmt: skip
        self.oauth = DiscordOAuth(endpoints, settings.client_id, settings.client_secret)
        directory = DiscordDirectory(http)
        context = WebContext(
            services=services,
            access=GuildAccess(directory, settings.editor_role_ids, settings.home_guild_id, services.clock),
            directory=directory,
            oauth=self.oauth,
            pages=Pages(),
            epochs=SessionEpochs(services.db, services.hasher),
            schedule_changed=schedule_changed,
        )
        secure = settings.public_url.startswith("https://")
        self.app = build_app(context, session_key(services), secure=secure, hours=settings.web_session_hours)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        await self.oauth.start()
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if server is not None and getattr(server, "sockets", None):
            self.port = server.sockets[0].getsockname()[1]
        log.info("web dashboard on http://%s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.oauth.close()
