"""The one protocol every repository talks to, and the choice between the two engines.

SQLite (aiosqlite) is the embedded default: one file, nothing to run. PostgreSQL (asyncpg,
the ``postgres`` extra) is for operators who run several processes over one database. The
repositories write each statement once, in SQL both engines accept, with ``?`` placeholders;
the PostgreSQL engine translates them once per statement (bot/storage/sql_text.py).

Both engines raise the same :class:`ConstraintError` for a row the schema refuses, so callers
never import a driver to tell "this row is wrong" from "the database is down".
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit, urlunsplit

from bot.storage.db_files import PRIVATE_MODE, BackupError, DatabaseOpenError, StorageError

Params = Sequence[Any]
Dialect = Literal["sqlite", "postgresql"]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

log = logging.getLogger(__name__)

__all__ = [
    "PRIVATE_MODE",
    "BackupError",
    "ConstraintError",
    "Database",
    "DatabaseOpenError",
    "Params",
    "Row",
    "Statements",
    "StorageError",
    "Transaction",
    "check_writable",
    "is_postgres_url",
    "open_database",
]


class Row(Protocol):
    """A result row: by position and by column name (sqlite3.Row and asyncpg.Record both are)."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...


class ConstraintError(StorageError):
    """The database refused a row: a unique key, a foreign key, a CHECK, or a value out of range."""


class Statements(Protocol):
    """What runs a statement: a Database on its own, or a Transaction inside one. Small
    helpers (bot/storage/meta.py) take either, so they serve both places."""

    async def execute(self, sql: str, params: Params = ()) -> int: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None: ...

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...


class Transaction(Statements, Protocol):
    """Statements inside one write transaction (see :meth:`Database.transaction`)."""

    dialect: Dialect
    # Names the Database (the process) in its notifications: it made those changes to its own
    # content already (the editor and the improvement loop change the store, then store the
    # change), so its own notification needs no reload.
    sender: str


class Listener(Protocol):
    async def close(self) -> None: ...


class Database(Statements, Protocol):
    """An open, migrated database of either engine."""

    dialect: Dialect
    sender: str  # see Transaction.sender

    @property
    def location(self) -> str:
        """Where it is, for messages and logs: a path, or a URL without its password."""
        ...

    @property
    def path(self) -> Path | None:
        """The SQLite file; None on PostgreSQL (there is no file to put a key or spill beside)."""
        ...

    @property
    def schema_version(self) -> int: ...

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Transaction]:
        """One write transaction, committed on success and rolled back on error. Only one
        runs at a time across every process: SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock."""
        ...

    async def checkpoint(self) -> bool:
        """Make deleted rows unreadable on disk now (SQLite's WAL); True when done."""
        ...

    async def listen(self, channel: str, on_payload: Callable[[str], None], on_lost: Callable[[], None]) -> Listener:
        """Hear notifications other processes send on ``channel`` (PostgreSQL's LISTEN) on a
        connection of its own; ``on_lost`` is called if that connection drops. On SQLite there
        are no other processes, and the listener hears nothing."""
        ...

    async def backup(self, dest_path: str | os.PathLike[str]) -> None: ...

    async def close(self) -> None: ...

    async def __aenter__(self) -> Database: ...

    async def __aexit__(self, *exc_info: object) -> None: ...


def is_postgres_url(target: str | os.PathLike[str] | None) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


async def open_database(target: str | os.PathLike[str], **options: Any) -> Database:
    """Open and migrate the database at ``target``: a ``postgresql://`` URL or a SQLite path."""
    if is_postgres_url(target):
        from bot.storage.postgres_engine import PostgresDatabase

        return await PostgresDatabase.open(str(target), **options)
    from bot.storage.sqlite_engine import SqliteDatabase

    return await SqliteDatabase.open(target, **options)


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


async def check_writable(target: str | os.PathLike[str], *, timeout_ms: int = 2000) -> tuple[bool, str]:
    """Whether the database accepts a write right now, and why not.

    A health check wants an answer, not an exception, so every failure becomes
    ``(False, reason)``. Each engine writes its mark on a connection of its own, so the check
    tests the database, not the bot's connection's state.
    """
    try:
        if is_postgres_url(target):
            from bot.storage.postgres_engine import write_health_mark

            location = redacted(str(target))
            await write_health_mark(str(target), timeout_ms=timeout_ms)
        else:
            from bot.storage.sqlite_health import write_health_mark as write_sqlite_mark

            location = os.fspath(target)
            await write_sqlite_mark(target, timeout_ms=timeout_ms)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        log.warning("database %s is not writable: %s", location, reason)
        return False, reason
    return True, "writable"

