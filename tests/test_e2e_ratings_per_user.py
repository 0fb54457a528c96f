"""End to end: one 👍/👎 per user per answer (issue 10, finding 6).

Before, there was one rating per answer and the last click won, so anyone could overwrite the
asker's vote. Now two users' different ratings both count in /cmo-admin stats, and a second
click by the same user replaces only their own.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import t
from tests.e2e import assert_clean_traffic, rows
from tests.harness import BotHarness

MANAGE_GUILD = 0x20
ASKER, COLLEAGUE = 7301, 7302
QUESTION = "Wat doet een CMO?"


async def click(harness: BotHarness, message_id: int, rating: str, question_id: str, user: int) -> str:
    interaction = await harness.fake.button_click(message_id, f"cmo:fb:{rating}:{question_id}", user=user)
    return (await interaction.response())["data"]["content"]


async def lowest_rated(harness: BotHarness) -> str:
    interaction = await harness.fake.slash_command(
        "cmo-admin stats", options={"days": 7}, member_permissions=MANAGE_GUILD
    )
    await interaction.response()
    fields = {field["name"]: field["value"] for field in (await interaction.original())["embeds"][0]["fields"]}
    return fields[t("ins_stats_lowest_rated", "nl")]


def ratings(harness: BotHarness, question_id: str) -> dict[str, int]:
    found = rows(harness, "SELECT user_hash, rating FROM feedback WHERE question_id = ?", question_id)
    return {row["user_hash"]: row["rating"] for row in found}


async def test_two_users_rate_one_answer_differently_and_both_count(harness: BotHarness) -> None:
    asked = await harness.fake.slash_command("ask", options={"question": QUESTION}, user=ASKER)
    await asked.response()
    message: dict[str, Any] = await asked.original()
    await harness.services.writer.flush()
    (row,) = rows(harness, "SELECT id, topic_id FROM questions")
    question_id, topic_id = row["id"], row["topic_id"]
    assert topic_id is not None, "the question must be answered for its answer to be rated"
    title = harness.services.store.current.topics[topic_id].title.get("nl")
    asker, colleague = harness.services.hasher.hash(ASKER), harness.services.hasher.hash(COLLEAGUE)

    assert await click(harness, int(message["id"]), "up", question_id, ASKER) == t("feedback_thanks_up", "nl")
    assert await click(harness, int(message["id"]), "down", question_id, COLLEAGUE) == t("feedback_thanks_down", "nl")

    assert ratings(harness, question_id) == {asker: 1, colleague: -1}  # the colleague did not overwrite the asker
    assert await lowest_rated(harness) == f"{title}: 👍 1 · 👎 1"

    # The asker changes their mind: only their own rating changes.
    await click(harness, int(message["id"]), "down", question_id, ASKER)
    assert ratings(harness, question_id) == {asker: -1, colleague: -1}
    assert await lowest_rated(harness) == f"{title}: 👍 0 · 👎 2"
    assert_clean_traffic(harness.fake)
