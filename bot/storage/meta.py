"""Small settings that live in the database because they must outlive the process.

Never a secret: the hash key lives outside the database (bot/storage/hash_key.py); only its
fingerprint is kept here.
"""

from __future__ import annotations

from bot.storage.database import Statements

HEALTH_MARK = "health_checked_at"


async def get_meta(db: Statements, key: str) -> str | None:
    row = await db.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


async def set_meta(db: Statements, key: str, value: str) -> None:
    await db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
