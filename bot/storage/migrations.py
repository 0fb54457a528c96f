"""Numbered SQL migrations, each applied once and whole, with its version recorded.

Files are named ``NNNN_name.sql`` and applied in version order. Each runs in one transaction
together with its ``schema_migrations`` row, so a failing file leaves no half-made table and
is retried in full on the next start. A database that records a version newer than any file
we ship was written by a newer cmo-bot; we refuse it rather than run old code on a schema it
does not understand.

Python's sqlite3 module opens and commits transactions on its own (and ``executescript``
commits first), so the transaction is spelled out inside the one script we execute.
"""

from __future__ import annotations

import importlib.resources
import logging
import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

import aiosqlite

import bot

log = logging.getLogger(__name__)

_FILENAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[A-Za-z0-9_]+)\.sql$")

_CREATE_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT,
    applied_at TEXT
)
"""


class MigrationError(Exception):
    """The schema could not be brought up to date; the database is left as it was."""


class SchemaTooNewError(MigrationError):
    """The database was migrated by a newer cmo-bot than this one."""

    def __init__(self, database_version: int, known_version: int) -> None:
        self.database_version = database_version
        self.known_version = known_version
        super().__init__(
            f"the database was written by a newer cmo-bot: its schema is at version "
            f"{database_version}, but this cmo-bot only knows migrations up to version "
            f"{known_version}. Upgrade cmo-bot, or restore a backup made by this version."
        )


@dataclass(frozen=True, slots=True)
class Migration:
    """One SQL file, read into memory so a half-read file can never be half-applied."""

    version: int
    name: str
    filename: str
    sql: str


def default_migrations_dir(dialect: str = "sqlite") -> Traversable:
    """Where the shipped migrations of an engine are: the checkout folder, else the installed package.

    In a checkout ``migrations/`` sits next to ``bot/``; in a wheel pyproject maps it to the
    ``bot._migrations`` package. The checkout folder is recognised by its first file, so an
    unrelated top-level ``migrations`` folder in site-packages is never mistaken for ours.
    SQLite's files are at the top; PostgreSQL's, with the same version numbers, in ``postgresql/``.
    """
    checkout = Path(bot.__file__).resolve().parent.parent / "migrations"
    root: Traversable = checkout if (checkout / "0001_initial.sql").is_file() else importlib.resources.files(
        "bot._migrations"
    )
    return root if dialect == "sqlite" else root / dialect


def discover_migrations(directory: Traversable | Path) -> list[Migration]:
    """Read every ``NNNN_name.sql`` in ``directory``, in version order.

    A ``.sql`` file with another name, or two files with one version, is an error: silently
    skipping either would leave a schema that differs between machines.
    """
    migrations: list[Migration] = []
    seen: dict[int, str] = {}
    for entry in directory.iterdir():
        if not entry.name.endswith(".sql") or not entry.is_file():
            continue
        match = _FILENAME.match(entry.name)
        if match is None:
            raise MigrationError(
                f"migration file {entry.name!r} is not named NNNN_name.sql (e.g. 0002_add_topics.sql)"
            )
        version = int(match["version"])
        if version in seen:
            raise MigrationError(
                f"migration files {seen[version]!r} and {entry.name!r} share version {version}"
            )
        seen[version] = entry.name
        migrations.append(Migration(version, match["name"], entry.name, entry.read_text(encoding="utf-8")))
    migrations.sort(key=lambda m: m.version)
    return migrations


async def current_version(conn: aiosqlite.Connection) -> int:
    """The highest applied version, 0 for a database never migrated."""
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ) as cursor:
        if await cursor.fetchone() is None:
            return 0
    async with conn.execute("SELECT MAX(version) FROM schema_migrations") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


async def apply_migrations(conn: aiosqlite.Connection, directory: Traversable | Path) -> int:
    """Apply every migration newer than the database; return the resulting version.

    ``conn`` must be in autocommit mode (``isolation_level=None``) and not inside a
    transaction, because each migration brings its own BEGIN/COMMIT.
    """
    migrations = discover_migrations(directory)
    known = migrations[-1].version if migrations else 0
    await conn.execute(_CREATE_BOOKKEEPING)
    version = await current_version(conn)
    if version > known:
        raise SchemaTooNewError(version, known)
    for migration in migrations:
        if migration.version <= version:
            continue
        await _apply_one(conn, migration)
        version = migration.version
    return version


async def _apply_one(conn: aiosqlite.Connection, migration: Migration) -> None:
    """Run one file and record it, all or nothing.

    BEGIN IMMEDIATE takes the write lock up front; if another process applied the same
    version meanwhile, the primary key on ``schema_migrations`` fails and everything rolls back.
    The file body is followed by a newline and ``;`` so a trailing comment or a missing final
    semicolon cannot swallow the bookkeeping insert.
    """
    name = migration.name.replace("'", "''")
    script = (
        "BEGIN IMMEDIATE;\n"
        f"{migration.sql}\n;\n"
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
        f"({migration.version:d}, '{name}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));\n"
        "COMMIT;\n"
    )
    log.info("applying migration %s", migration.filename)
    try:
        await conn.executescript(script)
    except Exception as exc:
        if conn.in_transaction:
            try:
                await conn.execute("ROLLBACK")
            except Exception:
                log.exception("rollback after failed migration %s also failed", migration.filename)
        raise MigrationError(f"migration {migration.filename} failed and was rolled back: {exc}") from exc
