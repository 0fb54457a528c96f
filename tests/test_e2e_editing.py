"""End to end: moderators edit the content live through the real bot and the fake Discord.

The bot runs on a temporary copy of content/ (CMO_CONTENT_DIR), so a test may break or
change files and reload them. What is asserted is what a user would see: the next /explain
and /ask answers, the replies of the moderator commands, and the rows in the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.editing.form import form_values, parse_aliases
from bot.i18n import t
from tests.e2e import rows
from tests.fake_discord.models import user_payload
from tests.harness import BotHarness, home_on_content_copy, running_bot

EPHEMERAL = 1 << 6
CB_MESSAGE, CB_DEFERRED_MESSAGE, CB_AUTOCOMPLETE, CB_MODAL = 4, 5, 8, 9
MANAGE_GUILD = 0x20
TOPIC = "cmo-skills"
ANNA = user_payload(710_000_000_000_000_001, "anna")
BEN = user_payload(710_000_000_000_000_002, "ben")


@pytest_asyncio.fixture
async def home(fake_discord, tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The bot with the first fake guild as its home guild, and the guild's first role as an
    editor role, on a copy of the content."""
    settings = home_on_content_copy(fake_discord, tmp_path)
    settings["CMO_EDITOR_ROLE_IDS"] = str(fake_discord.guild().id + 1001)
    async with running_bot(fake_discord, tmp_path / "cmo-bot.sqlite3", check=None, **settings) as running:
        yield running


def content_dir(h: BotHarness) -> Path:
    return h.settings.resolved_content_dir()




async def admin(h: BotHarness, command: str, options: dict[str, Any] | None = None, **kw: Any):
    kw.setdefault("member_permissions", MANAGE_GUILD)
    return await h.fake.slash_command(f"cmo-admin {command}", options=options or {}, **kw)


async def ephemeral_text(interaction) -> str:
    body = await interaction.response()
    assert body["type"] == CB_MESSAGE, body
    assert body["data"]["flags"] & EPHEMERAL
    assert body["data"]["allowed_mentions"] == {"parse": []}
    return body["data"]["content"]


async def open_form(h: BotHarness, topic: str = TOPIC, language: str = "nl", **kw: Any) -> dict[str, Any]:
    interaction = await admin(h, "edit", {"topic": topic, "language": language}, **kw)
    body = await interaction.response()
    assert body["type"] == CB_MODAL, body
    return body["data"]


