"""The content editor on a real database (both engines, `database_target`) over a copy of the
shipped content, shared by the editing tests. Import the fixtures by name in a test module."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import ManualClock, utc
from bot.editing.service import ContentEditor, Editor
from bot.knowledge.store import ContentStore
from bot.storage.database import Database, open_database
from bot.storage.revisions import RevisionRepository

REPO_CONTENT = Path(__file__).resolve().parents[1] / "content"
ANNA = Editor("a" * 64, "Anna")
BEN = Editor("b" * 64, "Ben")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REPO_CONTENT, tmp_path / "content"))


@pytest.fixture
async def db(database_target) -> AsyncIterator[Database]:
    async with await open_database(database_target) as database:
        yield database


@pytest.fixture
def store(content_dir: Path) -> ContentStore:
    return ContentStore.from_dir(content_dir)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(utc(2026, 11, 24, 9, 0))


@pytest.fixture
def editor(store: ContentStore, db: Database, clock: ManualClock) -> ContentEditor:
    return ContentEditor(store, RevisionRepository(db), clock)
