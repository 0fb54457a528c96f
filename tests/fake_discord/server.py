"""A fake Discord (REST + gateway) that the real, unmodified discord.py client talks to over a real socket.

See ``tests/fake_discord/__init__.py`` for the public surface and a usage example.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import hashlib
import json
import re
import secrets
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

import aiohttp
from aiohttp import web

from .models import (
    ALL_PERMISSIONS,
    CHANNEL_DM,
    CHANNEL_TEXT,
    DEFAULT_MEMBER_PERMISSIONS,
    P_SEND_MESSAGES,
    P_VIEW_CHANNEL,
    ChannelSpec,
    GuildSpec,
    SnowflakeFactory,
    iso_now,
    make_guilds,
    member_payload,
    user_payload,
)

API_PREFIX = "/api/v10"
DEFAULT_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.cmo-bot-test-token"

# Interaction types
IT_PING, IT_APPLICATION_COMMAND, IT_COMPONENT, IT_AUTOCOMPLETE, IT_MODAL_SUBMIT = 1, 2, 3, 4, 5
# Interaction callback types
CB_PONG = 1
CB_MESSAGE = 4
CB_DEFERRED_MESSAGE = 5
CB_DEFERRED_UPDATE = 6
CB_UPDATE_MESSAGE = 7
CB_AUTOCOMPLETE = 8
CB_MODAL = 9
CB_PREMIUM_REQUIRED = 10
CB_LAUNCH_ACTIVITY = 12

ALLOWED_CALLBACKS = {
    IT_APPLICATION_COMMAND: {CB_MESSAGE, CB_DEFERRED_MESSAGE, CB_MODAL, CB_PREMIUM_REQUIRED, CB_LAUNCH_ACTIVITY},
    IT_COMPONENT: {CB_MESSAGE, CB_DEFERRED_MESSAGE, CB_DEFERRED_UPDATE, CB_UPDATE_MESSAGE, CB_MODAL},
    IT_AUTOCOMPLETE: {CB_AUTOCOMPLETE},
    IT_MODAL_SUBMIT: {CB_MESSAGE, CB_DEFERRED_MESSAGE, CB_DEFERRED_UPDATE, CB_UPDATE_MESSAGE},
}

FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

# Gateway opcodes
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_PRESENCE, OP_VOICE_STATE = 0, 1, 2, 3, 4
OP_RESUME, OP_RECONNECT, OP_REQUEST_MEMBERS, OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11

_DEFAULT = object()


class FakeDiscordTimeout(TimeoutError):
    """Raised by the ``wait_*`` helpers; the message says what was awaited and what the fake saw."""


# ---------------------------------------------------------------------------------------------- records


@dataclass
class RecordedFile:
    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    method: str
    path: str  # path below /api/v10, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any = None
    files: list[RecordedFile] = field(default_factory=list)
    route: str | None = None  # matched template, e.g. "/channels/{channel_id}/messages"
    params: dict[str, str] = field(default_factory=dict)
    status: int = 0
    response: Any = None
    rate_limited: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    time: float = field(default_factory=time.monotonic)

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


@dataclass
class _RateLimitRule:
    method: str
    pattern: str
    retry_after: float
    count: int
    is_global: bool
    scope: str
    hits: int = 0

    def matches(self, method: str, path: str, route: str | None) -> bool:
        if self.method not in ("*", method):
            return False
        if route is not None and self.pattern == route:
            return True
        if "{" in self.pattern:
            rx = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(self.pattern))
            return re.fullmatch(rx, path) is not None
        return fnmatchcase(path, self.pattern)


# ---------------------------------------------------------------------------------------------- interaction handle


class Interaction:
    """Handle for one INTERACTION_CREATE the fake dispatched. Tracks what the bot did with it."""

    def __init__(self, fake: FakeDiscord, payload: dict[str, Any], *, source_message_id: int | None = None):
        self.fake = fake
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.guild_id: int | None = int(payload["guild_id"]) if payload.get("guild_id") else None
        self.channel_id: int = int(payload["channel_id"])
        self.source_message_id = source_message_id
        self.seq: int | None = None
        #: The callback JSON body (``{"type": ..., "data": {...}}``) once the bot acknowledged.
        self.callback: dict[str, Any] | None = None
        self.callback_request: RecordedRequest | None = None
        #: Every POST to the callback route, including 429'd and rejected ones.
        self.callback_attempts: list[RecordedRequest] = []
        self.original_message_id: int | None = None
        self.loading = False
        self.original_edits = 0
        self.original_deleted = False
        self.followup_ids: list[int] = []

    def __repr__(self) -> str:
        return f"<Interaction id={self.id} type={self.type} acknowledged={self.acknowledged}>"

    @property
    def acknowledged(self) -> bool:
        return self.callback is not None

    @property
    def data(self) -> dict[str, Any]:
        return self.payload.get("data", {})

    @property
    def response_type(self) -> int | None:
        return None if self.callback is None else self.callback.get("type")

    @property
    def response_data(self) -> dict[str, Any]:
        return {} if self.callback is None else (self.callback.get("data") or {})

    @property
    def response_files(self) -> list[RecordedFile]:
        return [] if self.callback_request is None else self.callback_request.files

    async def response(self, timeout: float = 5.0) -> dict[str, Any]:
        """The callback body the bot POSTed (``type`` + ``data``), once it arrives."""
        return await self.fake._wait(lambda: self.callback, timeout, f"callback for interaction {self.id}")

    async def followups(self, n: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The first ``n`` followup messages (current state), once at least ``n`` exist."""

        def check():
            if len(self.followup_ids) >= n:
                return [copy.deepcopy(self.fake.messages[i]) for i in self.followup_ids[:n] if i in self.fake.messages]
            return None

        return await self.fake._wait(check, timeout, f"{n} followup(s) for interaction {self.id}")

    async def original(self, timeout: float = 5.0, *, edits: int = 0) -> dict[str, Any]:
        """The @original message once it exists and is no longer a "thinking" placeholder.

        ``edits`` additionally waits until @original was PATCHed at least that many times.
        """

        def check():
            if self.original_message_id is None or self.loading or self.original_edits < edits:
                return None
            msg = self.fake.messages.get(self.original_message_id)
            return None if msg is None else copy.deepcopy(msg)

        return await self.fake._wait(check, timeout, f"@original of interaction {self.id}")

    async def wait_deleted(self, timeout: float = 5.0) -> None:
        await self.fake._wait(lambda: self.original_deleted or None, timeout, f"deletion of {self.id} @original")


# ---------------------------------------------------------------------------------------------- gateway state


class _Conn:
    def __init__(self, ws: web.WebSocketResponse, request: web.Request, compress: str | None, level: int):
        self.ws = ws
        self.transport = request.transport
        self.path = request.path
        self.compress = compress
        self.lock = asyncio.Lock()
        self.session: _Session | None = None
        self._z = None
        if compress == "zlib-stream":
            self._z = zlib.compressobj(level)
        elif compress == "zstd-stream":
            import zstandard  # only reachable when the client itself has zstandard

            self._z = zstandard.ZstdCompressor().compressobj()

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        async with self.lock:
            if self.compress == "zlib-stream":
                data = self._z.compress(text.encode()) + self._z.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)
            elif self.compress == "zstd-stream":
                import zstandard

                data = self._z.compress(text.encode()) + self._z.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
                await self.ws.send_bytes(data)
            else:
                await self.ws.send_str(text)


class _Session:
    def __init__(self, session_id: str, shard: tuple[int, int] | None, identify: dict[str, Any]):
        self.id = session_id
        self.shard = shard
        self.identify = identify
        self.intents: int | None = identify.get("intents")
        self.seq = 0
        # (seq, event name, data or zero-arg callable producing data)
        self.log: list[tuple[int, str, Any]] = []
        self.conn: _Conn | None = None
        self.lock = asyncio.Lock()
        self.ready = False
        self.guild_ids: list[int] = []


_SEND_ERRORS = (ConnectionError, RuntimeError, aiohttp.ClientError, asyncio.CancelledError)


# ---------------------------------------------------------------------------------------------- the fake


