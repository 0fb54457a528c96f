"""The user-hash key: kept out of the database, checked by fingerprint, rotated without losing anyone."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.storage.hash_key import (
    FINGERPRINT_META,
    LEGACY_META,
    HashKey,
    HashKeyError,
    load_hasher,
    local_key_path,
)
from bot.storage.key_rotation import rotate_hash_key
from bot.storage.meta import get_meta, set_meta
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.revisions import RevisionRepository
from bot.storage.sqlite_engine import SqliteDatabase

USER, OTHER = 273_498_521_739_231_232, 273_498_521_739_231_999


def raw_bytes(db_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name + "-") or p == db_path)


async def test_the_fingerprint_is_stored_and_the_key_is_not(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path) as db:
        await load_hasher(db, "a-long-configured-key", None)
        stored = await get_meta(db, FINGERPRINT_META)
    assert stored and len(stored) == 64
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"a-long-configured-key" not in raw_bytes(path)
    assert not local_key_path(path).exists()  # a configured key needs no generated file


async def test_a_different_key_is_refused_naming_the_variable(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path) as db:
        await load_hasher(db, "first-key", None)
    async with await SqliteDatabase.open(path) as db:
        with pytest.raises(HashKeyError, match=r"CMO_HASH_SECRET.*rotate-hash-key"):
            await load_hasher(db, "second-key", None)
        await load_hasher(db, "first-key", None)  # the right key still starts


async def test_a_key_file_must_be_readable_by_its_owner_only(tmp_path: Path) -> None:
    key_file = tmp_path / "hash.key"
    key_file.write_text("from-a-file\n")
    key_file.chmod(0o644)
    async with await SqliteDatabase.open(tmp_path / "bot.sqlite3") as db:
        with pytest.raises(HashKeyError, match=r"CMO_HASH_SECRET_FILE: .*hash\.key.*mode 644.*chmod 600"):
            await load_hasher(db, None, key_file)
        key_file.chmod(0o600)
        from_file = await load_hasher(db, None, key_file)
    async with await SqliteDatabase.open(tmp_path / "other.sqlite3") as db:
        assert (await load_hasher(db, "from-a-file", None)).hash(USER) == from_file.hash(USER)  # whitespace stripped


async def test_a_missing_or_empty_key_file_and_both_variables_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.key"
    empty.write_text("  \n")
    empty.chmod(0o600)
    async with await SqliteDatabase.open(tmp_path / "bot.sqlite3") as db:
        with pytest.raises(HashKeyError, match="file not found"):
            await load_hasher(db, None, tmp_path / "missing.key")
        with pytest.raises(HashKeyError, match="is empty"):
            await load_hasher(db, None, empty)
        with pytest.raises(HashKeyError, match="both set"):
            await load_hasher(db, "x", empty)


async def test_a_key_an_older_version_kept_in_the_database_is_moved_out_and_still_finds_the_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    legacy = os.urandom(32)
    from bot.storage.identity import UserHasher

    async with await SqliteDatabase.open(path) as db:
        await set_meta(db, LEGACY_META, legacy.hex())
        await QuestionRepository(db).insert_many(
            [QuestionRecord.new(command="ask", question="q", user_hash=UserHasher(legacy).hash(USER))]
        )
    async with await SqliteDatabase.open(path) as db:
        hasher = await load_hasher(db, None, None)
        assert await get_meta(db, LEGACY_META) is None
        assert await QuestionRepository(db).count_for_user(hasher.hash(USER)) == 1
    key_file = local_key_path(path)
    assert key_file.read_text().strip() == legacy.hex()
    assert key_file.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert legacy.hex().encode() not in raw_bytes(path)


async def test_rotation_rehashes_every_column_and_the_new_key_finds_the_old_rows(tmp_path: Path) -> None:
    from bot.knowledge.loader import default_content_dir, load_content
    from bot.storage.revisions import NewRevision

    path = tmp_path / "bot.sqlite3"
    topic = next(iter(load_content(default_content_dir()).topics.values()))
    async with await SqliteDatabase.open(path) as db:
        old = await load_hasher(db, "old-key", None)
        repo = QuestionRepository(db)
        mine = QuestionRecord.new(command="ask", question="mine", user_hash=old.hash(USER))
        theirs = QuestionRecord.new(command="ask", question="theirs", user_hash=old.hash(OTHER))
        await repo.insert_many([mine, theirs])
        await repo.record_feedback(theirs.id, old.hash(USER), 1)
        await RevisionRepository(db).add(
            NewRevision(topic=topic, created_at="2030-01-01T00:00:00.000Z", action="edit", editor_hash=old.hash(USER))
        )

        result = await rotate_hash_key(
            db, HashKey(b"old-key", "x"), HashKey(b"new-key", "y"), old_variable="CMO_OLD_HASH_SECRET"
        )
        assert (result.rows, result.users) == (4, 2)
        with pytest.raises(HashKeyError, match="not the key the database"):  # the old key no longer starts the bot
            await load_hasher(db, "old-key", None)
        new = await load_hasher(db, "new-key", None)
        assert new.hash(USER) != old.hash(USER)
        assert await repo.count_for_user(new.hash(USER)) == 1
        assert await repo.feedback_for(theirs.id, new.hash(USER)) == 1
        assert (await db.fetchone("SELECT editor_hash FROM topic_revisions"))[0] == new.hash(USER)
        assert await repo.count_for_user(old.hash(USER)) == 0

        again = await rotate_hash_key(db, HashKey(b"old-key", "x"), HashKey(b"new-key", "y"), old_variable="V")
        assert again.already

        # The database alone holds no key: the retired one is stored wrapped under the new key.
        stored = (await db.fetchone("SELECT value FROM meta WHERE key = 'hash_key_retired'"))[0]
        assert b"old-key".hex() not in stored and "old-key" not in stored

        # A second rotation keeps every earlier user findable.
        await rotate_hash_key(db, HashKey(b"new-key", "x"), HashKey(b"third-key", "y"), old_variable="V")
        third = await load_hasher(db, "third-key", None)
        assert await repo.count_for_user(third.hash(USER)) == 1
        assert await repo.feedback_for(theirs.id, third.hash(USER)) == 1


async def test_rotation_refuses_a_wrong_old_key_and_changes_nothing(tmp_path: Path) -> None:
    async with await SqliteDatabase.open(tmp_path / "bot.sqlite3") as db:
        hasher = await load_hasher(db, "real-key", None)
        await QuestionRepository(db).insert_many([QuestionRecord.new(command="ask", question="q", user_hash=hasher.hash(USER))])
        with pytest.raises(HashKeyError, match="CMO_OLD_HASH_SECRET: the old key"):
            await rotate_hash_key(db, HashKey(b"wrong", "x"), HashKey(b"new", "y"), old_variable="CMO_OLD_HASH_SECRET")
        assert await QuestionRepository(db).count_for_user(hasher.hash(USER)) == 1
