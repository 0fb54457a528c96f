"""End to end: the real bot under hostile input, a flaky gateway, rate limits, its own
cooldown and its own failures, driven through the fake Discord."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.i18n import t
from tests.e2e import NO_MENTIONS, answered, assert_clean_traffic, components, rows

EPHEMERAL = 1 << 6
CB_MESSAGE, CB_UPDATE_MESSAGE = 4, 7
CALLBACK_ROUTE = "/interactions/{interaction_id}/{token}/callback"
QUESTION = "Wat doet een CMO?"
EXPECTED_TOPIC = "cmo-responsibilities"

ZERO_WIDTH = "\u200b\u200d\ufeff"
REAL_MENTIONS = ("<@&123456789012345678>", "<@456789012345678901>", "<@!456789012345678901>")
MENTIONS = "@everyone @here <@&123> <@456> " + " ".join(REAL_MENTIONS)
HOSTILE_PAD = "** __ ` > @everyone <@456789012345678901> " + ZERO_WIDTH + " "


# ---------------------------------------------------------------------------------------------- helpers


def hostile(lead: str, pad: str = HOSTILE_PAD, length: int = 2000) -> str:
    text = (lead + " " + pad * (length // len(pad) + 1))[:length]
    assert len(text) == length
    return text




def strings(value: Any) -> list[str]:
    """Every string inside a JSON body."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []






def flags(data: dict[str, Any]) -> int:
    return int(data.get("flags") or 0)




@pytest_asyncio.fixture(autouse=True)
async def _clean_traffic(harness) -> AsyncIterator[None]:
    yield
    assert_clean_traffic(harness.fake)


def assert_answers_topic(harness, data: dict[str, Any], topic_id: str, lang: str) -> None:
    (embed,) = data["embeds"]
    assert embed["title"] == harness.services.asking.snapshot.topics[topic_id].title.get(lang)
    assert any(c.get("custom_id", "").startswith("cmo:fb:up:") for c in components(data))


# ---------------------------------------------------------------------------------------------- hostile input


async def test_hostile_question_without_match_is_quoted_harmlessly(harness):
    question = hostile(f"**vet** __onder__ `code` > citaat {MENTIONS} {ZERO_WIDTH}pannenkoeken")
    interaction = await harness.fake.slash_command("ask", options={"question": question}, locale="nl")
    data = await answered(interaction)

    assert data["allowed_mentions"] == NO_MENTIONS
    (embed,) = data["embeds"]
    assert embed["title"] == t("no_match_title", "nl")
    description = embed["description"]
    quote, _, rest = description.partition("\n\n")
    assert quote.startswith("> ") and rest.startswith(t("no_match", "nl"))
    # the quote is capped at 300 characters of the user's text (before escaping adds backslashes)
    assert quote.endswith("…") and len(quote) <= 2 + 2 * 300
    # markdown is neutralised, so nothing turns bold, underlined or into code
    assert "\\*\\*vet\\*\\*" in quote and "\\_\\_onder\\_\\_" in quote and "\\`code\\`" in quote
    # no mention survives in a form Discord would render as one
    for text in strings(data):
        assert not re.search(r"@(everyone|here)", text), text
        assert not re.search(r"<@[!&]?\d{17,20}>", text), text
    assert "@\u200beveryone" in quote and "@\u200bhere" in quote
    # the user's invisible characters are gone; the only zero-width space left is the one
    # that breaks a mention
    assert "\u200d" not in quote and "\ufeff" not in quote
    assert all(quote[i - 1] == "@" for i, ch in enumerate(quote) if ch == "\u200b")

    await harness.services.writer.flush()
    (row,) = rows(harness, "SELECT question, topic_id FROM questions")
    assert row["question"] == question  # logged as asked, for the moderators
    assert row["topic_id"] is None


async def test_hostile_question_that_matches_is_answered(harness):
    question = hostile("> **Wat** __doet__ een `CMO`?" + ZERO_WIDTH, pad="** __ ` > " + ZERO_WIDTH + " ")
    interaction = await harness.fake.slash_command("ask", options={"question": question}, locale="nl")
    data = await answered(interaction)

    assert data["allowed_mentions"] == NO_MENTIONS
    assert_answers_topic(harness, data, EXPECTED_TOPIC, "nl")
    assert not any("**Wat**" in text or ZERO_WIDTH in text for text in strings(data))


async def test_question_with_a_mention_still_matches(harness):
    question = f"Wat doet een CMO? <@456789012345678901> @everyone {hostile('', length=1900)}"
    interaction = await harness.fake.slash_command("ask", options={"question": question[:2000]}, locale="nl")
    data = await answered(interaction)

    assert data["allowed_mentions"] == NO_MENTIONS
    # 1,900 characters of noise make the bot less sure: the topic comes as an answer or as a
    # best guess ("Bedoel je: ...?"), but it is the right topic either way.
    title = harness.services.asking.snapshot.topics[EXPECTED_TOPIC].title.get("nl").rstrip("?")
    assert title in data["embeds"][0]["title"]


# ---------------------------------------------------------------------------------------------- gateway and REST


