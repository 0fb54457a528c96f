"""Throughput and latency of /ask: cmo-bot beside a minimal discord.py bot, in one run.

Both bots are the real discord.py client, each in its own process started like in production
(`cmo-bot run`, `python -m bench.minimal_bot`), connected over real sockets to the fake
Discord from tests/, which runs with the load generator in this process; the minimal bot
answers /ask with a fixed embed. The
difference is what answering from the content and logging the question cost on top of
what the library itself costs. Run from the repository root:

    python -m bench.bench_ask [--n 2000] [--concurrency 50] [--rounds 2] [--distinct]

Prints completed interactions per second and p50/p95/p99 latency (dispatch -> callback
received by the fake) for each bot, and the ratios (goal: throughput >= 0.8x, p99 <= 1.5x).

Two kinds of load (both warm up on 200 evaluation questions first):

- repeated (the default): the evaluation set's ~120 questions, cycled. After the first round
  every answer comes from the snapshot's answer cache, so this measures the bot's overhead.
- distinct (`--distinct` adds it): every interaction asks a question never asked before in
  that process, from ~2,000 generated ones (bench/questions.py) that differ after the
  search's normalisation and from the warm-up's questions, so the answer cache never
  answers: each question is searched and, with the semantic model, embedded. When --n is
  larger than the number of distinct questions the list is cycled and the script says so.

With --distinct one run prints the minimal bot and cmo-bot in both modes, cmo-bot with
CMO_SEMANTIC=off in both modes, and how many questions cmo-bot decided on lexical
signals alone because the model's worker was busy (SemanticPool's bounded queue); cmo-bot
then runs through bench/cmo_counted.py, which is `cmo-bot run` plus that counter.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.command_line import ROOT, counts_parser, in_fresh_process, parse_quietly
from bench.questions import distinct_questions, repeated_questions
from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float]
    note: str = ""

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    def line(self) -> str:
        return (
            f"{self.name:<32} {self.throughput:8.1f} interactions/s   p50 {self.percentile(50):7.2f} ms   "
            f"p95 {self.percentile(95):7.2f} ms   p99 {self.percentile(99):7.2f} ms"
            + (f"   {self.note}" if self.note else "")
        )


async def _load(
    fake: FakeDiscord, questions: list[str], n: int, concurrency: int, offset: int = 0
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with gate:
            started = time.perf_counter()
            handle = await fake.slash_command(
                "ask", options={"question": questions[(offset + index) % len(questions)]}, user=10_000 + index
            )
            await handle.response(timeout=60)
            latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(one(index) for index in range(n)))
    return time.perf_counter() - began, latencies


COUNTED = [sys.executable, "-m", "bench.cmo_counted"]
MINIMAL = [sys.executable, "-m", "bench.minimal_bot"]
# name: (command, questions, extra environment, label)
VARIANTS = {
    "minimal": (MINIMAL, "repeated", {"BENCH_BASELINE": "tiny"}, "minimal bot"),
    "minimal-answer": (MINIMAL, "repeated", {"BENCH_BASELINE": "answer"}, "minimal bot, answer-sized reply"),
    "cmo": ([sys.executable, "-m", "bot", "run"], "repeated", {}, "cmo-bot"),
    "minimal-distinct": (MINIMAL, "distinct", {"BENCH_BASELINE": "tiny"}, "minimal bot, distinct"),
    "cmo-repeated": (COUNTED, "repeated", {}, "cmo-bot, repeated"),
    "cmo-distinct": (COUNTED, "distinct", {}, "cmo-bot, distinct"),
    "cmo-lexical-distinct": (COUNTED, "distinct", {"CMO_SEMANTIC": "off"}, "cmo-bot SEMANTIC=off, distinct"),
    "cmo-lexical-repeated": (COUNTED, "repeated", {"CMO_SEMANTIC": "off"}, "cmo-bot SEMANTIC=off, repeated"),
}
PLANS = {
    False: ("minimal", "minimal-answer", "cmo"),
    True: (
        "minimal",
        "minimal-distinct",
        "cmo-repeated",
        "cmo-lexical-repeated",
        "cmo-distinct",
        "cmo-lexical-distinct",
    ),
}


def _semantic_note(stats: Path) -> str:
    """What bench/cmo_counted.py wrote at shutdown: questions sent to the model's worker and
    those decided without it because its queue was full."""
    if not stats.exists():
        return ""
    for line in stats.read_text(encoding="utf-8").splitlines():
        if line.startswith("semantic "):
            asked, skipped = map(int, line.split()[1:])
            return f"(model: {asked - skipped} embedded, {skipped} decided without it: worker busy)"
    return "(model off)"


async def run_one(which: str, n: int, concurrency: int, workdir: Path) -> Result:
    """The fake and the load run here; the bot runs in its own process, started like in
    production, so neither's garbage collection or CPU time is counted against the other."""
    command, mode, extra, label = VARIANTS[which]
    warm_up = repeated_questions()
    questions = warm_up if mode == "repeated" else distinct_questions()
    if mode == "distinct" and n > len(questions):
        label += f" (cycles {len(questions)} questions!)"
    stats = workdir / f"{which}.stats"
    async with FakeDiscord(guilds=make_guilds(2), patch_discord=False, validate=False) as fake:
        env = {
            **os.environ,
            "DISCORD_TOKEN": fake.token,
            "CMO_DISCORD_API_BASE": fake.api_base,
            "CMO_DB_PATH": str(workdir / f"{which}.sqlite3"),
            "CMO_LOG_LEVEL": "WARNING",
            "BENCH_STATS_FILE": str(stats),
            **extra,
        }
        with (workdir / f"{which}.stderr").open("wb") as stderr:
            process = await asyncio.create_subprocess_exec(
                *command, env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=stderr
            )
            try:
                await fake.wait_until_ready(timeout=60)
                await fake.wait_for_commands(timeout=60)
                await _load(fake, warm_up, min(200, n), concurrency)  # warm-up
                seconds, latencies = await _load(fake, questions, n, concurrency)
            finally:
                process.terminate()
                await process.wait()
    note = _semantic_note(stats) if command is COUNTED else ""
    return Result(label, seconds, latencies, note)


