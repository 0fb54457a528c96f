"""Rows lost when the bot is stopped under load (must be 0).

Starts `cmo-bot run` in its own process against the fake Discord, keeps /ask interactions
coming at a set concurrency, sends SIGTERM in the middle of the stream, and then compares the
questions the bot answered with the rows in its SQLite file. Run from the repository root:

    python -m bench.bench_shutdown [--n 3000] [--concurrency 50] [--stop-after 1500]
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.command_line import ROOT, counts_parser, parse_quietly
from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord, FakeDiscordTimeout


async def run(n: int, concurrency: int, stop_after: int, workdir: Path) -> None:
    db_path = workdir / "cmo-bot.sqlite3"
    async with FakeDiscord(guilds=make_guilds(2), patch_discord=False, validate=False) as fake:
        env = {
            **os.environ,
            "DISCORD_TOKEN": fake.token,
            "CMO_DISCORD_API_BASE": fake.api_base,
            "CMO_DB_PATH": str(db_path),
            "CMO_HEALTH_ADDR": "127.0.0.1:0",
            "CMO_LOG_LEVEL": os.environ.get("CMO_LOG_LEVEL", "WARNING"),
        }
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env, cwd=ROOT)
        await fake.wait_until_ready(timeout=60)
        await fake.wait_for_commands(timeout=60)
        exited_at: float | None = None

        async def watch_exit() -> int:
            nonlocal exited_at
            code = await process.wait()
            exited_at = time.perf_counter()
            return code

        exit_watch = asyncio.create_task(watch_exit())
        gate = asyncio.Semaphore(concurrency)
        answered = 0
        stopped_at: float | None = None

        async def one(index: int) -> None:
            nonlocal answered, stopped_at
            async with gate:
                if exited_at is not None:
                    return
                handle = await fake.slash_command("ask", options={"question": f"Wat doet een CMO? {index}"}, user=index)
                with contextlib.suppress(FakeDiscordTimeout):
                    await handle.response(timeout=5)
                    answered += 1
                    if answered == stop_after:
                        stopped_at = time.perf_counter()
                        process.send_signal(signal.SIGTERM)

        await asyncio.gather(*(one(index) for index in range(n)))
        code = await exit_watch
        exit_seconds = (exited_at or 0.0) - (stopped_at or 0.0)
        # Answers, not the polite "restarting, ask again" replies sent once the stop began.
        acknowledged = sum(
            1 for handle in fake.interactions.values() if handle.acknowledged and handle.response_data.get("embeds")
        )
    with sqlite3.connect(db_path) as connection:
        (rows,) = connection.execute("SELECT COUNT(*) FROM questions WHERE command = 'ask'").fetchone()
    print(f"exit code {code} after SIGTERM, {exit_seconds:.2f} s from the signal to exit")
    print(f"answered interactions: {acknowledged}; rows in the question log: {rows}")
    print(f"rows lost on SIGTERM under load: {acknowledged - rows}  (must be 0)")


def main() -> None:
    args = parse_quietly(counts_parser(__doc__, n=3000, concurrency=50, stop_after=1500))
    with tempfile.TemporaryDirectory() as workdir:
        asyncio.run(run(args.n, args.concurrency, args.stop_after, Path(workdir)))


if __name__ == "__main__":
    main()
