"""Memory and rows lost while the database refuses writes for 10 minutes of simulated time.

At 50 questions per second for 600 simulated seconds (30,000 questions) the question log's
database refuses every write (``PRAGMA query_only`` on the bot's connection, or ``--refuse
locked``: another connection holds the write lock). Time is simulated: each simulated second
enqueues 50 questions stamped with that second, then lets the writer run (its retries use a
1 ms backoff, so it keeps trying the whole time, the worst case for it). Then the database
accepts writes again and we count what landed.

Runs the bounded writer (memory cap + spill file, as `cmo-bot run` builds it) and, for
comparison, the writer without a spill file (everything kept in memory).

    .venv/bin/python bench/bench_outage.py [--seconds 600] [--rate 50] [--chars 300]
        [--refuse readonly|locked] [--restart] [--no-trace] [--bounded-only]

``--restart`` ends the outage with a shutdown that gives up and a fresh writer (as after a
restart), which must replay the spill file left behind.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import logging
import random
import sqlite3
import string
import sys
import tempfile
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from bot.storage.database import Database
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.spill import spill_path_for
from bot.storage.sqlite_engine import SqliteDatabase
from bot.storage.writer import QuestionWriter

MIB = 1024 * 1024
FAST = {"retry_initial": 0.001, "retry_max": 0.001}


def rss_mib() -> float:
    """Resident memory now (Linux), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def question(rng: random.Random, chars: int) -> str:
    words = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append("".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 10))))
    return " ".join(words)[:chars]


class Outage:
    """Makes the database refuse writes and accept them again."""

    def __init__(self, db: Database, path: Path, mode: str):
        self._db, self._path, self._mode = db, path, mode
        self._other: sqlite3.Connection | None = None

    async def begin(self) -> None:
        if self._mode == "readonly":
            await self._db.execute("PRAGMA query_only=ON")
        else:
            self._other = sqlite3.connect(self._path, isolation_level=None)
            self._other.execute("BEGIN IMMEDIATE")

    async def end(self) -> None:
        if self._other is not None:
            self._other.execute("COMMIT")
            self._other.close()
            self._other = None
        else:
            await self._db.execute("PRAGMA query_only=OFF")


async def run(args: argparse.Namespace, *, bounded: bool) -> dict[str, float]:
    rng = random.Random(7)
    start = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        spill = spill_path_for(path) if bounded else None
        db = await SqliteDatabase.open(path, busy_timeout_ms=10)
        repo = QuestionRepository(db)
        writer = QuestionWriter(repo, spill_path=spill, **FAST)
        await writer.start()
        outage = Outage(db, path, args.refuse)
        await outage.begin()

        gc.collect()
        tracemalloc.start()
        if args.no_trace:
            tracemalloc.stop()  # tracemalloc's own bookkeeping inflates RSS
        base_traced, base_rss = tracemalloc.get_traced_memory()[0], rss_mib()
        asked = 0  # ids are numbered, so counting losses keeps no list in the measured memory
        peak_spill = 0
        label = "bounded (cap + spill file)" if bounded else "memory only (no spill file)"
        print(f"\n{label}: database refuses writes ({args.refuse}), {args.rate}/s for {args.seconds} s simulated")
        print(f"{'sim time':>8} {'asked':>7} {'in memory':>9} {'spilled':>8} {'traced MiB':>10} {'RSS MiB':>8}")
        for second in range(args.seconds):
            now = start + timedelta(seconds=second)
            for _ in range(args.rate):
                record = QuestionRecord.new(command="ask", question=question(rng, args.chars), lang="nl",
                                            user_hash=f"{rng.getrandbits(256):064x}", asked_at=now)
                writer.enqueue(dataclasses.replace(record, id=f"{asked:032x}"))
                asked += 1
            for _ in range(3):  # the writer's turn: it retries and fails
                await asyncio.sleep(0)
            if spill is not None and spill.exists():
                peak_spill = max(peak_spill, spill.stat().st_size)
            if (second + 1) % 60 == 0:
                traced = f"{(tracemalloc.get_traced_memory()[0] - base_traced) / MIB:.1f}" if not args.no_trace else "-"
                print(f"{(second + 1) // 60:>6} m {asked:>7} {writer.queued_in_memory:>9} "
                      f"{writer.spilled:>8} {traced:>10} {rss_mib() - base_rss:>8.1f}")
        traced_growth = (tracemalloc.get_traced_memory()[0] - base_traced) / MIB
        traced_peak = (tracemalloc.get_traced_memory()[1] - base_traced) / MIB
        rss_growth = rss_mib() - base_rss
        tracemalloc.stop()

        if args.restart:
            await writer.close(timeout=0.01)  # shutdown during the outage: gives up
            await outage.end()
            writer = QuestionWriter(repo, spill_path=spill, **FAST)  # the next start
            await writer.start()
        else:
            await outage.end()
        async with asyncio.timeout(300):
            await writer.flush()
        await writer.close()
        with sqlite3.connect(path) as conn:
            stored = {row[0] for row in conn.execute("SELECT id FROM questions")}
        await db.close()
        lost = sum(1 for n in range(asked) if f"{n:032x}" not in stored)
        left = spill.stat().st_size if spill is not None and spill.exists() else 0
        traced_text = "" if args.no_trace else f"traced {traced_growth:.1f} MiB (peak {traced_peak:.1f}), "
        print(f"growth during the outage: {traced_text}RSS {rss_growth:.1f} MiB; "
              f"spill file peak {peak_spill / MIB:.1f} MiB")
        print(f"writes accepted again{' after a restart' if args.restart else ''}: {len(stored)} of {asked} "
              f"rows stored, {lost} lost, spill file left {left} bytes")
        return {"traced": traced_growth, "rss": rss_growth, "lost": lost}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=600, help="simulated outage length (default 600)")
    parser.add_argument("--rate", type=int, default=50, help="questions per simulated second (default 50)")
    parser.add_argument("--chars", type=int, default=300, help="characters per question (default 300)")
    parser.add_argument("--refuse", choices=("readonly", "locked"), default="readonly")
    parser.add_argument("--restart", action="store_true", help="end the outage with a restart")
    parser.add_argument("--no-trace", action="store_true", help="RSS only, without tracemalloc's overhead")
    parser.add_argument("--bounded-only", action="store_true", help="skip the memory-only comparison")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the outage is logged once per run; keep the table clean

    bounded = await run(args, bounded=True)
    if not args.bounded_only and not args.restart:
        await run(args, bounded=False)
    ok = bounded["lost"] == 0
    print(f"\ngoal: memory bounded, 0 rows lost -> {'met' if ok else 'NOT met'}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    asyncio.run(main())
