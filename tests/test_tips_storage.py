"""The tip repository on both engines (a SQLite file and a PostgreSQL database): a slot is claimed once, rotation and errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest_asyncio

from bot.storage.database import open_database
from bot.storage.tip_schedules import TipScheduleRepository

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
SLOT = ("2026-06-01", "09:00")


@pytest_asyncio.fixture
async def repo(database_target):
    db = await open_database(database_target)
    yield TipScheduleRepository(db)
    await db.close()


async def test_a_slot_is_claimed_once_and_a_skip_cannot_follow_a_claim(repo):
    assert await repo.claim(1, SLOT, NOW, 10, "tip-a", NOW)
    assert not await repo.claim(1, SLOT, NOW, 10, "tip-b", NOW)
    assert not await repo.skip(1, SLOT, NOW, NOW)
    assert await repo.claim(2, SLOT, NOW, 20, "tip-a", NOW)  # another guild's slot is its own
    assert await repo.is_handled(1, SLOT) and not await repo.is_handled(1, ("2026-06-02", "09:00"))


async def test_posting_records_the_message_and_advances_the_rotation(repo):
    await repo.claim(1, SLOT, NOW, 10, "tip-a", NOW)
    await repo.mark_posted(1, SLOT, "tip-a", 555, NOW, new_round=False)
    assert await repo.shown(1) == {"tip-a"}
    last = await repo.last_posted(1)
    assert last is not None and (last.tip_id, last.message_id, last.posted_at) == ("tip-a", 555, NOW)

    slot2 = ("2026-06-02", "09:00")
    await repo.claim(1, slot2, NOW, 10, "tip-b", NOW)
    await repo.mark_posted(1, slot2, "tip-b", 556, NOW, new_round=True)
    assert await repo.shown(1) == {"tip-b"}  # a new round starts from scratch


async def test_save_replaces_the_schedule_clears_the_error_and_off_disables(repo):
    await repo.save(1, 10, "09:00", "mon,tue,wed,thu,fri", "Europe/Amsterdam", "nl", NOW)
    await repo.claim(1, SLOT, NOW, 10, "tip-a", NOW)
    await repo.mark_failed(1, SLOT, "not_found", NOW)
    stored = await repo.get(1)
    assert stored is not None and stored.last_error == "not_found" and stored.last_error_at == NOW
    await repo.save(1, 11, "10:30", "mon", "Europe/London", "en", NOW)
    stored = await repo.get(1)
    assert stored is not None
    assert (stored.channel_id, stored.local_time, stored.days, stored.timezone, stored.lang) == (
        11, "10:30", "mon", "Europe/London", "en",
    )  # fmt: skip
    assert stored.last_error is None and stored.enabled and stored.active_from == NOW
    assert [s.guild_id for s in await repo.enabled()] == [1]
    assert await repo.disable(1, NOW) and not await repo.disable(1, NOW)
    assert await repo.enabled() == []
