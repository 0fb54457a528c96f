"""OAuth2 as Discord does it, so the dashboard's "log in with Discord" runs end to end in a real browser:
the consent page at ``/oauth2/authorize`` (outside ``/api/v10``, as on discord.com), the code exchange at
``/api/v10/oauth2/token``, and the user's own routes ``/users/@me`` and ``/users/@me/guilds`` with a Bearer
token. Who is "logged in to Discord" in the browser is set by the test with ``oauth_login_as``.

It exists so the dashboard's login and permission checks meet the same refusals as on Discord (a code used
twice, a redirect_uri that differs, a wrong client secret, an expired token) without a network. The client
secret is never kept: recorded requests carry it redacted (``rest.py``).
"""

from __future__ import annotations

import base64
import html
import secrets
import time
from dataclasses import dataclass
from typing import Any

import yarl
from aiohttp import web

from .protocol import API_PREFIX, HTTPError, RecordedRequest

DEFAULT_CLIENT_SECRET = "fake-discord-client-secret"
REQUIRED_SCOPES = frozenset({"identify", "guilds"})
CODE_LIFETIME = 600.0  # Discord's codes live about ten minutes

_PAGE_TEXT = {
    "nl": {
        "title": "{app} wil toegang tot je Discord-account",
        "signed_in": "Ingelogd als",
        "may": "Hiermee mag {app}:",
        "identify": "je gebruikersnaam en avatar zien",
        "guilds": "weten op welke servers je zit",
        "authorize": "Autoriseren",
        "cancel": "Annuleren",
    },
    "en": {
        "title": "{app} wants to access your Discord account",
        "signed_in": "Signed in as",
        "may": "This will allow {app} to:",
        "identify": "access your username and avatar",
        "guilds": "know what servers you're in",
        "authorize": "Authorize",
        "cancel": "Cancel",
    },
}


@dataclass
class _Consent:
    """An authorization the browser is looking at (pending) or a code it was given (issued)."""

    user_id: int
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    expires_at: float = 0.0


@dataclass
class _Token:
    user_id: int
    scopes: tuple[str, ...]
    expires_at: float
    refresh_token: str


