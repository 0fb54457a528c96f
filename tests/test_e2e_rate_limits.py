"""End to end: every user-triggered command and component has a per-user rate limit.

A user clicking a button in a loop, or repeating a command, gets the localised cooldown note
(ephemeral, nothing else) once over the budget, and no question-log row is written for the
refused clicks. Other users keep their own budget.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.features.cooldown import BROWSE_RATE, COMPONENT_RATE, COMPONENT_SECONDS, PRIVACY_RATE
from bot.i18n import t
from tests.e2e import answered, assert_clean_traffic, component, rows

EPHEMERAL = 1 << 6


@pytest_asyncio.fixture(autouse=True)
async def _clean_traffic(harness) -> AsyncIterator[None]:
    yield
    assert_clean_traffic(harness.fake)


def is_cooldown(data: dict[str, Any], lang: str, per: float) -> bool:
    refused = data.get("content") in {t("error_cooldown", lang, seconds=s) for s in range(1, int(per) + 1)}
    if refused:
        assert int(data.get("flags") or 0) & EPHEMERAL
        assert not data.get("embeds") and not data.get("components")
    return refused


async def test_a_user_clicking_a_button_in_a_loop_gets_the_cooldown_and_no_extra_log_rows(harness):
    fake = harness.fake
    clicker, other = 880001, 880002
    tip = await fake.slash_command("tip", locale="nl", user=other)
    button = component(await answered(tip), "cmo:open:")["custom_id"]
    message = await tip.original()

    outcomes = []
    for click in range(COMPONENT_RATE + 5):
        locale, lang = ("en-US", "en") if click % 2 else ("nl", "nl")
        reply = await answered(await fake.button_click(message, button, user=clicker, locale=locale))
        outcomes.append("refused" if is_cooldown(reply, lang, COMPONENT_SECONDS) else "answered")
        if outcomes[-1] == "answered":
            assert reply["embeds"] and int(reply.get("flags") or 0) & EPHEMERAL
    assert outcomes == ["answered"] * COMPONENT_RATE + ["refused"] * 5

    # One budget for all components: a select is refused as well...
    explained = await fake.slash_command("explain", options={"topic": "role-coo"}, locale="nl", user=other)
    related = component(await answered(explained), "cmo:related")["options"][0]["value"]
    picked = await fake.select(await explained.original(), "cmo:related", [related], user=clicker, locale="nl")
    assert is_cooldown(await answered(picked), "nl", COMPONENT_SECONDS)
    # ...while someone else still has theirs.
    allowed = await fake.button_click(message, button, user=other, locale="nl")
    assert (await answered(allowed))["embeds"]

    await harness.services.writer.flush()
    clicker_hash = harness.services.asking.user_hash(clicker)
    logged = rows(harness, "SELECT command FROM questions WHERE user_hash = ?", clicker_hash)
    assert [row["command"] for row in logged] == ["open-button"] * COMPONENT_RATE


@pytest.mark.parametrize(
    ("command", "options", "rate"),
    [
        ("explain", {"topic": "role-coo"}, BROWSE_RATE),
        ("compare", {"role": "CFO"}, BROWSE_RATE),
        ("topics", None, BROWSE_RATE),
        ("tip", None, BROWSE_RATE),
        ("help", None, BROWSE_RATE),
        ("privacy info", None, PRIVACY_RATE),
        ("privacy forget-me", None, PRIVACY_RATE),
    ],
)
async def test_every_user_command_has_a_per_user_rate_limit(harness, command, options, rate):
    fake = harness.fake
    user = 880100
    for _ in range(rate):
        reply = await answered(await fake.slash_command(command, options=options, locale="nl", user=user))
        assert not is_cooldown(reply, "nl", 60)
    over = await answered(await fake.slash_command(command, options=options, locale="en-US", user=user))
    assert is_cooldown(over, "en", 60), over
    someone_else = await answered(await fake.slash_command(command, options=options, locale="nl", user=user + 1))
    assert not is_cooldown(someone_else, "nl", 60)

    await harness.services.writer.flush()
    logged = rows(harness, "SELECT COUNT(*) AS n FROM questions WHERE user_hash = ?",
                  harness.services.asking.user_hash(user))
    assert logged[0]["n"] == (rate if command == "explain" else 0)  # the refused one wrote nothing
