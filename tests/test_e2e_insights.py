"""End to end: the improvement loop as a moderator uses it, through the fake Discord.

Users ask through /ask, a moderator reads /cmo-admin stats, works through /cmo-admin
unanswered and suggestions, and the same /ask is answered afterwards, also after a restart.
The real database is read with plain sqlite3 to check what was stored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from bot.i18n import t
from tests.e2e import component, components, rows
from tests.harness import BotHarness, running_bot
from tests.insights_helpers import stats_fields, stats_summary

EPHEMERAL = 1 << 6
MANAGE_GUILD = 0x20
CB_MESSAGE, CB_DEFERRED, CB_UPDATE = 4, 5, 7
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROAS = "data-driven-marketing"


@pytest_asyncio.fixture
async def harness(fake_discord, tmp_path) -> AsyncIterator[BotHarness]:
    editor_role = fake_discord.guild().get_roles()[1].id
    db_path = tmp_path / "insights.sqlite3"
    async with running_bot(fake_discord, db_path, CMO_EDITOR_ROLE_IDS=str(editor_role)) as running:
        running.editor_role = editor_role  # type: ignore[attr-defined]
        yield running


# ---------------------------------------------------------------------------------------------- helpers








async def ask(harness: BotHarness, question: str, user: int, **kw: Any) -> dict[str, Any]:
    interaction = await harness.fake.slash_command("ask", options={"question": question}, user=user, **kw)
    await interaction.response()
    return await interaction.original()


def answered_title(message: dict[str, Any]) -> str:
    return message["embeds"][0]["title"]


def title_of(harness: BotHarness, topic_id: str, lang: str = "nl") -> str:
    return harness.services.store.current.topics[topic_id].title.get(lang)


async def admin(harness: BotHarness, name: str, options: dict[str, Any] | None = None, **kw: Any):
    kw.setdefault("member_permissions", MANAGE_GUILD)
    return await harness.fake.slash_command(f"cmo-admin {name}", options=options, **kw)


async def panel(harness: BotHarness, name: str, **kw: Any) -> dict[str, Any]:
    interaction = await admin(harness, name, **kw)
    body = await interaction.response()
    assert body["type"] == CB_MESSAGE and body["data"]["flags"] & EPHEMERAL, body
    return await interaction.original()


async def click(harness: BotHarness, message: dict[str, Any], custom_id: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("member_permissions", MANAGE_GUILD)
    interaction = await harness.fake.button_click(message, custom_id, **kw)
    body = await interaction.response()
    assert body["type"] == CB_UPDATE, body
    return harness.fake.messages[int(message["id"])]


async def choose(harness: BotHarness, message: dict[str, Any], custom_id: str, value: str) -> dict[str, Any]:
    interaction = await harness.fake.select(message, custom_id, [value], member_permissions=MANAGE_GUILD)
    body = await interaction.response()
    assert body["type"] == CB_UPDATE, body
    return harness.fake.messages[int(message["id"])]


# ---------------------------------------------------------------------------------------------- access


async def test_non_moderators_are_refused_in_their_language(harness):
    for name, options in [
        ("stats", {"days": 7}),
        ("unanswered", None),
        ("suggestions", None),
        ("export-questions", None),
    ]:
        for locale, lang in [("nl", "nl"), ("en-US", "en")]:
            interaction = await admin(harness, name, options, locale=locale, member_permissions=None)
            body = await interaction.response()
            assert body["type"] == CB_MESSAGE
            assert body["data"]["content"] == t("error_not_moderator", lang)
            assert body["data"]["flags"] & EPHEMERAL


async def test_an_editor_role_is_enough_and_panel_buttons_check_again(harness):
    await ask(harness, "Wat is ROAS?", user=501)
    message = await panel(harness, "unanswered", member_permissions=None, member_roles=[harness.editor_role])
    assert message["embeds"][0]["title"] == t("ins_unanswered_title", "nl", index=1, total=1)

    dismiss = component(message, "cmo:ins:dis:")["custom_id"]
    refused = await harness.fake.button_click(message, dismiss, locale="en-US")  # an ordinary member
    body = await refused.response()
    assert body["type"] == CB_MESSAGE and body["data"]["content"] == t("error_not_moderator", "en")
    assert rows(harness, "SELECT * FROM dismissed_questions") == []


# ---------------------------------------------------------------------------------------------- stats


async def test_stats_shows_the_guilds_numbers_with_a_png_chart(harness):
    fake = harness.fake
    answer = await ask(harness, "Wat doet een CMO?", user=601)
    await ask(harness, "Wat is ROAS?", user=602)
    await ask(harness, "wat is roas", user=603)
    down = next(c["custom_id"] for c in components(answer) if c.get("custom_id", "").startswith("cmo:fb:down:"))
    await (await fake.button_click(answer, down, user=604)).response()
    other_guild = fake.guild(sorted(fake.guilds)[1]).id
    await ask(harness, "Wat is ROAS?", user=605, guild_id=other_guild)  # not this guild's business

    interaction = await admin(harness, "stats", {"days": 7})
    body = await interaction.response()
    assert body["type"] == CB_DEFERRED and body["data"]["flags"] & EPHEMERAL
    message = await interaction.original()

    assert message["flags"] & EPHEMERAL
    (embed,) = message["embeds"]
    assert embed["title"] == t("ins_stats_title", "nl", days=7)
    summary = stats_summary("nl", 3, answered=(1, "33%"), guessed=(0, "0%"), unanswered=(2, "67%"))
    assert embed["description"] == summary
    fields = stats_fields(embed)
    assert fields[t("ins_stats_top_unanswered", "nl")].startswith('2× "')
    assert "roas" in fields[t("ins_stats_top_unanswered", "nl")].lower()
    assert f"1× {title_of(harness, 'cmo-responsibilities')}" in fields[t("ins_stats_top_topics", "nl")]
    assert fields[t("ins_stats_lowest_rated", "nl")] == f"{title_of(harness, 'cmo-responsibilities')}: 👍 0 · 👎 1"
    assert fields[t("ins_stats_per_day", "nl")].splitlines()[-1].endswith(" 1 / 0 / 2")
    assert embed["image"]["url"] == "attachment://questions.png"
    (attachment,) = message["attachments"]
    assert attachment["filename"] == "questions.png"
    png = fake.attachment_data[int(attachment["id"])]
    assert png.startswith(PNG_SIGNATURE) and len(png) > 1000


# ---------------------------------------------------------------------------------------------- unanswered


async def test_unanswered_questions_are_grouped_most_asked_first(harness):
    for user, question in [(701, "Wat is ROAS?"), (702, "wat is roas"), (703, "Wat is  ROAS ??"), (704, "cmo salaris")]:
        await ask(harness, question, user=user)
    await ask(harness, "Wat doet een CMO?", user=705)  # answered: not listed

    message = await panel(harness, "unanswered")

    (embed,) = message["embeds"]
    assert embed["title"] == t("ins_unanswered_title", "nl", index=1, total=2)
    assert embed["description"].startswith("> ")
    assert "roas" in embed["description"].splitlines()[0].lower()
    assert "3×" in embed["description"]
    assert embed["fields"][0]["value"] == '1× "cmo salaris"'
    select = component(message, "cmo:ins:pick:")
    values = [option["value"] for option in select["options"]]
    assert 1 < len(values) <= 25 and len(set(values)) == len(values)
    attach = component(message, "cmo:ins:att:")
    assert attach["disabled"] is True and attach["custom_id"].endswith(":_")  # no topic chosen yet
    assert component(message, "cmo:ins:next:u:1")

    # "cmo salaris": the search's likely topics come first and are marked.
    second = await click(harness, message, "cmo:ins:next:u:1")
    assert second["embeds"][0]["title"] == t("ins_unanswered_title", "nl", index=2, total=2)
    options = component(second, "cmo:ins:pick:")["options"]
    likely = harness.services.store.current.answer("cmo salaris", "nl").suggestions
    assert [option["value"] for option in options[: len(likely)]] == list(likely)
    assert options[0]["description"] == t("ins_likely", "nl")


async def test_attached_alias_answers_the_same_question_at_once_and_after_a_restart(harness):
    fake = harness.fake
    before = await ask(harness, "Wat is ROAS?", user=801)
    assert answered_title(before) == t("no_match_title", "nl")
    await ask(harness, "wat is roas", user=802)

    message = await panel(harness, "unanswered")
    key = component(message, "cmo:ins:pick:")["custom_id"].rsplit(":", 1)[1]
    message = await choose(harness, message, f"cmo:ins:pick:{key}", ROAS)
    attach = component(message, "cmo:ins:att:")
    assert attach["custom_id"] == f"cmo:ins:att:{key}:{ROAS}" and not attach.get("disabled")
    assert [o["value"] for o in component(message, "cmo:ins:pick:")["options"] if o.get("default")] == [ROAS]

    message = await click(harness, message, attach["custom_id"])

    assert message["embeds"][0]["description"].startswith("✅ ")
    assert title_of(harness, ROAS) in message["embeds"][0]["description"]
    assert t("ins_unanswered_none", "nl") in message["embeds"][0]["description"]
    assert components(message) == []
    (alias,) = rows(harness, "SELECT * FROM learned_aliases")
    assert (alias["topic_id"], alias["lang"], alias["source"]) == (ROAS, "nl", "unanswered")
    assert alias["alias"] in ("Wat is ROAS?", "wat is roas")
    assert answered_title(await ask(harness, "Wat is ROAS?", user=803)) == title_of(harness, ROAS)

    await harness.restart()

    assert answered_title(await ask(harness, "wat is roas", user=804, locale="nl")) == title_of(harness, ROAS)
    # The English /ask is another language: the alias belongs to Dutch.
    # No home server: the alias is this server's own, not part of the shared index.
    (guild_aliases,) = harness.services.store.overlay.guild_aliases.values()
    assert {lang for lang, _ in guild_aliases} == {"nl"}
    assert ROAS not in harness.services.store.current.learned_aliases
    empty = await panel(harness, "unanswered")
    assert empty["embeds"][0]["description"] == t("ins_unanswered_none", "nl")
    assert fake.unexpected_requests == []


async def test_with_a_home_server_aliases_are_attached_there_only(fake_discord, tmp_path):
    """Learned aliases change the content every server shares, like a live edit."""
    home, other = list(fake_discord.guilds)[:2]
    running = BotHarness(fake_discord, tmp_path / "home.sqlite3", CMO_HOME_GUILD_ID=str(home))
    await running.start()
    try:
        await ask(running, "Wat is ROAS?", user=901, guild_id=other)
        message = await panel(running, "unanswered", guild_id=other)
        key = component(message, "cmo:ins:pick:")["custom_id"].rsplit(":", 1)[1]
        interaction = await fake_discord.select(
            message, f"cmo:ins:pick:{key}", [ROAS], member_permissions=MANAGE_GUILD, guild_id=other
        )
        await interaction.response()
        message = fake_discord.messages[int(message["id"])]
        attach = component(message, "cmo:ins:att:")["custom_id"]
        refused = await fake_discord.button_click(message, attach, member_permissions=MANAGE_GUILD, guild_id=other)
        body = await refused.response()
        assert body["data"]["content"] == t("als_not_home_guild", "nl")
        assert body["data"]["flags"] & EPHEMERAL
        assert rows(running, "SELECT * FROM learned_aliases") == []
    finally:
        await running.stop()


async def test_dismissed_question_leaves_this_guilds_list_only(harness):
    fake = harness.fake
    other_guild = fake.guild(sorted(fake.guilds)[1]).id
    await ask(harness, "recept voor pannenkoeken", user=901)
    await ask(harness, "recept voor pannenkoeken", user=902, guild_id=other_guild)

    message = await panel(harness, "unanswered")
    message = await click(harness, message, component(message, "cmo:ins:dis:")["custom_id"])

    assert message["embeds"][0]["description"].startswith("🗑️ ")
    assert t("ins_unanswered_none", "nl") in message["embeds"][0]["description"]
    elsewhere = await panel(harness, "unanswered", guild_id=other_guild)
    assert elsewhere["embeds"][0]["title"] == t("ins_unanswered_title", "nl", index=1, total=1)


# ---------------------------------------------------------------------------------------------- suggestions


async def miss_then_open(harness: BotHarness, question: str, user: int) -> None:
    """A user's /ask finds nothing; they click the suggested topic on the answer."""
    message = await ask(harness, question, user=user)
    assert answered_title(message) == t("no_match_title", "nl")
    opened = await harness.fake.button_click(message, "cmo:open:cmo-team-and-agencies", user=user)
    await opened.response()


