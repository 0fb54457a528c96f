"""How many question-log rows per second the batching writer sustains, and what batching buys.

A commit, not an insert, is what costs in SQLite; this measures the same writer with its
default batches and with batch_size=1 (a commit per row) on a fresh temporary database.

    .venv/bin/python bench/bench_writer.py [-n 100000] [--single-n N]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.sqlite_engine import SqliteDatabase
from bot.storage.writer import QuestionWriter

log = logging.getLogger(__name__)


def make_records(n: int) -> list[QuestionRecord]:
    """Realistic rows: a hash, ids, a sentence-length question (made before timing starts)."""
    return [
        QuestionRecord.new(
            command="ask",
            question=f"Hoe verandert generatieve AI de rol van de CMO in team {i % 97}?",
            guild_id=1_100_000_000_000_000_000 + i % 7,
            channel_id=1_200_000_000_000_000_000 + i % 31,
            user_hash=f"{i % 1013:064x}",
            locale="nl",
            lang="nl",
            topic_id="cmo-en-ai",
            score=0.8,
            latency_ms=3.2,
        )
        for i in range(n)
    ]


async def measure(n: int, batch_size: int) -> float:
    """Rows per second from the first enqueue until every row is committed."""
    records = make_records(n)
    with tempfile.TemporaryDirectory() as tmp:
        async with await SqliteDatabase.open(Path(tmp) / "bench.sqlite3") as db:
            repo = QuestionRepository(db)
            writer = QuestionWriter(repo, batch_size=batch_size)
            await writer.start()
            started = time.perf_counter()
            for record in records:
                writer.enqueue(record)
            await writer.flush()
            elapsed = time.perf_counter() - started
            await writer.close()
            stored = await repo.count()
    if stored != n:
        raise SystemExit(f"expected {n} rows, found {stored}")
    return n / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="rows for the batched run (default 100000)")
    parser.add_argument("--single-n", type=int, default=None,
                        help="rows for the batch_size=1 run (default: same as -n)")
    args = parser.parse_args()
    single_n = args.single_n or args.n

    batched = await measure(args.n, batch_size=500)
    print(f"batch_size=500: {args.n:>7} rows, {batched:>10,.0f} rows/s")
    single = await measure(single_n, batch_size=1)
    print(f"batch_size=1:   {single_n:>7} rows, {single:>10,.0f} rows/s")
    print(f"batching is {batched / single:.0f}x faster")


if __name__ == "__main__":
    asyncio.run(main())
