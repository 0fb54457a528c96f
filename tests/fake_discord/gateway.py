"""The gateway: the websocket the client IDENTIFYs or RESUMEs on, zlib-stream / zstd-stream compression,
sessions that queue and replay DISPATCH events across reconnects, intents that filter events, and the
test controls that drop, reconnect or invalidate a connection.

It exists so all of the fake's real-time half is in one place; ``FakeDiscord`` composes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import secrets
import zlib
from typing import Any

import aiohttp
from aiohttp import web

from .models import (
    GuildSpec,
)
from .protocol import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGE_REACTIONS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILD_PRESENCES,
    INTENT_GUILDS,
    OP_DISPATCH,
    OP_HEARTBEAT,
    OP_HEARTBEAT_ACK,
    OP_HELLO,
    OP_IDENTIFY,
    OP_INVALID_SESSION,
    OP_PRESENCE,
    OP_RECONNECT,
    OP_REQUEST_MEMBERS,
    OP_RESUME,
    OP_VOICE_STATE,
    RecordedRequest,
)


class _Conn:
    """One websocket connection, with its compression stream; sends are serialised by a lock."""

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
    """One IDENTIFYed session: its sequence, the log of DISPATCHes it replays on RESUME, its connection."""

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


class GatewayMixin:
    """Gateway state and behaviour of ``FakeDiscord``."""

    def _init_gateway(self) -> None:
        self.shard_count = 1
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
