"""The SQLite health check: does the database file accept a write right now?

It uses a connection of its own, so it tests the file, not the bot's connection's state.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import aiosqlite

from bot.storage.timestamps import utc_now_iso

log = logging.getLogger(__name__)


async def check_writable(path: str | os.PathLike[str], *, timeout_ms: int = 2000) -> tuple[bool, str]:
    """Whether the database at ``path`` accepts a write right now, and why not.

    A health check wants an answer, not an exception, so every failure becomes
    ``(False, reason)``. It uses its own connection, so it tests the file, not our
    connection's state. The file must already exist and be migrated: a health check must not
    create an empty database where the real one has gone missing.
    """
    uri = f"{Path(path).resolve().as_uri()}?mode=rw"
    try:
        async with aiosqlite.connect(uri, uri=True, isolation_level=None) as conn:
            await conn.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
            await conn.execute("BEGIN IMMEDIATE")
            try:
                await conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('health_checked_at', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (utc_now_iso(),),
                )
                await conn.commit()
            except BaseException:
                if conn.in_transaction:
                    await conn.rollback()
                raise
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        log.warning("database %s is not writable: %s", path, reason)
        return False, reason
    return True, "writable"
