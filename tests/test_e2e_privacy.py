"""End to end: /privacy info and forget-me, and the retention job driven by a ManualClock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest_asyncio

from bot.clock import ManualClock, utc
from bot.i18n import COMMAND_NL, t
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.sqlite_engine import SqliteDatabase
from tests.e2e import assert_clean_traffic, rows
from tests.harness import BotHarness

EPHEMERAL = 1 << 6
CB_MESSAGE, CB_UPDATE = 4, 7
ALICE, BOB = 4101, 4102




@pytest_asyncio.fixture(autouse=True)
async def _clean_traffic(fake_discord) -> AsyncIterator[None]:
    yield
    assert_clean_traffic(fake_discord)


async def ask(harness: BotHarness, question: str, user: int) -> dict[str, Any]:
    interaction = await harness.fake.slash_command("ask", options={"question": question}, user=user)
    await interaction.response()
    return await interaction.original()


async def rate(harness: BotHarness, message: dict[str, Any], user: int, rating: str = "up") -> None:
    custom_id = next(
        c["custom_id"]
        for row in message["components"]
        for c in row["components"]
        if c.get("custom_id", "").startswith(f"cmo:fb:{rating}:")
    )
    await (await harness.fake.button_click(message, custom_id, user=user)).response()


# ---------------------------------------------------------------------------------------------- info


async def test_privacy_commands_are_synced_with_dutch_names(harness):
    synced = {command["name"]: command for command in await harness.fake.wait_for_commands()}
    privacy = synced["privacy"]
    assert privacy["name_localizations"] == {"nl": "privacy"}
    names = {option["name"]: option for option in privacy["options"]}
    assert set(names) == {"info", "forget-me"}
    assert names["forget-me"]["name_localizations"] == {"nl": COMMAND_NL["forget-me"]}


async def test_info_says_what_why_how_long_and_how_to_erase(harness):
    for locale, lang in [("nl", "nl"), ("en-US", "en")]:
        interaction = await harness.fake.slash_command("privacy info", locale=locale)
        body = await interaction.response()
        assert body["type"] == CB_MESSAGE and body["data"]["flags"] & EPHEMERAL
        (embed,) = body["data"]["embeds"]
        values = [field["value"] for field in embed["fields"]]
        days = harness.settings.retention_days
        assert values == [
            t("privacy_info_what", lang),
            t("privacy_info_why", lang),
            t("privacy_info_how_long", lang, days=days),
            t("privacy_info_erase", lang),
            t("privacy_info_yours", lang, questions=0, ratings=0, edits=0),
        ]
        assert str(days) in values[2]


# ---------------------------------------------------------------------------------------------- forget-me


async def test_forget_me_deletes_exactly_the_callers_rows_after_confirming(harness):
    alice_answer = await ask(harness, "Wat doet een CMO?", ALICE)
    await ask(harness, "recept voor pannenkoeken", ALICE)
    bob_answer = await ask(harness, "Wat is een CFO?", BOB)
    await rate(harness, alice_answer, ALICE)  # Alice rates her own answer
    await rate(harness, bob_answer, ALICE, "down")  # ... and Bob's
    await rate(harness, bob_answer, BOB)  # Bob rates his own too: Alice's rating of it stays
    bob_other = await ask(harness, "Wat doet een CIO?", BOB)
    await rate(harness, bob_other, ALICE)
    await harness.services.writer.flush()
    alice_hash = harness.services.hasher.hash(ALICE)
    bob_hash = harness.services.hasher.hash(BOB)
    bob_rows = rows(harness, "SELECT id FROM questions WHERE user_hash = ?", bob_hash)
    bob_ratings = rows(harness, "SELECT question_id FROM feedback WHERE user_hash = ?", bob_hash)

    interaction = await harness.fake.slash_command("privacy forget-me", user=ALICE, locale="nl")
    body = await interaction.response()
    assert body["type"] == CB_MESSAGE and body["data"]["flags"] & EPHEMERAL
    assert body["data"]["content"] == t("privacy_forget_count", "nl", questions=2, ratings=3, edits=0)
    message = await interaction.original()
    # Nothing is gone before the confirmation.
    assert len(rows(harness, "SELECT id FROM questions WHERE user_hash = ?", alice_hash)) == 2

    confirm = await harness.fake.button_click(message, "cmo:privacy:erase", user=ALICE)
    body = await confirm.response()

    assert body["type"] == CB_UPDATE
    assert body["data"]["content"] == t("privacy_erased", "nl", questions=2, ratings=3, edits=0)
    assert body["data"]["components"] == []
    assert rows(harness, "SELECT * FROM questions WHERE user_hash = ?", alice_hash) == []
    assert rows(harness, "SELECT * FROM feedback WHERE user_hash = ?", alice_hash) == []
    assert rows(harness, "SELECT id FROM questions WHERE user_hash = ?", bob_hash) == bob_rows
    assert rows(harness, "SELECT question_id FROM feedback WHERE user_hash = ?", bob_hash) == bob_ratings
    assert len(bob_rows) == 2 and len(bob_ratings) == 1

    again = await harness.fake.slash_command("privacy forget-me", user=ALICE, locale="en-US")
    assert (await again.response())["data"]["content"] == t("privacy_forget_nothing", "en")


async def test_forget_me_counts_a_question_still_in_the_queue_and_cancel_erases_nothing(harness):
    await ask(harness, "Wat doet een CMO?", ALICE)  # not flushed: the writer may still hold it
    interaction = await harness.fake.slash_command("privacy forget-me", user=ALICE, locale="en-US")
    body = await interaction.response()
    assert body["data"]["content"] == t("privacy_forget_count", "en", questions=1, ratings=0, edits=0)

    cancel = await harness.fake.button_click(await interaction.original(), "cmo:privacy:cancel", user=ALICE)
    assert (await cancel.response())["data"]["content"] == t("privacy_cancelled", "nl")
    assert len(rows(harness, "SELECT * FROM questions")) == 1


# ---------------------------------------------------------------------------------------------- retention


async def test_retention_deletes_exactly_the_old_rows_at_start_and_daily(fake_discord, tmp_path):
    start = utc(2030, 1, 10, 12, 0)
    db_path = tmp_path / "retention.sqlite3"
    ages = {"ancient": 400, "old": 31, "edge": 29.75, "recent": 29, "today": 0}  # days before start
    async with await SqliteDatabase.open(db_path) as db:
        records = {
            name: QuestionRecord.new(command="ask", question=name, asked_at=start - timedelta(days=age))
            for name, age in ages.items()
        }
        repository = QuestionRepository(db)
        await repository.insert_many(list(records.values()))
        for name in ("old", "recent"):
            await repository.record_feedback(records[name].id, "rater", 1)

    clock = ManualClock(start)
    harness = BotHarness(fake_discord, db_path, clock=clock, CMO_RETENTION_DAYS="30")
    await harness.start()
    try:
        job = harness.bot.get_cog("RetentionJob")
        async with asyncio.timeout(5):
            while job.runs < 1:
                job.ran.clear()
                await job.ran.wait()

        remaining = {row["question"] for row in rows(harness, "SELECT question FROM questions")}
        assert remaining == {"edge", "recent", "today"}
        assert [row["question_id"] for row in rows(harness, "SELECT question_id FROM feedback")] == [
            records["recent"].id
        ]

        job.ran.clear()
        await clock.advance(timedelta(hours=23))  # not a day yet: nothing runs
        assert job.runs == 1
        await clock.advance(timedelta(hours=1))
        async with asyncio.timeout(5):
            await job.ran.wait()

        assert job.runs == 2
        remaining = {row["question"] for row in rows(harness, "SELECT question FROM questions")}
        assert remaining == {"recent", "today"}  # "edge" is 30.75 days old now; "recent" exactly 30, still kept
    finally:
        await harness.stop()
