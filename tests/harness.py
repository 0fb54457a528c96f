"""Runs the real cmo-bot (real services, real SQLite file, real content) against the fake
Discord, so end-to-end tests drive it exactly as Discord would."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from bot.app import CmoBot, point_at_api
from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.services import Services
from tests.e2e import assert_clean_traffic
from tests.fake_discord.server import FakeDiscord

REPO_CONTENT = Path(__file__).resolve().parents[1] / "content"


class BotHarness:
    def __init__(self, fake: FakeDiscord, db_path: Path, clock: Clock | None = None, **env: str):
        self.fake = fake
        self.clock = clock
        self.env = {
            "DISCORD_TOKEN": fake.token,
            "CMO_DB_PATH": str(db_path),
            "CMO_DISCORD_API_BASE": fake.api_base,
            "CMO_HASH_SECRET": "test-secret",
            "CMO_HEALTH_ADDR": "127.0.0.1:0",
            # Answers must not depend on when the model's background work finishes; the
            # semantic path has its own end-to-end test (tests/test_e2e_semantic.py).
            "CMO_SEMANTIC": "off",
            **env,
        }
        self.settings: Settings = load_settings(self.env)
        self.services: Services | None = None
        self.bot: CmoBot | None = None
        self._task: asyncio.Task | None = None

    async def start(self) -> CmoBot:
        point_at_api(self.settings.discord_api_base)
        self.services = await Services.open(self.settings, clock=self.clock)
        self.bot = CmoBot(self.services, guild_ready_timeout=0.05)
        identifies = len(self.fake.identifies)
        self._task = asyncio.create_task(self.bot.start(self.settings.discord_token.get_secret_value()))
        await self.fake.wait_for_identify(identifies + 1)
        await self.fake.wait_until_ready()
        async with asyncio.timeout(10):
            await self.bot.wait_until_ready()
        return self.bot

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, 10)
        if self.services is not None:
            await self.services.close()
        self.bot = self.services = self._task = None

    async def restart(self) -> CmoBot:
        await self.stop()
        return await self.start()


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    db_path: Path,
    *,
    clock: Clock | None = None,
    check: Callable[[FakeDiscord], None] | None = assert_clean_traffic,
    **env: str,
) -> AsyncIterator[BotHarness]:
    """The bot started for the block and stopped after it; then `check` looks at everything
    the bot sent (by default: no pings, and nothing Discord would refuse)."""
    running = BotHarness(fake, db_path, clock, **env)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
    if check is not None:
        check(fake)


def home_on_content_copy(fake: FakeDiscord, tmp_path: Path) -> dict[str, str]:
    """Settings for a bot whose home guild is the first fake guild, on a copy of the shipped
    content that a test may edit."""
    content = shutil.copytree(REPO_CONTENT, tmp_path / "content")
    return {"CMO_HOME_GUILD_ID": str(fake.guild().id), "CMO_CONTENT_DIR": str(content)}
