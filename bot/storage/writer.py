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

Everything here runs on the event loop thread; ``enqueue`` is not thread-safe.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import sqlite3

from bot.storage.questions import QuestionRecord, QuestionRepository

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
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if max_batch_delay < 0 or retry_initial <= 0 or retry_max < retry_initial:
            raise ValueError("need max_batch_delay >= 0 and 0 < retry_initial <= retry_max")
        self._repository = repository
        self._batch_size = batch_size
        self._max_batch_delay = max_batch_delay
        self._retry_initial = retry_initial
        self._retry_max = retry_max

        self._queue: collections.deque[QuestionRecord] = collections.deque()
        self._inflight: list[QuestionRecord] = []
        # Rows are settled (written or dropped) in the order they were enqueued, so "everything
        # enqueued so far is settled" is simply settled >= the enqueued count at that moment.
        self._enqueued = 0
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
        """Rows accepted but not yet written: queued plus the batch being (re)tried."""
        return len(self._queue) + len(self._inflight)

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
                    log.warning("question %s enqueued after the writer closed; kept in memory, not written",
                                record.id)
            self._queue.append(record)
            self._enqueued += 1
            # Wake the task when it may be idle (first row) or a batch is full; rows in between
            # ride along with the batch delay and cost no wake-up.
            if len(self._queue) == 1 or len(self._queue) >= self._batch_size:
                self._wakeup.set()
        except Exception:
            log.exception("could not enqueue a question")

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
            log.error("question log closed with %d rows that could not be written (last error: %s)",
                      unwritten, self._last_error)
        else:
            log.info("question log drained and closed; %d rows written in total", self._written)
        return unwritten

    # -- the writing task -------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            if not self._queue:
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
                      message, count + len(self._queue))
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
