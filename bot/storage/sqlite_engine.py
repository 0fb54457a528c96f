"""The SQLite engine: one long-lived connection the bot shares, and a health check that uses its own.

One connection, because SQLite serialises writers anyway and a single connection means no
"database is locked" between our own tasks. WAL lets readers (the CLI, a backup, the health
check) work while the bot writes; synchronous=NORMAL is durable across application crashes
and only risks the last commits on power loss, which the question log can afford.

secure_delete=ON overwrites deleted rows with zeros, so an erased question is not left readable
in free pages; an erasure then checkpoints the WAL (:meth:`Database.checkpoint`) so the text is
not left in the -wal file either. The database file, its -wal and -shm, and backups are created
readable by their owner only (0600): they hold keyed hashes of user ids and what people asked.

The connection runs in autocommit mode and every multi-statement write goes through
:meth:`Database.transaction`, which holds an asyncio lock: without it two coroutines could
interleave statements inside one another's transaction on the shared connection.

The files themselves (permissions, the checks before opening, the errors that name them) are
handled in bot/storage/db_files.py; the names are re-exported here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal, Self

import aiosqlite

from bot.storage.database import ConstraintError, Params
from bot.storage.db_files import (
    PRIVATE_MODE,
    BackupError,
    DatabaseOpenError,
    StorageError,
    create_private,
    error_reason,
    finish_backup,
    make_private,
    prepare_file,
    remove_quietly,
    sibling,
)
from bot.storage.migrations import apply_migrations, default_migrations_dir

log = logging.getLogger(__name__)

__all__ = [
    "PRIVATE_MODE",
    "BackupError",
    "DatabaseOpenError",
    "SqliteDatabase",
    "StorageError",
]


@contextlib.contextmanager
def _constraints_named() -> Iterator[None]:
    """SQLite's refusals of a row, as the engine-neutral :class:`ConstraintError`."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        raise ConstraintError(str(exc)) from exc


class SqliteTransaction:
    """The statements of one BEGIN IMMEDIATE transaction on the shared connection."""

    dialect: Literal["sqlite"] = "sqlite"
    sender = ""  # one process: nobody else to tell

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        with _constraints_named():
            async with self._conn.execute(sql, params) as cursor:
                return cursor.rowcount

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        with _constraints_named():
            await self._conn.executemany(sql, rows)


class Silent:
    """The listener of a database no other process writes to: it hears nothing."""

    async def close(self) -> None:
        return None


