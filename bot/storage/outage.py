"""Retrying a write through an outage: exponential backoff, logged once per outage.

The question writer keeps the rows of a write the database refuses and tries again, waiting
``retry_initial`` seconds, doubling up to ``retry_max``. The first failure is one ERROR line,
later ones DEBUG, and the recovery one WARNING with the outage's length. Until ``give_up`` is
set (by the writer's close) it never stops trying.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.storage.database import ConstraintError

T = TypeVar("T")


def is_row_error(exc: BaseException) -> bool:
    """Whether ``exc`` is about the data in a row rather than the state of the database.

    Only these justify dropping a row; anything else (locked, read-only, closed, I/O) may pass
    and is retried.
    """
    if isinstance(exc, ConstraintError | OverflowError):
        return True
    return isinstance(exc, sqlite3.ProgrammingError) and str(exc).startswith("Error binding parameter")


class Outage:
    """The state of the current write outage; ``log`` is the writer's, so its lines stay together."""

    def __init__(self, log: logging.Logger, *, retry_initial: float, retry_max: float) -> None:
        self._log = log
        self.retry_initial = retry_initial
        self._retry_max = retry_max
        self.last_error: str | None = None  # None when the last write succeeded
        self._started: float | None = None
        self.give_up = asyncio.Event()

    def next_delay(self, delay: float) -> float:
        return min(delay * 2, self._retry_max)

    async def back_off(self, exc: Exception, pending: int, delay: float) -> bool:
        """Record a failed write and wait ``delay`` before the next try; False once told to give up."""
        message = f"{type(exc).__name__}: {exc}"
        if self.last_error is None:
            self._started = asyncio.get_running_loop().time()
            self._log.error("cannot write the question log (%s); keeping %d rows and retrying with backoff",
                            message, pending)
        else:
            self._log.debug("question log write retry failed (%s); next try in %.2fs", message, delay)
        self.last_error = message
        if self.give_up.is_set():
            return False
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self.give_up.wait()
        return not self.give_up.is_set()

    async def retry(self, attempt: Callable[[], Awaitable[T]], pending: Callable[[], int]) -> T | None:
        """``await attempt()`` until it does not raise OSError; None once told to give up."""
        delay = self.retry_initial
        while True:
            try:
                return await attempt()
            except OSError as exc:
                if not await self.back_off(exc, pending(), delay):
                    return None
                delay = self.next_delay(delay)

    def recovered(self) -> None:
        """A write succeeded: end the outage, if there was one."""
        if self.last_error is None:
            return
        now = asyncio.get_running_loop().time()
        started = self._started or now
        self._log.warning("question log writable again after %.1fs", now - started)
        self.last_error = None
        self._started = None
