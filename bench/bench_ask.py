"""Throughput and latency of /ask: cmo-bot beside a minimal discord.py bot, in one run.

Both bots are the real discord.py client connected to the fake Discord from tests/ over
real sockets, started the same way; the minimal bot answers /ask with a fixed embed. The
difference is what answering from the content and logging the question cost on top of
what the library itself costs. Run from the repository root:

    python -m bench.bench_ask [--n 2000] [--concurrency 50] [--rounds 2]

Prints completed interactions per second and p50/p95/p99 latency (dispatch -> callback
received by the fake) for each bot, and the ratios (goal: throughput >= 0.8x, p99 <= 1.5x).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import discord
import yaml
from discord.ext import commands

from bot.app import point_at_api, use_gateway_of
from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord
from tests.harness import BotHarness

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "eval" / "questions.yaml"


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
            f"{self.name:<12} {self.throughput:8.1f} interactions/s   p50 {self.percentile(50):7.2f} ms   "
            f"p95 {self.percentile(95):7.2f} ms   p99 {self.percentile(99):7.2f} ms"
        )


class MinimalBot(commands.Bot):
    """What a bare discord.py bot costs: library defaults, /ask answered with a fixed embed."""

    def __init__(self) -> None:
        super().__init__(command_prefix="!", intents=discord.Intents.default())

        @self.tree.command(name="ask", description="Ask a question")
        async def ask(interaction: discord.Interaction, question: str) -> None:
            await interaction.response.send_message(
                embed=discord.Embed(title="CMO", description="Chief Marketing Officer")
            )

    async def setup_hook(self) -> None:
        await use_gateway_of(self.http)
        await self.tree.sync()


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


async def _run_cmo(questions: list[str], n: int, concurrency: int, workdir: Path, round_: int) -> Result:
    async with FakeDiscord(guilds=make_guilds(2)) as fake:
        harness = BotHarness(fake, workdir / f"bench-{round_}.sqlite3", CMO_LOG_LEVEL="WARNING")
        await harness.start()
        try:
            await _load(fake, questions, min(100, n), concurrency)  # warm-up
            seconds, latencies = await _load(fake, questions, n, concurrency)
        finally:
            await harness.stop()
    return Result("cmo-bot", seconds, latencies)


async def _run_minimal(questions: list[str], n: int, concurrency: int) -> Result:
    async with FakeDiscord(guilds=make_guilds(2)) as fake:
        point_at_api(fake.api_base)
        bot = MinimalBot()
        task = asyncio.create_task(bot.start(fake.token))
        await fake.wait_until_ready()
        await bot.wait_until_ready()
        await fake.wait_for_commands()
        try:
            await _load(fake, questions, min(100, n), concurrency)
            seconds, latencies = await _load(fake, questions, n, concurrency)
        finally:
            await bot.close()
            await task
    return Result("minimal bot", seconds, latencies)


async def main_async(n: int, concurrency: int, rounds: int) -> None:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    questions = [item["q"] for item in data["in_scope"] + data["off_topic"]]
    best: dict[str, Result] = {}
    with tempfile.TemporaryDirectory() as workdir:
        for round_ in range(rounds):  # interleaved, so both see the same machine load
            for result in (
                await _run_minimal(questions, n, concurrency),
                await _run_cmo(questions, n, concurrency, Path(workdir), round_),
            ):
                print(f"round {round_ + 1}: {result.line()}")
                if result.name not in best or result.throughput > best[result.name].throughput:
                    best[result.name] = result
    ours, minimal = best["cmo-bot"], best["minimal bot"]
    print(f"\nbest of {rounds} round(s), N={n}, concurrency={concurrency}:")
    print(ours.line())
    print(minimal.line())
    print(f"throughput ratio (cmo-bot / minimal): {ours.throughput / minimal.throughput:.2f}  (goal >= 0.8)")
    print(f"p99 latency ratio (cmo-bot / minimal): {ours.percentile(99) / minimal.percentile(99):.2f}  (goal <= 1.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main_async(args.n, args.concurrency, args.rounds))


if __name__ == "__main__":
    main()
