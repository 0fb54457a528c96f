"""Numbered migrations on PostgreSQL: the same versions as SQLite's, one transaction each.

Several processes may start at once against one database, so the whole run holds a session
advisory lock: the second process waits, then finds every version applied. PostgreSQL runs
DDL inside transactions, so a failing file leaves nothing behind and is retried whole.
"""

from __future__ import annotations

import logging
from importlib.resources.abc import Traversable
from pathlib import Path

import asyncpg

from bot.storage.migrations import Migration, MigrationError, SchemaTooNewError, discover_migrations
from bot.storage.timestamps import utc_now_iso

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x636D6F01  # "cmo" 1: an advisory lock key no other lock of ours uses

_CREATE_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)
"""


async def apply_postgres_migrations(conn: asyncpg.Connection, directory: Traversable | Path) -> int:
    """Apply every migration newer than the database; return the resulting version."""
    migrations = discover_migrations(directory)
    known = migrations[-1].version if migrations else 0
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        await conn.execute(_CREATE_BOOKKEEPING)
        version = int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))
        if version > known:
            raise SchemaTooNewError(version, known)
        for migration in migrations:
            if migration.version > version:
                await _apply_one(conn, migration)
                version = migration.version
        return version
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)


async def _apply_one(conn: asyncpg.Connection, migration: Migration) -> None:
    log.info("applying migration postgresql/%s", migration.filename)
    try:
        async with conn.transaction():
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                migration.version, migration.name, utc_now_iso(),
            )
    except asyncpg.PostgresError as exc:
        raise MigrationError(f"migration postgresql/{migration.filename} failed and was rolled back: {exc}") from exc
