"""The batching writer: nothing enqueued is lost, through outages and at shutdown.

Waits are on events (log records as they are emitted, flush futures), never on the clock.
The writer's own backoff is set to milliseconds so retries happen quickly.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path

import pytest

from bot.storage.database import Database
from bot.storage.feedback_and_erasure import erase_user, record_feedback
from bot.storage.questions import QuestionRecord, QuestionRepository, UnknownQuestionError
from bot.storage.sqlite_engine import SqliteDatabase
from bot.storage.writer import QuestionWriter, WriterStoppedError

FAST = {"retry_initial": 0.001, "retry_max": 0.004}


class LogWatcher(logging.Handler):
    """Collects the writer's log records and lets a test await a condition on them."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self._changed.set()

    async def wait_for(self, predicate: Callable[[list[logging.LogRecord]], bool]) -> None:
        async with asyncio.timeout(10):
            while not predicate(self.records):
                self._changed.clear()
                await self._changed.wait()

    def at(self, level: int) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno == level]


@pytest.fixture
def watcher() -> Iterator[LogWatcher]:
    logger = logging.getLogger("bot.storage.writer")
    handler = LogWatcher()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(previous)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with await SqliteDatabase.open(tmp_path / "bot.sqlite3", busy_timeout_ms=10) as database:
        yield database


@pytest.fixture
def repo(db: Database) -> QuestionRepository:
    return QuestionRepository(db)


