"""The migration runner: applied in order, once, whole; newer databases refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.migrations import (
    MigrationError,
    SchemaTooNewError,
    default_migrations_dir,
    discover_migrations,
)
from bot.storage.sqlite_engine import SqliteDatabase


def write(directory: Path, name: str, sql: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(sql, encoding="utf-8")


def recorded(path: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").fetchall()


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


async def test_shipped_migrations_apply_once_and_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    shipped = discover_migrations(default_migrations_dir())
    async with await SqliteDatabase.open(path) as db:
        assert db.schema_version == shipped[-1].version
    first = recorded(path)
    assert [(v, n) for v, n, _ in first] == [(m.version, m.name) for m in shipped]
    assert first[0][:2] == (1, "initial")
    assert {"meta", "questions", "feedback", "schema_migrations"} <= tables(path)

    async with await SqliteDatabase.open(path) as db:
        assert db.schema_version == shipped[-1].version
    assert recorded(path) == first  # same applied_at: not applied again


async def test_migrations_apply_in_version_order(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    write(migrations, "0010_third.sql", "INSERT INTO log (step) VALUES ('third');")
    write(migrations, "0001_first.sql", "CREATE TABLE log (step TEXT);")
    write(migrations, "0002_second.sql", "INSERT INTO log (step) VALUES ('second');")
    write(migrations, "README.txt", "not a migration")
    path = tmp_path / "bot.sqlite3"

    async with await SqliteDatabase.open(path, migrations) as db:
        assert db.schema_version == 10
        rows = await db.fetchall("SELECT step FROM log ORDER BY rowid")
    assert [row["step"] for row in rows] == ["second", "third"]
    assert [(v, n) for v, n, _ in recorded(path)] == [(1, "first"), (2, "second"), (10, "third")]


async def test_only_new_migrations_run_on_reopen(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    # Running 0001 twice would fail: the table already exists.
    write(migrations, "0001_first.sql", "CREATE TABLE a (x INTEGER);")
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path, migrations) as db:
        assert db.schema_version == 1

    write(migrations, "0002_second.sql", "CREATE TABLE b (y INTEGER);")
    async with await SqliteDatabase.open(path, migrations) as db:
        assert db.schema_version == 2
    assert {"a", "b"} <= tables(path)
    assert [v for v, _, _ in recorded(path)] == [1, 2]


async def test_database_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    write(migrations, "0001_first.sql", "CREATE TABLE a (x INTEGER);")
    write(migrations, "0002_second.sql", "CREATE TABLE b (y INTEGER);")
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path, migrations):
        pass

    older = tmp_path / "older"
    write(older, "0001_first.sql", "CREATE TABLE a (x INTEGER);")
    with pytest.raises(SchemaTooNewError) as info:
        await SqliteDatabase.open(path, older)
    message = str(info.value)
    assert "newer cmo-bot" in message
    assert "version 2" in message and "version 1" in message
    assert (info.value.database_version, info.value.known_version) == (2, 1)
    assert [v for v, _, _ in recorded(path)] == [1, 2]  # untouched


async def test_failed_migration_is_rolled_back_whole_and_names_the_file(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    write(migrations, "0001_first.sql", "CREATE TABLE a (x INTEGER);")
    write(
        migrations,
        "0002_broken.sql",
        "CREATE TABLE half (x INTEGER);\nINSERT INTO half VALUES (1);\nALTER TABLE missing ADD COLUMN y TEXT;\n",
    )
    path = tmp_path / "bot.sqlite3"

    with pytest.raises(MigrationError) as info:
        await SqliteDatabase.open(path, migrations)
    assert "0002_broken.sql" in str(info.value)
    assert "half" not in tables(path)
    assert [v for v, _, _ in recorded(path)] == [1]

    # Fixed file: applied in full on the next start.
    write(migrations, "0002_broken.sql", "CREATE TABLE half (x INTEGER);\nINSERT INTO half VALUES (1);\n")
    async with await SqliteDatabase.open(path, migrations) as db:
        assert db.schema_version == 2
        assert (await db.fetchone("SELECT COUNT(*) FROM half"))[0] == 1


async def test_trailing_comment_cannot_swallow_the_version_row(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    write(migrations, "0001_first.sql", "CREATE TABLE a (x INTEGER) -- no semicolon, trailing comment")
    path = tmp_path / "bot.sqlite3"
    async with await SqliteDatabase.open(path, migrations) as db:
        assert db.schema_version == 1
    assert [v for v, _, _ in recorded(path)] == [1]


def test_badly_named_and_duplicate_files_are_refused(tmp_path: Path) -> None:
    bad_name = tmp_path / "bad"
    write(bad_name, "1_first.sql", "SELECT 1;")
    with pytest.raises(MigrationError, match=r"1_first\.sql"):
        discover_migrations(bad_name)

    duplicate = tmp_path / "dup"
    write(duplicate, "0001_a.sql", "SELECT 1;")
    write(duplicate, "0001_b.sql", "SELECT 1;")
    with pytest.raises(MigrationError, match="share version 1"):
        discover_migrations(duplicate)


def test_default_migrations_dir_holds_the_shipped_files() -> None:
    names = [m.filename for m in discover_migrations(default_migrations_dir())]
    assert names[0] == "0001_initial.sql"


def test_both_engines_ship_the_same_migration_versions() -> None:
    # One version number means one change on either engine: a database moved from SQLite to
    # PostgreSQL (or compared between them) is at the same schema at the same number.
    from bot.storage.migrations import default_migrations_dir, discover_migrations

    sqlite = [(m.version, m.name) for m in discover_migrations(default_migrations_dir("sqlite"))]
    postgres = [(m.version, m.name) for m in discover_migrations(default_migrations_dir("postgresql"))]
    assert sqlite == postgres and sqlite[0] == (1, "initial")
