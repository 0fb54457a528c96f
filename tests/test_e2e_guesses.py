"""End to end: a best guess that a reader rates 👎 reaches the moderators, through the fake Discord.

A user asks a question the content can only guess at, a colleague clicks 👎 under the guess;
the moderator's /cmo-admin unanswered lists it (marked as a rejected guess, although the
search still guesses it), /cmo-admin stats counts it as a guess with its 👎, apart from the
answers, and the export says "guess".
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from bot.i18n import t
from tests.e2e import component, rows
from tests.harness import BotHarness, running_bot
from tests.insights_helpers import a_guess, guess_lines, stats_fields, stats_summary

EPHEMERAL = 1 << 6
MANAGE_GUILD = 0x20
CB_MESSAGE, CB_DEFERRED = 4, 5
ASKER, COLLEAGUE = 9101, 9102


@pytest_asyncio.fixture
async def harness(fake_discord, tmp_path) -> AsyncIterator[BotHarness]:
    async with running_bot(fake_discord, tmp_path / "guesses.sqlite3") as running:
        yield running


async def ask(harness: BotHarness, question: str, user: int) -> dict[str, Any]:
    interaction = await harness.fake.slash_command("ask", options={"question": question}, user=user)
    await interaction.response()
    return await interaction.original()


async def admin(harness: BotHarness, name: str, options: dict[str, Any] | None = None):
    return await harness.fake.slash_command(f"cmo-admin {name}", options=options, member_permissions=MANAGE_GUILD)


async def test_a_guess_rated_down_is_queued_marked_and_counted_apart(harness: BotHarness) -> None:
    question, topic = a_guess(harness.services.store.current)
    title = harness.services.store.current.topics[topic].title.get("nl")
    guessed = await ask(harness, question, ASKER)
    await ask(harness, "Wat doet een CMO?", ASKER)  # answered: neither queued nor counted as a guess
    await ask(harness, "Wat is ROAS?", ASKER)  # not covered: queued as before

    await harness.services.writer.flush()
    outcomes = {row["question"]: row["outcome"] for row in rows(harness, "SELECT question, outcome FROM questions")}
    assert outcomes[question] == "guess", "the bot itself must have answered with a best guess"

    # Before anyone rates it, the guess is not in the moderators' queue.
    interaction = await admin(harness, "unanswered")
    assert (await interaction.response())["type"] == CB_MESSAGE
    before = await interaction.original()
    assert before["embeds"][0]["title"] == t("ins_unanswered_title", "nl", index=1, total=1)

    # A colleague (not the asker) says the guess missed.
    down = component(guessed, "cmo:fb:down:")["custom_id"]
    click = await harness.fake.button_click(guessed, down, user=COLLEAGUE)
    assert (await click.response())["data"]["content"] == t("feedback_thanks_down", "nl")

    interaction = await admin(harness, "unanswered")
    body = await interaction.response()
    assert body["type"] == CB_MESSAGE and body["data"]["flags"] & EPHEMERAL
    message = await interaction.original()
    (embed,) = message["embeds"]
    assert embed["title"] == t("ins_unanswered_title", "nl", index=1, total=2)
    mark = t("ins_rejected_guess", "nl", topic=title)
    if embed["description"].startswith(f"> {question}"):  # shown in detail, the mark under it
        assert embed["description"].splitlines()[1] == mark
        assert embed["fields"][0]["value"] == '1× "Wat is ROAS?"'
    else:  # in the preview of what is also open, marked on its line
        assert embed["description"].startswith("> Wat is ROAS?") and mark not in embed["description"]
        assert embed["fields"][0]["value"] == f'1× "{question}" {mark}'
    assert harness.services.store.current.answer(question, "nl").outcome == "guess"  # still only a guess

    interaction = await admin(harness, "stats", {"days": 7})
    assert (await interaction.response())["type"] == CB_DEFERRED
    (embed,) = (await interaction.original())["embeds"]
    third = (1, "33%")
    assert embed["description"] == stats_summary("nl", 3, answered=third, guessed=third, unanswered=third)
    fields = stats_fields(embed)
    assert fields[t("ins_stats_guesses", "nl")].splitlines() == guess_lines("nl", title, 1, up=0, down=1)
    assert fields[t("ins_stats_per_day", "nl")].splitlines()[-1].endswith("  1 / 1 / 1")
    assert fields[t("ins_stats_lowest_rated", "nl")] == t("ins_stats_none", "nl")  # a guess is not an answer

    interaction = await admin(harness, "export-questions", {"days": 7})
    await interaction.response()
    (attachment,) = (await interaction.original())["attachments"]
    text = harness.fake.attachment_data[int(attachment["id"])].decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert {row["question"]: (row["outcome"], row["feedback"]) for row in table} == {
        question: ("guess", "down"),
        "Wat doet een CMO?": ("answer", ""),
        "Wat is ROAS?": ("none", ""),
    }
