"""`cmo-bot run`, exactly, plus two facts the benchmarks want from inside the process.

The bot does not expose them (yet), so this wrapper counts them by wrapping two methods and
appends them as lines to the file named by BENCH_STATS_FILE:

    semantic-ready <unix time>           the topics' vectors are built (semantic answers from now)
    semantic <asked> <skipped>           at shutdown: questions offered to the model's worker,
                                         and those of them decided on lexical signals alone
                                         because the worker's queue was full (questions the
                                         lexical signals settle on their own are in neither)

The wrapping adds one coroutine frame per question that reaches the model; nothing else
differs from `python -m bot run`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

from bot.__main__ import main
from bot.knowledge.semantic import SemanticIndex
from bot.knowledge.semantic_pool import SemanticPool

STATS = Path(os.environ["BENCH_STATS_FILE"])
_asked = 0


def _write(line: str) -> None:
    with STATS.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


_query_vector = SemanticPool.query_vector
_close = SemanticPool.close
_build = SemanticIndex.build


async def query_vector(self: SemanticPool, semantic: SemanticIndex, question: str) -> np.ndarray | None:
    global _asked
    _asked += 1
    return await _query_vector(self, semantic, question)


def close(self: SemanticPool) -> None:
    _write(f"semantic {_asked} {self.skipped}")
    _close(self)


def build(self: SemanticIndex) -> None:
    _build(self)
    _write(f"semantic-ready {time.time()}")


SemanticPool.query_vector = query_vector  # type: ignore[method-assign]
SemanticPool.close = close  # type: ignore[method-assign]
SemanticIndex.build = build  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.exit(main(["run"]))
