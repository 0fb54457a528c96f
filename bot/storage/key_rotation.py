"""`cmo-bot db rotate-hash-key`: switch the database to a new hash key without losing who is who.

Hashes cannot be recomputed from user ids (the ids are never stored), so every stored hash is
wrapped instead: ``new_hash = HMAC(new_key, old_hash)``. The hasher then computes the same
thing from an id by applying the retired key first (see bot/storage/identity.py), so
/privacy forget-me keeps finding a user's earlier rows.

The retired key is kept in table ``meta`` wrapped under the new key (XOR with a keystream
derived from it): the bot unwraps it at start to compute hashes, while a copy of the database
alone, without the key kept outside it, yields no key at all, not even one that would
re-identify a backup made before the rotation.

Every hash column is rewritten in one transaction together with the new fingerprint, so an
interrupted rotation leaves the database on the old key, whole.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.storage.database import Database
from bot.storage.hash_key import (
    FINGERPRINT_META,
    RETIRED_META,
    HashKey,
    HashKeyError,
    fingerprint,
    unwrap_retired,
    wrap_retired,
)
from bot.storage.identity import hmac_hex
from bot.storage.meta import get_meta, set_meta

log = logging.getLogger(__name__)

# (table, column): every place a user hash is stored.
HASH_COLUMNS = (("questions", "user_hash"), ("feedback", "user_hash"), ("topic_revisions", "editor_hash"))


@dataclass(frozen=True)
class RotationResult:
    rows: int  # rows whose hash was rewritten
    users: int  # distinct hashes
    already: bool = False  # the database already used the new key: nothing changed


async def rotate_hash_key(db: Database, old: HashKey, new: HashKey, *, old_variable: str) -> RotationResult:
    """Rewrite every stored hash from ``old`` to ``new``; refuse an ``old`` key that is not the
    database's (``old_variable`` is named in that message)."""
    if old.key == new.key:
        raise HashKeyError(f"{old_variable}: the old and the new key are the same; nothing to rotate")
    stored = await get_meta(db, FINGERPRINT_META)
    if stored == fingerprint(new.key):
        return RotationResult(0, 0, already=True)
    if stored is not None and stored != fingerprint(old.key):
        raise HashKeyError(
            f"{old_variable}: the old key ({old.source}) is not the key the database {db.location} was written with; "
            "nothing was changed"
        )
    changed = 0
    seen: set[str] = set()
    async with db.transaction() as tx:
        for table, column in HASH_COLUMNS:
            rows = await tx.fetchall(
                f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} != ''"
            )
            hashes = [str(r[0]) for r in rows]
            seen.update(hashes)
            for old_hash in hashes:
                changed += await tx.execute(
                    f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                    (hmac_hex(new.key, old_hash.encode("ascii")), old_hash),
                )
        retired = unwrap_retired(await get_meta(tx, RETIRED_META), old.key)
        retired.append(old.key)
        for key, value in ((RETIRED_META, wrap_retired(retired, new.key)), (FINGERPRINT_META, fingerprint(new.key))):
            await set_meta(tx, key, value)
    await db.checkpoint()  # the old hashes out of the WAL too
    log.info("rotated the hash key: %d rows, %d distinct hashes", changed, len(seen))
    return RotationResult(changed, len(seen))