def inputs(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in modal["components"]:
        for item in row.get("components") or [row.get("component") or {}]:
            if item.get("custom_id"):
                found[item["custom_id"]] = item
    return found


async def submit(h: BotHarness, modal: dict[str, Any], values: dict[str, str], **kw: Any):
    kw.setdefault("member_permissions", MANAGE_GUILD)
    return await h.fake.modal_submit(modal["custom_id"], values, **kw)


async def explain(h: BotHarness, topic: str = TOPIC, locale: str = "nl") -> dict[str, Any]:
    body = await (await h.fake.slash_command("explain", options={"topic": topic}, locale=locale)).response()
    return body["data"]["embeds"][0]


async def ask(h: BotHarness, question: str, locale: str = "nl") -> dict[str, Any]:
    body = await (await h.fake.slash_command("ask", options={"question": question}, locale=locale)).response()
    return body["data"]["embeds"][0]


# ---------------------------------------------------------------------------------------------- edit


async def test_the_form_is_prefilled_in_the_chosen_language(home: BotHarness) -> None:
    modal = await open_form(home, TOPIC, "en", locale="nl")
    assert modal["custom_id"] == f"cmo:edit:{TOPIC}:en:0"
    assert len(modal["title"]) <= 45 and modal["title"].startswith("Bewerken: ")
    fields = inputs(modal)
    assert list(fields) == ["title", "summary", "body", "aliases", "reason"]
    topic = home.services.store.current.topic(TOPIC)
    assert {name: fields[name]["value"] for name in ("title", "summary", "body", "aliases")} == form_values(topic, "en")
    assert fields["title"]["label"] == t("edit_label_title", "nl", language="en")
    assert (fields["title"]["max_length"], fields["aliases"]["max_length"]) == (100, 4000)
    assert fields["reason"]["required"] is False and "value" not in fields["reason"]


async def test_an_edit_changes_the_next_explain_and_ask(home: BotHarness) -> None:
    modal = await open_form(home, TOPIC, "nl", user=ANNA)
    aliases = inputs(modal)["aliases"]["value"] + ", kan een cmo jongleren"
    reply = await ephemeral_text(
        await submit(
            home,
            modal,
            {
                "title": "Wat een goede CMO kan",
                "summary": "Een nieuwe samenvatting.",
                "aliases": aliases,
                "reason": "duidelijker",
            },
            user=ANNA,
        )
    )
    assert reply == t(
        "edit_saved", "nl", n=1, title="Wat een goede CMO kan", changes="title (nl), summary (nl), aliases (nl)"
    )

    embed = await explain(home)
    assert embed["title"] == "Wat een goede CMO kan"
    assert embed["description"].startswith("**Een nieuwe samenvatting.**")
    assert (await explain(home, locale="en-US"))["title"] == "Qualities and skills of a good CMO"  # English untouched
    answer = await ask(home, "kan een cmo jongleren")
    assert answer["title"] == "Wat een goede CMO kan"

    (row,) = rows(home, "SELECT * FROM topic_revisions")
    assert (row["topic_id"], row["n"], row["action"], row["lang"], row["reason"]) == (
        TOPIC,
        1,
        "edit",
        "nl",
        "duidelijker",
    )
    assert row["editor_name"] == "Anna"
    assert row["editor_hash"] == home.services.asking.user_hash(int(ANNA["id"])) != ANNA["id"]
    assert ANNA["id"] not in " ".join(str(value) for value in tuple(row))

    again = await open_form(home, TOPIC, "nl")
    assert again["custom_id"] == f"cmo:edit:{TOPIC}:nl:1"
    assert parse_aliases(inputs(again)["aliases"]["value"])[-1] == "kan een cmo jongleren"


async def test_an_invalid_submit_is_refused_and_changes_nothing(home: BotHarness) -> None:
    before = home.services.store.current
    modal = await open_form(home, TOPIC, "en", locale="en-US")
    reply = await ephemeral_text(await submit(home, modal, {"title": "  ", "summary": "x" * 401}, locale="en-US"))
    assert reply.startswith(t("edit_rejected", "en"))
    assert "topics/cmo-skills.yaml (live edit): title.en:" in reply
    assert "topics/cmo-skills.yaml (live edit): summary.en:" in reply
    assert home.services.store.current is before
    assert rows(home, "SELECT * FROM topic_revisions") == []
    assert (await explain(home, locale="en-US"))["title"] == "Qualities and skills of a good CMO"


async def test_a_submit_without_changes_stores_nothing(home: BotHarness) -> None:
    modal = await open_form(home)
    reply = await ephemeral_text(await submit(home, modal, {"reason": "even kijken"}))
    assert reply == t("edit_nothing_changed", "nl")
    assert rows(home, "SELECT * FROM topic_revisions") == []


async def test_two_edits_submitted_at_the_same_moment_both_end_up_in_the_history(home: BotHarness) -> None:
    anna_form = await open_form(home, user=ANNA)
    ben_form = await open_form(home, user=BEN)
    assert anna_form["custom_id"] == ben_form["custom_id"]  # both opened revision 0
    anna, ben = await asyncio.gather(
        submit(home, anna_form, {"title": "Titel van Anna"}, user=ANNA),
        submit(home, ben_form, {"body": "Uitleg van Ben."}, user=BEN),
    )
    replies = [await ephemeral_text(anna), await ephemeral_text(ben)]
    assert all(reply.startswith("Opgeslagen als versie ") for reply in replies)
    history = rows(home, "SELECT n, editor_name FROM topic_revisions WHERE topic_id = ? ORDER BY n", TOPIC)
    assert [row["n"] for row in history] == [1, 2]
    assert sorted(row["editor_name"] for row in history) == ["Anna", "Ben"]
    live = home.services.store.current.topic(TOPIC)
    assert (live.title.nl, live.body.nl) == ("Titel van Anna", "Uitleg van Ben.")  # neither edit is lost
    assert "Uitleg van Ben." in (await explain(home))["description"]


# ---------------------------------------------------------------------------------------------- refusals


async def test_editing_in_another_guild_is_refused(home: BotHarness) -> None:
    other = list(home.fake.guilds)[1]
    for command, options in (
        ("edit", {"topic": TOPIC, "language": "nl"}),
        ("reload", {}),
        ("history", {"topic": TOPIC}),
        ("revert", {"topic": TOPIC, "revision": 0}),
    ):
        reply = await ephemeral_text(await admin(home, command, options, guild_id=other))
        assert reply == t("error_not_home_guild", "nl"), command
    # A form submitted from elsewhere is refused too (the custom id alone proves nothing).
    modal = await open_form(home)
    reply = await ephemeral_text(await submit(home, modal, {"title": "Elders"}, guild_id=other))
    assert reply == t("error_not_home_guild", "nl")
    assert rows(home, "SELECT * FROM topic_revisions") == []


async def test_editing_by_a_non_editor_is_refused(home: BotHarness) -> None:
    modal = await open_form(home)  # opened by a moderator
    reply = await ephemeral_text(await admin(home, "edit", {"topic": TOPIC}, member_permissions=0, locale="en-US"))
    assert reply == t("error_not_moderator", "en")
    reply = await ephemeral_text(await submit(home, modal, {"title": "Geen editor"}, member_permissions=0))
    assert reply == t("error_not_moderator", "nl")
    assert rows(home, "SELECT * FROM topic_revisions") == []
    assert (await explain(home))["title"] == "Eigenschappen en vaardigheden van een goede CMO"


async def test_an_editor_role_is_enough(home: BotHarness) -> None:
    role = home.fake.guild().id + 1001
    modal = await open_form(home, member_permissions=0, member_roles=[role])
    assert modal["custom_id"].startswith("cmo:edit:")


async def test_an_unknown_topic_is_refused(home: BotHarness) -> None:
    reply = await ephemeral_text(await admin(home, "edit", {"topic": "geen-onderwerp"}))
    assert reply == t("edit_unknown_topic", "nl", value="geen-onderwerp")


# ---------------------------------------------------------------------------------------------- history, revert


async def test_history_lists_revisions_and_revert_restores(home: BotHarness) -> None:
    original = await explain(home)
    modal = await open_form(home, user=ANNA)
    await ephemeral_text(await submit(home, modal, {"title": "Eerste bewerking", "reason": "test"}, user=ANNA))
    modal = await open_form(home, user=BEN)
    await ephemeral_text(await submit(home, modal, {"title": "Tweede bewerking"}, user=BEN))

    body = await (await admin(home, "history", {"topic": TOPIC})).response()
    assert body["data"]["flags"] & EPHEMERAL
    embed = body["data"]["embeds"][0]
    assert embed["title"] == t("edit_history_title", "nl", title="Tweede bewerking")
    lines = embed["description"].split("\n")
    assert lines[0].startswith("**2** · <t:") and "Ben" in lines[0] and "**live**" in lines[0]
    assert lines[1] == t("edit_history_changed", "nl", changes="title (nl)")
    assert lines[2].startswith("**1** · <t:") and "Anna" in lines[2] and "live" not in lines[2]
    assert lines[4] == "> test"
    assert lines[-1] == f"**0** · {t('edit_history_file', 'nl')}"

    reply = await ephemeral_text(await admin(home, "revert", {"topic": TOPIC, "revision": 1}))
    assert reply == t("edit_reverted", "nl", target=1, title="Tweede bewerking", n=3, changes="title (nl)")
    assert (await explain(home))["title"] == "Eerste bewerking"

    reply = await ephemeral_text(await admin(home, "revert", {"topic": TOPIC, "revision": 0}))
    assert reply == t("edit_reverted_file", "nl", title="Eerste bewerking", n=4, changes="title (nl)")
    assert await explain(home) == original
    assert home.services.store.overlay.topic_overrides == {}

    reply = await ephemeral_text(await admin(home, "revert", {"topic": TOPIC, "revision": 9}))
    assert reply == t("edit_unknown_revision", "nl", title=original["title"], n=9)

    embed = (await (await admin(home, "history", {"topic": TOPIC}, locale="en-US")).response())["data"]["embeds"][0]
    assert embed["description"].startswith("**4** · ")
    assert t("edit_history_revert", "en", target=0) in embed["description"]
    assert embed["description"].endswith(f"**0** · {t('edit_history_file', 'en')} · **live**")


async def test_history_of_an_unedited_topic(home: BotHarness) -> None:
    embed = (await (await admin(home, "history", {"topic": TOPIC})).response())["data"]["embeds"][0]
    assert embed["description"] == t("edit_history_empty", "nl")


async def test_autocomplete_offers_topics_and_follows_a_live_edit(home: BotHarness) -> None:
    # (One test for both: an autocomplete interaction makes the harness's shutdown slow.)
    modal = await open_form(home)
    await ephemeral_text(await submit(home, modal, {"title": "Wat een goede CMO kan"}))
    interaction = await home.fake.autocomplete(
        "cmo-admin history", {"topic": "vaardigheden"}, member_permissions=MANAGE_GUILD
    )
    body = await interaction.response()
    assert body["type"] == CB_AUTOCOMPLETE
    choices = body["data"]["choices"]
    assert 0 < len(choices) <= 25 and choices[0]["value"] == TOPIC
    complete = await home.fake.autocomplete("explain", {"topic": "Wat een goede CMO"})
    assert (await complete.response())["data"]["choices"][0] == {"name": "Wat een goede CMO kan", "value": TOPIC}


# ---------------------------------------------------------------------------------------------- reload


async def test_a_reload_with_a_broken_file_changes_nothing_and_names_the_file(home: BotHarness) -> None:
    before = home.services.store.current
    broken = content_dir(home) / "topics" / "role-cfo.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("category: c-suite", "category: finance"))
    (content_dir(home) / "topics" / "cmo-skills.yaml").write_text("id: cmo-skills\ntitle: [kapot\n")

    interaction = await admin(home, "reload")
    assert (await interaction.response())["type"] == CB_DEFERRED_MESSAGE
    message = await interaction.original()
    assert message["flags"] & EPHEMERAL
    embed = message["embeds"][0]
    assert embed["title"] == t("edit_reload_failed_title", "nl")
    assert "content/topics/role-cfo.yaml: category:" in embed["description"]
    assert "content/topics/cmo-skills.yaml: invalid YAML" in embed["description"]
    assert home.services.store.current is before
    assert (await explain(home, "role-cfo"))["title"] == before.topic("role-cfo").title.nl


async def test_a_reload_with_many_errors_stays_within_discords_limits(home: BotHarness) -> None:
    for path in (content_dir(home) / "topics").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("category:", "kategorie:"))
    interaction = await admin(home, "reload", locale="en-US")
    embed = (await interaction.original())["embeds"][0]
    assert len(embed["description"]) <= 4096
    assert t("edit_more_issues", "en", count=0)[:6] in embed["description"]