class OAuthMixin:
    """Discord's OAuth2 authorization code flow for ``FakeDiscord``."""

    def _init_oauth(self) -> None:
        self.oauth_client_id: str = str(self.application_id)  # Discord's client id is the application id
        self.oauth_client_secret: str = DEFAULT_CLIENT_SECRET
        #: Allowed redirect URIs; empty accepts any http(s) URL (a test's dashboard runs on a random port).
        self.oauth_redirect_uris: set[str] = set()
        self.oauth_token_lifetime: float = 604800.0
        #: Who is logged in to Discord in "the browser": the user the consent page names.
        self.oauth_logged_in_user: dict[str, Any] | None = None
        #: The query of every authorize page shown (no secrets in it).
        self.oauth_authorize_requests: list[dict[str, str]] = []
        #: Every consent decision: {"user_id", "decision": "authorize" | "cancel", "state", "redirect_uri"}.
        self.oauth_decisions: list[dict[str, Any]] = []
        #: Every POST to /oauth2/token, recorded with the client secret redacted.
        self.oauth_token_requests: list[RecordedRequest] = []
        self._oauth_pending: dict[str, _Consent] = {}
        self._oauth_codes: dict[str, _Consent] = {}
        self._oauth_tokens: dict[str, _Token] = {}
        self._oauth_refresh: dict[str, _Token] = {}
        self._oauth_consented: set[tuple[int, str, frozenset[str]]] = set()

    def _add_oauth_routes(self, app: web.Application) -> None:
        app.router.add_get("/oauth2/authorize", self._oauth_authorize_page)
        app.router.add_post("/oauth2/authorize", self._oauth_authorize_decision)
        app.router.add_post(API_PREFIX + "/oauth2/token", self._oauth_token_handler)

    @property
    def oauth_authorize_url(self) -> str:
        return f"{self.http_base}/oauth2/authorize"

    @property
    def oauth_token_url(self) -> str:
        return f"{self.api_base}/oauth2/token"

    def oauth_login_as(self, user: dict[str, Any] | int | None) -> None:
        """Log this user in to Discord in the browser (a payload from ``add_web_user``, or an id); None logs out.
        It holds until changed, like Discord's own session."""
        uid = int(user["id"]) if isinstance(user, dict) else user
        found = self.known_user(uid) if uid is not None else None
        if uid is not None and found is None:
            raise ValueError(f"unknown user {uid}: create it with add_web_user")
        self.oauth_logged_in_user = found

    def expire_oauth_tokens(self) -> None:
        """Make every access token issued so far expired (the next Bearer request gets a 401)."""
        for token in self._oauth_tokens.values():
            token.expires_at = 0.0

    # ------------------------------------------------------------------ the browser's side

    async def _oauth_authorize_page(self, request: web.Request) -> web.StreamResponse:
        query = dict(request.query)
        self.oauth_authorize_requests.append(query)
        client_id, redirect_uri = query.get("client_id", ""), query.get("redirect_uri", "")
        if client_id != self.oauth_client_id:
            return _page(400, "Ongeldige OAuth2-aanvraag", f"Onbekende client_id: {client_id!r}")
        if not self._redirect_allowed(redirect_uri):
            return _page(400, "Ongeldige OAuth2-aanvraag", f"Ongeldige redirect_uri: {redirect_uri!r}")
        state = query.get("state")
        if query.get("response_type") != "code":
            raise _redirect(redirect_uri, error="unsupported_response_type", state=state)
        scopes = tuple(query.get("scope", "").split())
        if not set(scopes) >= REQUIRED_SCOPES:
            raise _redirect(redirect_uri, error="invalid_scope", state=state)
        user = self.oauth_logged_in_user
        if user is None:
            return _page(401, "Niet ingelogd bij Discord", "Roep fake.oauth_login_as(user) aan voor de login.")
        consent = _Consent(int(user["id"]), client_id, redirect_uri, scopes, state)
        if query.get("prompt") == "none" and self._consent_key(consent) in self._oauth_consented:
            raise _redirect(redirect_uri, code=self._issue_code(consent), state=state)
        request_id = secrets.token_urlsafe(16)
        self._oauth_pending[request_id] = consent
        return _consent_page(request_id, self.bot_user["username"], user, scopes)

    async def _oauth_authorize_decision(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        consent = self._oauth_pending.pop(str(form.get("request_id", "")), None)
        if consent is None:
            return _page(400, "Ongeldige OAuth2-aanvraag", "Deze aanvraag is onbekend of al beantwoord.")
        decision = "authorize" if form.get("decision") == "authorize" else "cancel"
        self.oauth_decisions.append(
            {
                "user_id": consent.user_id,
                "decision": decision,
                "state": consent.state,
                "redirect_uri": consent.redirect_uri,
            }
        )
        self._notify()
        if decision == "cancel":
            raise _redirect(
                consent.redirect_uri,
                error="access_denied",
                error_description="The resource owner or authorization server denied the request",
                state=consent.state,
            )
        self._oauth_consented.add(self._consent_key(consent))
        raise _redirect(consent.redirect_uri, code=self._issue_code(consent), state=consent.state)

    def _redirect_allowed(self, uri: str) -> bool:
        if self.oauth_redirect_uris:
            return uri in self.oauth_redirect_uris
        url = yarl.URL(uri)
        return url.scheme in ("http", "https") and bool(url.host)

    @staticmethod
    def _consent_key(consent: _Consent) -> tuple[int, str, frozenset[str]]:
        return consent.user_id, consent.client_id, frozenset(consent.scopes)

    def _issue_code(self, consent: _Consent) -> str:
        code = secrets.token_urlsafe(24)
        consent.expires_at = time.monotonic() + CODE_LIFETIME
        self._oauth_codes[code] = consent
        return code

    # ------------------------------------------------------------------ the dashboard's side

    async def _oauth_token_handler(self, request: web.Request) -> web.StreamResponse:
        rec = self._record(request)
        rec.route = "/oauth2/token"
        self.oauth_token_requests.append(rec)
        await self._read_body(request, rec)  # keeps the form with client_secret redacted
        form = await request.post()  # aiohttp caches it: the real values, never stored
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                client_id, _, client_secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
            except ValueError:
                return self._finish(rec, self._oauth_error(rec, 401, "invalid_client"))
        if client_id != self.oauth_client_id or client_secret != self.oauth_client_secret:
            return self._finish(rec, self._oauth_error(rec, 401, "invalid_client"))
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            consent = self._oauth_codes.pop(str(form.get("code", "")), None)  # one use, even a failed one
            if consent is None or consent.expires_at < time.monotonic() or consent.client_id != client_id:
                return self._finish(rec, self._oauth_error(rec, 400, "invalid_grant", 'Invalid "code" in request.'))
            if form.get("redirect_uri") != consent.redirect_uri:
                return self._finish(
                    rec, self._oauth_error(rec, 400, "invalid_grant", 'Invalid "redirect_uri" in request.')
                )
            user_id, scopes = consent.user_id, consent.scopes
        elif grant_type == "refresh_token":
            old = self._oauth_refresh.pop(str(form.get("refresh_token", "")), None)
            if old is None:
                return self._finish(rec, self._oauth_error(rec, 400, "invalid_grant"))
            self._oauth_tokens = {k: t for k, t in self._oauth_tokens.items() if t is not old}
            user_id, scopes = old.user_id, old.scopes
        else:
            return self._finish(rec, self._oauth_error(rec, 400, "unsupported_grant_type"))
        return self._finish(rec, self._json(rec, self._issue_token(user_id, scopes)))

    def _issue_token(self, user_id: int, scopes: tuple[str, ...]) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        token = _Token(user_id, scopes, time.monotonic() + self.oauth_token_lifetime, refresh)
        self._oauth_tokens[access] = token
        self._oauth_refresh[refresh] = token
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": int(self.oauth_token_lifetime),
            "refresh_token": refresh,
            "scope": " ".join(scopes),
        }

    def _oauth_error(self, rec: RecordedRequest, status: int, error: str, description: str = "") -> web.Response:
        body = {"error": error, "error_description": description} if description else {"error": error}
        return self._json(rec, body, status)

    # ------------------------------------------------------------------ the user's own routes

    def _bearer_user(self, rec: RecordedRequest, scope: str) -> dict[str, Any] | None:
        """The user a Bearer token belongs to; None for the bot token (``rest.py`` let nothing else through)."""
        header = next((v for k, v in rec.headers.items() if k.lower() == "authorization"), "")
        if not header.startswith("Bearer "):
            return None
        token = self._oauth_tokens.get(header[len("Bearer ") :])
        if token is None or token.expires_at < time.monotonic() or scope not in token.scopes:
            raise HTTPError(401, 0, "401: Unauthorized")
        user = self.known_user(token.user_id)
        if user is None:
            raise HTTPError(401, 0, "401: Unauthorized")
        return user

    async def _h_me(self, rec: RecordedRequest) -> web.Response:
        return self._json(rec, self._bearer_user(rec, "identify") or self.bot_user)

    async def _h_my_guilds(self, rec: RecordedRequest) -> web.Response:
        user = self._bearer_user(rec, "guilds")
        user_id = int(user["id"]) if user else self.bot_user_id
        with_counts = rec.query.get("with_counts", "").lower() in ("1", "true")
        guilds = []
        for guild in sorted(self.guilds.values(), key=lambda g: g.id):
            if user is None:  # the bot is in every guild, with @everyone's permissions
                permissions: int | None = guild.member_permissions([], is_owner=False)
            else:
                permissions = self.guild_permissions(guild, user_id)
            if permissions is None:
                continue
            partial = {
                "id": str(guild.id),
                "name": guild.name,
                "icon": None,
                "banner": None,
                "owner": user_id == guild.effective_owner_id(self.owner_id),
                "permissions": str(permissions),
                "features": list(guild.features),
            }
            if with_counts:
                partial.update(approximate_member_count=guild.member_count, approximate_presence_count=0)
            guilds.append(partial)
        return self._json(rec, guilds)


