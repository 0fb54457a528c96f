"""End to end: /privacy forget-me finds everything tied to a user, and erased text leaves the disk.

A moderator who edited content but never asked anything is told their name is stored and has
it erased; a user's erased question is in neither the database file nor its -wal afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.i18n import t
from tests.e2e import rows
from tests.fake_discord.models import user_payload
from tests.harness import BotHarness, home_on_content_copy, running_bot

EPHEMERAL = 1 << 6
CB_MESSAGE, CB_MODAL, CB_UPDATE = 4, 9, 7
MANAGE_GUILD = 0x20
TOPIC = "cmo-skills"
ANNA = user_payload(720_000_000_000_000_001, "anna")
ALICE = 720_000_000_000_000_002
SECRET_QUESTION = "hoeveel verdient Piet Jansen van de afdeling inkoop eigenlijk"


@pytest_asyncio.fixture
async def home(fake_discord, tmp_path: Path) -> AsyncIterator[BotHarness]:
    settings = home_on_content_copy(fake_discord, tmp_path)
    async with running_bot(fake_discord, tmp_path / "cmo-bot.sqlite3", **settings) as running:
        yield running


async def edit_topic(h: BotHarness, user: dict) -> None:
    """A live edit through the moderator's modal, as test_e2e_editing does it."""
    opened = await h.fake.slash_command(
        "cmo-admin edit", options={"topic": TOPIC, "language": "nl"}, user=user, member_permissions=MANAGE_GUILD
    )
    modal = (await opened.response())["data"]
    assert modal.get("custom_id", "").startswith("cmo:edit:"), modal
    submitted = await h.fake.modal_submit(
        modal["custom_id"], {"summary": "Een andere samenvatting.", "reason": "test"}, user=user,
        member_permissions=MANAGE_GUILD,
    )
    body = await submitted.response()
    assert body["type"] == CB_MESSAGE and body["data"]["flags"] & EPHEMERAL


async def forget_me(h: BotHarness, user: dict | int, locale: str = "nl") -> tuple[str, str]:
    """(the count shown, the reply after confirming)."""
    interaction = await h.fake.slash_command("privacy forget-me", user=user, locale=locale)
    counted = (await interaction.response())["data"]["content"]
    confirm = await h.fake.button_click(await interaction.original(), "cmo:privacy:erase", user=user, locale=locale)
    body = await confirm.response()
    assert body["type"] == CB_UPDATE
    return counted, body["data"]["content"]


async def test_a_moderator_who_only_edited_is_told_and_their_name_is_erased(home: BotHarness) -> None:
    await edit_topic(home, ANNA)
    (revision,) = rows(home, "SELECT editor_name, editor_hash FROM topic_revisions")
    assert revision["editor_name"] == "Anna" and revision["editor_hash"]

    info = await home.fake.slash_command("privacy info", user=ANNA, locale="en-US")
    fields = (await info.response())["data"]["embeds"][0]["fields"]
    assert fields[-1]["value"] == t("privacy_info_yours", "en", questions=0, ratings=0, edits=1)

    counted, erased = await forget_me(home, ANNA)
    assert counted == t("privacy_forget_count", "nl", questions=0, ratings=0, edits=1)
    assert erased == t("privacy_erased", "nl", questions=0, ratings=0, edits=1)
    (revision,) = rows(home, "SELECT editor_name, editor_hash, action FROM topic_revisions")
    assert (revision["editor_name"], revision["editor_hash"], revision["action"]) == (None, None, "edit")

    again = await home.fake.slash_command("privacy forget-me", user=ANNA, locale="nl")
    assert (await again.response())["data"]["content"] == t("privacy_forget_nothing", "nl")


async def test_an_erased_question_is_in_neither_the_database_file_nor_its_wal(harness: BotHarness) -> None:
    asked = await harness.fake.slash_command("ask", options={"question": SECRET_QUESTION}, user=ALICE)
    await asked.response()
    other = await harness.fake.slash_command("ask", options={"question": "Wat doet een CMO?"}, user=ALICE + 1)
    await other.response()
    await harness.services.writer.flush()
    db_file = harness.settings.db_path
    wal = db_file.with_name(db_file.name + "-wal")
    assert SECRET_QUESTION.encode() in db_file.read_bytes() + wal.read_bytes()  # sanity: where we look

    counted, erased = await forget_me(harness, ALICE)
    assert counted == t("privacy_forget_count", "nl", questions=1, ratings=0, edits=0)
    assert erased.startswith(t("privacy_erased", "nl", questions=1, ratings=0, edits=0))

    assert SECRET_QUESTION.encode() not in db_file.read_bytes()
    assert not wal.exists() or SECRET_QUESTION.encode() not in wal.read_bytes()
    assert rows(harness, "SELECT * FROM questions WHERE question = ?", SECRET_QUESTION) == []
    assert len(rows(harness, "SELECT * FROM questions")) == 1  # the other user's question stays
