"""The improvement loop itself: open questions and suggestions in, learned aliases out.

A question group is "open" while no learned alias covers it, no moderator dismissed it, and
the live content still does not answer it (a content edit can close a group by itself).
Attaching an alias stores it and rebuilds the live snapshot before returning, so the very
next /ask with that question is answered.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass, replace

from bot.insights.grouping import QuestionGroup, alias_text, group_questions
from bot.insights.queries import InsightsQueries
from bot.insights.suggestions import Suggestion, find_suggestions
from bot.knowledge.store import ContentStore
from bot.storage.aliases import WHOLE_QUESTION, AliasRepository, AliasSource, learned_aliases_by_topic
from bot.storage.database import Database

log = logging.getLogger(__name__)

# Questions are grouped over everything the log still holds (retention bounds it).
ALL_TIME = ""
# How many groups are checked against the live content per request; the rest wait their turn.
MAX_CHECKED = 300

# One lock per content store: an alias change reads the table and rebuilds the snapshot, and
# two of those interleaved could swap in a snapshot missing the other's alias.
_rebuild_locks: weakref.WeakKeyDictionary[ContentStore, asyncio.Lock] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Attached:
    alias: str
    topic_id: str
    answers_now: bool  # whether the search now picks the topic for the question


class ImprovementLoop:
    def __init__(self, db: Database, store: ContentStore) -> None:
        self._db = db
        self.store = store
        self.queries = InsightsQueries(db)
        self.aliases = AliasRepository(db)

    async def _closed_keys(self, guild_id: int) -> tuple[set[str], set[tuple[str, str]]]:
        dismissed = await self.aliases.dismissed(guild_id)
        whole = {key for key, topic in dismissed if topic == WHOLE_QUESTION}
        return (await self.aliases.learned_keys()) | whole, dismissed

    async def open_groups(self, guild_id: int) -> list[QuestionGroup]:
        """Open unanswered question groups of one guild, most asked first."""
        closed, _ = await self._closed_keys(guild_id)
        snapshot = self.store.current
        groups = [g for g in group_questions(await self.queries.unanswered(guild_id, ALL_TIME)) if g.key not in closed]
        return [g for g in groups[:MAX_CHECKED] if not snapshot.answer(g.text, g.lang).matched]  # type: ignore[arg-type]

    async def open_suggestions(self, guild_id: int) -> list[Suggestion]:
        closed, dismissed = await self._closed_keys(guild_id)
        snapshot = self.store.current
        found = find_suggestions(await self.queries.user_events(guild_id, ALL_TIME))
        return [
            s
            for s in found[:MAX_CHECKED]
            if s.key not in closed
            and (s.key, s.topic_id) not in dismissed
            and s.topic_id in snapshot.topics
            and snapshot.answer(s.text, s.lang).topic_id != s.topic_id  # type: ignore[arg-type]
        ]

    async def attach(
        self, guild_id: int, group: QuestionGroup | Suggestion, topic_id: str, source: AliasSource
    ) -> Attached:
        """Stores the alias and makes it live; if the snapshot cannot be rebuilt, the alias is
        removed again and the error raised: nothing is stored that is not live."""
        alias = alias_text(group.text)
        async with _rebuild_locks.setdefault(self.store, asyncio.Lock()):
            await self.aliases.attach(
                topic_id=topic_id, lang=group.lang, alias=alias, group_key=group.key, guild_id=guild_id, source=source
            )
            try:
                await self._rebuild()
            except Exception:
                await self.aliases.detach(group.lang, group.key)
                raise
        answer = self.store.current.answer(group.text, group.lang)  # type: ignore[arg-type]
        log.info("guild %s attached a learned alias (%s) to topic %s", guild_id, group.lang, topic_id)
        return Attached(alias, topic_id, answer.topic_id == topic_id)

    async def dismiss(self, guild_id: int, key: str, topic_id: str = WHOLE_QUESTION) -> None:
        await self.aliases.dismiss(guild_id, key, topic_id)

    async def refresh(self) -> None:
        """Loads the learned aliases into the live snapshot (at start, or after a change)."""
        async with _rebuild_locks.setdefault(self.store, asyncio.Lock()):
            await self._rebuild()

    async def _rebuild(self) -> None:
        learned = await learned_aliases_by_topic(self._db)
        self.store.rebuild(overlay=replace(self.store.overlay, learned_aliases=learned))
