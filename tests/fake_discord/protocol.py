"""The vocabulary every part of the fake shares: Discord's numbers (interaction, callback, opcode,
flag and intent values) and the fake's records of what the client sent.

It exists so the gateway, REST and interaction modules agree on one definition of each, and import
nothing from each other to get them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

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

#: ``guild_id`` default of the user-action helpers: the first guild (``None`` means a DM).
FIRST_GUILD = object()

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15


class FakeDiscordTimeout(TimeoutError):
    """Raised by the ``wait_*`` helpers; the message says what was awaited and what the fake saw."""


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
class RateLimitRule:
    """A 429 to give the next ``count`` requests matching (method, pattern); also a request filter."""

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


class HTTPError(Exception):
    """Raised by a REST handler; the dispatcher answers with Discord's error body."""

    def __init__(self, status: int, code: int, message: str, errors: Any = None):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors


def field_error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}