def measure_in_fresh_process(which: str, n: int, concurrency: int) -> Result:
    """Each measurement gets a fresh process for the fake and the load too: garbage left by an
    earlier run would otherwise slow down whichever bot is measured later."""
    data = in_fresh_process("bench_ask", "--one", which, "--n", str(n), "--concurrency", str(concurrency))
    return Result(data["name"], data["seconds"], data["latencies"], data["note"])


async def measure_here(which: str, n: int, concurrency: int) -> Result:
    with tempfile.TemporaryDirectory() as workdir:
        return await run_one(which, n, concurrency, Path(workdir))


def main() -> None:
    parser = counts_parser(__doc__, n=2000, concurrency=50, rounds=2)
    parser.add_argument("--distinct", action="store_true", help="also measure distinct questions (see above)")
    parser.add_argument("--one", choices=tuple(VARIANTS), help=argparse.SUPPRESS)
    args = parse_quietly(parser)
    if args.one:
        result = asyncio.run(measure_here(args.one, args.n, args.concurrency))
        print(
            json.dumps(
                {"name": result.name, "seconds": result.seconds, "latencies": result.latencies, "note": result.note}
            )
        )
        return
    best: dict[str, Result] = {}
    for round_ in range(args.rounds):  # interleaved, so all see the same machine load
        for which in PLANS[args.distinct]:
            result = measure_in_fresh_process(which, args.n, args.concurrency)
            print(f"round {round_ + 1}: {result.line()}", flush=True)
            if which not in best or result.throughput > best[which].throughput:
                best[which] = result
    print(f"\nbest of {args.rounds} round(s), N={args.n}, concurrency={args.concurrency}:")
    for result in best.values():
        print(result.line())
    if args.distinct:
        pairs = [
            ("cmo-repeated", "minimal"),
            ("cmo-lexical-repeated", "minimal"),
            ("cmo-distinct", "minimal-distinct"),
            ("cmo-lexical-distinct", "minimal-distinct"),
        ]
    else:
        pairs = [("cmo", "minimal"), ("cmo", "minimal-answer")]
    for ours, baseline in pairs:
        print(_ratios(best[ours], best[baseline]))


def _ratios(ours: Result, baseline: Result) -> str:
    return (
        f"{ours.name} / {baseline.name}: throughput ratio {ours.throughput / baseline.throughput:.2f} "
        f"(goal >= 0.8), p50 {ours.percentile(50) / baseline.percentile(50):.2f}, "
        f"p95 {ours.percentile(95) / baseline.percentile(95):.2f}, "
        f"p99 latency ratio {ours.percentile(99) / baseline.percentile(99):.2f} (goal <= 1.5)"
    )


if __name__ == "__main__":
    main()
