"""Who is logged in, kept in an encrypted cookie, and the CSRF token of their forms.

The cookie (aiohttp-session's Fernet storage) holds the Discord user id and name, the
servers they are in (id and name, capped so the cookie stays under the 4 KB browsers
keep), the login time and a CSRF token. It is HttpOnly and SameSite=Lax, and Secure when
the dashboard is served over https. A login lasts CMO_WEB_SESSION_HOURS by the bot's
clock, so tests can let a session expire without waiting.

No Discord token is kept: roles are read with the bot's token on each request (access.py).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web
from aiohttp_session import Session, get_session, new_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot.web.oauth import DiscordUser, UserGuild

COOKIE_NAME = "cmo_session"
CSRF_FIELD = "csrf"
MAX_GUILDS = 40
GUILD_NAME_MAX = 40


def cookie_storage(key: bytes, *, hours: int, secure: bool) -> EncryptedCookieStorage:
    return EncryptedCookieStorage(
        key,
        cookie_name=COOKIE_NAME,
        max_age=hours * 3600,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )


@dataclass(frozen=True)
class WebUser:
    id: int
    name: str
    guilds: tuple[tuple[int, str], ...]
    epoch: int  # the user's logout counter when this session was made (session_epochs.py)


async def log_in(
    request: web.Request, user: DiscordUser, guilds: list[UserGuild], now: datetime, epoch: int
) -> None:
    """A fresh session (a new cookie, so a cookie set before the login is worth nothing)."""
    session = await new_session(request)
    session["user"] = [str(user.id), user.name[:64]]
    session["epoch"] = epoch
    session["guilds"] = [[str(g.id), g.name[:GUILD_NAME_MAX]] for g in guilds[:MAX_GUILDS]]
    session["at"] = now.timestamp()
    session[CSRF_FIELD] = secrets.token_urlsafe(32)


async def log_out(request: web.Request) -> None:
    session = await get_session(request)
    session.invalidate()


def _expired(session: Session, now: datetime, hours: int) -> bool:
    at = session.get("at")
    if not isinstance(at, int | float):
        return True
    return now - datetime.fromtimestamp(at, now.tzinfo) > timedelta(hours=hours)


async def current_user(request: web.Request, now: datetime, hours: int) -> WebUser | None:
    """The user this cookie says, or None (never logged in, logged out here, or expired).
    Whether a logout elsewhere ended it is for the caller to check (guard.signed_in)."""
    session = await get_session(request)
    user = session.get("user")
    if not user or _expired(session, now, hours):
        return None
    guilds = tuple((int(g[0]), str(g[1])) for g in session.get("guilds", []))
    epoch = session.get("epoch")
    return WebUser(int(user[0]), str(user[1]), guilds, epoch if isinstance(epoch, int) else -1)


async def csrf_token(request: web.Request) -> str:
    """The token every form of this session carries; made on first use (a login form too)."""
    session = await get_session(request)
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


async def csrf_ok(request: web.Request, sent: str | None) -> bool:
    session = await get_session(request)
    expected = session.get(CSRF_FIELD)
    return isinstance(expected, str) and isinstance(sent, str) and hmac.compare_digest(expected, sent)


async def remember_state(request: web.Request, state: str, next_path: str) -> None:
    session = await get_session(request)
    session["oauth"] = [state, next_path]


async def take_state(request: web.Request) -> tuple[str, str] | None:
    """The login's state and where to go after it, usable once."""
    session = await get_session(request)
    stored = session.pop("oauth", None)
    if not stored or len(stored) != 2:
        return None
    return str(stored[0]), str(stored[1])
