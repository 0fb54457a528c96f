"""End to end: a learned alias counts where its owner says, and stays visible and reversible.

Without a home server, an alias counts only in the server that attached it: another server's
/vraag (ask) is not changed by it, and its unanswered list still shows the question. With a
home server, only the home server attaches, and its aliases count everywhere. Moderators
list the aliases that count in their server and detach their own; the answer goes back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from bot.i18n import t
from tests.e2e import assert_clean_traffic, component, components, rows
from tests.harness import BotHarness

EPHEMERAL = 1 << 6
MANAGE_GUILD = 0x20
CB_MESSAGE, CB_UPDATE = 4, 7
ROAS = "data-driven-marketing"
OTHER_TOPIC = "cmo-team-and-agencies"
QUESTION = "Wat is ROAS?"


@pytest_asyncio.fixture
async def guilds(fake_discord) -> tuple[int, int]:
    first, second = sorted(fake_discord.guilds)[:2]
    return first, second


async def running(fake_discord, tmp_path, **env: str) -> BotHarness:
    harness = BotHarness(fake_discord, tmp_path / "aliases.sqlite3", **env)
    await harness.start()
    return harness


@pytest_asyncio.fixture
async def harness(fake_discord, tmp_path) -> AsyncIterator[BotHarness]:
    """No home server: the default the README's setup used to leave in place."""
    bot = await running(fake_discord, tmp_path)
    try:
        yield bot
    finally:
        await bot.stop()
    assert_clean_traffic(fake_discord)


# ---------------------------------------------------------------------------------------------- helpers


async def ask(harness: BotHarness, question: str, user: int, guild: int) -> str:
    """/vraag in a guild; the title of the answer the user sees."""
    interaction = await harness.fake.slash_command("ask", options={"question": question}, user=user, guild_id=guild)
    await interaction.response()
    return (await interaction.original())["embeds"][0]["title"]


def title_of(harness: BotHarness, topic_id: str) -> str:
    return harness.services.store.current.topics[topic_id].title.get("nl")


async def panel(harness: BotHarness, name: str, guild: int) -> dict[str, Any]:
    interaction = await harness.fake.slash_command(f"cmo-admin {name}", guild_id=guild, member_permissions=MANAGE_GUILD)
    body = await interaction.response()
    assert body["type"] == CB_MESSAGE and body["data"]["flags"] & EPHEMERAL, body
    return await interaction.original()


async def update(harness: BotHarness, message: dict[str, Any], custom_id: str, guild: int, values=None):
    """Clicks a button (or chooses in a select) as a moderator; the reply's callback body."""
    fake = harness.fake
    if values is None:
        interaction = await fake.button_click(message, custom_id, member_permissions=MANAGE_GUILD, guild_id=guild)
    else:
        interaction = await fake.select(message, custom_id, values, member_permissions=MANAGE_GUILD, guild_id=guild)
    return await interaction.response()


async def attach(harness: BotHarness, guild: int, topic_id: str) -> dict[str, Any]:
    """Attaches the first open unanswered question of `guild` to `topic_id`; the callback body."""
    message = await panel(harness, "unanswered", guild)
    pick = component(message, "cmo:ins:pick:")["custom_id"]
    assert (await update(harness, message, pick, guild, [topic_id]))["type"] == CB_UPDATE
    message = harness.fake.messages[int(message["id"])]
    return await update(harness, message, component(message, "cmo:ins:att:")["custom_id"], guild)


def closed_by(message: dict[str, Any]) -> str | None:
    fields = message["embeds"][0].get("fields") or []
    return next((f["value"] for f in fields if f["name"] == t("als_closed_by", "nl")), None)


# ---------------------------------------------------------------------------------------------- no home server


