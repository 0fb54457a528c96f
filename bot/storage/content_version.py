"""The version of the live content, shared by every process over one database.

Every change to what the bot answers from (a live edit or revert, a learned alias attached
or removed, a reload of the files) bumps ``meta.content_version`` in the same transaction as
the change itself. On PostgreSQL the same transaction sends ``NOTIFY cmo_content``, which
PostgreSQL delivers only on commit: a process that hears it reloads, and never reloads
before the change is visible to it. A process that missed notifications (its listening
connection dropped) compares versions when it reconnects and once a minute, so the number
is the truth and the notification only a shortcut.
"""

from __future__ import annotations

from typing import Literal

from bot.storage.database import Database, Transaction
from bot.storage.meta import get_meta, set_meta

CHANNEL = "cmo_content"
VERSION_KEY = "content_version"

# What another process must reload: "overlay" (edits and aliases, from the database) or
# "files" (the YAML content, from its own disk, and then the overlay).
ChangeKind = Literal["overlay", "files"]
KINDS: tuple[ChangeKind, ...] = ("overlay", "files")


async def bump_content_version(tx: Transaction, kind: ChangeKind) -> int:
    """Count one change inside the caller's transaction and tell the other processes on commit."""
    row = await tx.fetchone(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = ? RETURNING value",
        (VERSION_KEY,),
    )
    if row is None:  # migration 0008 stores it; only a hand-edited table lacks it
        await set_meta(tx, VERSION_KEY, "1")
        version = 1
    else:
        version = int(row[0])
    if tx.dialect == "postgresql":
        await tx.fetchone("SELECT pg_notify(?, ?)", (CHANNEL, f"{version}:{kind}:{tx.sender}"))
    return version


async def record_change(db: Database, kind: ChangeKind) -> int:
    """A change made outside the database (the files were reloaded), counted on its own."""
    async with db.transaction() as tx:
        return await bump_content_version(tx, kind)


async def content_version(db: Database) -> int:
    stored = await get_meta(db, VERSION_KEY)
    return int(stored) if stored is not None else 0


def parse_notification(payload: str) -> tuple[int, ChangeKind, str] | None:
    """``"12:files:ab12"`` as (12, "files", "ab12"); None for anything else (never trust a
    payload blindly)."""
    number, _, rest = payload.partition(":")
    kind, _, sender = rest.partition(":")
    if not number.isdigit() or kind not in KINDS:
        return None
    return int(number), "files" if kind == "files" else "overlay", sender
