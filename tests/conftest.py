"""Shared fixtures: the fake Discord server, the real bot running against it, and a clean
settings environment for the command line."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.cli_helpers import SETTINGS_PREFIXES
from tests.e2e import assert_no_pings
from tests.fake_discord.fixtures import fake_discord, restore_discord_routes  # noqa: F401
from tests.harness import running_bot

# database_target: every storage test on SQLite and PostgreSQL; the content editor's fixtures
pytest_plugins = ["tests.engines", "tests.editing_fixtures"]


@pytest_asyncio.fixture
async def harness(fake_discord, tmp_path):  # noqa: F811
    # whatever the test did, no message the bot sent may ping anyone
    async with running_bot(fake_discord, tmp_path / "cmo-bot.sqlite3", check=assert_no_pings) as running:
        yield running


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    """main() reconfigures the root logger onto the (captured) stderr; put it back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_root_logging: None) -> Path:
    """For main() in-process: no setting from the developer's shell, and a database path
    (not yet created) in a folder of its own."""
    for name in list(os.environ):
        if name.startswith(SETTINGS_PREFIXES):
            monkeypatch.delenv(name)
    path = tmp_path / "data" / "cmo-bot.sqlite3"
    monkeypatch.setenv("CMO_DB_PATH", str(path))
    return path