async def test_without_a_home_server_an_alias_counts_only_where_it_was_attached(harness, guilds):
    a, b = guilds
    no_match = t("no_match_title", "nl")
    assert await ask(harness, QUESTION, user=11, guild=a) == no_match
    assert await ask(harness, QUESTION, user=12, guild=b) == no_match

    body = await attach(harness, a, ROAS)
    assert body["type"] == CB_UPDATE
    status = body["data"]["embeds"][0]["description"]
    assert status.startswith("✅ ") and t("als_scope_guild", "nl") in status

    # Guild A is answered with its alias, whatever the spelling; guild B is not changed.
    assert await ask(harness, "wat is  roas", user=13, guild=a) == title_of(harness, ROAS)
    assert await ask(harness, QUESTION, user=14, guild=b) == no_match

    # B still sees the question as open; A sees it closed by its own alias.
    open_in_b = await panel(harness, "unanswered", b)
    assert open_in_b["embeds"][0]["title"] == t("ins_unanswered_title", "nl", index=1, total=1)
    assert "roas" in open_in_b["embeds"][0]["description"].lower()
    assert closed_by(open_in_b) is None
    view_of_a = await panel(harness, "unanswered", a)
    assert t("ins_unanswered_none", "nl") in view_of_a["embeds"][0]["description"]
    line = closed_by(view_of_a)
    assert line is not None and title_of(harness, ROAS) in line and t("als_mark_guild", "nl") in line

    # Both servers may attach the same question, each to their own topic.
    await attach(harness, b, OTHER_TOPIC)
    assert await ask(harness, QUESTION, user=15, guild=b) == title_of(harness, OTHER_TOPIC)
    assert await ask(harness, QUESTION, user=16, guild=a) == title_of(harness, ROAS)
    assert sorted((r["guild_id"], r["topic_id"]) for r in rows(harness, "SELECT * FROM learned_aliases")) == sorted(
        [(a, ROAS), (b, OTHER_TOPIC)]
    )

    # And after a restart, still each in its own server.
    await harness.restart()
    assert await ask(harness, QUESTION, user=17, guild=a) == title_of(harness, ROAS)
    assert await ask(harness, QUESTION, user=18, guild=b) == title_of(harness, OTHER_TOPIC)


async def test_moderators_list_and_detach_their_aliases_and_the_answer_goes_back(harness, guilds):
    a, b = guilds
    await ask(harness, QUESTION, user=21, guild=a)
    await attach(harness, a, ROAS)
    assert await ask(harness, QUESTION, user=22, guild=a) == title_of(harness, ROAS)

    empty = await panel(harness, "aliases", b)  # another server sees nothing of A's
    assert empty["embeds"][0]["description"] == t("als_none", "nl")
    assert components(empty) == []

    listing = await panel(harness, "aliases", a)
    (embed,) = listing["embeds"]
    assert embed["title"] == t("als_title", "nl", total=1)
    assert QUESTION.replace("?", "") in embed["description"] and title_of(harness, ROAS) in embed["description"]
    assert t("als_mark_guild", "nl") in embed["description"]
    detach = component(listing, "cmo:als:det:")
    assert detach["disabled"] is True
    (alias_row,) = rows(harness, "SELECT id FROM learned_aliases")
    select = component(listing, "cmo:als:pick:")
    assert [option["value"] for option in select["options"]] == [str(alias_row["id"])]

    assert (await update(harness, listing, select["custom_id"], a, [str(alias_row["id"])]))["type"] == CB_UPDATE
    listing = harness.fake.messages[int(listing["id"])]
    detach = component(listing, "cmo:als:det:")
    assert detach["custom_id"] == f"cmo:als:det:0:{alias_row['id']}" and not detach.get("disabled")

    # The same click, crafted as coming from a moderator of B, is refused; nothing changes.
    refused = await update(harness, listing, detach["custom_id"], b)
    assert t("als_not_yours", "nl") in refused["data"]["embeds"][0]["description"]
    assert len(rows(harness, "SELECT * FROM learned_aliases")) == 1
    listing = await panel(harness, "aliases", a)
    await update(harness, listing, select["custom_id"], a, [str(alias_row["id"])])
    listing = harness.fake.messages[int(listing["id"])]

    # An ordinary member cannot detach either.
    member = await harness.fake.button_click(listing, detach["custom_id"], guild_id=a)
    assert (await member.response())["data"]["content"] == t("error_not_moderator", "nl")

    second = await panel(harness, "aliases", a)
    await update(harness, second, select["custom_id"], a, [str(alias_row["id"])])
    second = harness.fake.messages[int(second["id"])]
    done = await update(harness, listing, detach["custom_id"], a)

    description = done["data"]["embeds"][0]["description"]
    assert description.startswith("🗑️ ") and t("als_none", "nl") in description
    assert rows(harness, "SELECT * FROM learned_aliases") == []
    assert await ask(harness, QUESTION, user=23, guild=a) == t("no_match_title", "nl")
    reopened = await panel(harness, "unanswered", a)  # the question is open again
    assert reopened["embeds"][0]["title"] == t("ins_unanswered_title", "nl", index=1, total=1)
    stale = await update(harness, second, detach["custom_id"], a)

    # A second moderator's stale panel still shows the alias; their click finds it gone.
    assert t("als_gone", "nl") in stale["data"]["embeds"][0]["description"]


