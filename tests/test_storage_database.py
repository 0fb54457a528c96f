"""The shared connection: its settings, transactions, online backup and the health check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.database import check_writable
from bot.storage.migrations import default_migrations_dir, discover_migrations
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.sqlite_engine import SqliteDatabase


async def test_open_creates_the_folder_and_sets_the_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "bot.sqlite3"
    async with await SqliteDatabase.open(path) as db:
        assert path.exists()
        assert db.path == path
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA synchronous"))[0] == 1  # NORMAL
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    async with await SqliteDatabase.open(tmp_path / "bot.sqlite3") as db:
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
                raise RuntimeError("boom")
        assert await db.fetchone("SELECT value FROM meta WHERE key = 'a'") is None

        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '2')")
        assert (await db.fetchone("SELECT value FROM meta WHERE key = 'a'"))["value"] == "2"


async def test_backup_is_a_readable_copy_with_the_same_rows(tmp_path: Path) -> None:
    records = [QuestionRecord.new(command="ask", question=f"vraag {i}") for i in range(250)]
    async with await SqliteDatabase.open(tmp_path / "bot.sqlite3") as db:
        await QuestionRepository(db).insert_many(records)
        dest = tmp_path / "backups" / "copy.sqlite3"
        await db.backup(dest)
        # The live database keeps working after a backup.
        await QuestionRepository(db).insert_many([QuestionRecord.new(command="ask", question="later")])

    assert not dest.with_name(dest.name + ".partial").exists()
    with sqlite3.connect(dest) as copy:
        assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        ids = {row[0] for row in copy.execute("SELECT id FROM questions")}
        version = copy.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    assert ids == {r.id for r in records}
    assert version == discover_migrations(default_migrations_dir())[-1].version


async def test_backup_refuses_to_overwrite_the_live_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path) as db:
        with pytest.raises(ValueError, match="onto itself"):
            await db.backup(path)


async def test_check_writable_on_a_healthy_database(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path) as db:
        ok, reason = await check_writable(path)
        assert (ok, reason) == (True, "writable")
        row = await db.fetchone("SELECT value FROM meta WHERE key = 'health_checked_at'")
        assert row is not None and row["value"].endswith("Z")


async def test_check_writable_reports_a_missing_file_without_creating_it(tmp_path: Path) -> None:
    path = tmp_path / "gone.sqlite3"
    ok, reason = await check_writable(path)
    assert not ok and reason
    assert not path.exists()


async def test_check_writable_reports_an_unmigrated_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")  # a valid, empty SQLite database
    ok, reason = await check_writable(path)
    assert not ok
    assert "meta" in reason


async def test_check_writable_reports_a_locked_database(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path):
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            ok, reason = await check_writable(path, timeout_ms=20)
            assert not ok
            assert "locked" in reason
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert await check_writable(path) == (True, "writable")