async def test_a_suggestion_appears_after_two_users_agree_and_applies_on_accept(harness):
    topic = "cmo-team-and-agencies"
    await miss_then_open(harness, "wat kost een bureau", user=1001)
    await miss_then_open(harness, "wat kost een bureau", user=1001)  # the same user again is still one vote
    await harness.services.writer.flush()
    assert (await panel(harness, "suggestions"))["embeds"][0]["description"] == t("ins_suggestions_none", "nl")

    await miss_then_open(harness, "Wat kost een bureau?", user=1002)
    message = await panel(harness, "suggestions")

    (embed,) = message["embeds"]
    assert embed["title"] == t("ins_suggestion_title", "nl", index=1, total=1)
    assert "wat kost een bureau" in embed["description"].lower()
    assert f"**{title_of(harness, topic)}**" in embed["description"]
    assert embed["description"].startswith("> ") and "2 " in embed["description"]
    assert answered_title(await ask(harness, "wat kost een bureau", user=1003)) == t("no_match_title", "nl")

    accept = component(message, "cmo:ins:acc:")["custom_id"]
    assert accept.endswith(f":{topic}")
    message = await click(harness, message, accept)

    assert message["embeds"][0]["description"].startswith("✅ ")
    assert answered_title(await ask(harness, "wat kost een bureau", user=1004)) == title_of(harness, topic)
    (alias,) = rows(harness, "SELECT topic_id, source FROM learned_aliases")
    assert tuple(alias) == (topic, "suggestion")


