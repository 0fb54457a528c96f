"""How far the question writer has got, and waiting for it to get somewhere.

Rows are settled (written or dropped) in the order they were enqueued, so "everything enqueued
so far is settled" is simply ``settled >= enqueued`` as counted at that moment: a flush waits
for that count, and needs no per-row bookkeeping.
"""

from __future__ import annotations

import asyncio


class WriteProgress:
    def __init__(self, enqueued: int = 0) -> None:
        self.enqueued = enqueued
        self.settled = 0
        self.written = 0
        self.dropped = 0
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []

    @property
    def caught_up(self) -> bool:
        """Whether every row enqueued so far is settled."""
        return self.settled >= self.enqueued

    def waiter(self) -> asyncio.Future[None]:
        """A future resolved once the rows enqueued so far are settled (or failed by :meth:`fail`)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((self.enqueued, future))
        return future

    def settle(self, *, written: int, dropped: int = 0) -> None:
        self.written += written
        self.dropped += dropped
        self.settled += written + dropped
        if not self._waiters:
            return
        still_waiting = []
        for target, future in self._waiters:
            if future.done():
                continue
            if self.settled >= target:
                future.set_result(None)
            else:
                still_waiting.append((target, future))
        self._waiters = still_waiting

    def fail(self, error: BaseException) -> None:
        """The rows waited for will not be written: raise ``error`` in every waiter."""
        for _, future in self._waiters:
            if not future.done():
                future.set_exception(error)
        self._waiters = []