async def test_a_reload_with_a_valid_change_applies_it_and_lists_shadowed_topics(home: BotHarness) -> None:
    modal = await open_form(home, "role-cfo")
    await ephemeral_text(await submit(home, modal, {"title": "De CFO, live bewerkt"}))
    topics = content_dir(home) / "topics"
    for topic_id, old, new in (
        ("role-cfo", "Chief Financial Officer", "Chief Financial Officer (CFO)"),
        ("role-ceo", "Chief Executive Officer", "Chief Executive Officer (CEO)"),
    ):
        path = topics / f"{topic_id}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1))
    (topics / "extra-topic.yaml").write_text(
        (topics / "cmo-agility.yaml").read_text(encoding="utf-8").replace("cmo-agility", "extra-topic", 1)
    )

    interaction = await admin(home, "reload", locale="en-US")
    embed = (await interaction.original())["embeds"][0]
    store = home.services.store
    assert embed["title"] == t("edit_reload_title", "en")
    assert embed["description"] == t(
        "edit_reload_summary", "en", topics=len(store.files.topics), tips=len(store.files.tips)
    )
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    assert fields[t("edit_reload_added", "en", count=1)] == "extra-topic"
    assert fields[t("edit_reload_changed", "en", count=2)] == "role-ceo, role-cfo"
    assert fields[t("edit_reload_shadowed", "en", count=1)].endswith("\nrole-cfo")
    assert store.current.topic("extra-topic") is not None
    assert store.current.topic("role-cfo").title.nl == "De CFO, live bewerkt"  # the live edit still wins
    assert store.current.topic("role-ceo") == store.files.topics["role-ceo"]

    await ephemeral_text(await admin(home, "revert", {"topic": "role-cfo", "revision": 0}))
    assert store.current.topic("role-cfo") == store.files.topics["role-cfo"]


# ---------------------------------------------------------------------------------------------- restarts


async def test_edits_survive_a_restart(home: BotHarness) -> None:
    modal = await open_form(home)
    await ephemeral_text(await submit(home, modal, {"title": "Blijft staan"}))
    pending = await open_form(home)  # opened before the restart, submitted after it
    await home.restart()

    embed = (await (await admin(home, "history", {"topic": TOPIC})).response())["data"]["embeds"][0]
    assert embed["description"].startswith("**1** · ")
    assert home.services.store.overlay.topic_overrides, "the live edit is loaded at start"
    assert (await explain(home))["title"] == "Blijft staan"
    reply = await ephemeral_text(await submit(home, pending, {"summary": "Na de herstart."}))
    assert reply.startswith(t("edit_saved", "nl", n=2, title="Blijft staan", changes="x")[:20])
    assert (await explain(home))["description"].startswith("**Na de herstart.**")
