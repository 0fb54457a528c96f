"""Holds the live content snapshot and replaces it whole.

Readers take `store.current` once per request; a swap is one assignment, so there is no
moment where half of the new content is visible. The snapshot is always built from two
layers: the files (the source of truth under version control) and the overlay kept in the
database (live edits that override a topic, aliases learned from unanswered questions). Each
layer can change on its own; `rebuild` makes a new snapshot from both, and when building
fails the old snapshot stays live. The overlay can also add a topic that has no file (created
live) and take one out (retired); see bot/editing/service.py.

This class is the one owner of the overlay and of the lock that guards changing it: the
editor and the improvement loop change their part of the overlay through `set_topic_layer`
and `set_learned_aliases`, never by building an overlay themselves.

Shared content has one owner, the home server (`home_guild_id`): only its learned aliases go
into the snapshot every server answers from. Another server's learned aliases are kept here
beside the snapshot, per server, and looked up by the ask path for that server only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.knowledge.loader import ContentSet, load_content
from bot.knowledge.model import Lang, Topic
from bot.knowledge.semantic import VectorCache
from bot.knowledge.snapshot import ContentSnapshot, build_snapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicLayer:
    """What the overlay says about one topic: its live edit (None: the file version) and
    whether it is retired. What a change replaced, so a failed change can put it back."""

    override: Topic | None = None
    retired: bool = False


@dataclass(frozen=True)
class Overlay:
    """What the database adds on top of the files."""

    # Live edits, and topics created live (an override with no file behind it).
    topic_overrides: Mapping[str, Topic] = field(default_factory=dict)
    # Topics taken out of what the bot answers from, until a revert brings them back.
    retired: frozenset[str] = frozenset()
    learned_aliases: Mapping[str, Mapping[Lang, tuple[str, ...]]] = field(default_factory=dict)
    # {guild id: {(lang, question group key): topic id}}: aliases that count in one server only.
    guild_aliases: Mapping[int, Mapping[tuple[str, str], str]] = field(default_factory=dict)


class ContentStore:
    def __init__(
        self,
        files: ContentSet,
        content_dir: Path,
        overlay: Overlay | None = None,
        home_guild_id: int | None = None,
        vectors: VectorCache | None = None,
    ):
        self.content_dir = content_dir
        self.home_guild_id = home_guild_id  # the owner of shared content (CMO_HOME_GUILD_ID)
        self.vectors = vectors  # the semantic model's cache, when the model is loaded
        # The one lock for changes that read the database and then swap a snapshot (live
        # edits, learned aliases, reloads): held by whoever changes the content, so two such
        # changes never interleave. It lives with the state it guards.
        self.changes = asyncio.Lock()
        self._files = files
        self._overlay = overlay or Overlay()
        self._current = self._build(files, self._overlay)

    @classmethod
    def from_dir(
        cls, content_dir: Path, home_guild_id: int | None = None, vectors: VectorCache | None = None
    ) -> ContentStore:
        """Loads and indexes the files; raises ContentError naming every problem."""
        return cls(load_content(content_dir), content_dir, home_guild_id=home_guild_id, vectors=vectors)

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

    def guild_alias(self, guild_id: int | None, lang: str, group_key: str) -> str | None:
        """The topic one server's own learned alias gives this question group, if the topic is
        still live; None elsewhere (other servers never see it)."""
        if guild_id is None:
            return None
        topic_id = self._overlay.guild_aliases.get(guild_id, {}).get((lang, group_key))
        return topic_id if topic_id is not None and topic_id in self._current.topics else None

    def has_guild_aliases(self, guild_id: int | None) -> bool:
        return guild_id is not None and bool(self._overlay.guild_aliases.get(guild_id))

    def _build(self, files: ContentSet, overlay: Overlay) -> ContentSnapshot:
        return build_snapshot(files, overlay.learned_aliases, overlay.topic_overrides, self.vectors, overlay.retired)

    async def rebuild_off_loop(self, files: ContentSet) -> ContentSnapshot:
        """Like rebuild(files=...), but the index is built in a thread (a few hundred ms for a
        large content set): the event loop keeps answering. If the overlay changed meanwhile
        (an alias attached during a reload), the build is redone on the loop with it, so no
        change is lost."""
        overlay = self._overlay
        snapshot = await asyncio.to_thread(self._build, files, overlay)
        if self._overlay is not overlay:
            return self.rebuild(files=files)
        previous = self._current
        self._files, self._current = files, snapshot
        log.info("content snapshot swapped: %d topics, %d tips", len(snapshot.topics), len(snapshot.tips))
        return previous

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

    def topic_layer(self, topic_id: str) -> TopicLayer:
        return TopicLayer(self._overlay.topic_overrides.get(topic_id), topic_id in self._overlay.retired)

    def layered_topic(self, topic_id: str) -> Topic | None:
        """The topic as the layers make it, before the snapshot trims its related list to live
        topics: what an edit starts from, so retiring one topic never edits another. None
        when it is retired or unknown."""
        if topic_id in self._overlay.retired:
            return None
        return self._overlay.topic_overrides.get(topic_id) or self._files.topics.get(topic_id)

    def set_topic_layer(self, topic_id: str, layer: TopicLayer) -> TopicLayer:
        """Sets one topic's live edit and retirement and swaps the snapshot; returns what it
        replaced. Synchronous on purpose: nothing can change the overlay between reading and
        swapping it. Callers hold `changes`."""
        previous = self.topic_layer(topic_id)
        overrides = dict(self._overlay.topic_overrides)
        overrides.pop(topic_id, None)
        if layer.override is not None:
            overrides[topic_id] = layer.override
        retired = self._overlay.retired | {topic_id} if layer.retired else self._overlay.retired - {topic_id}
        self.rebuild(overlay=replace(self._overlay, topic_overrides=overrides, retired=frozenset(retired)))
        return previous

    def set_learned_aliases(
        self,
        shared: Mapping[str, Mapping[Lang, tuple[str, ...]]],
        per_guild: Mapping[int, Mapping[tuple[str, str], str]],
    ) -> None:
        """Replaces the learned aliases (shared, and per server) and swaps the snapshot; the
        live edits stay. Callers hold `changes`."""
        self.rebuild(overlay=replace(self._overlay, learned_aliases=shared, guild_aliases=per_guild))

    async def reload_overlay(self, load: Callable[[], Awaitable[Overlay]]) -> ContentSnapshot:
        """Reads the overlay afresh with `load` (the database's live edits and learned aliases,
        see bot/services.py `reload_overlay`) and swaps in a snapshot built from it. Reading
        and swapping happen under `changes`, so no other change interleaves. If loading or
        building raises, nothing changes. Returns the snapshot it replaced."""
        async with self.changes:
            return self.rebuild(overlay=await load())