class SqliteDatabase:
    """An open, migrated SQLite database. Make one with :meth:`open`."""

    dialect: Literal["sqlite"] = "sqlite"
    sender = ""

    def __init__(self, conn: aiosqlite.Connection, path: Path, schema_version: int) -> None:
        self._conn = conn
        self._path = path
        self._schema_version = schema_version
        self._lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def open(
        cls,
        path: str | os.PathLike[str],
        migrations_dir: Traversable | Path | None = None,
        *,
        busy_timeout_ms: int = 5000,
    ) -> Self:
        """Open (creating if needed) and migrate the database at ``path``.

        ``busy_timeout_ms`` is how long a write waits for another process's lock before
        failing; tests lower it to see a locked database quickly.
        """
        db_path = Path(path)
        prepare_file(db_path)
        try:
            conn = await aiosqlite.connect(db_path, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseOpenError(f"cannot open the database {db_path}: {exc}") from None
        try:
            conn.row_factory = sqlite3.Row
            try:
                async with conn.execute("PRAGMA journal_mode=WAL") as cursor:
                    row = await cursor.fetchone()
            except sqlite3.DatabaseError as exc:
                raise DatabaseOpenError(f"cannot open the database {db_path}: {exc}") from None
            if row is None or str(row[0]).lower() != "wal":
                log.warning("database %s is not in WAL mode (got %s); readers may block the bot",
                            db_path, row[0] if row else None)
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA secure_delete=ON")
            await conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            version = await apply_migrations(conn, migrations_dir or default_migrations_dir())
        except BaseException:
            await conn.close()
            raise
        for companion in (sibling(db_path, "-wal"), sibling(db_path, "-shm")):
            make_private(companion)
        log.info("opened database %s at schema version %d", db_path, version)
        return cls(conn, db_path, version)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def location(self) -> str:
        return str(self._path)

    @property
    def schema_version(self) -> int:
        """The schema version after migrations ran at open."""
        return self._schema_version

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        """Run statements as one write transaction: committed on success, rolled back on error.

        BEGIN IMMEDIATE takes the write lock at the start, so a busy database fails (after
        the busy timeout) before any statement runs rather than at COMMIT. Use only the
        yielded connection inside the block: the Database's own methods take the same
        (non-reentrant) lock and would wait forever.
        """
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTransaction(self._conn)
                await self._conn.commit()
            except BaseException:
                await self._rollback_quietly()
                raise

    async def _rollback_quietly(self) -> None:
        """Roll back if a transaction is open, without hiding the error that caused it."""
        if not self._conn.in_transaction:
            return
        try:
            await self._conn.rollback()
        except Exception:
            log.exception("rollback failed on %s", self._path)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement on its own (autocommit); return the rows it changed."""
        with _constraints_named():
            async with self._lock, self._conn.execute(sql, params) as cursor:
                return cursor.rowcount

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._lock, self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._lock, self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many parameter rows inside a single transaction."""
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    async def listen(self, channel: str, on_payload: Callable[[str], None], on_lost: Callable[[], None]) -> Silent:
        return Silent()

    async def checkpoint(self) -> bool:
        """Copy the WAL into the database file and truncate the WAL to zero bytes.

        Called after an erasure: until a checkpoint, the WAL still holds the pages as they
        were before the delete. Returns False (and logs) when a reader in another process
        kept the checkpoint from completing; the next checkpoint finishes the job.
        """
        async with self._lock, self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
            row = await cursor.fetchone()
        busy = row is not None and int(row[0]) != 0
        if busy:
            log.warning("WAL checkpoint of %s was blocked by a reader; it completes at the next one", self._path)
        return not busy

    async def backup(self, dest_path: str | os.PathLike[str]) -> None:
        """Write a consistent copy of the live database to ``dest_path``, readable by its owner only.

        Uses SQLite's online backup API, so the copy is a snapshot even while the bot
        writes. The copy is made next to the destination and renamed into place, so a
        failed backup never leaves a half file where a good one is expected, nor a
        ``.partial`` file beside it. The copy is switched to rollback-journal mode so it is
        one self-contained file. Raises :class:`BackupError` naming the path.
        """
        dest = Path(dest_path)
        if dest.resolve() == self._path.resolve():
            raise ValueError("refusing to back up a database onto itself")
        if dest.is_dir():
            raise BackupError(f"cannot write the backup to {dest}: it is a folder; give a file name, "
                              f"e.g. {dest / self._path.name}")
        partial = dest.with_name(dest.name + ".partial")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            partial.unlink(missing_ok=True)
            create_private(partial)
            # Used from aiosqlite's worker thread, hence check_same_thread=False.
            target = await asyncio.to_thread(sqlite3.connect, partial, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            remove_quietly(partial)
            raise BackupError(f"cannot write the backup to {dest}: {error_reason(exc)}") from None
        try:
            try:
                async with self._lock:
                    await self._conn.backup(target)
                await asyncio.to_thread(finish_backup, target)
            finally:
                await asyncio.to_thread(target.close)
            os.replace(partial, dest)
        except BaseException as exc:
            remove_quietly(partial)
            remove_quietly(sibling(partial, "-journal"))
            if isinstance(exc, (OSError, sqlite3.Error)):
                raise BackupError(f"cannot write the backup to {dest}: {error_reason(exc)}") from None
            raise
        log.info("backed up %s to %s", self._path, dest)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        async with self._lock:
            await self._conn.close()
        log.info("closed database %s", self._path)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

