"""Start-up at scale: 10,000 guilds (20 channels and 10 roles each) in the fake Discord.

For cmo-bot and for a minimal discord.py bot with the library's default settings, each in its
own process started like in production, this prints the time from process start until the
bot answers a first /ask sent after the last GUILD_CREATE (so every guild has been parsed),
and the resident memory (VmRSS) of the bot process at that moment. Run from the repository
root:

    python -m bench.bench_scale [--guilds 10000] [--channels 20] [--roles 10]

Goal: cmo-bot's memory <= 0.8x the minimal bot's.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "cmo-bot": [sys.executable, "-m", "bot", "run"],
    "minimal bot": [sys.executable, "-m", "bench.minimal_bot"],
}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def measure(name: str, guilds: int, channels: int, roles: int, workdir: Path) -> tuple[float, float]:
    specs = make_guilds(guilds, channels=channels, roles=roles)
    async with FakeDiscord(guilds=specs, patch_discord=False, validate=False) as fake:
        env = {
            **os.environ,
            "DISCORD_TOKEN": fake.token,
            "CMO_DISCORD_API_BASE": fake.api_base,
            "CMO_DB_PATH": str(workdir / f"{name}.sqlite3"),
            "CMO_HEALTH_ADDR": "127.0.0.1:0",
            "CMO_LOG_LEVEL": "WARNING",
        }
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(*COMMANDS[name], env=env, cwd=ROOT)
        try:
            await fake.wait_until_ready(timeout=600)
            await fake.wait_for_commands(timeout=600)
            probe = await fake.slash_command("ask", options={"question": "Wat doet een CMO?"})
            await probe.response(timeout=600)
            seconds = time.perf_counter() - started
            memory = rss_mib(process.pid)
        finally:
            process.terminate()
            await process.wait()
    return seconds, memory


async def main_async(guilds: int, channels: int, roles: int) -> None:
    results = {}
    with tempfile.TemporaryDirectory() as workdir:
        for name in ("minimal bot", "cmo-bot"):
            seconds, memory = await measure(name, guilds, channels, roles, Path(workdir))
            results[name] = (seconds, memory)
            print(f"{name:<12} answering after {seconds:6.2f} s   resident memory {memory:7.1f} MiB", flush=True)
    ours, minimal = results["cmo-bot"], results["minimal bot"]
    print(f"\n{guilds} guilds x {channels} channels x {roles} roles")
    print(f"memory ratio (cmo-bot / minimal): {ours[1] / minimal[1]:.2f}  (goal <= 0.8)")
    print(f"time-to-ready ratio (cmo-bot / minimal): {ours[0] / minimal[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--roles", type=int, default=10)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main_async(args.guilds, args.channels, args.roles))


if __name__ == "__main__":
    main()
