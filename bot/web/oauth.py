"""Discord login: the OAuth2 authorization code flow, with scopes `identify` and `guilds`.

The browser goes to Discord's authorize page with a random `state`; Discord sends it back
with a one-time code, which the server exchanges for an access token with the client
secret. The token is used at once to read who the user is and which servers they are in,
and then dropped: the dashboard keeps no Discord token, so a stolen cookie cannot act on
Discord. Every address comes from settings, so tests point them at the fake Discord.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp
from pydantic import SecretStr

log = logging.getLogger(__name__)

SCOPES = "identify guilds"
TIMEOUT = aiohttp.ClientTimeout(total=10)


class LoginFailed(Exception):
    """Discord refused the code or could not be reached; the message is safe to log."""


@dataclass(frozen=True)
class DiscordUser:
    id: int
    name: str


@dataclass(frozen=True)
class UserGuild:
    """A server the user is in, as their token sees it."""

    id: int
    name: str


@dataclass(frozen=True)
class OAuthEndpoints:
    authorize_url: str
    token_url: str
    api_base: str  # where /users/@me lives
    redirect_uri: str


class DiscordOAuth:
    def __init__(self, endpoints: OAuthEndpoints, client_id: str, client_secret: SecretStr):
        self._endpoints = endpoints
        self._client_id = client_id
        self._client_secret = client_secret
        self._http: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._http = aiohttp.ClientSession(timeout=TIMEOUT)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    def authorize_url(self, state: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self._client_id,
            "scope": SCOPES,
            "state": state,
            "redirect_uri": self._endpoints.redirect_uri,
            "prompt": "none",
        }
        return f"{self._endpoints.authorize_url}?{urlencode(query)}"

    async def login(self, code: str) -> tuple[DiscordUser, list[UserGuild]]:
        """Exchanges the code and reads the user and their servers; LoginFailed otherwise."""
        token = await self._exchange(code)
        user = await self._get("/users/@me", token)
        guilds = await self._get("/users/@me/guilds", token)
        if not isinstance(user, dict) or not isinstance(guilds, list):
            raise LoginFailed("Discord answered the user endpoints with an unexpected shape")
        name = str(user.get("global_name") or user.get("username") or user["id"])
        return DiscordUser(int(user["id"]), name), [UserGuild(int(g["id"]), str(g.get("name", ""))) for g in guilds]

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None:
            raise RuntimeError("DiscordOAuth.start() was not awaited")
        return self._http

    async def _exchange(self, code: str) -> str:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self._endpoints.redirect_uri}
        auth = {"Authorization": aiohttp.encode_basic_auth(self._client_id, self._client_secret.get_secret_value())}
        try:
            async with self._session().post(self._endpoints.token_url, data=form, headers=auth) as response:
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise LoginFailed(f"token endpoint not reachable: {type(exc).__name__}") from None
        if response.status != 200 or not isinstance(body, dict) or "access_token" not in body:
            error = body.get("error") if isinstance(body, dict) else None
            raise LoginFailed(f"token endpoint refused the code: HTTP {response.status} {error or ''}".rstrip())
        return str(body["access_token"])

    async def _get(self, path: str, token: str) -> object:
        url = f"{self._endpoints.api_base}{path}"
        try:
            async with self._session().get(url, headers={"Authorization": f"Bearer {token}"}) as response:
                if response.status != 200:
                    raise LoginFailed(f"{path} answered HTTP {response.status}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise LoginFailed(f"{path} not reachable: {type(exc).__name__}") from None
