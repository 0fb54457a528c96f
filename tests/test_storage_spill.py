"""The writer's bounded memory: past its cap, rows go to a spill file and come back.

A real SQLite file refuses writes (``query_only``, or a lock held by another connection);
the writer's backoff is milliseconds and every wait is on an event, never the clock.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.storage.database import Database
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.spill import SpillFile, encode, spill_path_for
from bot.storage.sqlite_engine import SqliteDatabase
from bot.storage.writer import QuestionWriter
from tests.test_storage_writer import FAST, LogWatcher, records, retries, rows_in_file


@pytest.fixture
def watcher() -> Iterator[LogWatcher]:
    handler = LogWatcher()
    loggers = [logging.getLogger("bot.storage.writer"), logging.getLogger("bot.storage.spill")]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    yield handler
    for logger, level in zip(loggers, previous, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    async with await SqliteDatabase.open(db_path, busy_timeout_ms=10) as database:
        yield database


def spill_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


def bounded_writer(db: Database, db_path: Path, **options: object) -> QuestionWriter:
    settings = {"max_queued": 10, "batch_size": 5, "max_batch_delay": 0, **FAST, **options}
    return QuestionWriter(QuestionRepository(db), spill_path=spill_path_for(db_path), **settings)  # type: ignore[arg-type]


async def test_a_read_only_database_spills_past_the_cap_and_loses_nothing(
    db: Database, db_path: Path, watcher: LogWatcher
) -> None:
    writer = bounded_writer(db, db_path)
    await writer.start()
    await db.execute("PRAGMA query_only=ON")
    asked = records(200, user_hash="u")
    for record in asked:
        writer.enqueue(record)
    await watcher.wait_for(retries(3))

    spill = spill_path_for(db_path)
    assert spill.parent == db_path.parent
    assert writer.queued_in_memory <= 10 + 5  # the cap, plus at most the batch being retried
    assert writer.pending == 200
    assert len(spill_lines(spill)) == writer.spilled >= 185
    assert stat.S_IMODE(spill.stat().st_mode) == 0o600  # question text and user hashes inside
    assert {line["id"] for line in spill_lines(spill)} <= {r.id for r in asked}

    later = records(30)  # still accepted, and queued behind the spilled rows
    for record in later:
        writer.enqueue(record)
    assert writer.queued_in_memory <= 15

    await db.execute("PRAGMA query_only=OFF")
    async with asyncio.timeout(10):
        await writer.flush()
    assert sorted(rows_in_file(db_path)) == sorted(r.id for r in asked + later)
    assert (writer.pending, writer.written, writer.dropped) == (0, 230, 0)
    assert spill.stat().st_size == 0  # replayed, then truncated
    await writer.close()


async def test_a_locked_database_spills_and_replays_in_order(db: Database, db_path: Path, watcher: LogWatcher) -> None:
    writer = bounded_writer(db, db_path)
    await writer.start()
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        asked = records(60)
        for record in asked:
            writer.enqueue(record)
        await watcher.wait_for(retries(2))
        assert writer.last_error is not None and "locked" in writer.last_error
        assert writer.spilled > 0 and writer.queued_in_memory <= 15
        other.execute("COMMIT")
    finally:
        other.close()
    async with asyncio.timeout(10):
        await writer.flush()
    with sqlite3.connect(db_path) as conn:
        stored = [row[0] for row in conn.execute("SELECT id FROM questions ORDER BY rowid")]
    assert stored == [r.id for r in asked]  # memory queue first, then the spill file, in order
    assert spill_path_for(db_path).stat().st_size == 0
    await writer.close()


async def test_close_during_an_outage_keeps_every_row_for_the_next_start(
    db: Database, db_path: Path, watcher: LogWatcher
) -> None:
    writer = bounded_writer(db, db_path)
    await writer.start()
    await db.execute("PRAGMA query_only=ON")
    asked = records(40)
    for record in asked:
        writer.enqueue(record)
    await watcher.wait_for(retries(2))
    assert await writer.close(timeout=0.05) == 40  # not in the database...
    spill = spill_path_for(db_path)
    assert sorted(line["id"] for line in spill_lines(spill)) == sorted(r.id for r in asked)  # ...but on disk
    assert any("kept in spill file" in m for m in watcher.at(logging.ERROR))
    late = QuestionRecord.new(command="ask", question="na het sluiten")
    writer.enqueue(late)  # after close: still kept for the next start
    assert late.id in {line["id"] for line in spill_lines(spill)}

    await db.execute("PRAGMA query_only=OFF")
    restarted = bounded_writer(db, db_path)
    assert restarted.pending == 41  # found at construction, before anything is asked
    await restarted.start()
    async with asyncio.timeout(10):
        await restarted.flush()
    assert sorted(rows_in_file(db_path)) == sorted(r.id for r in [*asked, late])
    assert spill.stat().st_size == 0
    await restarted.close()


async def test_a_spill_file_left_by_a_crash_is_replayed_at_start(
    db: Database, db_path: Path, watcher: LogWatcher
) -> None:
    spill = spill_path_for(db_path)
    asked = records(7)
    already_written = asked[0]
    await QuestionRepository(db).insert_many([already_written])  # replayed before the crash
    body = b"".join(encode(r) for r in asked[:4]) + b"not json\n" + b"".join(encode(r) for r in asked[4:])
    spill.write_bytes(body + b'{"id": "half a li')  # the crash cut the last write short
    os.chmod(spill, 0o644)

    writer = bounded_writer(db, db_path)
    assert stat.S_IMODE(spill.stat().st_mode) == 0o600
    await writer.start()
    async with asyncio.timeout(10):
        await writer.flush()
    assert sorted(rows_in_file(db_path)) == sorted(r.id for r in asked)  # once each
    assert writer.dropped == 1  # the corrupted line, reported without its content
    assert any("partly written line" in m for m in watcher.at(logging.WARNING))
    assert any("1 unreadable lines" in m for m in watcher.at(logging.ERROR))
    assert spill.stat().st_size == 0
    await writer.close()


async def test_an_unwritable_spill_file_keeps_rows_in_memory_rather_than_losing_them(
    db: Database, db_path: Path, watcher: LogWatcher
) -> None:
    spill = spill_path_for(db_path)
    spill.mkdir()  # cannot be opened as a file
    writer = bounded_writer(db, db_path)
    await writer.start()
    await db.execute("PRAGMA query_only=ON")
    asked = records(30)
    for record in asked:
        writer.enqueue(record)
    await watcher.wait_for(retries(2))
    errors = [m for m in watcher.at(logging.ERROR) if "cannot write the spill file" in m]
    assert len(errors) == 1 and str(spill) in errors[0]  # logged once, path named
    assert "keeping questions in memory" in errors[0]
    await db.execute("PRAGMA query_only=OFF")
    async with asyncio.timeout(10):
        await writer.flush()
    assert sorted(rows_in_file(db_path)) == sorted(r.id for r in asked)
    await writer.close()


async def test_a_row_json_cannot_hold_is_dropped_alone_when_spilling(
    db: Database, db_path: Path, watcher: LogWatcher
) -> None:
    writer = bounded_writer(db, db_path, max_queued=1)
    await db.execute("PRAGMA query_only=ON")
    good = records(3)
    bad = QuestionRecord.new(command="ask", question="GEHEIM", guild_id=object())  # type: ignore[arg-type]
    for record in [good[0], good[1], bad, good[2]]:
        writer.enqueue(record)
    assert writer.dropped == 1 and writer.pending == 3
    await db.execute("PRAGMA query_only=OFF")
    assert await writer.close() == 0
    assert sorted(rows_in_file(db_path)) == sorted(r.id for r in good)
    assert not any("GEHEIM" in r.getMessage() for r in watcher.records)


def test_spill_file_round_trips_user_text_exactly(tmp_path: Path) -> None:
    record = QuestionRecord.new(command="ask", question='emoji 👍, "quotes", \\ and a lone \ud800 surrogate',
                                guild_id=2**62, score=0.5)
    spill = SpillFile(tmp_path / "s.jsonl")
    spill.append(encode(record))
    spill.close()
    assert SpillFile(tmp_path / "s.jsonl").unread == 1
    [line] = (tmp_path / "s.jsonl").read_bytes().splitlines()
    assert QuestionRecord(**json.loads(line)) == record