def rows_in_file(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM questions")]


def records(n: int, **fields: object) -> list[QuestionRecord]:
    return [QuestionRecord.new(command="ask", question=f"vraag {i}", **fields) for i in range(n)]  # type: ignore[arg-type]


def retries(minimum: int) -> Callable[[list[logging.LogRecord]], bool]:
    return lambda recs: sum("retry failed" in r.getMessage() for r in recs) >= minimum


class BatchRecorder(QuestionRepository):
    """The real repository, noting the size of every batch it is asked to write."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.batches: list[int] = []

    async def insert_many(self, records: Sequence[QuestionRecord]) -> None:
        self.batches.append(len(records))
        await super().insert_many(records)


async def test_ten_thousand_rows_all_land_by_close(db: Database, tmp_path: Path) -> None:
    repo = BatchRecorder(db)
    writer = QuestionWriter(repo, batch_size=500)
    await writer.start()
    queued = records(10_000)
    for record in queued:
        writer.enqueue(record)
    assert await writer.close(timeout=30) == 0
    assert (writer.written, writer.pending, writer.last_error) == (10_000, 0, None)

    ids = rows_in_file(tmp_path / "bot.sqlite3")
    assert len(ids) == 10_000
    assert set(ids) == {r.id for r in queued}
    assert max(repo.batches) <= 500
    assert len(repo.batches) == 20  # batched, not row by row


async def test_close_drains_even_if_never_started(repo: QuestionRepository, tmp_path: Path) -> None:
    writer = QuestionWriter(repo)
    for record in records(3):
        writer.enqueue(record)
    assert await writer.close() == 0
    assert len(rows_in_file(tmp_path / "bot.sqlite3")) == 3


async def test_flush_writes_what_was_enqueued_without_waiting_for_the_batch_delay(
    repo: QuestionRepository, tmp_path: Path
) -> None:
    writer = QuestionWriter(repo, max_batch_delay=3600)  # only flush can make this prompt
    await writer.start()
    await writer.flush()  # nothing queued: returns at once
    first = records(3)
    for record in first:
        writer.enqueue(record)
    assert writer.pending == 3
    async with asyncio.timeout(10):
        await writer.flush()
    assert set(rows_in_file(tmp_path / "bot.sqlite3")) == {r.id for r in first}
    assert (writer.written, writer.pending) == (3, 0)

    # Concurrent flushes all return once their rows are written.
    more = records(5)
    for record in more[:2]:
        writer.enqueue(record)
    early = asyncio.create_task(writer.flush())
    for record in more[2:]:
        writer.enqueue(record)
    async with asyncio.timeout(10):
        await asyncio.gather(early, writer.flush())
    assert writer.written == 8
    await writer.close()


async def test_writer_survives_a_read_only_database(
    db: Database, repo: QuestionRepository, watcher: LogWatcher, tmp_path: Path
) -> None:
    writer = QuestionWriter(repo, max_batch_delay=0, **FAST)
    await writer.start()
    await db.execute("PRAGMA query_only=ON")  # every write on the bot's connection now fails
    queued = records(50)
    for record in queued:
        writer.enqueue(record)

    await watcher.wait_for(retries(5))
    assert writer.last_error is not None and "readonly" in writer.last_error
    assert (writer.pending, writer.written) == (50, 0)
    assert len(watcher.at(logging.ERROR)) == 1  # once per outage, not per retry

    more = records(10)
    for record in more:  # still accepted during the outage
        writer.enqueue(record)
    await db.execute("PRAGMA query_only=OFF")
    async with asyncio.timeout(10):
        await writer.flush()
    assert writer.last_error is None
    assert (writer.pending, writer.written) == (0, 60)
    assert sorted(rows_in_file(tmp_path / "bot.sqlite3")) == sorted(r.id for r in queued + more)
    assert any("writable again" in m for m in watcher.at(logging.WARNING))
    await writer.close()


async def test_writer_survives_a_database_locked_by_another_process(
    repo: QuestionRepository, watcher: LogWatcher, tmp_path: Path
) -> None:
    path = tmp_path / "bot.sqlite3"
    writer = QuestionWriter(repo, max_batch_delay=0, **FAST)
    await writer.start()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        queued = records(20)
        for record in queued:
            writer.enqueue(record)
        await watcher.wait_for(retries(2))
        assert writer.last_error is not None and "locked" in writer.last_error
        other.execute("COMMIT")
    finally:
        other.close()
    async with asyncio.timeout(10):
        await writer.flush()
    assert sorted(rows_in_file(path)) == sorted(r.id for r in queued)
    assert len(watcher.at(logging.ERROR)) == 1
    await writer.close()


async def test_close_reports_rows_it_could_not_write(
    db: Database, repo: QuestionRepository, watcher: LogWatcher
) -> None:
    writer = QuestionWriter(repo, **FAST)
    await writer.start()
    await db.execute("PRAGMA query_only=ON")
    for record in records(7):
        writer.enqueue(record)
    waiting = asyncio.create_task(writer.flush())

    assert await writer.close(timeout=0.05) == 7
    assert writer.pending == 7
    assert any("7 rows that could not be written" in m for m in watcher.at(logging.ERROR))
    with pytest.raises(WriterStoppedError):
        await waiting


async def test_enqueue_after_close_warns_and_keeps_the_row(repo: QuestionRepository, watcher: LogWatcher) -> None:
    writer = QuestionWriter(repo)
    await writer.start()
    await writer.close()
    late = QuestionRecord.new(command="ask", question="te laat")
    writer.enqueue(late)  # must not raise
    assert writer.pending == 1
    assert any(late.id in m and "after the writer closed" in m for m in watcher.at(logging.WARNING))


async def test_a_row_the_database_refuses_is_dropped_alone(
    repo: QuestionRepository, watcher: LogWatcher, tmp_path: Path
) -> None:
    writer = QuestionWriter(repo, max_batch_delay=3600, **FAST)
    await writer.start()
    good = records(4)
    bad = QuestionRecord.new(command="ask", question="GEHEIME VRAAG", guild_id=object())  # type: ignore[arg-type]
    for record in [good[0], good[1], bad, good[2], good[3]]:
        writer.enqueue(record)
    async with asyncio.timeout(10):
        await writer.flush()
    assert (writer.written, writer.dropped, writer.pending) == (4, 1, 0)
    assert sorted(rows_in_file(tmp_path / "bot.sqlite3")) == sorted(r.id for r in good)
    assert any(bad.id in m for m in watcher.at(logging.ERROR))
    assert not any("GEHEIME VRAAG" in r.getMessage() for r in watcher.records)  # no question text in logs
    await writer.close()


async def test_feedback_on_a_question_still_in_the_queue(repo: QuestionRepository) -> None:
    writer = QuestionWriter(repo, max_batch_delay=3600)
    await writer.start()
    record = QuestionRecord.new(command="ask", question="q", user_hash="u")
    writer.enqueue(record)
    async with asyncio.timeout(10):
        await record_feedback(repo, writer, record.id, "u", 1)
    assert await repo.feedback_for(record.id) == 1
    with pytest.raises(UnknownQuestionError):
        await record_feedback(repo, writer, "f" * 32, "u", 1)
    await writer.close()


async def test_erasure_includes_questions_still_in_the_queue(repo: QuestionRepository) -> None:
    writer = QuestionWriter(repo, max_batch_delay=3600)
    await writer.start()
    for record in records(3, user_hash="alice") + records(2, user_hash="bob"):
        writer.enqueue(record)
    async with asyncio.timeout(10):
        assert await erase_user(repo, writer, "alice") == 3
    assert await repo.count_for_user("alice") == 0
    assert await repo.count_for_user("bob") == 2
    await writer.close()
