"""The database files themselves: private modes, refused bad paths, backups that leave nothing
behind, the per-user ratings migration, and erased text gone from the bytes on disk."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.storage.database import BackupError, DatabaseOpenError
from bot.storage.migrations import default_migrations_dir, discover_migrations
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.sqlite_engine import SqliteDatabase

SECRET_QUESTION = "mijn geheime vraag over het salaris van Piet Jansen"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_database_wal_shm_and_backup_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        path = tmp_path / "data" / "bot.sqlite3"
        async with await SqliteDatabase.open(path) as db:
            await QuestionRepository(db).insert_many([QuestionRecord.new(command="ask", question="q")])
            for file in (path, path.with_name("bot.sqlite3-wal"), path.with_name("bot.sqlite3-shm")):
                assert file.exists() and mode(file) == 0o600, file
            backup = tmp_path / "backups" / "copy.sqlite3"
            await db.backup(backup)
        assert mode(backup) == 0o600
    finally:
        os.umask(previous)


async def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    async with await SqliteDatabase.open(path):
        pass
    assert mode(path) == 0o600


async def test_a_folder_or_a_file_that_is_not_sqlite_is_refused_naming_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(DatabaseOpenError, match=re.escape(f"{folder} is a folder")):
        await SqliteDatabase.open(folder)
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, just some text that is long enough")
    with pytest.raises(DatabaseOpenError, match=re.escape(f"{text} is not an SQLite database")):
        await SqliteDatabase.open(text)
    assert text.read_text().startswith("not a database")  # left untouched
    with pytest.raises(DatabaseOpenError, match=r"notes\.txt"):
        await SqliteDatabase.open(text / "inside.sqlite3")


async def test_backup_to_an_unwritable_place_names_it_and_leaves_no_partial_file(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    async with await SqliteDatabase.open(tmp_path / "bot.sqlite3") as db:
        dest = blocker / "copy.sqlite3"
        with pytest.raises(BackupError, match=re.escape(f"cannot write the backup to {dest}")):
            await db.backup(dest)
        folder = tmp_path / "backups"
        folder.mkdir()
        with pytest.raises(BackupError, match=re.escape(f"{folder}: it is a folder")):
            await db.backup(folder)
        assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder")
async def test_backup_to_a_read_only_folder_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        async with await SqliteDatabase.open(tmp_path / "bot.sqlite3") as db:
            with pytest.raises(BackupError, match=re.escape(str(folder / "copy.sqlite3"))):
                await db.backup(folder / "copy.sqlite3")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


async def test_migration_0005_keeps_existing_ratings_and_allows_one_per_user(tmp_path: Path) -> None:
    """A database with the one-rating-per-answer table (version 4) keeps its ratings."""
    old_dir = tmp_path / "migrations-v4"
    old_dir.mkdir()
    for migration in discover_migrations(default_migrations_dir()):
        if migration.version <= 4:
            (old_dir / migration.filename).write_text(migration.sql)
    path = tmp_path / "bot.sqlite3"
    record = QuestionRecord.new(command="ask", question="q", user_hash="asker")
    async with await SqliteDatabase.open(path, migrations_dir=old_dir) as db:
        await db.execute(
            "INSERT INTO questions (id, asked_at, command, question, user_hash) VALUES (?, ?, 'ask', 'q', 'asker')",
            (record.id, record.asked_at),
        )
        await db.execute(
            "INSERT INTO feedback (question_id, user_hash, rating, rated_at) VALUES (?, 'asker', -1, 'now')", (record.id,)
        )
    async with await SqliteDatabase.open(path) as db:
        assert db.schema_version >= 5
        repo = QuestionRepository(db)
        assert await repo.feedback_for(record.id, "asker") == -1
        await repo.record_feedback(record.id, "someone-else", 1)
        await repo.record_feedback(record.id, "someone-else", -1)
        assert await repo.ratings_for(record.id) == (0, 2)


async def test_erased_question_text_is_gone_from_the_database_and_wal_bytes(tmp_path: Path) -> None:
    from bot.storage.erasure import erase_user_data
    from bot.storage.writer import QuestionWriter

    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path) as db:
        repo = QuestionRepository(db)
        writer = QuestionWriter(repo)
        await writer.start()
        try:
            await repo.insert_many(
                [
                    QuestionRecord.new(command="ask", question=SECRET_QUESTION, user_hash="me"),
                    QuestionRecord.new(command="ask", question="iemand anders vraagt iets", user_hash="you"),
                ]
            )
            on_disk = path.read_bytes() + path.with_name("bot.sqlite3-wal").read_bytes()
            assert SECRET_QUESTION.encode() in on_disk  # sanity: we search where it was
            erased = await erase_user_data(db, repo, writer, "me")
        finally:
            await writer.close()
        assert erased.questions == 1
        wal = path.with_name("bot.sqlite3-wal")
        for file in (path, wal):
            assert SECRET_QUESTION.encode() not in file.read_bytes(), file
        assert b"iemand anders vraagt iets" in path.read_bytes() + wal.read_bytes()
