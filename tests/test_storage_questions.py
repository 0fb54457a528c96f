"""The question log repository: records, retention, erasure and feedback."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.storage.database import Database, open_database
from bot.storage.questions import (
    MAX_QUESTION_CHARS,
    QuestionRecord,
    QuestionRepository,
    UnknownQuestionError,
)

ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
async def db(database_target: str | Path) -> AsyncIterator[Database]:
    async with await open_database(database_target) as database:
        yield database


@pytest.fixture
def repo(db: Database) -> QuestionRepository:
    return QuestionRepository(db)


def test_new_record_has_an_id_a_utc_time_and_a_capped_text() -> None:
    a = QuestionRecord.new(command="ask", question="x" * (MAX_QUESTION_CHARS + 500), guild_id=1)
    b = QuestionRecord.new(command="ask", question="kort")
    assert re.fullmatch(r"[0-9a-f]{32}", a.id) and a.id != b.id
    assert ISO_MS_Z.match(a.asked_at)
    assert len(a.question) == MAX_QUESTION_CHARS
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.question = "changed"  # type: ignore[misc]


def test_asked_at_is_converted_to_utc_and_naive_times_are_refused() -> None:
    amsterdam = datetime(2026, 11, 24, 19, 6, 25, 123456, tzinfo=timezone(timedelta(hours=1)))
    record = QuestionRecord.new(command="ask", question="q", asked_at=amsterdam)
    assert record.asked_at == "2026-11-24T18:06:25.123Z"
    with pytest.raises(ValueError, match="naive"):
        QuestionRecord.new(command="ask", question="q", asked_at=datetime(2026, 1, 1))


async def test_insert_count_recent_round_trip(repo: QuestionRepository) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    records = [
        QuestionRecord.new(
            command="ask", question=f"vraag {i}", guild_id=10**18 + i, channel_id=5, user_hash="h",
            locale="nl", lang="nl", topic_id="cmo-role", score=0.75, latency_ms=12.5,
            asked_at=base + timedelta(minutes=i),
        )
        for i in range(5)
    ]
    await repo.insert_many(records)
    await repo.insert_many([])
    assert await repo.count() == 5
    assert await repo.recent(3) == list(reversed(records))[:3]


async def test_insert_is_idempotent_per_id(repo: QuestionRepository) -> None:
    record = QuestionRecord.new(command="ask", question="twice")
    await repo.insert_many([record])
    await repo.insert_many([record])
    assert await repo.count() == 1


async def test_user_text_is_stored_verbatim_as_data(repo: QuestionRepository) -> None:
    nasty = "'); DROP TABLE questions; -- @everyone <@123> ü"
    await repo.insert_many([QuestionRecord.new(command="ask", question=nasty)])
    assert (await repo.recent(1))[0].question == nasty


async def test_characters_no_text_column_holds_are_replaced_not_refused(repo: QuestionRepository) -> None:
    # A NUL or a lone surrogate would make PostgreSQL refuse the whole row; the question is kept
    # with U+FFFD where they were, on both engines alike.
    await repo.insert_many([QuestionRecord.new(command="ask", question="wat \x00 doet \ud800 een cmo")])
    assert (await repo.recent(1))[0].question == "wat \ufffd doet \ufffd een cmo"


async def test_delete_older_than_deletes_exactly_the_old_rows(db: Database, repo: QuestionRepository) -> None:
    cutoff = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    old = [QuestionRecord.new(command="ask", question="old", asked_at=cutoff - timedelta(days=d))
           for d in (400, 31, 0.00001)]
    at_cutoff = QuestionRecord.new(command="ask", question="edge", asked_at=cutoff)
    new = QuestionRecord.new(command="ask", question="new", asked_at=cutoff + timedelta(milliseconds=1))
    await repo.insert_many([*old, at_cutoff, new])
    await repo.record_feedback(old[0].id, "h", 1)
    await repo.record_feedback(new.id, "h", -1)

    assert await repo.delete_older_than(cutoff) == 3
    assert {r.id for r in await repo.recent(10)} == {at_cutoff.id, new.id}
    assert [row[0] for row in await db.fetchall("SELECT question_id FROM feedback")] == [new.id]
    with pytest.raises(ValueError):
        await repo.delete_older_than(datetime(2026, 1, 1))


async def test_delete_for_user_deletes_exactly_that_users_rows(db: Database, repo: QuestionRepository) -> None:
    alice = [QuestionRecord.new(command="ask", question=f"a{i}", user_hash="alice") for i in range(3)]
    bob = [QuestionRecord.new(command="ask", question=f"b{i}", user_hash="bob") for i in range(2)]
    anonymous = QuestionRecord.new(command="tip", question="-")
    await repo.insert_many([*alice, *bob, anonymous])
    await repo.record_feedback(bob[0].id, "alice", 1)  # alice rated bob's question
    await repo.record_feedback(alice[0].id, "bob", -1)  # on alice's question: goes with it
    await repo.record_feedback(bob[1].id, "bob", 1)

    assert await repo.count_for_user("alice") == 3
    assert await repo.delete_for_user("alice") == 3
    assert await repo.count_for_user("alice") == 0
    assert await repo.count_for_user("bob") == 2
    assert await repo.count() == 3
    feedback = await db.fetchall("SELECT question_id, user_hash FROM feedback")
    assert [tuple(row) for row in feedback] == [(bob[1].id, "bob")]
    assert await repo.delete_for_user("nobody") == 0


async def test_feedback_upsert_replaces_a_changed_vote(db: Database, repo: QuestionRepository) -> None:
    record = QuestionRecord.new(command="ask", question="q")
    await repo.insert_many([record])
    assert await repo.feedback_for(record.id) is None
    await repo.record_feedback(record.id, "h", 1)
    await repo.record_feedback(record.id, "h", -1)
    assert await repo.feedback_for(record.id) == -1
    assert (await db.fetchone("SELECT COUNT(*) FROM feedback"))[0] == 1


async def test_feedback_is_validated(repo: QuestionRepository) -> None:
    with pytest.raises(UnknownQuestionError):
        await repo.record_feedback("0" * 32, "h", 1)
    record = QuestionRecord.new(command="ask", question="q")
    await repo.insert_many([record])
    with pytest.raises(ValueError):
        await repo.record_feedback(record.id, "h", 0)