async def test_gateway_drop_resumes_and_keeps_answering(harness):
    fake = harness.fake
    before = await fake.slash_command("ask", options={"question": QUESTION}, locale="nl")
    assert_answers_topic(harness, await answered(before), EXPECTED_TOPIC, "nl")
    identifies = len(fake.identifies)

    await fake.drop_connection()
    # asked while the bot is disconnected: Discord replays it after the RESUME
    during = await fake.slash_command("ask", options={"question": "What does a CMO do?"}, locale="en-US")
    await fake.wait_for_resume()
    assert_answers_topic(harness, await answered(during), EXPECTED_TOPIC, "en")

    after = await fake.slash_command("ask", options={"question": QUESTION}, locale="nl", user=990001)
    assert_answers_topic(harness, await answered(after), EXPECTED_TOPIC, "nl")
    assert len(fake.identifies) == identifies  # resumed, not a new session
    assert harness.bot.is_ready() and not harness.bot.is_closed()


async def test_rate_limited_callback_is_retried_and_answered_once(harness):
    fake = harness.fake
    fake.rate_limit_next("POST", CALLBACK_ROUTE, retry_after=0.05)
    interaction = await fake.slash_command("ask", options={"question": QUESTION}, locale="nl")
    assert_answers_topic(harness, await answered(interaction), EXPECTED_TOPIC, "nl")

    attempts = interaction.callback_attempts
    assert attempts[0].status == 429
    assert [request for request in attempts if 200 <= request.status < 300] == [interaction.callback_request]
    posted = fake.requests_matching("POST", f"/interactions/{interaction.id}/*")
    assert len(posted) == 2  # one refused, one retry; no duplicate answer
    assert fake.rate_limited_requests == [attempts[0]]

    follow_up = await fake.slash_command("explain", options={"topic": "role-coo"}, locale="nl")
    assert (await answered(follow_up))["embeds"]


# ---------------------------------------------------------------------------------------------- cooldown


async def test_cooldown_stops_the_sixth_question_of_one_user_only(harness):
    fake = harness.fake
    asker, other = 770001, 770002
    for _ in range(5):
        interaction = await fake.slash_command("ask", options={"question": QUESTION}, locale="nl", user=asker)
        assert_answers_topic(harness, await answered(interaction), EXPECTED_TOPIC, "nl")

    for locale, lang in (("nl", "nl"), ("en-US", "en")):
        blocked = await fake.slash_command("ask", options={"question": QUESTION}, locale=locale, user=asker)
        data = await answered(blocked)
        assert flags(data) & EPHEMERAL
        assert not data.get("embeds") and not data.get("components")
        assert data["content"] in {t("error_cooldown", lang, seconds=s) for s in range(1, 31)}, data["content"]
        assert data["allowed_mentions"] == NO_MENTIONS

    someone_else = await fake.slash_command("ask", options={"question": QUESTION}, locale="nl", user=other)
    assert_answers_topic(harness, await answered(someone_else), EXPECTED_TOPIC, "nl")
    # other commands are not rate limited for the blocked user
    explain = await fake.slash_command("explain", options={"topic": "role-coo"}, locale="nl", user=asker)
    assert (await answered(explain))["embeds"]

    await harness.services.writer.flush()
    counts = rows(harness, "SELECT user_hash, COUNT(*) AS n FROM questions WHERE command = 'ask' GROUP BY user_hash")
    assert sorted(row["n"] for row in counts) == [1, 5]  # blocked questions are not logged


# ---------------------------------------------------------------------------------------------- failures


@pytest.mark.parametrize(("locale", "lang"), [("nl", "nl"), ("en-US", "en")])
async def test_exception_in_a_command_gives_a_generic_private_error(harness, monkeypatch, locale, lang):
    fake = harness.fake

    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database exploded at /srv/secret/cmo.sqlite3")

    monkeypatch.setattr(harness.services.asking, "ask", explode)
    interaction = await fake.slash_command("ask", options={"question": QUESTION}, locale=locale)
    data = await answered(interaction)

    assert data["content"] == t("error_generic", lang)
    assert flags(data) & EPHEMERAL
    assert data["allowed_mentions"] == NO_MENTIONS
    for text in strings(data):
        assert "Traceback" not in text and "RuntimeError" not in text and "exploded" not in text

    # the bot survives: other commands still work while /ask is broken, and /ask once fixed
    explain = await fake.slash_command("explain", options={"topic": "role-coo"}, locale=locale)
    assert (await answered(explain))["embeds"]
    monkeypatch.undo()
    again = await fake.slash_command("ask", options={"question": QUESTION}, locale=locale, user=880001)
    assert (await answered(again))["embeds"]
    assert not harness.bot.is_closed()


async def test_exception_in_a_button_gives_a_generic_private_error(harness, monkeypatch):
    fake = harness.fake
    asked = await fake.slash_command("ask", options={"question": QUESTION}, locale="nl")
    data = await answered(asked)
    up = next(c["custom_id"] for c in components(data) if c.get("custom_id", "").startswith("cmo:fb:up:"))

    async def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(harness.services.asking, "record_feedback", explode)
    click = await fake.button_click(await asked.original(), up, locale="nl")
    reply = (await click.response(timeout=2))["data"]
    assert reply["content"] == t("error_generic", "nl")
    assert flags(reply) & EPHEMERAL
