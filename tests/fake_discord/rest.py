"""REST routing: the route table, request recording, authorisation, Discord's JSON and error bodies,
rate-limit headers and the 429s a test asks for with ``rate_limit_next`` or, with ``rate_limits=``,
Discord's standing limits (``rate_limits.py``).

It exists so every REST handler elsewhere only says what Discord answers; how a request is matched,
recorded, refused or rate limited is decided here once.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .protocol import (
    API_PREFIX,
    HTTPError,
    RateLimitRule,
    RecordedFile,
    RecordedRequest,
)
from .rate_limits import RateLimits

#: The auth of a route the dashboard's user may call as themselves: the bot token, or an OAuth2 Bearer
#: token (checked by the handler, ``oauth.py``). Every other authorised route takes the bot token only.
BOT_OR_BEARER = "bot-or-bearer"
#: Form fields and headers that carry a client secret: never kept in a recorded request.
SECRET_FIELDS = frozenset({"client_secret"})
REDACTED = "[redacted]"


class RestMixin:
    """REST dispatch of ``FakeDiscord``; the handlers live in the other mixins."""

    #: Discord's standing REST limits (``rate_limits.py``); None answers everything at once.
    rate_limits: RateLimits | None = None

    def _init_rest(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.unexpected_requests: list[RecordedRequest] = []
        #: Every 4xx the fake answered other than 429 (unknown routes, validation errors, auth failures).
        self.client_errors: list[RecordedRequest] = []
        self.rate_limited_requests: list[RecordedRequest] = []
        self._rate_limits: list[RateLimitRule] = []
        self._routes = self._build_routes()

    async def wait_for_request(
        self, method: str, pattern: str, timeout: float = 5.0, *, count: int = 1
    ) -> list[RecordedRequest]:
        def check():
            found = self.requests_matching(method, pattern)
            return found if len(found) >= count else None

        return await self._wait(check, timeout, f"{count}x {method} {pattern}")

    def requests_matching(self, method: str, pattern: str) -> list[RecordedRequest]:
        """Recorded requests whose method matches (``*`` = any) and path matches ``pattern`` (a route
        template with ``{placeholders}``, or an fnmatch glob such as ``/interactions/*/callback``)."""
        rule = RateLimitRule(method.upper() if method != "*" else "*", pattern, 0, 0, False, "user")
        return [r for r in self.requests if rule.matches(r.method, r.path, r.route)]

    # ------------------------------------------------------------------ rate limits

    def rate_limit_next(
        self,
        method: str,
        route_pattern: str,
        retry_after: float = 0.05,
        count: int = 1,
        *,
        is_global: bool = False,
        scope: str = "user",
    ) -> None:
        """Answer the next ``count`` requests matching (method, route_pattern) with a 429."""
        self._rate_limits.append(
            RateLimitRule(method.upper() if method != "*" else "*", route_pattern, retry_after, count, is_global, scope)
        )

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], str, Callable, bool]]:
        # Every REST route of the fake, in matching order; the handlers live in the module of their part.
        table: list[tuple[str, str, Callable, bool]] = [
            ("GET", "/users/@me", self._h_me, BOT_OR_BEARER),
            ("GET", "/users/@me/guilds", self._h_my_guilds, BOT_OR_BEARER),
            ("GET", "/users/{user_id}", self._h_user, True),
            ("POST", "/users/@me/channels", self._h_create_dm, True),
            ("GET", "/gateway", self._h_gateway, False),
            ("GET", "/gateway/bot", self._h_gateway_bot, True),
            ("GET", "/oauth2/applications/@me", self._h_app_info, True),
            ("GET", "/applications/@me", self._h_app_info, True),
            ("GET", "/applications/{application_id}/commands", self._h_get_commands, True),
            ("PUT", "/applications/{application_id}/commands", self._h_put_commands, True),
            ("POST", "/applications/{application_id}/commands", self._h_post_command, True),
            ("GET", "/applications/{application_id}/commands/{command_id}", self._h_get_command, True),
            ("DELETE", "/applications/{application_id}/commands/{command_id}", self._h_delete_command, True),
            ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self._h_get_commands, True),
            ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self._h_put_commands, True),
            ("POST", "/applications/{application_id}/guilds/{guild_id}/commands", self._h_post_command, True),
            (
                "GET",
                "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}",
                self._h_get_command,
                True,
            ),
            (
                "DELETE",
                "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}",
                self._h_delete_command,
                True,
            ),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._h_callback, False),
            ("GET", "/webhooks/{webhook_id}/{token}/messages/{message_id}", self._h_webhook_get, False),
            ("PATCH", "/webhooks/{webhook_id}/{token}/messages/{message_id}", self._h_webhook_edit, False),
            ("DELETE", "/webhooks/{webhook_id}/{token}/messages/{message_id}", self._h_webhook_delete, False),
            ("POST", "/webhooks/{webhook_id}/{token}", self._h_followup, False),
            ("GET", "/channels/{channel_id}", self._h_get_channel, True),
            ("GET", "/guilds/{guild_id}", self._h_get_guild, True),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._h_get_member, True),
            ("GET", "/guilds/{guild_id}/roles", self._h_get_roles, True),
            ("GET", "/guilds/{guild_id}/channels", self._h_get_channels, True),
            ("POST", "/channels/{channel_id}/messages", self._h_channel_post, True),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._h_channel_get_message, True),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._h_channel_edit_message, True),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._h_channel_delete_message, True),
            ("POST", "/channels/{channel_id}/typing", self._h_typing, True),
        ]
        compiled = []
        for method, template, handler, auth in table:
            rx = "".join(
                f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part)
                for part in re.split(r"(\{[^}]+\})", template)
            )
            compiled.append((method, re.compile(rx + r"/?"), template, handler, auth))
        return compiled

    async def _read_body(self, request: web.Request, rec: RecordedRequest) -> None:
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/"):
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                raw = bytes(await part.read(decode=False))
                if part.name == "payload_json":
                    rec.json = json.loads(raw.decode())
                else:
                    rec.files.append(
                        RecordedFile(part.name or "", part.filename, part.headers.get("Content-Type"), raw)
                    )
        elif ctype.startswith("application/x-www-form-urlencoded"):
            form = await request.post()
            rec.json = {k: REDACTED if k in SECRET_FIELDS else str(v) for k, v in form.items()}
        elif request.can_read_body:
            raw = await request.read()
            if raw:
                try:
                    rec.json = json.loads(raw.decode())
                except ValueError:
                    rec.json = raw.decode(errors="replace")

    def _ratelimit_headers(self, route: str | None) -> dict[str, str]:
        bucket = hashlib.md5((route or "?").encode()).hexdigest()
        return {
            "X-RateLimit-Limit": "10000",
            "X-RateLimit-Remaining": "9999",
            "X-RateLimit-Reset": f"{time.time() + 60:.3f}",
            "X-RateLimit-Reset-After": "60.000",
            "X-RateLimit-Bucket": bucket,
            "Via": "1.1 google",
        }

    def _record(self, request: web.Request) -> RecordedRequest:
        """Start the record of a request (path below /api/v10), with any client secret in it redacted."""
        full_path = request.path
        path = full_path[len(API_PREFIX) :] if full_path.startswith(API_PREFIX + "/") else full_path
        rec = RecordedRequest(request.method, path, dict(request.query))
        for key, value in request.headers.items():
            if key.lower() in ("authorization", "x-audit-log-reason"):
                basic = key.lower() == "authorization" and value.startswith("Basic ")  # client_id:client_secret
                rec.headers[key] = f"Basic {REDACTED}" if basic else value
        self.requests.append(rec)
        return rec

    async def _rest_handler(self, request: web.Request) -> web.StreamResponse:
        full_path = request.path
        rec = self._record(request)
        path = rec.path
        try:
            await self._read_body(request, rec)
        except Exception as exc:  # malformed body: report as a client error
            resp = self._error(rec, 400, 50109, f"The request body contains invalid JSON. ({exc})")
            return self._finish(rec, resp)

        match = None
        method_mismatch = False
        if full_path.startswith(API_PREFIX + "/"):
            for method, rx, template, handler, auth in self._routes:
                m = rx.fullmatch(path)
                if m is None:
                    continue
                if method != request.method:
                    method_mismatch = True
                    continue
                match = (template, handler, auth, m.groupdict())
                break
        if match is None:
            self.unexpected_requests.append(rec)
            if method_mismatch:
                resp = self._error(rec, 405, 0, "405: Method Not Allowed")
            else:
                resp = self._error(rec, 404, 0, "404: Not Found")
            return self._finish(rec, resp)

        template, handler, auth, params = match
        rec.route, rec.params = template, params

        for rule in self._rate_limits:
            if rule.count > 0 and rule.matches(request.method, path, template):
                rule.count -= 1
                rule.hits += 1
                return self._finish(rec, self._rate_limited(rec, rule))
        self._rate_limits = [r for r in self._rate_limits if r.count > 0]
        verdict = self.rate_limits.check(request.method, template, params) if self.rate_limits else None
        if verdict is not None and verdict.refused:
            return self._finish(rec, self._rate_limited(rec, verdict.rule(request.method, template)), verdict.headers)

        if auth and not self._authorised(request.headers.get("Authorization", ""), auth):
            return self._finish(rec, self._error(rec, 401, 0, "401: Unauthorized"))
        try:
            resp = await handler(rec, **params)
        except HTTPError as err:
            resp = self._error(rec, err.status, err.code, err.message, err.errors)
        return self._finish(rec, resp, verdict.headers if verdict else None)

    def _authorised(self, header: str, auth: bool | str) -> bool:
        """The bot token opens every authorised route; a Bearer token only the user's own routes, where
        the handler checks the token itself."""
        if header == f"Bot {self.token}":
            return True
        return auth == BOT_OR_BEARER and header.startswith("Bearer ")

    def _finish(
        self, rec: RecordedRequest, resp: web.Response, limit_headers: dict[str, str] | None = None
    ) -> web.Response:
        rec.status = resp.status
        if 400 <= resp.status < 500 and resp.status != 429:
            self.client_errors.append(rec)
        resp.headers.update(limit_headers or {})
        for k, v in self._ratelimit_headers(rec.route).items():
            resp.headers.setdefault(k, v)
        self._notify()
        return resp

    def _json(self, rec: RecordedRequest, body: Any, status: int = 200) -> web.Response:
        rec.response = body
        # discord.py only parses JSON when Content-Type is exactly "application/json" (no charset)
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return web.Response(body=raw, status=status, headers={"Content-Type": "application/json"})

    def _empty(self, rec: RecordedRequest) -> web.Response:
        return web.Response(status=204)

    def _error(self, rec: RecordedRequest, status: int, code: int, message: str, errors: Any = None) -> web.Response:
        body: dict[str, Any] = {"message": message, "code": code}
        if errors:
            body["errors"] = errors
        return self._json(rec, body, status)

    def _rate_limited(self, rec: RecordedRequest, rule: RateLimitRule) -> web.Response:
        rec.rate_limited = True
        self.rate_limited_requests.append(rec)
        if rec.route and rec.route.startswith("/interactions/"):
            it = self.interactions.get(int(rec.params.get("interaction_id", 0)))
            if it is not None:
                it.callback_attempts.append(rec)
        body = {"message": "You are being rate limited.", "retry_after": rule.retry_after, "global": rule.is_global}
        resp = self._json(rec, body, 429)
        headers = self._ratelimit_headers(rec.route)
        headers.update(
            {
                "Retry-After": str(max(1, int(rule.retry_after + 0.999))),
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
                "X-RateLimit-Scope": rule.scope,
            }
        )
        if rule.is_global:
            headers["X-RateLimit-Global"] = "true"
        resp.headers.update(headers)
        return resp

    async def _attachment_handler(self, request: web.Request) -> web.StreamResponse:
        data = self.attachment_data.get(int(request.match_info["attachment_id"]))
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")
