"""The SQLite health mark: does the database file accept a write right now?

It uses a connection of its own, so it tests the file, not the bot's connection's state.
The file must already exist and be migrated (``mode=rw``): a health check must not create
an empty database where the real one has gone missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import aiosqlite

from bot.storage.meta import HEALTH_MARK, set_meta
from bot.storage.sqlite_engine import SqliteTransaction
from bot.storage.timestamps import utc_now_iso


async def write_health_mark(path: str | os.PathLike[str], *, timeout_ms: int = 2000) -> None:
    """Write the health mark in a BEGIN IMMEDIATE transaction; raises whatever stops it
    (a lock held longer than ``timeout_ms``, a read-only or missing file)."""
    uri = f"{Path(path).resolve().as_uri()}?mode=rw"
    async with aiosqlite.connect(uri, uri=True, isolation_level=None) as conn:
        await conn.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
        await conn.execute("BEGIN IMMEDIATE")
        try:
            await set_meta(SqliteTransaction(conn), HEALTH_MARK, utc_now_iso())
            await conn.commit()
        except BaseException:
            if conn.in_transaction:
                await conn.rollback()
            raise
