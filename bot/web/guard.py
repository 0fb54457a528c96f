"""The check in front of every server page: logged in, and a moderator of that server by
Discord's roles right now (access.py); the editor's pages also need the home server.

A visitor who is not logged in is sent to the login and back; a logged-in user without the
rights gets the 403 page, which says why and what to ask for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web

from bot.knowledge.model import Lang
from bot.web.access import Access
from bot.web.context import context_of
from bot.web.render import page_lang
from bot.web.session import WebUser, csrf_token, current_user

log = logging.getLogger(__name__)


class PageRefused(Exception):
    """Rendered as an error page with this status and the text of `reason` (a string key)."""

    def __init__(self, status: int, reason: str, **values: object):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.values = values


@dataclass(frozen=True)
class Viewer:
    user: WebUser
    lang: Lang
    csrf: str
    actor: str  # the keyed hash of the user id, for the action log
    access: Access | None = None
    guild_name: str = ""

    @property
    def guild_id(self) -> int:
        if self.access is None:
            raise RuntimeError("not a server page")
        return self.access.guild_id


async def signed_in(request: web.Request) -> WebUser | None:
    """The user of this session, unless it expired or they logged out since (anywhere)."""
    context = context_of(request)
    user = await current_user(request, context.services.clock.now(), context.settings.web_session_hours)
    if user is None or user.epoch != await context.epochs.current(user.id):
        return None
    return user


async def visitor(request: web.Request) -> Viewer | None:
    """The logged-in visitor, or None: for pages anyone may see (the landing, error pages)."""
    user = await signed_in(request)
    if user is None:
        return None
    actor = context_of(request).services.hasher.hash(user.id)[:16]
    return Viewer(user, page_lang(request), await csrf_token(request), actor)


async def logged_in(request: web.Request) -> Viewer:
    """The logged-in visitor; a redirect to the login (and back here) otherwise."""
    viewer = await visitor(request)
    if viewer is None:
        raise web.HTTPFound(f"/login?next={quote(request.path_qs, safe='')}")
    return viewer


def _guild_id(request: web.Request) -> int:
    text = request.match_info.get("guild_id", "")
    if not text.isdigit():
        raise PageRefused(404, "web_not_found")
    return int(text)


async def moderator(request: web.Request) -> Viewer:
    """A moderator of the server in the path, checked with Discord now."""
    viewer = await logged_in(request)
    guild_id = _guild_id(request)
    access = await context_of(request).access.check(viewer.user.id, guild_id)
    if not access.in_guild or not access.moderator:
        log.info("web: %s refused on guild %s (member: %s)", viewer.actor, guild_id, access.in_guild)
        raise PageRefused(403, "web_forbidden_guild" if access.in_guild else "web_forbidden_not_member")
    name = dict(viewer.user.guilds).get(guild_id) or str(guild_id)
    return Viewer(viewer.user, viewer.lang, viewer.csrf, viewer.actor, access, name)


async def content_editor(request: web.Request) -> Viewer:
    """A moderator of the home server: only they change the content every server shares."""
    viewer = await moderator(request)
    if viewer.access is None or not viewer.access.edits_shared:
        raise PageRefused(403, "web_forbidden_home")
    return viewer
