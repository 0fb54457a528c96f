"""Runs the semantic model off the event loop, in one worker thread, with a bounded queue.

Embedding a question takes about 20 ms of CPU; on the event loop that would stall every other
interaction. The worker is one thread (the C engine releases the GIL), and at most
`max_waiting` questions wait for it: beyond that a question is decided on the lexical signals
alone, so a burst of distinct questions slows nothing down and nothing queues without bound.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from bot.knowledge.semantic import SemanticIndex

log = logging.getLogger(__name__)

MAX_WAITING = 2
# Topic texts embedded per turn of the worker while a new snapshot is prepared (~20 ms each).
BUILD_CHUNK = 4


class SemanticPool:
    def __init__(self, max_waiting: int = MAX_WAITING):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="semantic")
        self._max_waiting = max_waiting
        self._waiting = 0
        self._building: set[int] = set()
        self._tasks: set[asyncio.Future[None]] = set()
        self.skipped = 0  # questions decided without the model because the worker was busy

    async def query_vector(self, semantic: SemanticIndex, question: str) -> np.ndarray | None:
        """The question's vector, or None when the worker is saturated."""
        if self._waiting >= self._max_waiting:
            self.skipped += 1
            return None
        self._waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, semantic.query_vector, question)
        finally:
            self._waiting -= 1

    async def build(self, semantic: SemanticIndex) -> None:
        """Embeds a snapshot's topics in the worker, BUILD_CHUNK texts per turn so that a
        question never waits behind more than one chunk (a cold cache means hundreds of
        texts: seconds of work), then makes the index ready."""
        loop = asyncio.get_running_loop()
        if semantic.ready:
            return
        missing = await loop.run_in_executor(self._executor, semantic.missing)
        for start in range(0, len(missing), BUILD_CHUNK):
            await loop.run_in_executor(self._executor, semantic.embed, missing[start : start + BUILD_CHUNK])
        await loop.run_in_executor(self._executor, semantic.build)

    def ensure_built(self, semantic: SemanticIndex) -> None:
        """Starts embedding a new snapshot's topics in the background, once; until it is done
        that snapshot answers on the lexical signals."""
        if semantic.ready or id(semantic) in self._building:
            return
        self._building.add(id(semantic))
        future = asyncio.ensure_future(self.build(semantic))
        self._tasks.add(future)

        def done(task: asyncio.Future[None]) -> None:
            self._building.discard(id(semantic))
            self._tasks.discard(task)
            if task.cancelled():
                return
            if task.exception() is not None:
                log.error("the semantic model could not embed the topics: %s", task.exception())
            else:
                log.info("semantic signal ready")

        future.add_done_callback(done)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
