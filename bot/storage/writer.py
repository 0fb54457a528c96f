"""Writes the question log off the hot path, in batches, without losing what was asked.

A slash-command handler must answer within Discord's 3 seconds, so it only calls
:meth:`QuestionWriter.enqueue`, which appends to an in-memory queue and returns. One task
drains the queue: it waits briefly so rows arriving together share one transaction (a commit
per row is what limits SQLite, not the inserts), then writes the batch with one executemany.

When the database cannot be written (read-only file, locked by another process, disk full)
the batch is kept and retried with exponential backoff, and the outage is logged once, not
once per retry. A row that can never be stored (a value SQLite cannot bind, a constraint it
breaks) is isolated by writing the failed batch row by row, and only that row is dropped, so
one bad record cannot stall the log forever. Shutdown drains the queue; what still cannot be
written by the deadline is counted in an ERROR line.

Memory is bounded: with a ``spill_path``, once ``max_queued`` rows wait in memory (the
database has been refusing writes for a while), further rows are appended to that spill file
(see :mod:`bot.storage.spill`) and replayed, in order, once the database accepts writes
again; a spill file left by a crash is replayed at start. Rows still unwritten when ``close``
gives up are spilled too, so the next start writes them. Only if the spill file cannot be
written either do rows stay in memory beyond the cap: then keeping them beats losing them.
Order is kept: memory queue, then spill file, then that last-resort memory overflow.

Everything here runs on the event loop thread; ``enqueue`` is not thread-safe.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import sqlite3

from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.spill import SpillFile, encode

log = logging.getLogger(__name__)

# After close()'s timeout we stop retrying, but a write already running is allowed to finish
# (it is bounded by SQLite's busy timeout) for this long before the task is cancelled.
_GIVE_UP_GRACE = 5.0


class WriterStoppedError(RuntimeError):
    """The writer stopped before the rows a flush was waiting for were written."""


def _is_row_error(exc: BaseException) -> bool:
    """Whether ``exc`` is about the data in a row rather than the state of the database.

    Only these justify dropping a row; anything else (locked, read-only, closed, I/O) may pass
    and is retried.
    """
    if isinstance(exc, sqlite3.IntegrityError | OverflowError):
        return True
    return isinstance(exc, sqlite3.ProgrammingError) and str(exc).startswith("Error binding parameter")


class QuestionWriter:
    """The batching writer for :class:`QuestionRecord` rows. ``start`` it, ``close`` it."""

    def __init__(
        self,
        repository: QuestionRepository,
        *,
        batch_size: int = 500,
        max_batch_delay: float = 0.2,
        retry_initial: float = 0.5,
        retry_max: float = 30.0,
        max_queued: int = 5000,
        spill_path: str | os.PathLike[str] | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if max_queued < 1:
            raise ValueError("max_queued must be at least 1")
        if max_batch_delay < 0 or retry_initial <= 0 or retry_max < retry_initial:
            raise ValueError("need max_batch_delay >= 0 and 0 < retry_initial <= retry_max")
        self._repository = repository
        self._batch_size = batch_size
        self._max_batch_delay = max_batch_delay
        self._retry_initial = retry_initial
        self._retry_max = retry_max

        self._max_queued = max_queued
        self._queue: collections.deque[QuestionRecord] = collections.deque()
        self._inflight: list[QuestionRecord] = []
        self._inflight_from_spill = False
        # Without a spill path nothing may be dropped, so the queue has no cap (tests only).
        self._spill = SpillFile(spill_path) if spill_path is not None else None
        self._overflow: collections.deque[QuestionRecord] = collections.deque()  # spill unwritable
        self._spill_error: str | None = None
        # Rows are settled (written or dropped) in the order they were enqueued, so "everything
        # enqueued so far is settled" is simply settled >= the enqueued count at that moment.
        # Rows a crashed run left in the spill file come first.
        self._enqueued = self._spill.unread if self._spill is not None else 0
        self._settled = 0
        self._written = 0
        self._dropped = 0
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._hurry = 0

        self._last_error: str | None = None
        self._outage_started: float | None = None

        self._wakeup = asyncio.Event()
        self._give_up = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task[None] | None = None

    @property
    def last_error(self) -> str | None:
        """The error of the ongoing write outage; None when the last write succeeded."""
        return self._last_error

    @property
    def pending(self) -> int:
        """Rows accepted but not yet written: queued, spilled, and the batch being (re)tried."""
        spilled = self._spill.unread if self._spill is not None else 0
        return len(self._queue) + len(self._inflight) + spilled + len(self._overflow)

    @property
    def queued_in_memory(self) -> int:
        """Rows held in memory (bounded by ``max_queued`` plus one batch while spilling works)."""
        return len(self._queue) + len(self._inflight) + len(self._overflow)

    @property
    def spilled(self) -> int:
        """Rows waiting in the spill file for the database to accept writes."""
        return self._spill.unread if self._spill is not None else 0

    @property
    def written(self) -> int:
        """Rows written since this writer was made."""
        return self._written

    @property
    def dropped(self) -> int:
        """Rows refused by the database for their content (each logged with its id)."""
        return self._dropped

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def enqueue(self, record: QuestionRecord) -> None:
        """Accept a row for writing. Never blocks, never raises: the caller is answering a user."""
        try:
            if self._closing:
                if self.running:
                    log.warning("question %s enqueued while the writer is closing; draining it too", record.id)
                else:
                    if self._spill is not None:
                        line = self._encode(record)
                        if line is None:
                            return
                        if self._try_spill(line):
                            log.warning("question %s enqueued after the writer closed; kept in spill file %s "
                                        "for the next start", record.id, self._spill.path)
                            self._spill.sync()
                            self._enqueued += 1
                            return
                    log.warning("question %s enqueued after the writer closed; kept in memory, not written",
                                record.id)
            if self._must_spill():
                line = self._encode(record)
                if line is None:
                    return
                if self._try_spill(line):
                    self._enqueued += 1
                    self._wakeup.set()
                    return
            if self._overflow or (self._spill is not None and self._spill.active):
                self._overflow.append(record)  # behind the spilled rows, to keep the order
            else:
                self._queue.append(record)
            self._enqueued += 1
            # Wake the task when it may be idle (first row) or a batch is full; rows in between
            # ride along with the batch delay and cost no wake-up.
            if len(self._queue) == 1 or len(self._queue) >= self._batch_size:
                self._wakeup.set()
        except Exception:
            log.exception("could not enqueue a question")

    def _must_spill(self) -> bool:
        """Spill when memory is full, or when earlier rows are already spilled (order)."""
        if self._spill is None or self._overflow:
            return False
        return self._spill.active or len(self._queue) >= self._max_queued

    def _encode(self, record: QuestionRecord) -> bytes | None:
        """The spill line; None for a row JSON cannot hold (the database could not either),
        dropped here with its id before it counts as enqueued, so the settled-in-order
        bookkeeping stays exact."""
        try:
            return encode(record)
        except (TypeError, ValueError) as exc:
            log.error("dropped question %s from the log: it cannot be stored (%s: %s)",
                      record.id, type(exc).__name__, exc)
            self._dropped += 1
            return None

    def _try_spill(self, line: bytes) -> bool:
        """Appends to the spill file; False (row not taken) if the file cannot be written."""
        assert self._spill is not None
        try:
            self._spill.append(line)
        except OSError as exc:
            if self._spill_error is None:
                log.error("cannot write the spill file %s (%s: %s); keeping questions in memory beyond the cap "
                          "of %d", self._spill.path, type(exc).__name__, exc, self._max_queued)
            self._spill_error = f"{type(exc).__name__}: {exc}"
            return False
        if self._spill_error is not None:
            log.warning("spill file %s writable again", self._spill.path)
            self._spill_error = None
        return True

    async def start(self) -> None:
        """Start the writing task (idempotent)."""
        if self._task is not None:
            if self._closing:
                raise RuntimeError("a closed QuestionWriter cannot be restarted")
            return
        self._task = asyncio.create_task(self._run(), name="question-writer")
        self._task.add_done_callback(self._on_task_done)

    async def flush(self) -> None:
        """Wait until every row enqueued before this call is written (or dropped).

        Waits through a write outage; bound it with ``asyncio.timeout`` where that matters.
        Raises :class:`WriterStoppedError` if the writer stops first.
        """
        target = self._enqueued
        if self._settled >= target:
            return
        if self._task is not None and self._task.done():
            raise WriterStoppedError(f"the writer has stopped with {self.pending} rows unwritten")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((target, future))
        self._hurry += 1
        self._wakeup.set()
        try:
            await future
        finally:
            self._hurry -= 1

    async def close(self, timeout: float = 10.0) -> int:
        """Stop accepting work, drain the queue, and return how many rows were NOT written.

        Keeps retrying through a write outage until ``timeout`` seconds have passed; then a
        write already running gets a short grace before the task is cancelled. Unwritten rows
        are reported in one ERROR line with their count.
        """
        self._closing = True
        self._wakeup.set()
        if self._task is None:  # never started: drain anyway, nothing asked is lost
            self._task = asyncio.create_task(self._run(), name="question-writer")
            self._task.add_done_callback(self._on_task_done)
        task = self._task
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            self._give_up.set()
            try:
                await asyncio.wait_for(asyncio.shield(task), _GIVE_UP_GRACE)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        except Exception:
            pass  # already logged by _on_task_done
        unwritten = self.pending
        if unwritten:
            self._spill_memory_rows()
        if self._spill is not None:
            try:
                self._spill.close()
            except OSError:
                log.exception("could not sync and close spill file %s", self._spill.path)
        if unwritten and self._spill is not None:
            log.error("question log closed with %d rows not yet in the database (last error: %s); %d of them are "
                      "kept in spill file %s and written at the next start", unwritten, self._last_error,
                      self.spilled, self._spill.path)
        elif unwritten:
            log.error("question log closed with %d rows that could not be written (last error: %s)",
                      unwritten, self._last_error)
        else:
            log.info("question log drained and closed; %d rows written in total", self._written)
        return unwritten

    def _spill_memory_rows(self) -> None:
        """At a close that gave up: move the rows still in memory to the spill file, so the
        next start writes them. Rows that cannot be moved stay counted as pending."""
        if self._spill is None:
            return
        if self._inflight_from_spill:  # still in the file, past the offset replayed so far
            self._spill.unread += len(self._inflight)
            self._inflight, self._inflight_from_spill = [], False
        rows = list(self._inflight) + list(self._queue) + list(self._overflow)
        kept: list[QuestionRecord] = []
        for record in rows:
            line = self._encode(record)
            if line is not None and self._try_spill(line):
                kept.append(record)
        kept_ids = {id(record) for record in kept}
        self._inflight = [r for r in self._inflight if id(r) not in kept_ids]
        self._queue = collections.deque(r for r in self._queue if id(r) not in kept_ids)
        self._overflow = collections.deque(r for r in self._overflow if id(r) not in kept_ids)

    # -- the writing task -------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            if not self._queue:
                # Order: the memory queue, then the spill file, then the last-resort overflow.
                if self._spill is not None and self._spill.unread:
                    if not await self._replay_spill():
                        return
                    continue
                if self._overflow:
                    self._queue.extend(self._overflow)
                    self._overflow.clear()
                    continue
                if self._closing:
                    return
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            await self._gather()
            count = min(self._batch_size, len(self._queue))
            self._inflight = [self._queue.popleft() for _ in range(count)]
            if not await self._write(self._inflight):
                return  # gave up at close; the rows stay in _inflight and count as pending
            self._inflight = []

    async def _replay_spill(self) -> bool:
        """Writes the next batch from the spill file; False if told to give up first."""
        assert self._spill is not None
        delay = self._retry_initial
        while True:
            try:
                decoded, offset = await self._spill.take(self._batch_size)
                break
            except OSError as exc:
                if not await self._back_off(exc, 0, delay):
                    return False
                delay = min(delay * 2, self._retry_max)
        rows = [record for record in decoded if record is not None]
        self._inflight, self._inflight_from_spill = rows, True
        if not await self._write(rows):
            return False
        self._inflight, self._inflight_from_spill = [], False
        corrupt = len(decoded) - len(rows)
        if corrupt:
            log.error("skipped %d unreadable lines in spill file %s", corrupt, self._spill.path)
            self._dropped += corrupt
            self._settle(written=0, dropped=corrupt)
        self._spill.replayed(offset)
        return True

    async def _gather(self) -> None:
        """Wait up to max_batch_delay for a full batch, unless someone is waiting on us."""
        if self._max_batch_delay <= 0:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._max_batch_delay
        while len(self._queue) < self._batch_size and not self._closing and not self._hurry:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            self._wakeup.clear()
            try:
                async with asyncio.timeout(remaining):
                    await self._wakeup.wait()
            except TimeoutError:
                return

    async def _write(self, rows: list[QuestionRecord]) -> bool:
        """Write ``rows``, retrying through outages; False if told to give up first."""
        delay = self._retry_initial
        while rows:
            try:
                await self._repository.insert_many(rows)
            except Exception as exc:
                error: Exception | None = exc
                if _is_row_error(exc):
                    rows, error = await self._write_one_by_one(rows)
                    if error is None:
                        continue
                if not await self._back_off(error, len(rows), delay):
                    return False
                delay = min(delay * 2, self._retry_max)
                continue
            self._settle(written=len(rows))
            rows = []
        self._recovered()
        return True

    async def _write_one_by_one(
        self, rows: list[QuestionRecord]
    ) -> tuple[list[QuestionRecord], Exception | None]:
        """Find the rows SQLite refuses for their content; write the others.

        Returns the rows still to write and the non-row error that interrupted, if any.
        """
        for index, record in enumerate(rows):
            try:
                await self._repository.insert_many([record])
            except Exception as exc:
                if not _is_row_error(exc):
                    self._inflight = rows[index:]
                    return rows[index:], exc
                log.error("dropped question %s from the log: the database refuses it (%s: %s)",
                          record.id, type(exc).__name__, exc)
                self._dropped += 1
                self._settle(written=0, dropped=1)
            else:
                self._settle(written=1)
        self._inflight = []
        return [], None

    async def _back_off(self, exc: Exception, count: int, delay: float) -> bool:
        """Record a failed write and wait before the next try; False once close gives up."""
        message = f"{type(exc).__name__}: {exc}"
        if self._last_error is None:
            self._outage_started = asyncio.get_running_loop().time()
            log.error("cannot write the question log (%s); keeping %d rows and retrying with backoff",
                      message, self.pending)
        else:
            log.debug("question log write retry failed (%s); next try in %.2fs", message, delay)
        self._last_error = message
        if self._give_up.is_set():
            return False
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._give_up.wait()
        return not self._give_up.is_set()

    def _recovered(self) -> None:
        if self._last_error is None:
            return
        started = self._outage_started or asyncio.get_running_loop().time()
        log.warning("question log writable again after %.1fs", asyncio.get_running_loop().time() - started)
        self._last_error = None
        self._outage_started = None

    def _settle(self, *, written: int, dropped: int = 0) -> None:
        self._written += written
        self._settled += written + dropped
        if not self._waiters:
            return
        still_waiting = []
        for target, future in self._waiters:
            if future.done():
                continue
            if self._settled >= target:
                future.set_result(None)
            else:
                still_waiting.append((target, future))
        self._waiters = still_waiting

    def _on_task_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("question writer task crashed", exc_info=task.exception())
        error = WriterStoppedError(f"the writer has stopped with {self.pending} rows unwritten")
        for _, future in self._waiters:
            if not future.done():
                future.set_exception(error)
        self._waiters = []