# ---------------------------------------------------------------------------------------------- home server


async def test_with_a_home_server_only_it_attaches_and_its_aliases_count_everywhere(fake_discord, tmp_path, guilds):
    home, other = guilds
    harness = await running(fake_discord, tmp_path, CMO_HOME_GUILD_ID=str(home))
    try:
        await ask(harness, QUESTION, user=31, guild=other)
        message = await panel(harness, "unanswered", other)
        pick = component(message, "cmo:ins:pick:")["custom_id"]
        await update(harness, message, pick, other, [ROAS])
        message = fake_discord.messages[int(message["id"])]
        attach_button = component(message, "cmo:ins:att:")["custom_id"]
        for locale, lang in [("nl", "nl"), ("en-US", "en")]:
            click = await fake_discord.button_click(
                message, attach_button, member_permissions=MANAGE_GUILD, guild_id=other, locale=locale
            )
            refused = await click.response()
            assert refused["type"] == CB_MESSAGE and refused["data"]["flags"] & EPHEMERAL
            assert refused["data"]["content"] == t("als_not_home_guild", lang)
        assert rows(harness, "SELECT * FROM learned_aliases") == []

        await ask(harness, QUESTION, user=32, guild=home)
        body = await attach(harness, home, ROAS)
        assert t("als_scope_shared", "nl") in body["data"]["embeds"][0]["description"]
        assert await ask(harness, QUESTION, user=33, guild=other) == title_of(harness, ROAS)

        # The other server sees the question closed by the shared alias, and cannot detach it.
        line = closed_by(await panel(harness, "unanswered", other))
        assert line is not None and t("als_mark_shared", "nl") in line
        listing = await panel(harness, "aliases", other)
        assert t("als_mark_shared", "nl") in listing["embeds"][0]["description"]
        assert components(listing) == []  # nothing of its own to detach
        (alias_row,) = rows(harness, "SELECT id FROM learned_aliases")

        # The home server detaches it (a crafted click from the other server is refused):
        # every server answers as before.
        listing = await panel(harness, "aliases", home)
        await update(harness, listing, component(listing, "cmo:als:pick:")["custom_id"], home, [str(alias_row["id"])])
        listing = fake_discord.messages[int(listing["id"])]
        detach = component(listing, "cmo:als:det:")["custom_id"]
        crafted = await update(harness, listing, detach, other)
        assert t("als_not_yours", "nl") in crafted["data"]["embeds"][0]["description"]
        assert await ask(harness, QUESTION, user=36, guild=other) == title_of(harness, ROAS)
        listing = await panel(harness, "aliases", home)
        await update(harness, listing, component(listing, "cmo:als:pick:")["custom_id"], home, [str(alias_row["id"])])
        done = await update(harness, fake_discord.messages[int(listing["id"])], detach, home)
        assert done["data"]["embeds"][0]["description"].startswith("🗑️ ")
        assert await ask(harness, QUESTION, user=34, guild=other) == t("no_match_title", "nl")
        assert await ask(harness, QUESTION, user=35, guild=home) == t("no_match_title", "nl")
    finally:
        await harness.stop()
    assert_clean_traffic(fake_discord)


async def test_a_long_alias_list_is_paged(harness, guilds):
    a, _ = guilds
    for n in range(12):
        await harness.services.db.execute(
            "INSERT INTO learned_aliases (topic_id, lang, alias, group_key, guild_id, source, added_at) "
            "VALUES (?, 'nl', ?, ?, ?, 'unanswered', ?)",
            (ROAS, f"vraag nummer {n}", f"{n:016x}", a, f"2026-01-01T00:00:{n:02d}.000Z"),
        )
    first = await panel(harness, "aliases", a)
    assert first["embeds"][0]["title"] == t("als_title", "nl", total=12)
    assert first["embeds"][0]["footer"]["text"].endswith(t("als_page", "nl", page=1, pages=2))
    assert len(component(first, "cmo:als:pick:")["options"]) == 10
    body = await update(harness, first, "cmo:als:page:1", a)
    (embed,) = body["data"]["embeds"]
    assert embed["footer"]["text"].endswith(t("als_page", "nl", page=2, pages=2))
    assert embed["description"].startswith("11. ")
    second = harness.fake.messages[int(first["id"])]
    assert len(component(second, "cmo:als:pick:1")["options"]) == 2
