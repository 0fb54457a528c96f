"""Process tuning for a long-running bot with a large, mostly immutable heap.

After start-up the heap holds the content, its search index and the libraries: tens of
thousands of objects that live as long as the process. CPython's cyclic garbage collector
would scan them again on every full collection, which showed up as the main cost per
interaction under load (bench/bench_ask.py). Freezing them moves them out of the
collector's view; a higher first threshold makes collections of short-lived objects rarer.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)

YOUNG_GENERATION_THRESHOLD = 20_000


def settle_heap() -> None:
    """Call once everything long-lived has been built."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
    log.debug("froze %d objects for the garbage collector", gc.get_freeze_count())