async def test_a_rejected_suggestion_is_not_proposed_again(harness):
    await miss_then_open(harness, "wat kost een bureau", user=1101)
    await miss_then_open(harness, "wat kost een bureau", user=1102)
    message = await panel(harness, "suggestions")
    message = await click(harness, message, component(message, "cmo:ins:rej:")["custom_id"])
    assert message["embeds"][0]["description"].startswith("🗑️ ")
    assert (await panel(harness, "suggestions"))["embeds"][0]["description"] == t("ins_suggestions_none", "nl")
    assert rows(harness, "SELECT * FROM learned_aliases") == []


# ---------------------------------------------------------------------------------------------- export


async def test_export_is_a_csv_without_user_identifiers(harness):
    fake = harness.fake
    users = [1201, 1202, 1203]
    answer = await ask(harness, "Wat doet een CMO?", user=users[0])
    await ask(harness, '=HYPERLINK("http://x")', user=users[1])
    await ask(harness, "Wat is ROAS?", user=users[2], locale="en-US")
    up = next(c["custom_id"] for c in components(answer) if c.get("custom_id", "").startswith("cmo:fb:up:"))
    await (await fake.button_click(answer, up, user=users[1])).response()

    interaction = await admin(harness, "export-questions", {"days": 30})
    assert (await interaction.response())["type"] == CB_DEFERRED
    message = await interaction.original()

    assert message["content"] == t("ins_export_done", "nl", days=30, rows=3)
    (attachment,) = message["attachments"]
    assert attachment["filename"].endswith("-30d.csv")
    data = fake.attachment_data[int(attachment["id"])]
    text = data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["time", "command", "locale", "question", "topic", "score", "feedback", "outcome"]
    assert len(table) == 4
    by_question = {row[3]: row for row in table[1:]}
    assert by_question["Wat doet een CMO?"][4] == "cmo-responsibilities"
    assert by_question["Wat doet een CMO?"][6] == "up"
    assert by_question["Wat is ROAS?"][2] == "en-US" and by_question["Wat is ROAS?"][4] == ""
    assert '\'=HYPERLINK("http://x")' in by_question  # not run as a formula by a spreadsheet
    hashes = {row["user_hash"] for row in rows(harness, "SELECT user_hash FROM questions")}
    hashes |= {row["user_hash"] for row in rows(harness, "SELECT user_hash FROM feedback")}
    assert len(hashes) == 3
    for identifier in [*map(str, users), *hashes]:
        assert identifier not in text
