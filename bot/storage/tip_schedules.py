"""Tip schedules, slot claims and the rotation, per guild.

The claim is the heart of "exactly once": `claim` is a plain INSERT on the slot's primary
key, so of any number of attempts (a loop pass after a reconnect, a restarted process, a
second process on the same database) exactly one succeeds, and only that one sends. The
price is at-most-once: a process that dies between the claim and the send leaves the slot
'claimed' and it is not retried; a missed tip is better than a doubled one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.database import ConstraintError, Database, Row
from bot.storage.timestamps import from_utc_iso, to_utc_iso


@dataclass(frozen=True, slots=True)
class StoredSchedule:
    guild_id: int
    channel_id: int
    local_time: str
    days: str
    timezone: str
    lang: str
    enabled: bool
    active_from: datetime
    last_error: str | None
    last_error_at: datetime | None


@dataclass(frozen=True, slots=True)
class PostedTip:
    tip_id: str
    channel_id: int
    message_id: int | None
    posted_at: datetime


_SCHEDULE_COLUMNS = (
    "guild_id, channel_id, local_time, days, timezone, lang, enabled, active_from, last_error, last_error_at"
)


def _parse_time(text: str | None) -> datetime | None:
    return None if text is None else from_utc_iso(text)


def _schedule(row: Row) -> StoredSchedule:
    return StoredSchedule(
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        local_time=row["local_time"],
        days=row["days"],
        timezone=row["timezone"],
        lang=row["lang"],
        enabled=bool(row["enabled"]),
        active_from=from_utc_iso(row["active_from"]),
        last_error=row["last_error"],
        last_error_at=_parse_time(row["last_error_at"]),
    )


class TipScheduleRepository:
    def __init__(self, db: Database):
        self._db = db

    # -- schedules -------------------------------------------------------------------------

    async def save(
        self, guild_id: int, channel_id: int, local_time: str, days: str, timezone: str, lang: str, now: datetime
    ) -> None:
        """Creates or replaces the guild's schedule and switches it on; a new schedule starts
        with a clean error and owes no slot from before `now`."""
        stamp = to_utc_iso(now)
        await self._db.execute(
            "INSERT INTO tip_schedules (guild_id, channel_id, local_time, days, timezone, lang, enabled,"
            " active_from, updated_at, last_error, last_error_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, NULL, NULL)"
            " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
            " local_time = excluded.local_time, days = excluded.days, timezone = excluded.timezone,"
            " lang = excluded.lang, enabled = 1, active_from = excluded.active_from,"
            " updated_at = excluded.updated_at, last_error = NULL, last_error_at = NULL",
            (guild_id, channel_id, local_time, days, timezone, lang, stamp, stamp),
        )

    async def disable(self, guild_id: int, now: datetime) -> bool:
        changed = await self._db.execute(
            "UPDATE tip_schedules SET enabled = 0, updated_at = ? WHERE guild_id = ? AND enabled = 1",
            (to_utc_iso(now), guild_id),
        )
        return changed > 0

    async def get(self, guild_id: int) -> StoredSchedule | None:
        row = await self._db.fetchone(f"SELECT {_SCHEDULE_COLUMNS} FROM tip_schedules WHERE guild_id = ?", (guild_id,))
        return None if row is None else _schedule(row)

    async def enabled(self) -> list[StoredSchedule]:
        rows = await self._db.fetchall(
            f"SELECT {_SCHEDULE_COLUMNS} FROM tip_schedules WHERE enabled = 1 ORDER BY guild_id"
        )
        return [_schedule(row) for row in rows]

    async def record_error(self, guild_id: int, error: str, now: datetime) -> None:
        await self._db.execute(
            "UPDATE tip_schedules SET last_error = ?, last_error_at = ? WHERE guild_id = ?",
            (error, to_utc_iso(now), guild_id),
        )

    # -- slots -----------------------------------------------------------------------------

    async def is_handled(self, guild_id: int, key: tuple[str, str]) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM tip_slots WHERE guild_id = ? AND local_date = ? AND local_time = ?", (guild_id, *key)
        )
        return row is not None

    async def claim(
        self, guild_id: int, key: tuple[str, str], due: datetime, channel_id: int, tip_id: str, now: datetime
    ) -> bool:
        """True for the one caller that may send this slot; False when it is already taken."""
        return await self._insert_slot(guild_id, key, due, now, "claimed", channel_id, tip_id)

    async def skip(self, guild_id: int, key: tuple[str, str], due: datetime, now: datetime) -> bool:
        """Marks a slot missed beyond the grace window; True the first time (to log it once)."""
        return await self._insert_slot(guild_id, key, due, now, "skipped", None, None)

    async def _insert_slot(
        self,
        guild_id: int,
        key: tuple[str, str],
        due: datetime,
        now: datetime,
        status: str,
        channel_id: int | None,
        tip_id: str | None,
    ) -> bool:
        try:
            await self._db.execute(
                "INSERT INTO tip_slots (guild_id, local_date, local_time, due_at, claimed_at, status, channel_id,"
                " tip_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (guild_id, *key, to_utc_iso(due), to_utc_iso(now), status, channel_id, tip_id),
            )
        except ConstraintError:
            return False
        return True

    async def mark_posted(
        self, guild_id: int, key: tuple[str, str], tip_id: str, message_id: int, now: datetime, new_round: bool
    ) -> None:
        """The slot is done and the tip counts as shown, in one transaction."""
        stamp = to_utc_iso(now)
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE tip_slots SET status = 'posted', message_id = ?, posted_at = ?"
                " WHERE guild_id = ? AND local_date = ? AND local_time = ?",
                (message_id, stamp, guild_id, *key),
            )
            if new_round:
                await tx.execute("DELETE FROM tip_rotation WHERE guild_id = ?", (guild_id,))
            await tx.execute(
                "INSERT INTO tip_rotation (guild_id, tip_id, shown_at) VALUES (?, ?, ?)"
                " ON CONFLICT (guild_id, tip_id) DO UPDATE SET shown_at = excluded.shown_at",
                (guild_id, tip_id, stamp),
            )

    async def mark_failed(self, guild_id: int, key: tuple[str, str], error: str, now: datetime) -> None:
        stamp = to_utc_iso(now)
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE tip_slots SET status = 'failed', error = ? WHERE guild_id = ? AND local_date = ?"
                " AND local_time = ?",
                (error, guild_id, *key),
            )
            await tx.execute(
                "UPDATE tip_schedules SET last_error = ?, last_error_at = ? WHERE guild_id = ?",
                (error, stamp, guild_id),
            )

    async def last_posted(self, guild_id: int) -> PostedTip | None:
        row = await self._db.fetchone(
            "SELECT tip_id, channel_id, message_id, posted_at FROM tip_slots"
            " WHERE guild_id = ? AND status = 'posted' ORDER BY posted_at DESC LIMIT 1",
            (guild_id,),
        )
        if row is None:
            return None
        return PostedTip(
            row["tip_id"],
            int(row["channel_id"]),
            row["message_id"],
            from_utc_iso(row["posted_at"]),
        )

    # -- rotation --------------------------------------------------------------------------

    async def shown(self, guild_id: int) -> set[str]:
        rows = await self._db.fetchall("SELECT tip_id FROM tip_rotation WHERE guild_id = ?", (guild_id,))
        return {row["tip_id"] for row in rows}