def _redirect(uri: str, **params: str | None) -> web.HTTPFound:
    """The 302 back to the client, with the parameters added to any query the redirect_uri already has."""
    return web.HTTPFound(str(yarl.URL(uri).extend_query({k: v for k, v in params.items() if v is not None})))


def _page(status: int, title: str, message: str) -> web.Response:
    body = (
        f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
        f"<body><main><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></main></body></html>"
    )
    return web.Response(status=status, text=body, content_type="text/html")


def _consent_page(request_id: str, app: str, user: dict[str, Any], scopes: tuple[str, ...]) -> web.Response:
    lang = "nl" if str(user.get("locale", "nl")).startswith("nl") else "en"
    text = _PAGE_TEXT[lang]
    esc = html.escape
    items = "".join(f"<li>{esc(text[s])}</li>" for s in scopes if s in text)
    body = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>Discord — {esc(text['authorize'])}</title></head><body><main>"
        f"<h1>{esc(text['title'].format(app=app))}</h1>"
        f"<p>{esc(text['signed_in'])} <strong>{esc(user['username'])}</strong></p>"
        f"<p>{esc(text['may'].format(app=app))}</p><ul>{items}</ul>"
        f'<form method="post" action="/oauth2/authorize">'
        f'<input type="hidden" name="request_id" value="{esc(request_id)}">'
        f'<button type="submit" name="decision" value="cancel">{esc(text["cancel"])}</button> '
        f'<button type="submit" name="decision" value="authorize">{esc(text["authorize"])}</button>'
        f"</form></main></body></html>"
    )
    return web.Response(text=body, content_type="text/html")
