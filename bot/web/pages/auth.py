"""Logging in with Discord, logging out, and the list of the visitor's servers."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets

from aiohttp import web

from bot.web.context import context_of
from bot.web.guard import PageRefused, Viewer, signed_in, visitor
from bot.web.oauth import LoginFailed
from bot.web.render import page_lang
from bot.web.session import log_in, log_out, remember_state, take_state

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _safe_next(path: str | None) -> str:
    """Only a path on this site: an open redirect would let a link send a moderator anywhere.
    Control characters are refused too: a redirect drops them, which turns `/<TAB>/evil`
    into `//evil`."""
    if not path or not path.isprintable() or not path.isascii():
        return "/"
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


@routes.get("/")
async def home(request: web.Request) -> web.Response:
    context = context_of(request)
    viewer = await visitor(request)
    if viewer is None:
        return context.pages.response(request, "landing.html", page_lang(request), viewer=None)
    servers = await _servers(request, viewer)
    return context.pages.response(request, "servers.html", viewer.lang, viewer=viewer, servers=servers)


async def _servers(request: web.Request, viewer: Viewer) -> list[dict[str, object]]:
    """The visitor's servers where the bot is too, each with what they may do there."""
    context = context_of(request)
    checks = await asyncio.gather(*(context.access.check(viewer.user.id, gid) for gid, _ in viewer.user.guilds))
    home = context.settings.home_guild_id
    return [
        {"id": gid, "name": name, "moderator": access.moderator, "home": gid == home}
        for (gid, name), access in zip(viewer.user.guilds, checks, strict=True)
        if access.in_guild
    ]


@routes.get("/login")
async def login(request: web.Request) -> web.Response:
    context = context_of(request)
    state = secrets.token_urlsafe(24)
    await remember_state(request, state, _safe_next(request.query.get("next")))
    raise web.HTTPFound(context.oauth.authorize_url(state))


@routes.get("/auth/callback")
async def callback(request: web.Request) -> web.Response:
    context = context_of(request)
    stored = await take_state(request)
    state = request.query.get("state", "")
    if stored is None or not hmac.compare_digest(stored[0], state):
        raise PageRefused(400, "web_login_state")
    if "error" in request.query or "code" not in request.query:
        raise PageRefused(400, "web_login_cancelled")
    try:
        user, guilds = await context.oauth.login(request.query["code"])
    except LoginFailed as exc:
        log.warning("web: login failed: %s", exc)
        raise PageRefused(502, "web_login_failed") from None
    await log_in(request, user, guilds, context.services.clock.now(), await context.epochs.current(user.id))
    context.access.forget(user.id)
    log.info("web: %s logged in", context.services.hasher.hash(user.id)[:16])
    raise web.HTTPFound(_safe_next(stored[1]))


@routes.post("/logout")
async def logout(request: web.Request) -> web.Response:
    context = context_of(request)
    user = await signed_in(request)
    if user is not None:
        context.access.forget(user.id)
        await context.epochs.end_sessions(user.id)
        log.info("web: %s logged out", context.services.hasher.hash(user.id)[:16])
    await log_out(request)
    raise web.HTTPFound("/")
