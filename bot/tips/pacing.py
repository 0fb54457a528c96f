"""Spreads a burst of tip posts over time, below Discord's global rate limit.

Thousands of guilds often share one tip time (09:00 Europe/Amsterdam). Posted as fast as the
bot can, they would run into Discord's global limit of about 50 requests per second, and every
429 costs a wasted request and a pause for all of the bot's REST traffic, answers to users
included. The pacer keeps tip posts at a steady rate with room to spare for that traffic.

It is a token bucket on the event loop's clock, not on the injected `Clock`: it paces real
requests to a real server, and a test's ManualClock standing still must not stop the posts.
Pacing only delays a post; the slot claim in the database stays what makes it exactly once.
"""

from __future__ import annotations

import asyncio

#: Tip posts per second: below Discord's global 50, leaving room for answers to users.
DEFAULT_TIP_POSTS_PER_SECOND = 40.0


class PostPacer:
    """An async token bucket: `wait()` returns when the next post may go.

    `per_second=None` does not pace (for comparisons); `burst` is how many posts may go at
    once after a quiet spell.
    """

    def __init__(self, per_second: float | None = DEFAULT_TIP_POSTS_PER_SECOND, *, burst: int = 1):
        if per_second is not None and per_second <= 0:
            raise ValueError("per_second must be positive, or None for no pacing")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.per_second = per_second
        self.burst = burst
        self._tokens = float(burst)
        self._updated: float | None = None
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if self.per_second is None:
            return
        # Waiters queue on the lock, so they leave in the order they came, one token each.
        async with self._lock:
            loop = asyncio.get_running_loop()
            self._refill(loop.time())
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.per_second)
                self._refill(loop.time())
            self._tokens -= 1

    def _refill(self, now: float) -> None:
        assert self.per_second is not None
        if self._updated is not None:
            self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.per_second)
        self._updated = now
