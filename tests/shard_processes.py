"""Real `python -m bot run` processes, each on a range of shards, for the multi-process tests.

Several processes share one bot over one PostgreSQL database (issue 14). A test here starts
them as an operator would, against one fake Discord, and must be able to kill one without
warning (SIGKILL), so they are subprocesses rather than bots inside the test's event loop.
Each process logs to its own file: a pipe nobody reads would stall a chatty process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

from tests.fake_discord.models import GuildSpec, snowflake_from_ms

ROOT = Path(__file__).resolve().parents[1]
FIRST_GUILD_MS = 200_000_000_000


def guilds_on_shards(per_shard: int, shard_count: int) -> list[GuildSpec]:
    """`per_shard` guilds on each shard, ordered shard 0 first.

    Discord routes a guild to shard ``(guild_id >> 22) % shard_count``: the timestamp part of
    the snowflake. `make_guilds` spaces ids within one millisecond (one shard), so these ids
    step the millisecond instead; the low bits stay free for the channel and role ids.
    """
    guilds = []
    for number in range(per_shard * shard_count):
        shard, index = number // per_shard, number % per_shard
        guild_id = snowflake_from_ms(FIRST_GUILD_MS + index * shard_count + shard)
        guilds.append(GuildSpec(id=guild_id, name=f"Gilde {shard}.{index}"))
    return guilds


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


class BotProcess:
    """One `python -m bot run` on the shards in `shard_ids`; start, stop politely or kill."""

    def __init__(self, name: str, env: dict[str, str], workdir: Path):
        self.name = name
        self.env = env
        self.workdir = workdir
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.{self.starts}.log"

    async def start(self) -> None:
        self.starts += 1
        with self.log_path.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=self.env, cwd=self.workdir, stderr=log, stdout=log
            )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def wait_for_log(self, text: str, timeout: float) -> None:
        """Until this start's log holds `text`: what a process did that Discord never sees."""

        async def logged() -> bool:
            return text in self.log()

        await eventually(logged, timeout, f"{self.name} logs {text!r}")

    async def kill(self) -> None:
        """SIGKILL: no drain, no goodbye, as when the machine or the OOM killer ends it."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def stop(self, timeout: float = 15) -> int:
        """SIGTERM and wait; a process that outstays `timeout` is killed. Returns the exit code."""
        if self.process is None or self.process.returncode is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            await self.kill()
            return -signal.SIGKILL


def bot_env(shard_ids: str, shard_count: int, **settings: str) -> dict[str, str]:
    """The environment of one process: the caller's (PG* variables included) plus settings."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CMO_SHARD_COUNT": str(shard_count),
        "CMO_SHARD_IDS": shard_ids,
        "CMO_LOG_LEVEL": "INFO",
        **settings,
    }


@contextlib.asynccontextmanager
async def stopped_at_exit(processes: Iterable[BotProcess]):
    """Every process stopped when the block ends, however it ends."""
    try:
        yield
    finally:
        await asyncio.gather(*(process.stop() for process in processes), return_exceptions=True)


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float, what: str, every: float = 0.05) -> None:
    """Waits until `check()` is true; fails naming `what` after `timeout` seconds."""
    try:
        async with asyncio.timeout(timeout):
            while not await check():
                await asyncio.sleep(every)
    except TimeoutError:
        raise AssertionError(f"not within {timeout} s: {what}") from None
