"""Throughput and latency of /ask: cmo-bot beside a minimal discord.py bot, in one run.

Both bots are the real discord.py client, each in its own process started like in production
(`cmo-bot run`, `python -m bench.minimal_bot`), connected over real sockets to the fake
Discord from tests/, which runs with the load generator in this process; the minimal bot
answers /ask with a fixed embed. The
difference is what answering from the content and logging the question cost on top of
what the library itself costs. Run from the repository root:

    python -m bench.bench_ask [--n 2000] [--concurrency 50] [--rounds 2]

Prints completed interactions per second and p50/p95/p99 latency (dispatch -> callback
received by the fake) for each bot, and the ratios (goal: throughput >= 0.8x, p99 <= 1.5x).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "eval" / "questions.yaml"


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    def line(self) -> str:
        return (
            f"{self.name:<32} {self.throughput:8.1f} interactions/s   p50 {self.percentile(50):7.2f} ms   "
            f"p95 {self.percentile(95):7.2f} ms   p99 {self.percentile(99):7.2f} ms"
        )


async def _load(fake: FakeDiscord, questions: list[str], n: int, concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with gate:
            started = time.perf_counter()
            handle = await fake.slash_command(
                "ask", options={"question": questions[index % len(questions)]}, user=10_000 + index
            )
            await handle.response(timeout=60)
            latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(one(index) for index in range(n)))
    return time.perf_counter() - began, latencies


COMMANDS = {
    "cmo": [sys.executable, "-m", "bot", "run"],
    "minimal": [sys.executable, "-m", "bench.minimal_bot"],
    "minimal-answer": [sys.executable, "-m", "bench.minimal_bot"],
}
NAMES = {"cmo": "cmo-bot", "minimal": "minimal bot", "minimal-answer": "minimal bot, answer-sized reply"}


async def run_one(which: str, questions: list[str], n: int, concurrency: int, workdir: Path) -> Result:
    """The fake and the load run here; the bot runs in its own process, started like in
    production, so neither's garbage collection or CPU time is counted against the other."""
    async with FakeDiscord(guilds=make_guilds(2), patch_discord=False, validate=False) as fake:
        env = {
            **os.environ,
            "DISCORD_TOKEN": fake.token,
            "CMO_DISCORD_API_BASE": fake.api_base,
            "CMO_DB_PATH": str(workdir / f"{which}.sqlite3"),
            "CMO_LOG_LEVEL": "WARNING",
            "BENCH_BASELINE": "answer" if which == "minimal-answer" else "tiny",
        }
        process = await asyncio.create_subprocess_exec(
            *COMMANDS[which], env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        try:
            await fake.wait_until_ready(timeout=60)
            await fake.wait_for_commands(timeout=60)
            await _load(fake, questions, min(200, n), concurrency)  # warm-up
            seconds, latencies = await _load(fake, questions, n, concurrency)
        finally:
            process.terminate()
            await process.wait()
    return Result(NAMES[which], seconds, latencies)


def measure_in_fresh_process(which: str, n: int, concurrency: int) -> Result:
    """Each measurement gets a fresh process for the fake and the load too: garbage left by an
    earlier run would otherwise slow down whichever bot is measured later."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.bench_ask", "--one", which, "--n", str(n), "--concurrency", str(concurrency)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    data = json.loads(output.strip().splitlines()[-1])
    return Result(data["name"], data["seconds"], data["latencies"])


async def measure_here(which: str, n: int, concurrency: int) -> Result:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    questions = [item["q"] for item in data["in_scope"] + data["off_topic"]]
    with tempfile.TemporaryDirectory() as workdir:
        return await run_one(which, questions, n, concurrency, Path(workdir))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--one", choices=tuple(COMMANDS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if args.one:
        result = asyncio.run(measure_here(args.one, args.n, args.concurrency))
        print(json.dumps({"name": result.name, "seconds": result.seconds, "latencies": result.latencies}))
        return
    best: dict[str, Result] = {}
    for round_ in range(args.rounds):  # interleaved, so all see the same machine load
        for which in ("minimal", "minimal-answer", "cmo"):
            result = measure_in_fresh_process(which, args.n, args.concurrency)
            print(f"round {round_ + 1}: {result.line()}", flush=True)
            if result.name not in best or result.throughput > best[result.name].throughput:
                best[result.name] = result
    ours = best["cmo-bot"]
    print(f"\nbest of {args.rounds} round(s), N={args.n}, concurrency={args.concurrency}:")
    for result in best.values():
        print(result.line())
    for name in ("minimal bot", "minimal bot, answer-sized reply"):
        baseline = best[name]
        print(
            f"vs {name}: throughput ratio {ours.throughput / baseline.throughput:.2f} (goal >= 0.8), "
            f"p99 latency ratio {ours.percentile(99) / baseline.percentile(99):.2f} (goal <= 1.5)"
        )


if __name__ == "__main__":
    main()
