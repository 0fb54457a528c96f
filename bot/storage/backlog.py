"""The question writer's backlog: the rows it accepted and has not written yet, in order.

Rows wait in a memory queue; once ``max_queued`` wait there, further rows go to the spill file
(:mod:`bot.storage.spill`), and only while that cannot be written to a last-resort memory
overflow. They leave in that order: memory queue, then spill file, then overflow. ``inflight``
is the batch being written; when it came from the spill file it stays in the file until
:meth:`Backlog.replayed`.

Runs on the event loop thread, like the writer.
"""

from __future__ import annotations

import collections
import os
from pathlib import Path
from typing import Literal

from bot.storage.questions import QuestionRecord
from bot.storage.spill import Overflow, SpillFile


class Backlog:
    def __init__(self, spill_path: str | os.PathLike[str] | None, max_queued: int) -> None:
        self.queue: collections.deque[QuestionRecord] = collections.deque()
        self.inflight: list[QuestionRecord] = []
        self._inflight_from_spill = False
        # Without a spill path nothing may be dropped, so the queue has no cap (tests only).
        self._overflow = Overflow(spill_path, max_queued)

    @property
    def spill(self) -> SpillFile | None:
        return self._overflow.file

    @property
    def spill_path(self) -> Path | None:
        return self._overflow.file.path if self._overflow.file is not None else None

    @property
    def in_memory(self) -> int:
        return len(self.queue) + len(self.inflight) + len(self._overflow.memory)

    @property
    def spilled(self) -> int:
        return self._overflow.spilled

    @property
    def dropped(self) -> int:
        """Rows JSON cannot hold, dropped on their way to the spill file."""
        return self._overflow.dropped

    def add(self, record: QuestionRecord) -> Literal["queued", "spilled", "dropped"]:
        """Takes a row: into memory, or into the spill file once memory is full."""
        if self._overflow.must_spill(len(self.queue)):
            line = self._overflow.encode(record)
            if line is None:
                return "dropped"
            if self._overflow.append(line):
                return "spilled"
        if self._overflow.holds_rows:
            self._overflow.memory.append(record)  # behind the spilled rows, to keep the order
        else:
            self.queue.append(record)
        return "queued"

    def keep_for_next_start(self, record: QuestionRecord) -> Literal["spilled", "dropped", "refused"]:
        """For a row arriving after the writer stopped: straight to the spill file, synced."""
        if self.spill is None:
            return "refused"
        line = self._overflow.encode(record)
        if line is None:
            return "dropped"
        if not self._overflow.append(line):
            return "refused"
        self.spill.sync()
        return "spilled"

    def refill(self) -> bool:
        """Moves the overflow behind the (empty) memory queue; False if there was none."""
        if not self._overflow.memory:
            return False
        self.queue.extend(self._overflow.memory)
        self._overflow.memory.clear()
        return True

    def take(self, limit: int) -> list[QuestionRecord]:
        """The next batch from the memory queue, which becomes ``inflight``."""
        self.inflight = [self.queue.popleft() for _ in range(min(limit, len(self.queue)))]
        return self.inflight

    async def take_spilled(self, limit: int) -> tuple[list[QuestionRecord], int, int]:
        """The next batch from the spill file (it becomes ``inflight``), how many of its lines
        were unreadable, and the offset to pass to :meth:`replayed`. Raises OSError."""
        assert self.spill is not None
        decoded, offset = await self.spill.take(limit)
        rows = [record for record in decoded if record is not None]
        self.inflight, self._inflight_from_spill = rows, True
        return rows, len(decoded) - len(rows), offset

    def replayed(self, offset: int) -> None:
        """The batch from :meth:`take_spilled` is written."""
        assert self.spill is not None
        self.inflight, self._inflight_from_spill = [], False
        self.spill.replayed(offset)

    def spill_remaining(self) -> None:
        """At a close that gave up: move the rows still in memory to the spill file, so the
        next start writes them. Rows that cannot be moved stay in memory."""
        if self.spill is None:
            return
        if self._inflight_from_spill:  # still in the file, past the offset replayed so far
            self.spill.unread += len(self.inflight)
            self.inflight, self._inflight_from_spill = [], False
        memory = self._overflow.memory
        kept = self._overflow.spill_all([*self.inflight, *self.queue, *memory])
        self.inflight = [r for r in self.inflight if id(r) not in kept]
        self.queue = collections.deque(r for r in self.queue if id(r) not in kept)
        self._overflow.memory = collections.deque(r for r in memory if id(r) not in kept)

    def close(self) -> None:
        self._overflow.close()
