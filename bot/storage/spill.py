"""The question writer's overflow: an append-only file of JSON lines beside the database.

While the database refuses writes, the writer keeps a bounded number of rows in memory; the
rest go here, one JSON object per line, so memory stays bounded and nothing asked is lost.
When the database accepts writes again the file is replayed in batches and truncated. A
file left behind by a crash is replayed at the next start (rows already written are skipped
by the insert's ``ON CONFLICT (id) DO NOTHING``).

The file holds question text and user hashes, so it is created 0600 (and tightened to 0600
if found wider). Each row is one ``os.write`` straight to the OS, so a crashed process loses
nothing; ``fsync`` runs at most once per ``fsync_interval`` seconds and at close, so a power
cut can lose at most that last interval of spilled rows, without an fsync per question.

Appends and truncation happen on the event loop thread; reading for a replay runs in a
worker thread but only up to the offset known to hold complete lines.

:class:`Overflow` is the writer's side of it: when to spill, and the last-resort memory
overflow used only if the spill file cannot be written either (keeping rows beats losing them).
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import json
import logging
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from bot.shards import ShardPlan
from bot.storage.questions import QuestionRecord

log = logging.getLogger(__name__)

_FIELDS = tuple(field.name for field in dataclasses.fields(QuestionRecord))
_CHUNK = 1 << 20


def spill_path_for(db_path: str | os.PathLike[str], shards: ShardPlan | None = None) -> Path:
    """Where the spill file lives: beside the SQLite file (or where it would be). Processes
    that run parts of the shards each keep their own, named after their shards, because
    two processes appending to one file would interleave lines."""
    path = Path(db_path)
    tag = "." + shards.file_tag if shards is not None and shards.is_partial else ""
    return path.with_name(f"{path.name}{tag}.spill.jsonl")


def encode(record: QuestionRecord) -> bytes:
    """One JSON line. ASCII escapes keep lone surrogates from user text round-tripping.
    Raises TypeError/ValueError for a value JSON cannot hold (the database could not either)."""
    return (json.dumps({name: getattr(record, name) for name in _FIELDS}, allow_nan=False) + "\n").encode("ascii")


def decode(line: bytes) -> QuestionRecord | None:
    """The record on one line, or None if the line is not one (corrupted on disk)."""
    try:
        data = json.loads(line)
        return QuestionRecord(**{name: data.get(name) for name in _FIELDS})
    except (ValueError, TypeError):
        return None


def _read_lines(path: Path, start: int, end: int, limit: int) -> tuple[list[bytes], int]:
    """Up to ``limit`` complete lines between byte offsets ``start`` and ``end``."""
    lines: list[bytes] = []
    with open(path, "rb") as handle:
        handle.seek(start)
        offset = start
        while offset < end and len(lines) < limit:
            line = handle.readline(end - offset)
            if not line:
                break
            offset += len(line)
            lines.append(line)
    return lines, offset


class SpillFile:
    """Append rows; hand them back in order for replay; truncate once all are replayed."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        fsync_interval: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self._fsync_interval = fsync_interval
        self._monotonic = monotonic
        self._fd: int | None = None
        self._end = 0  # bytes of complete lines in the file
        self._replayed = 0  # bytes whose rows are in the database
        self._handed_out = 0  # bytes whose rows were read for a replay (>= _replayed)
        self.unread = 0  # lines not yet handed out
        self._last_fsync = monotonic()
        self._unsynced = False
        self._recover()

    @property
    def active(self) -> bool:
        """Whether the file holds rows not yet replayed: new rows must queue behind them."""
        return self._end > self._replayed

    def _recover(self) -> None:
        """Counts the rows a previous run left behind. A file that cannot be read is reported
        with its path and left alone: the bot still answers, and spilling will fail over to
        memory, which says so too."""
        try:
            self._count_leftovers()
        except OSError as exc:
            self._end = self.unread = 0
            log.error("cannot read the spill file %s (%s); questions an earlier run left in it are not replayed",
                      self.path, exc)

    def _count_leftovers(self) -> None:
        """Counts complete lines and cuts off a partly written last line."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if not self.path.is_file():
            raise IsADirectoryError(f"{self.path} is not a regular file")
        self._tighten_mode()
        lines, complete = 0, 0
        with open(self.path, "rb") as handle:
            offset = 0
            while chunk := handle.read(_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk.rfind(b"\n")
                if last >= 0:
                    complete = offset + last + 1
                offset += len(chunk)
        if complete < size:
            log.warning("spill file %s ended in a partly written line (%d bytes, from a crash mid-write); cut it off",
                        self.path, size - complete)
            os.truncate(self.path, complete)
        self._end, self.unread = complete, lines
        if lines:
            log.warning("spill file %s holds %d questions from an earlier run; replaying them into the database",
                        self.path, lines)

    def _tighten_mode(self) -> None:
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            os.chmod(self.path, 0o600)
            log.warning("spill file %s was readable by others (mode %o); set it to 0600", self.path, mode)

    def _open(self) -> int:
        if self._fd is None:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                self._tighten_mode()
            except OSError:
                os.close(fd)
                raise
            self._fd = fd
        return self._fd

    def append(self, line: bytes) -> None:
        """Appends one encoded row. On OSError (disk full, no permission) the file is left as
        it was, without a partial line, and the error propagates for the caller to keep the row."""
        fd = self._open()
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(f"short write to {self.path}: {written} of {len(line)} bytes")
        except OSError:
            try:
                os.ftruncate(fd, self._end)
            except OSError:
                log.exception("could not cut a partial line off spill file %s", self.path)
            raise
        self._end += len(line)
        self.unread += 1
        self._unsynced = True
        if self._monotonic() - self._last_fsync >= self._fsync_interval:
            self.sync()

    def sync(self) -> None:
        """Forces spilled rows to disk (rate-limited by the caller; always at close)."""
        if self._fd is not None and self._unsynced:
            os.fsync(self._fd)
            self._unsynced = False
        self._last_fsync = self._monotonic()

    async def take(self, limit: int) -> tuple[list[QuestionRecord | None], int]:
        """The next ``limit`` rows (None for a corrupted line) and the offset after them.
        Call :meth:`replayed` with that offset once they are in the database."""
        lines, offset = await asyncio.to_thread(_read_lines, self.path, self._handed_out, self._end, limit)
        self._handed_out = offset
        self.unread -= len(lines)
        return [decode(line) for line in lines], offset

    def replayed(self, offset: int) -> None:
        """The rows up to ``offset`` are in the database; once all are, empty the file."""
        self._replayed = max(self._replayed, offset)
        if self._replayed >= self._end and self.unread == 0:
            self.truncate()

    def truncate(self) -> None:
        fd = self._open()
        os.ftruncate(fd, 0)
        self._end = self._replayed = self._handed_out = 0
        self.unread = 0

    def close(self) -> None:
        if self._fd is None:
            return
        try:
            self.sync()
        finally:
            os.close(self._fd)
            self._fd = None


class Overflow:
    """Where the writer's rows go once ``max_queued`` wait in memory: the spill file at
    ``path`` (None: no cap, nothing spilled), or, while that cannot be written, ``memory``.
    Order is kept: rows queue behind those already spilled or overflowed."""

    def __init__(self, path: str | os.PathLike[str] | None, max_queued: int) -> None:
        self.file = SpillFile(path) if path is not None else None
        self.memory: collections.deque[QuestionRecord] = collections.deque()
        self.dropped = 0  # rows JSON cannot hold, dropped before they counted as enqueued
        self._max_queued = max_queued
        self._error: str | None = None

    @property
    def spilled(self) -> int:
        """Rows waiting in the spill file."""
        return self.file.unread if self.file is not None else 0

    @property
    def holds_rows(self) -> bool:
        """Whether earlier rows wait here, so a new row must queue behind them."""
        return bool(self.memory) or (self.file is not None and self.file.active)

    def must_spill(self, queued: int) -> bool:
        """Spill when memory is full, or when earlier rows are already spilled (order)."""
        if self.file is None or self.memory:
            return False
        return self.file.active or queued >= self._max_queued

    def encode(self, record: QuestionRecord) -> bytes | None:
        """The spill line; None for a row JSON cannot hold (the database could not either),
        dropped here with its id before it counts as enqueued, so the settled-in-order
        bookkeeping stays exact."""
        try:
            return encode(record)
        except (TypeError, ValueError) as exc:
            log.error("dropped question %s from the log: it cannot be stored (%s: %s)",
                      record.id, type(exc).__name__, exc)
            self.dropped += 1
            return None

    def append(self, line: bytes) -> bool:
        """Appends to the spill file; False (row not taken) if the file cannot be written."""
        assert self.file is not None
        try:
            self.file.append(line)
        except OSError as exc:
            if self._error is None:
                log.error("cannot write the spill file %s (%s: %s); keeping questions in memory beyond the cap "
                          "of %d", self.file.path, type(exc).__name__, exc, self._max_queued)
            self._error = f"{type(exc).__name__}: {exc}"
            return False
        if self._error is not None:
            log.warning("spill file %s writable again", self.file.path)
            self._error = None
        return True

    def spill_all(self, rows: list[QuestionRecord]) -> set[int]:
        """Spills what it can of ``rows`` (at a close that gave up); the ``id()`` of each kept."""
        kept: set[int] = set()
        for record in rows:
            line = self.encode(record)
            if line is not None and self.append(line):
                kept.add(id(record))
        return kept

    def close(self) -> None:
        if self.file is None:
            return
        try:
            self.file.close()
        except OSError:
            log.exception("could not sync and close spill file %s", self.file.path)
