"""Holds the live content snapshot and replaces it whole.

Readers take `store.current` once per request; a swap is one assignment, so there is no
moment where half of the new content is visible.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.knowledge.loader import load_content
from bot.knowledge.snapshot import ContentSnapshot, build_snapshot

log = logging.getLogger(__name__)


class ContentStore:
    def __init__(self, snapshot: ContentSnapshot, content_dir: Path):
        self._current = snapshot
        self.content_dir = content_dir

    @classmethod
    def from_dir(cls, content_dir: Path) -> ContentStore:
        """Loads and indexes the files; raises ContentError naming every problem."""
        return cls(build_snapshot(load_content(content_dir)), content_dir)

    @property
    def current(self) -> ContentSnapshot:
        return self._current

    def swap(self, snapshot: ContentSnapshot) -> ContentSnapshot:
        """Makes `snapshot` live and returns the one it replaced."""
        previous, self._current = self._current, snapshot
        log.info("content snapshot swapped: %d topics, %d tips", len(snapshot.topics), len(snapshot.tips))
        return previous
