"""Keyed user hashes and the secret behind them: stable, keyed, never the raw id."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.hash_key import LEGACY_META, load_hasher, local_key_path
from bot.storage.identity import UserHasher
from bot.storage.meta import get_meta, set_meta
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.sqlite_engine import SqliteDatabase

USER_ID = 273_498_521_739_231_232


async def test_meta_get_and_set(tmp_path: Path) -> None:
    async with await SqliteDatabase.open(tmp_path / "bot.sqlite3") as db:
        assert await get_meta(db, "missing") is None
        await set_meta(db, "tip_channel", "123")
        await set_meta(db, "tip_channel", "456")
        assert await get_meta(db, "tip_channel") == "456"


async def test_hash_key_is_generated_once_beside_the_database_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path) as db:
        first = (await load_hasher(db, None, None)).hash(USER_ID)
        assert (await load_hasher(db, None, None)).hash(USER_ID) == first
    async with await SqliteDatabase.open(path) as db:
        assert (await load_hasher(db, "", None)).hash(USER_ID) == first  # blank counts as not configured
        assert await get_meta(db, LEGACY_META) is None  # the key is not in the database
    assert local_key_path(path).stat().st_mode & 0o777 == 0o600


async def test_two_databases_get_different_keys(tmp_path: Path) -> None:
    async with await SqliteDatabase.open(tmp_path / "a.sqlite3") as a, await SqliteDatabase.open(tmp_path / "b.sqlite3") as b:
        assert (await load_hasher(a, None, None)).hash(USER_ID) != (await load_hasher(b, None, None)).hash(USER_ID)


def test_hash_is_stable_keyed_and_not_the_raw_id() -> None:
    hasher = UserHasher(b"k" * 32)
    digest = hasher.hash(USER_ID)
    assert digest == hasher.hash(USER_ID)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert str(USER_ID) not in digest
    assert digest != hasher.hash(USER_ID + 1)
    assert UserHasher(b"other secret").hash(USER_ID) != digest


def test_hasher_refuses_an_empty_secret_and_hides_its_secret() -> None:
    with pytest.raises(ValueError):
        UserHasher(b"")
    assert "sekrit" not in repr(UserHasher(b"sekrit"))


async def test_the_database_file_never_contains_the_raw_user_id(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path) as db:
        hasher = await load_hasher(db, None, None)
        repo = QuestionRepository(db)
        record = QuestionRecord.new(command="ask", question="Wat doet een CMO?", user_hash=hasher.hash(USER_ID))
        await repo.insert_many([record])
        await repo.record_feedback(record.id, hasher.hash(USER_ID), 1)
    with sqlite3.connect(path) as conn:  # fold the WAL into the main file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("bot.sqlite3"))
    assert b"Wat doet een CMO?" in raw  # sanity: the row is in the bytes we search
    assert str(USER_ID).encode() not in raw
    assert USER_ID.to_bytes(8, "big", signed=True) not in raw
