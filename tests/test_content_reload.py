"""/cmo-admin reload through the real bot and the fake Discord: a file over the size cap is
refused by name and the live content stays; the files are read off the event loop, so other
interactions are answered while a reload of a large set runs."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.i18n import t
from bot.knowledge import loader
from bot.knowledge.loader import MAX_FILE_BYTES
from tests.harness import BotHarness, home_on_content_copy, running_bot

CB_DEFERRED_MESSAGE = 5
MANAGE_GUILD = 0x20
# Only guards a broken implementation from hanging the suite; a passing run never waits on it.
GUARD_SECONDS = 30


@pytest_asyncio.fixture
async def home(fake_discord, tmp_path: Path) -> AsyncIterator[BotHarness]:
    settings = home_on_content_copy(fake_discord, tmp_path)
    async with running_bot(fake_discord, tmp_path / "cmo-bot.sqlite3", check=None, **settings) as running:
        yield running


def topics_dir(h: BotHarness) -> Path:
    return h.settings.resolved_content_dir() / "topics"


async def reload(h: BotHarness, locale: str = "en-US") -> Any:
    interaction = await h.fake.slash_command("cmo-admin reload", member_permissions=MANAGE_GUILD, locale=locale)
    assert (await interaction.response())["type"] == CB_DEFERRED_MESSAGE
    return interaction


async def explain_title(h: BotHarness, topic: str) -> str:
    body = await (await h.fake.slash_command("explain", options={"topic": topic}, locale="en-US")).response()
    return body["data"]["embeds"][0]["title"]


async def test_a_file_over_the_size_cap_is_refused_by_name_and_the_live_content_stays(home: BotHarness) -> None:
    before = home.services.store.current
    title = await explain_title(home, "role-cfo")
    path = topics_dir(home) / "role-cfo.yaml"
    text = path.read_text(encoding="utf-8")
    # Valid YAML, just too large: a comment pads it past the cap.
    path.write_text(text + "# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")

    embed = (await (await reload(home)).original())["embeds"][0]

    assert embed["title"] == t("edit_reload_failed_title", "en")
    assert "content/topics/role-cfo.yaml: file is 1.0 MiB, larger than the 1 MiB limit" in embed["description"]
    assert home.services.store.current is before
    assert await explain_title(home, "role-cfo") == title


async def test_other_interactions_are_answered_while_a_large_reload_reads_files(home: BotHarness, monkeypatch) -> None:
    # A large but valid set: every topic four more times under a new id.
    topics = topics_dir(home)
    for path in sorted(topics.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for n in range(4):
            copy_id = f"{path.stem}-copy{n}"
            (topics / f"{copy_id}.yaml").write_text(text.replace(f"id: {path.stem}", f"id: {copy_id}", 1))
    expected_topics = len(list(topics.glob("*.yaml")))

    # The loader waits in the middle of reading until the test has had an answer to /explain.
    # Were it running on the event loop, /explain could not be answered: the guard would run
    # out, and the test fails on `released`.
    loop = asyncio.get_running_loop()
    reading = asyncio.Event()
    answered = threading.Event()
    released: list[bool] = []
    real_load = loader.load_content

    def gated_load(root: Path):
        loop.call_soon_threadsafe(reading.set)
        released.append(answered.wait(GUARD_SECONDS))
        return real_load(root)

    monkeypatch.setattr(loader, "load_content", gated_load)
    interaction = await reload(home)
    await reading.wait()
    assert await explain_title(home, "role-cfo") == home.services.store.current.topic("role-cfo").title.en
    answered.set()

    embed = (await interaction.original())["embeds"][0]
    assert released == [True]
    assert embed["title"] == t("edit_reload_title", "en")
    assert len(home.services.store.files.topics) == expected_topics
    assert home.services.store.current.topic("role-cfo-copy3") is not None
