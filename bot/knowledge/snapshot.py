"""An immutable view of the content that answers are made from.

A reload or a live edit builds a whole new snapshot and swaps it in one assignment, so a
request that started on the old content finishes on the old content, and a failed build
changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType

from rapidfuzz import fuzz, process

from bot.knowledge.loader import ContentSet
from bot.knowledge.model import Category, Lang, Tip, Topic
from bot.knowledge.search import Answer, SearchIndex
from bot.knowledge.semantic import SemanticIndex, VectorCache
from bot.knowledge.text import fold

AUTOCOMPLETE_LIMIT = 25
# Below this similarity (0-100) an autocomplete entry is not offered.
AUTOCOMPLETE_CUTOFF = 60


@dataclass(frozen=True)
class ContentSnapshot:
    topics: Mapping[str, Topic]
    tips: tuple[Tip, ...]
    index: SearchIndex = field(repr=False)
    built_at: datetime
    learned_aliases: Mapping[str, Mapping[Lang, tuple[str, ...]]] = field(default_factory=dict)

    def topic(self, topic_id: str) -> Topic | None:
        return self.topics.get(topic_id)

    def answer(self, question: str, lang: Lang, *, use_semantic: bool = False) -> Answer:
        """Lexical signals only unless asked: embedding a question takes milliseconds of CPU,
        which only the ask path pays, off the event loop (bot/asking.py)."""
        return self.index.answer(question, lang, use_semantic=use_semantic)

    def in_category(self, category: Category) -> list[Topic]:
        return [topic for topic in self.topics.values() if topic.category == category]

    def complete(self, text: str, lang: Lang, limit: int = AUTOCOMPLETE_LIMIT) -> list[tuple[str, str]]:
        """(topic id, title) pairs for an autocomplete box: titles and aliases in the user's
        language, typo tolerant, best first; everything alphabetically for an empty box."""
        limit = min(limit, AUTOCOMPLETE_LIMIT)
        if not text.strip():
            ordered = sorted(self.topics.values(), key=lambda topic: fold(topic.title.get(lang)))
            return [(topic.id, topic.title.get(lang)) for topic in ordered[:limit]]
        choices: list[tuple[str, str]] = []
        for topic in self.topics.values():
            names = [
                topic.title.get(lang),
                *topic.aliases.get(lang),
                *self.learned_aliases.get(topic.id, {}).get(lang, ()),
            ]
            choices.extend((topic.id, fold(name)) for name in names)
        matches = process.extract(
            fold(text),
            [name for _, name in choices],
            scorer=fuzz.WRatio,
            limit=limit * 4,
            score_cutoff=AUTOCOMPLETE_CUTOFF,
        )
        result: dict[str, str] = {}
        for _, _, position in matches:
            topic_id = choices[position][0]
            result.setdefault(topic_id, self.topics[topic_id].title.get(lang))
            if len(result) == limit:
                break
        return list(result.items())


def _live_topics(
    files: Mapping[str, Topic], overrides: Mapping[str, Topic], retired: Collection[str]
) -> dict[str, Topic]:
    """The files with the live edits applied, plus topics created live (an override without a
    file), minus retired topics; each topic's `related` keeps only ids that are live, so no
    renderer ever links to a topic that is gone. Sorted by id, like the loaded files."""
    topics = {topic_id: topic for topic_id, topic in {**files, **overrides}.items() if topic_id not in retired}
    for topic_id, topic in topics.items():
        related = [other for other in topic.related if other in topics]
        if related != topic.related:
            topics[topic_id] = topic.model_copy(update={"related": related})
    return dict(sorted(topics.items()))


def build_snapshot(
    content: ContentSet,
    learned_aliases: Mapping[str, Mapping[Lang, Iterable[str]]] | None = None,
    overrides: Mapping[str, Topic] | None = None,
    vectors: VectorCache | None = None,
    retired: Collection[str] = frozenset(),
) -> ContentSnapshot:
    """Indexes validated content. Learned aliases (moderators' additions) count as aliases;
    `overrides` are live edits that replace the file version of a topic until reverted, or
    topics created live that have no file; `retired` topics are left out, with every tip that
    points at one (the tip would promise a topic nobody can open) and every learned alias of
    one (kept in the database, counting again once the topic is back).
    With `vectors` (the semantic model's cache) the index gets a semantic signal, which is
    ready once its topics are embedded (SemanticPool.ensure_built, off the event loop)."""
    topics = _live_topics(content.topics, overrides or {}, retired)
    tips = tuple(tip for tip in content.tips if tip.topic in topics)
    learned = {
        topic_id: {lang: tuple(aliases) for lang, aliases in by_lang.items()}
        for topic_id, by_lang in (learned_aliases or {}).items()
        if topic_id in topics
    }
    return ContentSnapshot(
        topics=MappingProxyType(topics),
        tips=tips,
        index=SearchIndex(topics, learned, SemanticIndex(vectors, topics, learned) if vectors is not None else None),
        built_at=datetime.now(UTC),
        learned_aliases=MappingProxyType(learned),
    )
