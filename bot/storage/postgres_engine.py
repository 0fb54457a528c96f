"""The PostgreSQL engine: an asyncpg pool behind the same protocol as the SQLite engine.

Chosen when ``CMO_DATABASE_URL`` is a ``postgresql://`` URL, so several processes (shard
ranges) share one database the operator already runs and backs up. Statements arrive with
``?`` placeholders and are numbered once per distinct text (bot/storage/sql_text.py).

A write transaction takes one transaction-scoped advisory lock, as SQLite's BEGIN IMMEDIATE
takes the one write lock: read-then-write steps such as numbering a revision by MAX(n)+1
then stay correct when two processes save at the same moment. Plain statements (a question
batch, a slot claim) do not take it; their keys make them safe on their own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import Literal, Self

import asyncpg

from bot.storage.database import BackupError, ConstraintError, DatabaseOpenError, Params, redacted
from bot.storage.meta import HEALTH_MARK, set_meta
from bot.storage.migrations import default_migrations_dir
from bot.storage.postgres_migrations import apply_postgres_migrations
from bot.storage.sql_text import affected_rows, to_numbered_placeholders
from bot.storage.timestamps import utc_now_iso

log = logging.getLogger(__name__)

WRITE_LOCK = 0x636D6F02  # "cmo" 2: taken by every write transaction, in every process

_sql = to_numbered_placeholders


@contextlib.contextmanager
def _constraints_named() -> Iterator[None]:
    """A row PostgreSQL refuses (a key, a CHECK, a value out of range) as :class:`ConstraintError`."""
    try:
        yield
    except (asyncpg.IntegrityConstraintViolationError, asyncpg.DataError) as exc:
        raise ConstraintError(str(exc)) from exc


class PostgresTransaction:
    """The statements of one write transaction on one pooled connection."""

    dialect: Literal["postgresql"] = "postgresql"

    def __init__(self, conn: asyncpg.Connection, sender: str = "") -> None:
        self._conn = conn
        self.sender = sender

    async def execute(self, sql: str, params: Params = ()) -> int:
        with _constraints_named():
            return affected_rows(await self._conn.execute(_sql(sql), *params))

    async def fetchone(self, sql: str, params: Params = ()) -> asyncpg.Record | None:
        with _constraints_named():
            return await self._conn.fetchrow(_sql(sql), *params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        with _constraints_named():
            return list(await self._conn.fetch(_sql(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        with _constraints_named():
            await self._conn.executemany(_sql(sql), [tuple(row) for row in rows])


class PostgresDatabase:
    """An open, migrated PostgreSQL database. Make one with :meth:`open`."""

    dialect: Literal["postgresql"] = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str, schema_version: int) -> None:
        self._pool = pool
        self._url = url
        self._schema_version = schema_version
        self._closed = False
        self.sender = uuid.uuid4().hex[:12]

    @classmethod
    async def open(
        cls, url: str, migrations_dir: Path | None = None, *, max_connections: int = 8, timeout: float = 10.0
    ) -> Self:
        """Connect a pool to ``url`` and migrate; :class:`DatabaseOpenError` names the URL (not its password)."""
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=max_connections, timeout=timeout)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError, ValueError) as exc:
            raise DatabaseOpenError(f"cannot open the database {redacted(url)}: {exc}") from None
        try:
            async with pool.acquire() as conn:
                version = await apply_postgres_migrations(conn, migrations_dir or default_migrations_dir("postgresql"))
        except BaseException:
            await pool.close()
            raise
        log.info("opened database %s at schema version %d", redacted(url), version)
        return cls(pool, url, version)

    @property
    def location(self) -> str:
        return redacted(self._url)

    @property
    def path(self) -> None:
        return None

    @property
    def schema_version(self) -> int:
        return self._schema_version

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
            yield PostgresTransaction(conn, self.sender)

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self._pool.acquire() as conn:
            return await PostgresTransaction(conn).execute(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> asyncpg.Record | None:
        async with self._pool.acquire() as conn:
            return await PostgresTransaction(conn).fetchone(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        async with self._pool.acquire() as conn:
            return await PostgresTransaction(conn).fetchall(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await PostgresTransaction(conn).executemany(sql, rows)

    async def listen(
        self, channel: str, on_payload: Callable[[str], None], on_lost: Callable[[], None]
    ) -> asyncpg.Connection:
        """A connection of its own that LISTENs on ``channel``; close it to stop."""
        conn = await asyncpg.connect(self._url)
        try:
            await conn.add_listener(channel, lambda _conn, _pid, _channel, payload: on_payload(payload))
        except BaseException:
            await conn.close()
            raise
        conn.add_termination_listener(lambda _conn: on_lost())
        return conn

    async def checkpoint(self) -> bool:
        """Nothing to do: PostgreSQL's WAL is the server's, and VACUUM reclaims deleted rows."""
        return True

    async def backup(self, dest_path: str | os.PathLike[str]) -> None:
        raise BackupError(
            f"cmo-bot does not copy a PostgreSQL database; back it up with the server's own tool, "
            f"e.g.: pg_dump --format=custom --file={os.fspath(dest_path)} \"$CMO_DATABASE_URL\""
        )

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._pool.close()
        log.info("closed database %s", self.location)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


async def write_health_mark(url: str, *, timeout_ms: int = 2000) -> None:
    """Write the health mark on a connection of its own; raises whatever stops it."""
    conn = await asyncpg.connect(url, timeout=timeout_ms / 1000)
    try:
        await conn.execute(f"SET statement_timeout = {int(timeout_ms)}")
        await set_meta(PostgresTransaction(conn), HEALTH_MARK, utc_now_iso())
    finally:
        await conn.close()
