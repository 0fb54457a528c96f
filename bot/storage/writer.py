"""Writes the question log off the hot path, in batches, without losing what was asked.

A slash-command handler must answer within Discord's 3 seconds, so it only calls
:meth:`QuestionWriter.enqueue`, which appends to an in-memory queue and returns. One task
drains the queue: it waits briefly so rows arriving together share one transaction (a commit
per row is what limits SQLite, not the inserts), then writes the batch with one executemany.

When the database cannot be written (read-only, locked, disk full) the batch is kept and
retried with backoff (:mod:`bot.storage.outage`). A row that can never be stored (a value
SQLite cannot bind, a constraint it breaks) is found by writing the batch row by row and only
it is dropped, so one bad record cannot stall the log. Shutdown drains the queue; what still
cannot be written by the deadline is counted in an ERROR line. Memory is bounded by a spill
file, replayed in order (:mod:`bot.storage.backlog`).

Everything here runs on the event loop thread; ``enqueue`` is not thread-safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

from bot.storage.backlog import Backlog
from bot.storage.outage import Outage, is_row_error
from bot.storage.progress import WriteProgress
from bot.storage.questions import QuestionRecord, QuestionRepository

log = logging.getLogger(__name__)

# After close()'s timeout we stop retrying, but a write already running is allowed to finish
# (it is bounded by SQLite's busy timeout) for this long before the task is cancelled.
_GIVE_UP_GRACE = 5.0


class WriterStoppedError(RuntimeError):
    """The writer stopped before the rows a flush was waiting for were written."""


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
        self._backlog = Backlog(spill_path, max_queued)
        self._outage = Outage(log, retry_initial=retry_initial, retry_max=retry_max)
        self._progress = WriteProgress(enqueued=self._backlog.spilled)  # a crashed run's rows first
        self._hurry = 0

        self._wakeup = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task[None] | None = None

    @property
    def last_error(self) -> str | None:
        """The error of the ongoing write outage; None when the last write succeeded."""
        return self._outage.last_error

    @property
    def pending(self) -> int:
        """Rows accepted but not yet written: queued, spilled, and the batch being (re)tried."""
        return self._backlog.in_memory + self._backlog.spilled

    @property
    def queued_in_memory(self) -> int:
        """Rows held in memory (bounded by ``max_queued`` plus one batch while spilling works)."""
        return self._backlog.in_memory

    @property
    def spilled(self) -> int:
        """Rows waiting in the spill file for the database to accept writes."""
        return self._backlog.spilled

    @property
    def written(self) -> int:
        """Rows written since this writer was made."""
        return self._progress.written

    @property
    def dropped(self) -> int:
        """Rows refused by the database for their content (each logged with its id)."""
        return self._progress.dropped + self._backlog.dropped

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
                    kept = self._backlog.keep_for_next_start(record)
                    if kept == "spilled":
                        log.warning("question %s enqueued after the writer closed; kept in spill file %s "
                                    "for the next start", record.id, self._backlog.spill_path)
                        self._progress.enqueued += 1
                    if kept != "refused":
                        return
                    log.warning("question %s enqueued after the writer closed; kept in memory, not written",
                                record.id)
            where = self._backlog.add(record)
            if where == "dropped":
                return
            self._progress.enqueued += 1
            # Wake the task when it may be idle (first row) or a batch is full; rows in between
            # ride along with the batch delay and cost no wake-up.
            queued = len(self._backlog.queue)
            if where == "spilled" or queued == 1 or queued >= self._batch_size:
                self._wakeup.set()
        except Exception:
            log.exception("could not enqueue a question")

    async def start(self) -> None:
        """Start the writing task (idempotent)."""
        if self._task is not None:
            if self._closing:
                raise RuntimeError("a closed QuestionWriter cannot be restarted")
            return
        self._start_task()

    def _start_task(self) -> asyncio.Task[None]:
        self._task = asyncio.create_task(self._run(), name="question-writer")
        self._task.add_done_callback(self._on_task_done)
        return self._task

    async def flush(self) -> None:
        """Wait until every row enqueued before this call is written (or dropped).

        Waits through a write outage; bound it with ``asyncio.timeout`` where that matters.
        Raises :class:`WriterStoppedError` if the writer stops first.
        """
        if self._progress.caught_up:
            return
        if self._task is not None and self._task.done():
            raise WriterStoppedError(f"the writer has stopped with {self.pending} rows unwritten")
        future = self._progress.waiter()
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
        task = self._task or self._start_task()  # never started: drain anyway, nothing asked is lost
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            self._outage.give_up.set()
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
            self._backlog.spill_remaining()
        self._backlog.close()
        spill_path, last_error = self._backlog.spill_path, self._outage.last_error
        if unwritten and spill_path is not None:
            log.error("question log closed with %d rows not yet in the database (last error: %s); %d of them are "
                      "kept in spill file %s and written at the next start", unwritten, last_error,
                      self.spilled, spill_path)
        elif unwritten:
            log.error("question log closed with %d rows that could not be written (last error: %s)",
                      unwritten, last_error)
        else:
            log.info("question log drained and closed; %d rows written in total", self._progress.written)
        return unwritten

    # -- the writing task -------------------------------------------------------------------

    async def _run(self) -> None:
        backlog = self._backlog
        while True:
            if not backlog.queue:
                # Order: the memory queue, then the spill file, then the last-resort overflow.
                if backlog.spilled:
                    if not await self._replay_spill():
                        return
                    continue
                if backlog.refill():
                    continue
                if self._closing:
                    return
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            await self._gather()
            if not await self._write(backlog.take(self._batch_size)):
                return  # gave up at close; the rows stay in flight and count as pending
            backlog.inflight = []

    async def _replay_spill(self) -> bool:
        """Writes the next batch from the spill file; False if told to give up first."""
        taken = await self._outage.retry(lambda: self._backlog.take_spilled(self._batch_size), lambda: self.pending)
        if taken is None or not await self._write(taken[0]):
            return False
        _, corrupt, offset = taken
        self._backlog.replayed(offset)
        if corrupt:
            log.error("skipped %d unreadable lines in spill file %s", corrupt, self._backlog.spill_path)
            self._progress.settle(written=0, dropped=corrupt)
        return True

    async def _gather(self) -> None:
        """Wait up to max_batch_delay for a full batch, unless someone is waiting on us."""
        if self._max_batch_delay <= 0:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._max_batch_delay
        while len(self._backlog.queue) < self._batch_size and not self._closing and not self._hurry:
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
        delay = self._outage.retry_initial
        while rows:
            try:
                await self._repository.insert_many(rows)
            except Exception as exc:
                error: Exception | None = exc
                if is_row_error(exc):
                    rows, error = await self._write_one_by_one(rows)
                    if error is None:
                        continue
                if not await self._outage.back_off(error, self.pending, delay):
                    return False
                delay = self._outage.next_delay(delay)
                continue
            self._progress.settle(written=len(rows))
            rows = []
        self._outage.recovered()
        return True

    async def _write_one_by_one(self, rows: list[QuestionRecord]) -> tuple[list[QuestionRecord], Exception | None]:
        """Find the rows SQLite refuses for their content; write the others.

        Returns the rows still to write and the non-row error that interrupted, if any.
        """
        for index, record in enumerate(rows):
            try:
                await self._repository.insert_many([record])
            except Exception as exc:
                if not is_row_error(exc):
                    self._backlog.inflight = rows[index:]
                    return rows[index:], exc
                log.error("dropped question %s from the log: the database refuses it (%s: %s)",
                          record.id, type(exc).__name__, exc)
                self._progress.settle(written=0, dropped=1)
            else:
                self._progress.settle(written=1)
        self._backlog.inflight = []
        return [], None

    def _on_task_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("question writer task crashed", exc_info=task.exception())
        self._progress.fail(WriterStoppedError(f"the writer has stopped with {self.pending} rows unwritten"))
