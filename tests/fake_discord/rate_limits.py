"""Discord's REST rate limits, for tests and benchmarks that need the bot to meet them.

Off by default (a ``FakeDiscord`` without ``rate_limits=`` answers everything at once, so the
suite stays fast). With ``FakeDiscord(rate_limits=RateLimits())`` the fake enforces what the
real API does to a bot's REST traffic:

* a global limit, about 50 requests per second for the whole bot; interaction callbacks and
  webhook routes are exempt, as on Discord (they are limited per interaction token instead);
* 5 messages per 5 s per channel on ``POST /channels/{channel_id}/messages``.

A bucket is a fixed window that opens with its first request, which is how Discord's
``X-RateLimit-Reset`` behaves. A request over a limit gets a 429 with Discord's body
(``message``, ``retry_after``, ``global``) and headers (``Retry-After``, ``X-RateLimit-Scope``,
``X-RateLimit-Global`` when global); the dispatcher in ``rest.py`` turns a ``Verdict`` into
that answer. discord.py reads ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset-After`` (or
``-Reset``) and ``-Bucket`` on success to pace a bucket itself, and only ``retry_after`` and
``global`` from a 429's body (``discord/http.py``, ``Ratelimit.update`` and ``request``).

The 429s are counted here (``global_429s``, ``route_429s``) so tests and benchmarks can say how
often the bot ran into a limit. The clocks are injectable so the limiter is testable without
sleeping.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .protocol import RateLimitRule

CHANNEL_MESSAGES = "/channels/{channel_id}/messages"
#: Route templates outside the global limit: Discord limits these per interaction token.
EXEMPT_PREFIXES = ("/interactions/", "/webhooks/")


@dataclass
class Window:
    """``limit`` requests per ``seconds``, counted from the first request of the window."""

    limit: int
    seconds: float
    used: int = 0
    resets_at: float = -math.inf

    def wait(self, now: float) -> float:
        """Seconds until a request fits: 0.0 when it fits now."""
        if now >= self.resets_at:
            return 0.0
        return self.resets_at - now if self.used >= self.limit else 0.0

    def take(self, now: float) -> None:
        if now >= self.resets_at:
            self.used, self.resets_at = 0, now + self.seconds
        self.used += 1


@dataclass(frozen=True)
class Verdict:
    """What the limiter says about one request: the headers to send, and whether it is refused."""

    headers: dict[str, str]
    retry_after: float = 0.0
    is_global: bool = False

    @property
    def refused(self) -> bool:
        return self.retry_after > 0

    def rule(self, method: str, route: str) -> RateLimitRule:
        """The 429 as the dispatcher's rule record, so it is answered and recorded like the
        one-off 429s of ``rate_limit_next``."""
        return RateLimitRule(method, route, self.retry_after, 0, self.is_global, "global" if self.is_global else "user")


class RateLimits:
    """The limits to enforce; ``FakeDiscord(rate_limits=RateLimits(...))`` switches them on.

    ``global_window`` is one second on Discord, shorter in tests that should not wait. The clocks
    are monotonic seconds (the windows) and epoch seconds (the ``X-RateLimit-Reset`` header).
    """

    def __init__(
        self,
        global_per_second: int = 50,
        channel_messages: int = 5,
        channel_window: float = 5.0,
        *,
        global_window: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.global_per_second = global_per_second
        self.channel_messages = channel_messages
        self.channel_window = channel_window
        self._clock = clock
        self._wall_clock = wall_clock
        self._global = Window(global_per_second, global_window)
        self._channels: dict[str, Window] = {}
        self.global_429s = 0
        #: Route template -> 429s from that route's own bucket (not the global limit).
        self.route_429s: Counter[str] = Counter()

    @property
    def channel_429s(self) -> int:
        return self.route_429s[CHANNEL_MESSAGES]

    @property
    def total_429s(self) -> int:
        return self.global_429s + sum(self.route_429s.values())

    def check(self, method: str, route: str, params: dict[str, str]) -> Verdict | None:
        """Takes a request's place in its buckets, or refuses it; None for an exempt route."""
        if route.startswith(EXEMPT_PREFIXES):
            return None
        now = self._clock()
        bucket = self._route_window(method, route, params)
        waits = self._global.wait(now)
        if waits:
            self.global_429s += 1
            return Verdict({"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}, waits, is_global=True)
        if bucket is not None and (waits := bucket.wait(now)):
            self.route_429s[route] += 1
            return Verdict(self._bucket_headers(route, bucket, now), waits)
        self._global.take(now)
        if bucket is None:
            return Verdict({})
        bucket.take(now)
        return Verdict(self._bucket_headers(route, bucket, now))

    def _route_window(self, method: str, route: str, params: dict[str, str]) -> Window | None:
        if method != "POST" or route != CHANNEL_MESSAGES:
            return None
        channel = params["channel_id"]
        window = self._channels.get(channel)
        if window is None:
            window = self._channels[channel] = Window(self.channel_messages, self.channel_window)
        return window

    def _bucket_headers(self, route: str, bucket: Window, now: float) -> dict[str, str]:
        reset_after = max(0.0, bucket.resets_at - now)
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(max(0, bucket.limit - bucket.used)),
            "X-RateLimit-Reset": f"{self._wall_clock() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            # One hash per route, as on Discord; discord.py adds the channel (the major parameter).
            "X-RateLimit-Bucket": hashlib.md5(f"POST {route}".encode()).hexdigest(),
        }
