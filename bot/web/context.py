"""What every page handler reaches through the aiohttp application: the core services,
built once by the composition root (bot/services.py), and the web's own parts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.config import Settings
from bot.services import Services
from bot.web.access import GuildAccess
from bot.web.discord_directory import DiscordDirectory
from bot.web.oauth import DiscordOAuth
from bot.web.render import Pages
from bot.web.session_epochs import SessionEpochs


@dataclass(frozen=True)
class WebContext:
    services: Services
    access: GuildAccess
    directory: DiscordDirectory
    oauth: DiscordOAuth
    pages: Pages
    epochs: SessionEpochs
    # Wakes the tip scheduler after a schedule changed, as tips-set in Discord does.
    schedule_changed: Callable[[int], None]

    @property
    def settings(self) -> Settings:
        return self.services.settings


CONTEXT = web.AppKey("cmo_web", WebContext)


def context_of(request: web.Request) -> WebContext:
    return request.app[CONTEXT]