class FakeDiscord:
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
    ) -> None:
        self._snow = SnowflakeFactory()
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
        self.shard_count = 1

        # server
        self._runner: web.AppRunner | None = None
        self.port: int = 0
        self._tasks: set[asyncio.Task] = set()
        self._changed = asyncio.Event()

        # recording
        self.requests: list[RecordedRequest] = []
        self.unexpected_requests: list[RecordedRequest] = []
        #: Every 4xx the fake answered other than 429 (unknown routes, validation errors, auth failures).
        self.client_errors: list[RecordedRequest] = []
        self.rate_limited_requests: list[RecordedRequest] = []
        self._rate_limits: list[_RateLimitRule] = []

        # gateway
        self.sessions: dict[str, _Session] = {}
        self.identifies: list[dict[str, Any]] = []
        self.intents: int | None = None
        self.resumes = 0
        #: DISPATCH events re-sent on RESUME because the client had not seen them.
        self.replayed_events = 0
        self.connections = 0
        self.heartbeats = 0
        self.presence_updates: list[dict[str, Any]] = []
        self.filtered_events: list[tuple[str, dict[str, Any]]] = []
        self.gateway_paths: list[str] = []
        self.gateway_queries: list[dict[str, str]] = []
        self.close_codes: list[int | None] = []
        self._conns: set[_Conn] = set()

        # application state
        self.app_info: dict[str, Any] = self._app_info_payload()
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.command_syncs = 0
        self._synced_global = False
        self.messages: dict[int, dict[str, Any]] = {}
        self._message_guild: dict[int, int | None] = {}
        self.channel_messages: dict[int, list[dict[str, Any]]] = {}
        self._channel_cursor: dict[int, int] = {}
        self.attachment_data: dict[int, bytes] = {}
        self.interactions: dict[int, Interaction] = {}
        self._interactions_by_token: dict[str, Interaction] = {}
        self.modals: dict[str, dict[str, Any]] = {}

        self._routes = self._build_routes()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway_handler)
        app.router.add_get("/gateway/resume", self._gateway_handler)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment_handler)
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
        return f"ws://127.0.0.1:{self.port}/gateway/resume"

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

    async def wait_until_ready(self, timeout: float = 10.0) -> None:
        """The client identified and READY + every GUILD_CREATE was sent (for all expected shards)."""

        def check():
            sess = list(self.sessions.values())
            if not sess or not all(s.ready for s in sess):
                return None
            if sess[0].shard is not None and len(sess) < sess[0].shard[1]:
                return None
            return True

        await self._wait(check, timeout, "READY + GUILD_CREATEs")

    async def wait_for_resume(self, count: int = 1, timeout: float = 10.0) -> None:
        await self._wait(lambda: self.resumes >= count or None, timeout, f"{count} RESUME(s)")

    async def wait_for_identify(self, count: int = 1, timeout: float = 10.0) -> None:
        await self._wait(lambda: len(self.identifies) >= count or None, timeout, f"{count} IDENTIFY(s)")

    async def wait_for_commands(self, guild_id: int | None = None, timeout: float = 10.0) -> list[dict]:
        """Wait until commands were synced (globally, or for ``guild_id``); returns them."""
        if guild_id is None:
            return await self._wait(
                lambda: self.global_commands if self._synced_global else None, timeout, "global command sync"
            )
        return await self._wait(lambda: self.guild_commands.get(guild_id), timeout, f"sync for {guild_id}")

    async def wait_for_message(
        self,
        channel_id: int,
        timeout: float = 5.0,
        *,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        """Next message posted via ``POST /channels/{id}/messages`` in that channel not yet returned by an
        earlier call (a per-channel cursor), optionally the next one matching ``predicate``."""

        def check():
            msgs = self.channel_messages.get(channel_id, [])
            start = self._channel_cursor.get(channel_id, 0)
            for i in range(start, len(msgs)):
                if predicate is None or predicate(msgs[i]):
                    self._channel_cursor[channel_id] = i + 1
                    return copy.deepcopy(msgs[i])
            return None

        return await self._wait(check, timeout, f"message in channel {channel_id}")

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
        rule = _RateLimitRule(method.upper() if method != "*" else "*", pattern, 0, 0, False, "user")
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
            _RateLimitRule(
                method.upper() if method != "*" else "*", route_pattern, retry_after, count, is_global, scope
            )
        )

    # ------------------------------------------------------------------ guild helpers

    def guild(self, guild_id: int | None = None) -> GuildSpec:
        if guild_id is None:
            return next(iter(self.guilds.values()))
        return self.guilds[guild_id]

    def _find_channel(self, channel_id: int) -> tuple[ChannelSpec | dict[str, Any] | None, GuildSpec | None]:
        if channel_id in self.dm_channels:
            return self.dm_channels[channel_id], None
        for g in self.guilds.values():
            c = g.channel(channel_id)
            if c is not None:
                return c, g
        return None, None

    def _bot_member(self, guild: GuildSpec) -> dict[str, Any]:
        return member_payload(self.bot_user, roles=[])

    # ------------------------------------------------------------------ gateway: server side

    async def _gateway_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        query = dict(request.query)
        compress = query.get("compress")
        self.connections += 1
        self.gateway_paths.append(request.path)
        self.gateway_queries.append(query)
        if query.get("encoding", "json") != "json" or compress not in (None, "zlib-stream", "zstd-stream"):
            await ws.close(code=4002, message=b"unsupported encoding/compression")
            return ws
        conn = _Conn(ws, request, compress, self.compression_level)
        self._conns.add(conn)
        try:
            await conn.send(
                {
                    "op": OP_HELLO,
                    "d": {"heartbeat_interval": self.heartbeat_interval, "_trace": ["fake-gw"]},
                    "s": None,
                    "t": None,
                }
            )
            async for msg in ws:
                if msg.type is aiohttp.WSMsgType.TEXT:
                    await self._on_gateway_message(conn, json.loads(msg.data))
                elif msg.type is aiohttp.WSMsgType.BINARY:
                    await self._on_gateway_message(conn, json.loads(msg.data.decode()))
                else:
                    break
        except _SEND_ERRORS:
            pass
        finally:
            self._conns.discard(conn)
            self.close_codes.append(ws.close_code)
            sess = conn.session
            if sess is not None and sess.conn is conn:
                sess.conn = None
            self._notify()
        return ws

    async def _on_gateway_message(self, conn: _Conn, payload: dict[str, Any]) -> None:
        op = payload.get("op")
        d = payload.get("d")
        if op == OP_HEARTBEAT:
            self.heartbeats += 1
            await conn.send({"op": OP_HEARTBEAT_ACK, "d": None})
        elif op == OP_IDENTIFY:
            await self._on_identify(conn, d)
        elif op == OP_RESUME:
            await self._on_resume(conn, d)
        elif op == OP_PRESENCE:
            self.presence_updates.append(d)
        elif op == OP_REQUEST_MEMBERS:
            await self._on_request_members(conn, d)
        elif op == OP_VOICE_STATE:
            pass
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _on_identify(self, conn: _Conn, d: dict[str, Any]) -> None:
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if d.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if d.get("intents") is None:
            await conn.ws.close(code=4013, message=b"Invalid intent(s).")
            return
        shard = tuple(d["shard"]) if d.get("shard") else None
        self.identifies.append(d)
        self.intents = d.get("intents")
        # a new IDENTIFY replaces any older session for the same shard
        for sid, s in list(self.sessions.items()):
            if s.shard == shard or shard is None or s.shard is None:
                del self.sessions[sid]
        sess = _Session(secrets.token_hex(16), shard, d)
        if shard is not None:
            self.shard_count = shard[1]
        sess.guild_ids = [gid for gid in self.guilds if shard is None or (gid >> 22) % shard[1] == shard[0]]
        sess.conn = conn
        conn.session = sess
        self.sessions[sess.id] = sess
        self._spawn(self._stream_ready(sess))

    async def _stream_ready(self, sess: _Session) -> None:
        ready = {
            "v": 10,
            "user": self.bot_user,
            "user_settings": {},
            "guilds": [{"id": str(gid), "unavailable": True} for gid in sess.guild_ids],
            "session_id": sess.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": str(self.application_id), "flags": self.app_info["flags"]},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["rotterdam", "frankfurt"],
            "auth": {},
            "_trace": ["fake-gateway"],
        }
        if sess.shard is not None:
            ready["shard"] = list(sess.shard)
        await self._dispatch_to(sess, "READY", ready)
        # Like Discord: without the GUILDS intent no GUILD_CREATE follows READY.
        wants_guilds = sess.intents is None or bool(sess.intents & INTENT_GUILDS)
        for gid in sess.guild_ids if wants_guilds else ():
            guild = self.guilds.get(gid)
            if guild is None:
                continue
            await self._dispatch_to(sess, "GUILD_CREATE", functools.partial(self._guild_create, guild))
        sess.ready = True
        self._notify()

    def _guild_create(self, guild: GuildSpec) -> dict[str, Any]:
        return guild.create_payload(self._bot_member(guild), owner_id=self.owner_id)

    async def _on_resume(self, conn: _Conn, d: dict[str, Any]) -> None:
        sess = self.sessions.get(d.get("session_id", ""))
        if d.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if sess is None:
            await conn.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        last = d.get("seq") or 0
        async with sess.lock:
            old = sess.conn
            sess.conn = conn
            conn.session = sess
            if old is not None and old is not conn:
                self._spawn(old.ws.close(code=4000))
            for seq, event, data in sess.log:
                if seq > last:
                    await conn.send({"op": OP_DISPATCH, "s": seq, "t": event, "d": data() if callable(data) else data})
                    self.replayed_events += 1
            sess.seq += 1
            sess.log.append((sess.seq, "RESUMED", {"_trace": ["fake-gateway"]}))
            await conn.send({"op": OP_DISPATCH, "s": sess.seq, "t": "RESUMED", "d": {"_trace": ["fake-gateway"]}})
        self.resumes += 1
        self._notify()

    async def _on_request_members(self, conn: _Conn, d: dict[str, Any]) -> None:
        sess = conn.session
        if sess is None:
            return
        gids = d.get("guild_id")
        for gid in gids if isinstance(gids, list) else [gids]:
            guild = self.guilds.get(int(gid))
            if guild is None:
                continue
            chunk = {
                "guild_id": str(gid),
                "members": [self._bot_member(guild)],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
            }
            if d.get("nonce") is not None:
                chunk["nonce"] = d["nonce"]
            if d.get("presences"):
                chunk["presences"] = []
            await self._dispatch_to(sess, "GUILD_MEMBERS_CHUNK", chunk)

    async def _dispatch_to(self, sess: _Session, event: str, data: Any) -> int:
        async with sess.lock:
            sess.seq += 1
            seq = sess.seq
            sess.log.append((seq, event, data))
            conn = sess.conn
            if conn is not None:
                try:
                    await conn.send({"op": OP_DISPATCH, "s": seq, "t": event, "d": data() if callable(data) else data})
                except _SEND_ERRORS:
                    if sess.conn is conn:
                        sess.conn = None
        return seq

    # ------------------------------------------------------------------ gateway: test controls

    def _session_for_guild(self, guild_id: int | None) -> _Session:
        if not self.sessions:
            raise RuntimeError("no gateway session: the client has not IDENTIFYed yet")
        sessions = list(self.sessions.values())
        if len(sessions) == 1 or sessions[0].shard is None:
            return sessions[-1]
        shard_id = 0 if guild_id is None else (guild_id >> 22) % self.shard_count
        for s in sessions:
            if s.shard is not None and s.shard[0] == shard_id:
                return s
        raise RuntimeError(f"no session for shard {shard_id}")

    async def dispatch(self, event: str, data: dict[str, Any], *, guild_id: int | None = None) -> int:
        """Send (or queue for replay, if disconnected) a DISPATCH event; returns its sequence number.

        Like Discord, events whose intent the client did not IDENTIFY with are not sent: they are appended
        to ``filtered_events`` and -1 is returned.
        """
        sess = self._session_for_guild(guild_id)
        needed = _intent_for(event, guild_id)
        if needed and sess.intents is not None and not sess.intents & needed:
            self.filtered_events.append((event, data))
            return -1
        return await self._dispatch_to(sess, event, data)

    def _current_sessions(self, session_id: str | None) -> list[_Session]:
        if session_id is not None:
            return [self.sessions[session_id]]
        return list(self.sessions.values())

    async def drop_connection(self, code: int = 4000, *, mode: str = "close", session_id: str | None = None) -> None:
        """Drop the gateway connection so discord.py RESUMEs.

        ``mode="close"`` closes the websocket with ``code`` (4000 = unknown error, resumable);
        ``mode="tcp"`` aborts the TCP connection without a close frame. Events dispatched until the client
        resumes are queued and replayed.
        """
        for sess in self._current_sessions(session_id):
            async with sess.lock:
                conn, sess.conn = sess.conn, None
            if conn is None:
                continue
            if mode == "tcp":
                if conn.transport is not None:
                    conn.transport.abort()
            else:
                with contextlib.suppress(*_SEND_ERRORS):
                    await asyncio.wait_for(conn.ws.close(code=code, message=b"fake drop"), 5)
        self._notify()

    async def send_reconnect(self, session_id: str | None = None) -> None:
        """Send op 7 RECONNECT (discord.py closes and resumes)."""
        for sess in self._current_sessions(session_id):
            async with sess.lock:
                conn, sess.conn = sess.conn, None
            if conn is not None:
                with contextlib.suppress(*_SEND_ERRORS):
                    await conn.send({"op": OP_RECONNECT, "d": None, "s": None, "t": None})

    async def invalidate_session(self, resumable: bool = False, session_id: str | None = None) -> None:
        """Send op 9 INVALID_SESSION; with ``resumable=False`` the session is forgotten (client re-IDENTIFYs)."""
        for sess in self._current_sessions(session_id):
            conn = sess.conn
            if not resumable:
                self.sessions.pop(sess.id, None)
            if conn is not None:
                with contextlib.suppress(*_SEND_ERRORS):
                    await conn.send({"op": OP_INVALID_SESSION, "d": resumable, "s": None, "t": None})

    @property
    def connected(self) -> bool:
        return any(s.conn is not None for s in self.sessions.values())

    async def add_guild(self, guild: GuildSpec) -> None:
        """The bot joins a guild: GUILD_CREATE is dispatched."""
        self.guilds[guild.id] = guild
        sess = self._session_for_guild(guild.id)
        sess.guild_ids.append(guild.id)
        await self._dispatch_to(sess, "GUILD_CREATE", functools.partial(self._guild_create, guild))

    async def remove_guild(self, guild_id: int) -> None:
        """The bot is removed from a guild: GUILD_DELETE is dispatched."""
        sess = self._session_for_guild(guild_id)
        self.guilds.pop(guild_id, None)
        await self._dispatch_to(sess, "GUILD_DELETE", {"id": str(guild_id)})

    # ------------------------------------------------------------------ interactions: building

    def _resolve_user(self, user: dict[str, Any] | int | None) -> dict[str, Any]:
        if user is None:
            return self.default_user
        if isinstance(user, int):
            return user_payload(user)
        # a partial dict ({"id": ..., "username": ...}) is completed to a full user object
        return {**user_payload(int(user["id"]), user.get("username")), **user}

    def _channel_payload(self, channel_id: int, guild_id: int | None, user: dict[str, Any]) -> dict[str, Any]:
        chan, _guild = self._find_channel(channel_id)
        if isinstance(chan, ChannelSpec):
            data = chan.payload(guild_id)
            data["permissions"] = str(ALL_PERMISSIONS)
            return data
        if isinstance(chan, dict):
            return chan
        if guild_id is None:
            return self._dm_channel(user, channel_id)
        return ChannelSpec(id=channel_id, name="onbekend").payload(guild_id)

    def _dm_channel(self, user: dict[str, Any], channel_id: int | None = None) -> dict[str, Any]:
        for c in self.dm_channels.values():
            if c["recipients"][0]["id"] == user["id"] and (channel_id is None or int(c["id"]) == channel_id):
                return c
        cid = channel_id or self._snow.next()
        chan = {
            "id": str(cid),
            "type": CHANNEL_DM,
            "last_message_id": None,
            "flags": 0,
            "recipients": [user],
        }
        self.dm_channels[cid] = chan
        return chan

    def _base_interaction(
        self,
        itype: int,
        data: dict[str, Any] | None,
        *,
        user: dict[str, Any] | int | None,
        guild_id: Any,
        channel_id: int | None,
        locale: str,
        guild_locale: str | None = None,
        member_permissions: int | str | None = None,
        member_roles: Iterable[int] | None = None,
        app_permissions: int | str | None = None,
        context: int | None = None,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        u = self._resolve_user(user)
        gid: int | None = self.guild().id if guild_id is _DEFAULT else guild_id
        iid = self._snow.next()
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "token": "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48),
            "version": 1,
            "locale": locale,
            "app_permissions": str(ALL_PERMISSIONS if app_permissions is None else app_permissions),
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if data is not None:
            payload["data"] = data
        if gid is not None:
            guild = self.guilds.get(gid)
            cid = channel_id or (guild.first_text_channel_id if guild else self._snow.next())
            perms = DEFAULT_MEMBER_PERMISSIONS if member_permissions is None else member_permissions
            payload.update(
                guild_id=str(gid),
                guild={"id": str(gid), "locale": guild.preferred_locale if guild else "en-US", "features": []},
                guild_locale=guild_locale or (guild.preferred_locale if guild else "en-US"),
                member=member_payload(u, roles=list(member_roles or []), permissions=perms),
                authorizing_integration_owners={"0": str(gid)},
                context=0 if context is None else context,
            )
        else:
            cid = channel_id or int(self._dm_channel(u)["id"])
            payload.update(
                user=u,
                authorizing_integration_owners={"0": "0"},
                context=1 if context is None else context,
            )
        payload["channel_id"] = str(cid)
        payload["channel"] = self._channel_payload(cid, gid, u)
        if message is not None:
            payload["message"] = message
        return payload

    def find_command(self, name: str, guild_id: int | None = None, cmd_type: int = 1) -> dict[str, Any] | None:
        """A synced command by (root) name: the guild's commands first, then global ones."""
        pools = []
        if guild_id is not None:
            pools.append(self.guild_commands.get(guild_id, []))
        pools.append(self.global_commands)
        for pool in pools:
            for cmd in pool:
                if cmd["name"] == name and cmd.get("type", 1) == cmd_type:
                    return cmd
        return None

    def _build_options(
        self,
        defs: list[dict[str, Any]],
        values: dict[str, Any] | list[dict[str, Any]] | None,
        focused: str | None,
        resolved: dict[str, dict[str, Any]],
        guild_id: int | None,
    ) -> list[dict[str, Any]]:
        if values is None:
            return []
        if isinstance(values, list):
            return values
        by_name = {d["name"]: d for d in defs}
        out = []
        for name, value in values.items():
            d = by_name.get(name)
            typ = d["type"] if d else _infer_option_type(value)
            opt: dict[str, Any] = {"name": name, "type": typ}
            if name == focused:
                opt["value"] = str(value)
                opt["focused"] = True
            else:
                opt["value"] = self._option_value(typ, value, resolved, guild_id)
            out.append(opt)
        return out

    def _option_value(self, typ: int, value: Any, resolved: dict[str, dict[str, Any]], guild_id: int | None):
        if typ in (6, 9) and (isinstance(value, dict) or typ == 6):
            u = self._resolve_user(value)
            resolved.setdefault("users", {})[u["id"]] = u
            if guild_id is not None:
                m = member_payload(u, permissions=DEFAULT_MEMBER_PERMISSIONS)
                m.pop("user")
                resolved.setdefault("members", {})[u["id"]] = m
            return u["id"]
        if typ == 7:
            cid = int(value)
            chan = self._channel_payload(cid, guild_id, self.default_user)
            resolved.setdefault("channels", {})[str(cid)] = chan
            return str(cid)
        if typ in (8, 9):
            rid = int(value)
            guild = self.guilds.get(guild_id) if guild_id else None
            role = guild.role(rid) if guild else None
            if role is not None:
                resolved.setdefault("roles", {})[str(rid)] = role.payload()
            return str(rid)
        if typ == 4:
            return int(value)
        if typ == 10:
            return float(value)
        return value

    def _command_data(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None,
        guild_id: int | None,
        focused: str | None = None,
    ) -> dict[str, Any]:
        parts = name.split()
        cmd = self.find_command(parts[0], guild_id)
        resolved: dict[str, dict[str, Any]] = {}
        defs: list[dict[str, Any]] = (cmd or {}).get("options", [])
        chain: list[dict[str, Any]] = []
        for i, part in enumerate(parts[1:]):
            d = next((o for o in defs if o["name"] == part), None)
            if d is None:
                # unknown structure: a 3-part path is group + subcommand, a 2-part path a subcommand
                d = {"name": part, "type": 2 if (len(parts) == 3 and i == 0) else 1, "options": []}
            chain.append({"name": part, "type": d["type"], "options": []})
            defs = d.get("options", [])
        leaf_opts = self._build_options(defs, options, focused, resolved, guild_id)
        top = leaf_opts
        if chain:
            chain[-1]["options"] = leaf_opts
            for outer, inner in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
                outer["options"] = [inner]
            top = [chain[0]]
        data: dict[str, Any] = {
            "id": cmd["id"] if cmd else str(self._snow.next()),
            "name": parts[0],
            "type": 1,
        }
        if top:
            data["options"] = top
        if resolved:
            data["resolved"] = resolved
        if cmd is not None and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        return data

    async def _send_interaction(self, payload: dict[str, Any], *, source_message_id: int | None = None) -> Interaction:
        handle = Interaction(self, payload, source_message_id=source_message_id)
        self.interactions[handle.id] = handle
        self._interactions_by_token[handle.token] = handle
        handle.seq = await self.dispatch("INTERACTION_CREATE", payload, guild_id=handle.guild_id)
        return handle

    async def slash_command(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None = None,
        *,
        locale: str = "nl",
        guild_locale: str | None = None,
        user: dict[str, Any] | int | None = None,
        guild_id: Any = _DEFAULT,
        channel_id: int | None = None,
        member_permissions: int | str | None = None,
        member_roles: Iterable[int] | None = None,
        app_permissions: int | str | None = None,
        context: int | None = None,
    ) -> Interaction:
        """Dispatch a chat-input command. ``name`` may be ``"group sub"`` or ``"group subgroup sub"``;
        ``options`` is ``{name: value}`` (typed via the synced command) or a raw option list.
        ``guild_id=None`` means a DM."""
        gid = self.guild().id if guild_id is _DEFAULT else guild_id
        data = self._command_data(name, options, gid)
        payload = self._base_interaction(
            IT_APPLICATION_COMMAND,
            data,
            user=user,
            guild_id=gid,
            channel_id=channel_id,
            locale=locale,
            guild_locale=guild_locale,
            member_permissions=member_permissions,
            member_roles=member_roles,
            app_permissions=app_permissions,
            context=context,
        )
        return await self._send_interaction(payload)

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]],
        focused: str | None = None,
        *,
        locale: str = "nl",
        user: dict[str, Any] | int | None = None,
        guild_id: Any = _DEFAULT,
        channel_id: int | None = None,
        member_permissions: int | str | None = None,
    ) -> Interaction:
        """Dispatch an autocomplete interaction; ``focused`` names the option being typed (its value is
        sent as the partial string). With a raw option list, mark one ``"focused": True`` yourself."""
        gid = self.guild().id if guild_id is _DEFAULT else guild_id
        if focused is None and isinstance(options, dict):
            focused = next(iter(options))
        data = self._command_data(name, options, gid, focused=focused)
        payload = self._base_interaction(
            IT_AUTOCOMPLETE,
            data,
            user=user,
            guild_id=gid,
            channel_id=channel_id,
            locale=locale,
            member_permissions=member_permissions,
        )
        return await self._send_interaction(payload)

    async def context_menu(
        self,
        name: str,
        target: dict[str, Any] | int,
        *,
        kind: str = "user",
        locale: str = "nl",
        user: dict[str, Any] | int | None = None,
        guild_id: Any = _DEFAULT,
        channel_id: int | None = None,
    ) -> Interaction:
        """Dispatch a user (``kind="user"``) or message (``kind="message"``) context-menu command."""
        gid = self.guild().id if guild_id is _DEFAULT else guild_id
        ctype = 2 if kind == "user" else 3
        cmd = self.find_command(name, gid, ctype)
        resolved: dict[str, Any] = {}
        if kind == "user":
            tid = self._option_value(6, target, resolved, gid)
        else:
            msg = self._lookup_message(target)
            tid = msg["id"]
            resolved["messages"] = {tid: msg}
        data = {
            "id": cmd["id"] if cmd else str(self._snow.next()),
            "name": name,
            "type": ctype,
            "target_id": tid,
            "resolved": resolved,
        }
        if cmd is not None and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        payload = self._base_interaction(
            IT_APPLICATION_COMMAND,
            data,
            user=user,
            guild_id=gid,
            channel_id=channel_id,
            locale=locale,
        )
        return await self._send_interaction(payload)

    def _lookup_message(self, message: dict[str, Any] | int | str) -> dict[str, Any]:
        """A message dict is used as given (tests may pass a modified snapshot); an id is looked up in the
        fake's store (its current state)."""
        if isinstance(message, dict):
            return copy.deepcopy(message)
        mid = int(message)
        if mid not in self.messages:
            raise KeyError(f"unknown message {mid}")
        return copy.deepcopy(self.messages[mid])

    @staticmethod
    def _find_component(components: list[dict[str, Any]], custom_id: str) -> dict[str, Any] | None:
        for comp in components:
            if comp.get("custom_id") == custom_id:
                return comp
            for key in ("components",):
                found = FakeDiscord._find_component(comp.get(key, []) or [], custom_id)
                if found is not None:
                    return found
            for key in ("accessory", "component"):
                sub = comp.get(key)
                if isinstance(sub, dict):
                    found = FakeDiscord._find_component([sub], custom_id)
                    if found is not None:
                        return found
        return None

    async def _component_interaction(
        self,
        message: dict[str, Any] | int | str,
        custom_id: str,
        values: list[str] | None,
        default_type: int,
        kw: dict[str, Any],
    ) -> Interaction:
        msg = self._lookup_message(message)
        comp = self._find_component(msg.get("components", []), custom_id)
        ctype = comp["type"] if comp else default_type
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": ctype}
        if values is not None:
            data["values"] = [str(v) for v in values]
            if ctype in (5, 6, 7, 8):
                resolved: dict[str, Any] = {}
                gid = int(msg["guild_id"]) if msg.get("guild_id") else self._message_guild.get(int(msg["id"]))
                typ = {5: 6, 6: 8, 7: 9, 8: 7}[ctype]
                for v in values:
                    self._option_value(typ, v, resolved, gid)
                data["resolved"] = resolved
        mid = int(msg["id"])
        gid = kw.pop("guild_id", _DEFAULT)
        if gid is _DEFAULT:
            gid = self._message_guild.get(mid, self.guild().id)
        channel_id = kw.pop("channel_id", None) or int(msg["channel_id"])
        payload = self._base_interaction(
            IT_COMPONENT,
            data,
            guild_id=gid,
            channel_id=channel_id,
            message=msg,
            user=kw.pop("user", None),
            locale=kw.pop("locale", "nl"),
            member_permissions=kw.pop("member_permissions", None),
        )
        if kw:
            raise TypeError(f"unexpected keyword arguments: {sorted(kw)}")
        return await self._send_interaction(payload, source_message_id=mid)

    async def button_click(self, message: dict[str, Any] | int, custom_id: str, **kw: Any) -> Interaction:
        """Click the button ``custom_id`` on ``message`` (a message dict from the fake, or its id).
        Keyword args: user, locale, member_permissions, guild_id, channel_id."""
        return await self._component_interaction(message, custom_id, None, 2, kw)

    async def select(self, message: dict[str, Any] | int, custom_id: str, values: list[str], **kw: Any) -> Interaction:
        """Choose ``values`` in the select menu ``custom_id`` on ``message``."""
        return await self._component_interaction(message, custom_id, values, 3, kw)

    async def modal_submit(
        self,
        custom_id: str,
        components: dict[str, str | list[str]] | list[dict[str, Any]],
        *,
        message: dict[str, Any] | int | None = None,
        user: dict[str, Any] | int | None = None,
        locale: str = "nl",
        guild_id: Any = _DEFAULT,
        channel_id: int | None = None,
        member_permissions: int | str | None = None,
    ) -> Interaction:
        """Submit modal ``custom_id``. ``components`` is either the raw submitted component list or
        ``{custom_id: value}`` (str for text inputs, list for selects), laid out like the modal the bot sent
        (if one with that custom_id was seen), else as action rows of text inputs."""
        if isinstance(components, dict):
            modal = self.modals.get(custom_id)
            if modal is not None:
                comps = _submitted_components(modal.get("components", []), components)
            else:
                comps = [
                    {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in components.items()
                ]
        else:
            comps = components
        msg = self._lookup_message(message) if message is not None else None
        payload = self._base_interaction(
            IT_MODAL_SUBMIT,
            {"custom_id": custom_id, "components": comps},
            user=user,
            guild_id=guild_id,
            channel_id=channel_id,
            locale=locale,
            member_permissions=member_permissions,
            message=msg,
        )
        return await self._send_interaction(payload, source_message_id=int(msg["id"]) if msg else None)

    async def user_message(
        self, channel_id: int, content: str, *, user: dict[str, Any] | int | None = None
    ) -> dict[str, Any]:
        """A human posts a message: MESSAGE_CREATE is dispatched (content is included regardless of intents)."""
        u = self._resolve_user(user)
        _chan, guild = self._find_channel(channel_id)
        msg = self._new_message(channel_id, guild.id if guild else None, {"content": content}, [], author=u)
        event = dict(msg)
        sess = self._session_for_guild(guild.id if guild else None)
        mentioned = f"<@{self.bot_user_id}>" in content or f"<@!{self.bot_user_id}>" in content
        if guild is not None and not mentioned and not (sess.intents or 0) & INTENT_MESSAGE_CONTENT:
            # Discord strips these without the privileged MESSAGE_CONTENT intent
            event.update(content="", embeds=[], attachments=[], components=[])
        if mentioned:
            event["mentions"] = [self.bot_user]
        if guild is not None:
            event["guild_id"] = str(guild.id)
            member = member_payload(u)
            member.pop("user")
            event["member"] = member
        await self.dispatch("MESSAGE_CREATE", event, guild_id=guild.id if guild else None)
        return msg

    # ------------------------------------------------------------------ REST: dispatching

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], str, Callable, bool]]:
        table: list[tuple[str, str, Callable, bool]] = [
            ("GET", "/users/@me", self._h_me, True),
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

    async def _rest_handler(self, request: web.Request) -> web.StreamResponse:
        full_path = request.path
        path = full_path[len(API_PREFIX) :] if full_path.startswith(API_PREFIX + "/") else full_path
        rec = RecordedRequest(request.method, path, dict(request.query))
        rec.headers = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "x-audit-log-reason")}
        self.requests.append(rec)
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

        if auth and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._finish(rec, self._error(rec, 401, 0, "401: Unauthorized"))
        try:
            resp = await handler(rec, **params)
        except _HTTPError as err:
            resp = self._error(rec, err.status, err.code, err.message, err.errors)
        return self._finish(rec, resp)

    def _finish(self, rec: RecordedRequest, resp: web.Response) -> web.Response:
        rec.status = resp.status
        if 400 <= resp.status < 500 and resp.status != 429:
            self.client_errors.append(rec)
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

    def _rate_limited(self, rec: RecordedRequest, rule: _RateLimitRule) -> web.Response:
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

    # ------------------------------------------------------------------ REST: simple handlers

    def _app_info_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.application_id),
            "name": self.bot_user["username"],
            "icon": None,
            "description": "CMO bot (fake)",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": secrets.token_hex(32),
            "owner": self.owner_user,
            "team": None,
            "flags": (1 << 19) | (1 << 23),  # GATEWAY_GUILD_MEMBERS_LIMITED | APPLICATION_COMMAND_BADGE
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
            "bot": self.bot_user,
        }

    async def _h_me(self, rec: RecordedRequest) -> web.Response:
        return self._json(rec, self.bot_user)

    async def _h_user(self, rec: RecordedRequest, user_id: str) -> web.Response:
        uid = int(user_id)
        if uid == self.bot_user_id:
            return self._json(rec, self.bot_user)
        return self._json(rec, user_payload(uid))

    async def _h_create_dm(self, rec: RecordedRequest) -> web.Response:
        rid = int((rec.json or {}).get("recipient_id", 0))
        return self._json(
            rec, self._dm_channel(user_payload(rid) if rid != int(self.default_user["id"]) else self.default_user)
        )

    async def _h_gateway(self, rec: RecordedRequest) -> web.Response:
        return self._json(rec, {"url": self.gateway_url})

    async def _h_gateway_bot(self, rec: RecordedRequest) -> web.Response:
        return self._json(
            rec,
            {
                "url": self.gateway_url,
                "shards": self.shard_count,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
            },
        )

    async def _h_app_info(self, rec: RecordedRequest) -> web.Response:
        self.app_info["approximate_guild_count"] = len(self.guilds)
        return self._json(rec, self.app_info)

    # ------------------------------------------------------------------ REST: commands

    def _check_app(self, application_id: str) -> None:
        if int(application_id) != self.application_id:
            raise _HTTPError(403, 50001, "Missing Access")

    def _command_pool(self, guild_id: str | None) -> list[dict[str, Any]]:
        if guild_id is None:
            return self.global_commands
        gid = int(guild_id)
        if gid not in self.guilds:
            raise _HTTPError(403, 50001, "Missing Access")
        return self.guild_commands.setdefault(gid, [])

    def _store_command(self, body: dict[str, Any], existing: list[dict[str, Any]], guild_id: str | None):
        ctype = body.get("type", 1)
        prev = next((c for c in existing if c["name"] == body.get("name") and c.get("type", 1) == ctype), None)
        cmd = {
            "id": prev["id"] if prev else str(self._snow.next()),
            "application_id": str(self.application_id),
            "version": str(self._snow.next()),
            "type": ctype,
            "name": body.get("name"),
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description", "") if ctype == 1 else "",
            "description_localizations": body.get("description_localizations"),
            "options": body.get("options", []),
            "default_member_permissions": body.get("default_member_permissions"),
            "dm_permission": body.get("dm_permission", True),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types", [0]),
            "nsfw": body.get("nsfw", False),
        }
        if guild_id is not None:
            cmd["guild_id"] = str(guild_id)
        return cmd

    async def _h_get_commands(self, rec: RecordedRequest, application_id: str, guild_id: str | None = None):
        self._check_app(application_id)
        return self._json(rec, self._command_pool(guild_id))

    async def _h_put_commands(self, rec: RecordedRequest, application_id: str, guild_id: str | None = None):
        self._check_app(application_id)
        body = rec.json
        if not isinstance(body, list):
            raise _HTTPError(400, 50035, "Invalid Form Body", {"_errors": [_err("LIST_TYPE_CONVERT", "Not a list.")]})
        if self.validate:
            errors = _validate_commands(body)
            if errors:
                raise _HTTPError(400, 50035, "Invalid Form Body", errors)
        pool = self._command_pool(guild_id)
        new = [self._store_command(c, pool, guild_id) for c in body]
        pool[:] = new
        self.command_syncs += 1
        if guild_id is None:
            self._synced_global = True
        return self._json(rec, new)

    async def _h_post_command(self, rec: RecordedRequest, application_id: str, guild_id: str | None = None):
        self._check_app(application_id)
        if self.validate:
            errors = _validate_commands([rec.json or {}])
            if errors:
                raise _HTTPError(400, 50035, "Invalid Form Body", errors.get("0", errors))
        pool = self._command_pool(guild_id)
        cmd = self._store_command(rec.json or {}, pool, guild_id)
        existed = any(c["id"] == cmd["id"] for c in pool)
        pool[:] = [c for c in pool if c["id"] != cmd["id"]] + [cmd]
        return self._json(rec, cmd, 200 if existed else 201)

    async def _h_get_command(
        self, rec: RecordedRequest, application_id: str, command_id: str, guild_id: str | None = None
    ):
        self._check_app(application_id)
        for c in self._command_pool(guild_id):
            if c["id"] == command_id:
                return self._json(rec, c)
        raise _HTTPError(404, 10063, "Unknown application command")

    async def _h_delete_command(
        self, rec: RecordedRequest, application_id: str, command_id: str, guild_id: str | None = None
    ):
        self._check_app(application_id)
        pool = self._command_pool(guild_id)
        if not any(c["id"] == command_id for c in pool):
            raise _HTTPError(404, 10063, "Unknown application command")
        pool[:] = [c for c in pool if c["id"] != command_id]
        return self._empty(rec)

    # ------------------------------------------------------------------ REST: messages

    def _new_message(
        self,
        channel_id: int,
        guild_id: int | None,
        body: dict[str, Any],
        files: list[RecordedFile],
        *,
        author: dict[str, Any] | None = None,
        interaction: Interaction | None = None,
        flags: int | None = None,
        mtype: int = 0,
        store: bool = True,
    ) -> dict[str, Any]:
        mid = self._snow.next()
        msg: dict[str, Any] = {
            "id": str(mid),
            "type": mtype,
            "channel_id": str(channel_id),
            "author": author or self.bot_user,
            "content": body.get("content") or "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "mention_channels": [],
            "attachments": self._attachments(channel_id, body, files, []),
            "embeds": [_normalize_embed(e) for e in body.get("embeds") or []],
            "components": _number_components(body.get("components") or []),
            "reactions": [],
            "pinned": False,
            "flags": int(body.get("flags") or 0) if flags is None else flags,
            "sticker_items": [],
        }
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        ref = body.get("message_reference")
        if ref and ref.get("message_id"):
            ref_id = int(ref["message_id"])
            msg["type"] = 19 if mtype == 0 else mtype
            msg["message_reference"] = {
                "type": 0,
                "message_id": str(ref_id),
                "channel_id": str(ref.get("channel_id", channel_id)),
                **({"guild_id": str(guild_id)} if guild_id else {}),
            }
            msg["referenced_message"] = self.messages.get(ref_id)
        if interaction is not None:
            msg["webhook_id"] = str(self.application_id)
            msg["application_id"] = str(self.application_id)
            iuser = interaction.payload.get("member", {}).get("user") or interaction.payload.get("user")
            meta: dict[str, Any] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": iuser,
                "authorizing_integration_owners": interaction.payload.get("authorizing_integration_owners", {}),
            }
            if interaction.type == IT_APPLICATION_COMMAND:
                meta["name"] = interaction.data.get("name")
                meta["command_type"] = interaction.data.get("type", 1)
            if interaction.source_message_id is not None:
                meta["interacted_message_id"] = str(interaction.source_message_id)
            if interaction.original_message_id is not None:
                meta["original_response_message_id"] = str(interaction.original_message_id)
            msg["interaction_metadata"] = meta
        if store:
            self.messages[mid] = msg
            self._message_guild[mid] = guild_id
        return msg

    def _attachments(
        self, channel_id: int, body: dict[str, Any], files: list[RecordedFile], existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_index: dict[int, RecordedFile] = {}
        for i, f in enumerate(files):
            m = re.fullmatch(r"files\[(\d+)\]", f.field)
            by_index[int(m.group(1)) if m else i] = f
        declared = body.get("attachments")
        out: list[dict[str, Any]] = []
        used: set[int] = set()
        existing_by_id = {a["id"]: a for a in existing}
        if declared is None:
            out.extend(existing)
            declared = []
        for a in declared:
            aid = str(a.get("id"))
            if aid in existing_by_id and not (aid.isdigit() and int(aid) in by_index and int(aid) not in used):
                out.append(existing_by_id[aid])
                continue
            if aid.isdigit() and int(aid) in by_index:
                idx = int(aid)
                used.add(idx)
                out.append(self._attachment(channel_id, by_index[idx], a.get("filename"), a.get("description")))
        for idx, f in sorted(by_index.items()):
            if idx not in used:
                out.append(self._attachment(channel_id, f, None, None))
        return out

    def _attachment(self, channel_id: int, f: RecordedFile, filename: str | None, description: str | None):
        aid = self._snow.next()
        name = filename or f.filename or "file"
        self.attachment_data[aid] = f.data
        url = f"{self.http_base}/attachments/{channel_id}/{aid}/{name}"
        att = {
            "id": str(aid),
            "filename": name,
            "size": len(f.data),
            "url": url,
            "proxy_url": url,
            "content_type": f.content_type or "application/octet-stream",
        }
        if description:
            att["description"] = description
        return att

    def _apply_edit(self, msg: dict[str, Any], body: dict[str, Any], files: list[RecordedFile]) -> None:
        if "content" in body:
            msg["content"] = body["content"] or ""
        if "embeds" in body:
            msg["embeds"] = [_normalize_embed(e) for e in body["embeds"] or []]
        if "components" in body:
            msg["components"] = _number_components(body["components"] or [])
        if "attachments" in body or files:
            msg["attachments"] = self._attachments(int(msg["channel_id"]), body, files, msg["attachments"])
        if body.get("flags") is not None:
            keep = msg["flags"] & (FLAG_EPHEMERAL | FLAG_COMPONENTS_V2)
            msg["flags"] = (int(body["flags"]) & ~FLAG_EPHEMERAL) | keep
        was_loading = bool(msg["flags"] & FLAG_LOADING)
        msg["flags"] &= ~FLAG_LOADING
        if not was_loading:
            msg["edited_timestamp"] = iso_now()

    def _check_message(self, body: Any, files: list[RecordedFile], *, edit: bool, prefix: tuple[str, ...] = ()):
        if not isinstance(body, dict):
            raise _HTTPError(400, 50035, "Invalid Form Body", {"_errors": [_err("DICT_TYPE_CONVERT", "Not a dict")]})
        if not self.validate:
            return
        errors = _validate_message(body, files, edit=edit)
        if errors == "empty":
            raise _HTTPError(400, 50006, "Cannot send an empty message")
        if errors:
            for key in reversed(prefix):
                errors = {key: errors}
            raise _HTTPError(400, 50035, "Invalid Form Body", errors)

    # ------------------------------------------------------------------ REST: interactions

    async def _h_callback(self, rec: RecordedRequest, interaction_id: str, token: str) -> web.Response:
        it = self.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if it is not None:
            it.callback_attempts.append(rec)
        if it is None or it.token != token:
            raise _HTTPError(404, 10062, "Unknown interaction")
        if it.callback is not None:
            raise _HTTPError(400, 40060, "Interaction has already been acknowledged.")
        body = rec.json if isinstance(rec.json, dict) else {}
        ctype = body.get("type")
        data = body.get("data") or {}
        if ctype not in ALLOWED_CALLBACKS.get(it.type, set()) or (
            ctype in (CB_DEFERRED_UPDATE, CB_UPDATE_MESSAGE) and it.source_message_id is None
        ):
            allowed = sorted(ALLOWED_CALLBACKS.get(it.type, set()))
            raise _HTTPError(
                400,
                50035,
                "Invalid Form Body",
                {"type": {"_errors": [_err("BASE_TYPE_CHOICES", f"Value must be one of {allowed}.")]}},
            )
        resource: dict[str, Any] = {"type": ctype}
        info: dict[str, Any] = {"id": str(it.id), "type": it.type}
        if ctype == CB_MESSAGE:
            self._check_message(data, rec.files, edit=False, prefix=("data",))
            mtype = 20 if it.type == IT_APPLICATION_COMMAND else 0
            msg = self._new_message(it.channel_id, it.guild_id, data, rec.files, interaction=it, mtype=mtype)
            it.original_message_id = int(msg["id"])
            resource["message"] = msg
            info.update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(msg["flags"] & FLAG_EPHEMERAL),
            )
        elif ctype == CB_DEFERRED_MESSAGE:
            flags = FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)
            mtype = 20 if it.type == IT_APPLICATION_COMMAND else 0
            msg = self._new_message(it.channel_id, it.guild_id, {}, [], interaction=it, flags=flags, mtype=mtype)
            it.original_message_id = int(msg["id"])
            it.loading = True
            resource["message"] = msg
            info.update(
                response_message_id=msg["id"],
                response_message_loading=True,
                response_message_ephemeral=bool(flags & FLAG_EPHEMERAL),
            )
        elif ctype in (CB_DEFERRED_UPDATE, CB_UPDATE_MESSAGE):
            src = self.messages.get(it.source_message_id or 0)
            if src is None:
                raise _HTTPError(404, 10008, "Unknown Message")
            if ctype == CB_UPDATE_MESSAGE:
                self._check_message(data, rec.files, edit=True, prefix=("data",))
                self._apply_edit(src, data, rec.files)
                resource["message"] = src
            it.original_message_id = int(src["id"])
            info.update(
                response_message_id=src["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(src["flags"] & FLAG_EPHEMERAL),
            )
        elif ctype == CB_AUTOCOMPLETE:
            if self.validate:
                errors = _validate_choices(data.get("choices"))
                if errors:
                    raise _HTTPError(400, 50035, "Invalid Form Body", {"data": errors})
        elif ctype == CB_MODAL:
            if self.validate:
                errors = _validate_modal(data)
                if errors:
                    raise _HTTPError(400, 50035, "Invalid Form Body", {"data": errors})
            self.modals[data.get("custom_id", "")] = data
        it.callback = body
        it.callback_request = rec
        if rec.query.get("with_response", "").lower() in ("1", "true"):
            return self._json(rec, {"interaction": info, "resource": resource})
        return self._empty(rec)

    def _interaction_for_webhook(self, webhook_id: str, token: str) -> Interaction:
        it = self._interactions_by_token.get(token)
        if it is None or webhook_id != str(self.application_id):
            raise _HTTPError(404, 10015, "Unknown Webhook")
        return it

    def _webhook_message(self, it: Interaction, message_id: str) -> dict[str, Any]:
        if message_id == "@original":
            if it.original_message_id is None or it.original_deleted:
                raise _HTTPError(404, 10008, "Unknown Message")
            return self.messages[it.original_message_id]
        mid = int(message_id) if message_id.isdigit() else -1
        if (mid not in it.followup_ids and mid != it.original_message_id) or mid not in self.messages:
            raise _HTTPError(404, 10008, "Unknown Message")
        return self.messages[mid]

    async def _h_webhook_get(self, rec: RecordedRequest, webhook_id: str, token: str, message_id: str):
        it = self._interaction_for_webhook(webhook_id, token)
        return self._json(rec, self._webhook_message(it, message_id))

    async def _h_webhook_edit(self, rec: RecordedRequest, webhook_id: str, token: str, message_id: str):
        it = self._interaction_for_webhook(webhook_id, token)
        msg = self._webhook_message(it, message_id)
        self._check_message(rec.json, rec.files, edit=True)
        self._apply_edit(msg, rec.json, rec.files)
        if int(msg["id"]) == it.original_message_id:
            it.loading = False
            it.original_edits += 1
        return self._json(rec, msg)

    async def _h_webhook_delete(self, rec: RecordedRequest, webhook_id: str, token: str, message_id: str):
        it = self._interaction_for_webhook(webhook_id, token)
        msg = self._webhook_message(it, message_id)
        mid = int(msg["id"])
        self.messages.pop(mid, None)
        if mid == it.original_message_id:
            it.original_deleted = True
            it.loading = False
        return self._empty(rec)

    async def _h_followup(self, rec: RecordedRequest, webhook_id: str, token: str):
        it = self._interaction_for_webhook(webhook_id, token)
        if not it.acknowledged:
            raise _HTTPError(404, 10015, "Unknown Webhook")
        self._check_message(rec.json, rec.files, edit=False)
        body = rec.json
        if it.loading and it.original_message_id in self.messages:
            # Discord: the first followup after a deferred ("thinking") response replaces the placeholder.
            msg = self.messages[it.original_message_id]
            self._apply_edit(msg, body, rec.files)
            it.loading = False
        else:
            flags = int(body.get("flags") or 0)
            mtype = 20 if it.type == IT_APPLICATION_COMMAND else 0
            msg = self._new_message(
                it.channel_id, it.guild_id, body, rec.files, interaction=it, flags=flags, mtype=mtype
            )
        it.followup_ids.append(int(msg["id"]))
        if rec.query.get("wait", "").lower() in ("1", "true"):
            return self._json(rec, msg)
        return self._empty(rec)

    # ------------------------------------------------------------------ REST: channels

    def _channel_or_404(self, channel_id: str) -> tuple[ChannelSpec | dict[str, Any], GuildSpec | None]:
        chan, guild = self._find_channel(int(channel_id)) if channel_id.isdigit() else (None, None)
        if chan is None:
            raise _HTTPError(404, 10003, "Unknown Channel")
        return chan, guild

    async def _h_get_channel(self, rec: RecordedRequest, channel_id: str):
        chan, guild = self._channel_or_404(channel_id)
        return self._json(rec, chan.payload(guild.id if guild else None) if isinstance(chan, ChannelSpec) else chan)

    def _guild_or_404(self, guild_id: str) -> GuildSpec:
        guild = self.guilds.get(int(guild_id)) if guild_id.isdigit() else None
        if guild is None:
            raise _HTTPError(404, 10004, "Unknown Guild")
        return guild

    async def _h_get_guild(self, rec: RecordedRequest, guild_id: str):
        return self._json(rec, self._guild_or_404(guild_id).rest_payload(owner_id=self.owner_id))

    async def _h_get_member(self, rec: RecordedRequest, guild_id: str, user_id: str):
        guild = self._guild_or_404(guild_id)
        if user_id != str(self.bot_user_id):
            raise _HTTPError(404, 10007, "Unknown Member")
        return self._json(rec, self._bot_member(guild))

    async def _h_channel_post(self, rec: RecordedRequest, channel_id: str):
        chan, guild = self._channel_or_404(channel_id)
        if isinstance(chan, ChannelSpec) and guild is not None:
            allowed = guild.bot_permissions(chan, self.bot_user_id)
            if not (allowed & P_VIEW_CHANNEL and allowed & P_SEND_MESSAGES):
                raise _HTTPError(403, 50013, "Missing Permissions")
        ctype = chan.type if isinstance(chan, ChannelSpec) else chan["type"]
        if ctype not in (CHANNEL_TEXT, CHANNEL_DM, 2, 5, 10, 11, 12, 13):
            raise _HTTPError(400, 50008, "Cannot send messages in a non-text channel")
        self._check_message(rec.json, rec.files, edit=False)
        cid = int(channel_id)
        body = dict(rec.json)
        if body.get("flags"):
            body["flags"] = int(body["flags"]) & ~FLAG_EPHEMERAL
        msg = self._new_message(cid, guild.id if guild else None, body, rec.files)
        self.channel_messages.setdefault(cid, []).append(msg)
        return self._json(rec, msg)

    def _channel_message(self, channel_id: str, message_id: str) -> dict[str, Any]:
        self._channel_or_404(channel_id)
        msg = self.messages.get(int(message_id)) if message_id.isdigit() else None
        if msg is None or msg["channel_id"] != channel_id:
            raise _HTTPError(404, 10008, "Unknown Message")
        return msg

    async def _h_channel_get_message(self, rec: RecordedRequest, channel_id: str, message_id: str):
        return self._json(rec, self._channel_message(channel_id, message_id))

    async def _h_channel_edit_message(self, rec: RecordedRequest, channel_id: str, message_id: str):
        msg = self._channel_message(channel_id, message_id)
        if msg["author"]["id"] != self.bot_user["id"]:
            raise _HTTPError(403, 50005, "Cannot edit a message authored by another user")
        self._check_message(rec.json, rec.files, edit=True)
        self._apply_edit(msg, rec.json, rec.files)
        return self._json(rec, msg)

    async def _h_channel_delete_message(self, rec: RecordedRequest, channel_id: str, message_id: str):
        msg = self._channel_message(channel_id, message_id)
        self.messages.pop(int(msg["id"]), None)
        return self._empty(rec)

    async def _h_typing(self, rec: RecordedRequest, channel_id: str):
        self._channel_or_404(channel_id)
        return self._empty(rec)


# ---------------------------------------------------------------------------------------------- helpers


class _HTTPError(Exception):
    def __init__(self, status: int, code: int, message: str, errors: Any = None):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors


def _err(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15


def _intent_for(event: str, guild_id: int | None) -> int:
    if event.startswith(("GUILD_ROLE_", "CHANNEL_", "THREAD_")) or event in (
        "GUILD_CREATE",
        "GUILD_UPDATE",
        "GUILD_DELETE",
    ):
        return INTENT_GUILDS
    if event in ("GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE"):
        return INTENT_GUILD_MEMBERS
    if event == "PRESENCE_UPDATE":
        return INTENT_GUILD_PRESENCES
    if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK"):
        return INTENT_GUILD_MESSAGES if guild_id is not None else INTENT_DIRECT_MESSAGES
    if event.startswith("MESSAGE_REACTION_"):
        return INTENT_GUILD_MESSAGE_REACTIONS if guild_id is not None else 1 << 13
    return 0


def _infer_option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def _normalize_embed(embed: dict[str, Any]) -> dict[str, Any]:
    out = dict(embed)
    out.setdefault("type", "rich")
    out.setdefault("content_scan_version", 0)
    return out


def _number_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy ``components`` adding the sequential ``id`` Discord assigns to every component."""
    counter = [0]
    used = set()

    def collect(comps):
        for c in comps:
            if isinstance(c.get("id"), int):
                used.add(c["id"])
            collect(c.get("components") or [])
            for key in ("accessory", "component"):
                if isinstance(c.get(key), dict):
                    collect([c[key]])

    def walk(comps):
        out = []
        for c in comps:
            c = dict(c)
            if not isinstance(c.get("id"), int):
                counter[0] += 1
                while counter[0] in used:
                    counter[0] += 1
                c["id"] = counter[0]
            if c.get("components"):
                c["components"] = walk(c["components"])
            for key in ("accessory", "component"):
                if isinstance(c.get(key), dict):
                    c[key] = walk([c[key]])[0]
            out.append(c)
        return out

    collect(components)
    return walk(components)


def _submitted_components(layout: list[dict[str, Any]], values: dict[str, Any]) -> list[dict[str, Any]]:
    """Mirror a modal's layout as the MODAL_SUBMIT ``components`` Discord sends back."""

    def leaf(c: dict[str, Any]) -> dict[str, Any] | None:
        t = c.get("type")
        cid = c.get("custom_id")
        base = {"type": t, "id": c.get("id", 0)}
        if t == 4:
            return {**base, "custom_id": cid, "value": str(values.get(cid, c.get("value") or ""))}
        if t in (3, 5, 6, 7, 8):
            v = values.get(cid, [])
            return {**base, "custom_id": cid, "values": [str(x) for x in (v if isinstance(v, list) else [v])]}
        if t == 19:
            v = values.get(cid, [])
            return {**base, "custom_id": cid, "values": [str(x) for x in (v if isinstance(v, list) else [v])]}
        if t == 10:
            return base
        return None

    out = []
    for comp in _number_components(layout):
        if comp.get("type") == 1:
            kids = [k for k in (leaf(c) for c in comp.get("components", [])) if k is not None]
            out.append({"type": 1, "id": comp["id"], "components": kids})
        elif comp.get("type") == 18:
            inner = leaf(comp.get("component") or {})
            if inner is not None:
                out.append({"type": 18, "id": comp["id"], "component": inner})
        else:
            lf = leaf(comp)
            if lf is not None:
                out.append(lf)
    return out


def _validate_message(body: dict[str, Any], files: list[RecordedFile], *, edit: bool) -> Any:
    errors: dict[str, Any] = {}
    content = body.get("content")
    embeds = body.get("embeds") or []
    components = body.get("components") or []
    flags = int(body.get("flags") or 0)
    v2 = bool(flags & FLAG_COMPONENTS_V2)
    if content is not None and len(content) > 2000:
        errors["content"] = {"_errors": [_err("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")]}
    if v2 and (content or embeds):
        errors["content"] = {
            "_errors": [
                _err(
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                    "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
                )
            ]
        }
    if len(embeds) > 10:
        errors["embeds"] = {"_errors": [_err("BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")]}
    total = 0
    for i, e in enumerate(embeds):
        e_err: dict[str, Any] = {}
        limits = {"title": 256, "description": 4096}
        for key, limit in limits.items():
            val = e.get(key) or ""
            total += len(val)
            if len(val) > limit:
                e_err[key] = {"_errors": [_err("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]}
        fields = e.get("fields") or []
        if len(fields) > 25:
            e_err["fields"] = {"_errors": [_err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]}
        for j, f in enumerate(fields):
            name, value = str(f.get("name", "")), str(f.get("value", ""))
            total += len(name) + len(value)
            if not name or len(name) > 256 or not value or len(value) > 1024:
                e_err.setdefault("fields", {})[str(j)] = {
                    "_errors": [_err("BASE_TYPE_BAD_LENGTH", "name must be 1-256 and value 1-1024 in length.")]
                }
        footer = (e.get("footer") or {}).get("text") or ""
        author = (e.get("author") or {}).get("name") or ""
        total += len(footer) + len(author)
        if len(footer) > 2048 or len(author) > 256:
            e_err["footer"] = {"_errors": [_err("BASE_TYPE_MAX_LENGTH", "footer/author too long.")]}
        if e_err:
            errors.setdefault("embeds", {})[str(i)] = e_err
    if total > 6000:
        errors.setdefault("embeds", {})["_errors"] = [
            _err("MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        ]
    comp_errors = _validate_components(components, v2)
    if comp_errors:
        errors["components"] = comp_errors
    if errors:
        return errors
    if not edit and not (content or embeds or components or files or body.get("sticker_ids") or body.get("poll")):
        return "empty"
    return None


def _validate_components(components: list[dict[str, Any]], v2: bool) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if not v2 and len(components) > 5:
        errors["_errors"] = [_err("BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")]
    seen: set[str] = set()

    def walk(comps, path):
        for i, c in enumerate(comps):
            cid = c.get("custom_id")
            if cid is not None:
                if len(cid) > 100:
                    errors[f"{path}{i}.custom_id"] = {
                        "_errors": [_err("BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")]
                    }
                if cid in seen:
                    errors[f"{path}{i}.custom_id"] = {
                        "_errors": [_err("COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")]
                    }
                seen.add(cid)
            if c.get("type") == 2 and len(c.get("label") or "") > 80:
                errors[f"{path}{i}.label"] = {
                    "_errors": [_err("BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.")]
                }
            if c.get("type") == 1:
                kids = c.get("components") or []
                if not kids or len(kids) > 5:
                    errors[f"{path}{i}.components"] = {
                        "_errors": [_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")]
                    }
            if c.get("type") in (3, 5, 6, 7, 8):
                opts = c.get("options") or []
                if len(opts) > 25:
                    errors[f"{path}{i}.options"] = {
                        "_errors": [_err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]
                    }
            walk(c.get("components") or [], f"{path}{i}.components.")

    walk(components, "")
    return errors


def _validate_choices(choices: Any) -> dict[str, Any]:
    if choices is None:
        return {}
    if len(choices) > 25:
        return {"choices": {"_errors": [_err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]}}
    errs = {}
    for i, ch in enumerate(choices):
        name = str(ch.get("name", ""))
        value = ch.get("value")
        if not 1 <= len(name) <= 100 or (isinstance(value, str) and len(value) > 100):
            errs[str(i)] = {"_errors": [_err("BASE_TYPE_BAD_LENGTH", "name must be 1-100, value <= 100 in length.")]}
    return {"choices": errs} if errs else {}


def _validate_modal(data: dict[str, Any]) -> dict[str, Any]:
    errs: dict[str, Any] = {}
    if not 1 <= len(data.get("title") or "") <= 45:
        errs["title"] = {"_errors": [_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")]}
    if not 1 <= len(data.get("custom_id") or "") <= 100:
        errs["custom_id"] = {"_errors": [_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")]}
    if not 1 <= len(data.get("components") or []) <= 5:
        errs["components"] = {"_errors": [_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")]}
    return errs


_NAME_RX = re.compile(r"^[-_'\w]{1,32}$")


def _validate_commands(commands: list[dict[str, Any]]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        e: dict[str, Any] = {}
        ctype = cmd.get("type", 1)
        name = cmd.get("name") or ""
        if ctype == 1 and (not _NAME_RX.match(name) or name != name.lower()):
            e["name"] = {"_errors": [_err("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")]}
        if ctype != 1 and not 1 <= len(name) <= 32:
            e["name"] = {"_errors": [_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")]}
        if (name, ctype) in seen:
            e["name"] = {
                "_errors": [_err("APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")]
            }
        seen.add((name, ctype))
        if ctype == 1 and not 1 <= len(cmd.get("description") or "") <= 100:
            e["description"] = {"_errors": [_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")]}
        opt_errors = _validate_options(cmd.get("options") or [])
        if opt_errors:
            e["options"] = opt_errors
        if e:
            errors[str(i)] = e
    return errors


def _validate_options(options: list[dict[str, Any]]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if len(options) > 25:
        errors["_errors"] = [_err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]
    required_seen_optional = False
    for i, opt in enumerate(options):
        e: dict[str, Any] = {}
        name = opt.get("name") or ""
        if not _NAME_RX.match(name) or name != name.lower():
            e["name"] = {"_errors": [_err("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")]}
        if not 1 <= len(opt.get("description") or "") <= 100:
            e["description"] = {"_errors": [_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")]}
        if opt.get("type") in (1, 2):
            sub = _validate_options(opt.get("options") or [])
            if sub:
                e["options"] = sub
        else:
            if opt.get("required") and required_seen_optional:
                e["required"] = {
                    "_errors": [
                        _err(
                            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                            "Required options must be placed before non-required options",
                        )
                    ]
                }
            if not opt.get("required"):
                required_seen_optional = True
            if len(opt.get("choices") or []) > 25:
                e["choices"] = {"_errors": [_err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]}
        if e:
            errors[str(i)] = e
    return errors
