"""A dashboard change made in one process is what every other process answers from: two
sets of core services (two "processes") over one database, on both engines. PostgreSQL's
NOTIFY brings the change within a second; on SQLite the content-version poll does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest_asyncio

from bot.asking import answer_in
from bot.config import load_settings
from bot.editing.service import Editor
from bot.knowledge.model import Topic
from bot.services import Services

MODERATOR = Editor("a1b2c3d4e5f60718", "mira")


def settings_for(target: str | Path) -> dict[str, str]:
    place = {"CMO_DATABASE_URL": target} if isinstance(target, str) else {"CMO_DB_PATH": str(target)}
    return {**place, "CMO_HASH_SECRET": "test-secret", "CMO_SEMANTIC": "off", "CMO_CONTENT_SYNC_SECONDS": "0.2"}


@pytest_asyncio.fixture
async def two_processes(database_target) -> AsyncIterator[tuple[Services, Services]]:
    settings = load_settings(settings_for(database_target))
    first = await Services.open(settings)
    second = await Services.open(settings)
    try:
        yield first, second
    finally:
        await second.close()
        await first.close()


async def until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Waits for the other process to catch up: its sync reloads on a notification or a poll."""
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.02)


def new_topic(base: Topic) -> Topic:
    data = base.model_dump(mode="json")
    data.update(
        id="koffie-op-de-afdeling",
        title={"nl": "Koffie op de marketingafdeling", "en": "Coffee in the marketing team"},
        aliases={"nl": ["welke koffie drinkt de marketingafdeling"], "en": []},
        related=[],
    )
    return Topic.model_validate(data)


async def test_a_topic_saved_created_and_retired_in_one_process_is_answered_so_in_the_other(two_processes):
    first, second = two_processes
    live = first.store.current.topics["what-is-a-cmo"]
    edited = live.model_copy(update={"summary": live.summary.model_copy(update={"nl": "Een nieuwe samenvatting."})})
    await first.editor.save_topic(edited, 0, MODERATOR, "scherper")
    await until(lambda: second.store.current.topics["what-is-a-cmo"].summary.nl == "Een nieuwe samenvatting.")

    created = new_topic(live)
    await first.editor.create_topic(created, MODERATOR)
    await until(lambda: second.store.current.topic(created.id) is not None)
    question = "welke koffie drinkt de marketingafdeling"
    assert answer_in(second.store, question, "nl", None).topic_id == created.id

    await first.editor.retire_topic(created.id, MODERATOR)
    await until(lambda: second.store.current.topic(created.id) is None)
    assert answer_in(second.store, question, "nl", None).topic_id != created.id
