"""Small settings that live in the database because they must outlive the process.

The hash secret is the reason this exists: user hashes are only comparable across restarts
(for counting a user's questions, or erasing them) if the key stays the same. An operator may
configure one; otherwise we make one once and keep it next to the data it protects.
"""

from __future__ import annotations

import logging
import secrets

from bot.storage.database import Database

log = logging.getLogger(__name__)

HASH_SECRET_KEY = "hash_secret"
_GENERATED_SECRET_BYTES = 32


async def get_meta(db: Database, key: str) -> str | None:
    row = await db.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


async def set_meta(db: Database, key: str, value: str) -> None:
    await db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


async def load_or_create_hash_secret(db: Database, configured: str | None) -> bytes:
    """The key for user hashes: the configured one, else one generated once and stored.

    An empty or blank configured value counts as not configured: an empty HMAC key would make
    the hashes a plain, reversible-by-enumeration digest of the user id.

    Generation inserts only if no secret exists yet, then reads back whatever is stored, so two
    processes starting at once still agree on one secret.
    """
    if configured is not None and configured.strip():
        return configured.encode("utf-8")
    async with db.transaction() as conn:
        async with conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (HASH_SECRET_KEY, secrets.token_hex(_GENERATED_SECRET_BYTES)),
        ) as cursor:
            generated = cursor.rowcount == 1
        async with conn.execute("SELECT value FROM meta WHERE key = ?", (HASH_SECRET_KEY,)) as cursor:
            row = await cursor.fetchone()
    if generated:
        log.info("generated a new hash secret and stored it in the database")
    try:
        return bytes.fromhex(row["value"])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the stored {HASH_SECRET_KEY!r} in table meta is not hex; fix or delete it") from exc
