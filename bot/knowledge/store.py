"""Holds the live content snapshot and replaces it whole.

Readers take `store.current` once per request; a swap is one assignment, so there is no
moment where half of the new content is visible. The snapshot is always built from two
layers: the files (the source of truth under version control) and the overlay kept in the
database (live edits that override a topic, aliases learned from unanswered questions). Each
layer can change on its own; `rebuild` makes a new snapshot from both, and when building
fails the old snapshot stays live.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.loader import ContentSet, load_content
from bot.knowledge.model import Lang, Topic
from bot.knowledge.snapshot import ContentSnapshot, build_snapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Overlay:
    """What the database adds on top of the files."""

    topic_overrides: Mapping[str, Topic] = field(default_factory=dict)
    learned_aliases: Mapping[str, Mapping[Lang, tuple[str, ...]]] = field(default_factory=dict)


class ContentStore:
    def __init__(self, files: ContentSet, content_dir: Path, overlay: Overlay | None = None):
        self.content_dir = content_dir
        self._files = files
        self._overlay = overlay or Overlay()
        self._current = self._build(files, self._overlay)

    @classmethod
    def from_dir(cls, content_dir: Path) -> ContentStore:
        """Loads and indexes the files; raises ContentError naming every problem."""
        return cls(load_content(content_dir), content_dir)

    @property
    def current(self) -> ContentSnapshot:
        return self._current

    @property
    def files(self) -> ContentSet:
        """The content as last read from the files, without the overlay."""
        return self._files

    @property
    def overlay(self) -> Overlay:
        return self._overlay

    @staticmethod
    def _build(files: ContentSet, overlay: Overlay) -> ContentSnapshot:
        return build_snapshot(files, overlay.learned_aliases, overlay.topic_overrides)

    def rebuild(self, files: ContentSet | None = None, overlay: Overlay | None = None) -> ContentSnapshot:
        """Builds a snapshot from new files and/or a new overlay and swaps it in. If building
        raises, nothing changes. Returns the snapshot it replaced."""
        files = files or self._files
        overlay = overlay or self._overlay
        snapshot = self._build(files, overlay)
        previous = self._current
        self._files, self._overlay, self._current = files, overlay, snapshot
        log.info("content snapshot swapped: %d topics, %d tips", len(snapshot.topics), len(snapshot.tips))
        return previous

    def reload_files(self) -> tuple[ContentSet, ContentSnapshot]:
        """Re-reads the content folder and swaps; raises ContentError (and keeps the live
        content) when the files are invalid. Returns the previous files and snapshot."""
        previous_files = self._files
        new_files = load_content(self.content_dir)
        previous = self.rebuild(files=new_files)
        return previous_files, previous
