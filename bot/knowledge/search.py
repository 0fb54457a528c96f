"""Finds the topic a question is about, or says honestly that there is none.

Ranking is BM25 from SQLite's FTS5 over stemmed, stop-word-free terms, with field weights
(title and aliases above keywords above body). BM25 orders candidates but its numbers mean
nothing across questions, so the decision to answer at all rests on a separate confidence:
how much of the question's informative weight (IDF) the topic explains, or how closely the
question resembles one of the topic's titles and aliases (rapidfuzz, for typos). A question
about pancakes explains nothing of any topic and gets no answer, however BM25 ranks it.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.knowledge.model import LANGS, Lang, Topic
from bot.knowledge.text import fold, stem, stop_words, terms, tokens

# Field weights for bm25(): title, aliases, keywords, body.
FIELD_WEIGHTS = (10.0, 8.0, 4.0, 1.0)
# Below this confidence a question is answered with "not covered yet" and suggestions.
ANSWER_THRESHOLD = 0.5
# Suggestions must explain at least this much of the question to be worth offering.
SUGGESTION_THRESHOLD = 0.2
# A term found only in a topic's body explains the question less than one in its title.
BODY_ONLY_CREDIT = 0.6
# Matches in the other language's text count, slightly less (loanwords, mixed questions).
OTHER_LANGUAGE_FACTOR = 0.85
# Typo correction: the closest known word must be at least this similar (0-100).
CORRECTION_CUTOFF = 82
CORRECTION_MIN_LENGTH = 5
# A confidence this high in the question's own language needs no second opinion.
CLEAR_ANSWER = 0.9
# Only the best BM25 candidates (plus close title/alias matches) are scored in detail.
CANDIDATES = 8
# Distinct questions whose answers each snapshot remembers.
CACHE_SIZE = 4096
# A word no topic uses weighs this share of the rarest known word: enough that a question
# made mostly of unknown words is not answered, not so much that one chatty word sinks it.
UNKNOWN_WEIGHT = 0.8


@dataclass(frozen=True)
class Answer:
    """The outcome of one question: the best topic (or None) and what else may fit."""

    topic_id: str | None
    score: float
    suggestions: tuple[str, ...]
    lang: Lang

    @property
    def matched(self) -> bool:
        return self.topic_id is not None


@dataclass
class _LangView:
    """Everything derived from one language's text of all topics."""

    surface: dict[str, str] = field(default_factory=dict)  # folded word -> stem
    strong_terms: dict[str, set[str]] = field(default_factory=dict)  # topic -> title/alias/keyword terms
    all_terms: dict[str, set[str]] = field(default_factory=dict)  # topic -> every term
    idf: dict[str, float] = field(default_factory=dict)
    unknown_weight: float = 1.0  # what a word no topic uses weighs
    phrases: list[tuple[str, str]] = field(default_factory=list)  # (content words of a title/alias, topic)


def _content_string(text: str, lang: Lang) -> str:
    stops = stop_words(lang)
    return " ".join(word for word in tokens(text) if word not in stops)


class SearchIndex:
    """An immutable index over one content snapshot. Build a new one to change it."""

    def __init__(self, topics: Mapping[str, Topic], extra_aliases: Mapping[str, Mapping[Lang, Iterable[str]]] = {}):
        self._topic_ids = list(topics)
        self._cache: OrderedDict[tuple[str, Lang], Answer] = OrderedDict()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(topic_id UNINDEXED, lang UNINDEXED, title, aliases, keywords, body)"
        )
        self._views: dict[Lang, _LangView] = {lang: _LangView() for lang in LANGS}
        for topic in topics.values():
            learned = extra_aliases.get(topic.id, {})
            for lang in LANGS:
                self._add(topic, lang, list(learned.get(lang, ())))
        for lang in LANGS:
            view = self._views[lang]
            count = max(len(self._topic_ids), 1)
            frequency: dict[str, int] = {}
            for topic_terms in view.all_terms.values():
                for term in topic_terms:
                    frequency[term] = frequency.get(term, 0) + 1
            view.idf = {term: math.log(1 + count / df) for term, df in frequency.items()}
            view.unknown_weight = UNKNOWN_WEIGHT * max(view.idf.values(), default=1.0)
        self._db.commit()

    def _add(self, topic: Topic, lang: Lang, learned: list[str]) -> None:
        view = self._views[lang]
        title = topic.title.get(lang)
        aliases = [*topic.aliases.get(lang), *learned]
        keywords = topic.keywords.get(lang)
        body_parts = [topic.summary.get(lang), topic.body.get(lang)]
        for section in topic.sections:
            body_parts.append(section.heading.get(lang))
            if section.text is not None:
                body_parts.append(section.text.get(lang))
            body_parts.extend(item.get(lang) for item in section.items or ())
        for table in topic.tables:
            body_parts.append(table.title.get(lang))
            body_parts.extend(cell.get(lang) for row in [table.columns, *table.rows] for cell in row)
        fields = {
            "title": terms(title, lang),
            "aliases": [t for alias in aliases for t in terms(alias, lang)],
            "keywords": [t for keyword in keywords for t in terms(keyword, lang)],
            "body": [t for part in body_parts for t in terms(part, lang)],
        }
        self._db.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
            (topic.id, lang, *(" ".join(words) for words in fields.values())),
        )
        strong = set(fields["title"]) | set(fields["aliases"]) | set(fields["keywords"])
        view.strong_terms[topic.id] = strong
        view.all_terms[topic.id] = strong | set(fields["body"])
        for text in [title, *aliases, *keywords, *body_parts]:
            for word in tokens(text):
                view.surface.setdefault(word, stem(word, lang))
        for phrase in [title, *aliases]:
            content = _content_string(phrase, lang)
            if content:
                view.phrases.append((content, topic.id))

    # -- querying -------------------------------------------------------------------------

    def _query_terms(self, question: str, lang: Lang) -> list[str]:
        """Stemmed content words of the question, with unknown words corrected to the
        closest known word when one is close enough (a typo)."""
        view = self._views[lang]
        stops = stop_words(lang)
        result: list[str] = []
        for word in tokens(question):
            if word in stops:
                continue
            if word in view.surface:
                result.append(view.surface[word])
                continue
            if len(word) < 3 and word.isalpha():
                continue  # an unknown one- or two-letter word is noise ("ev" from a cut-off "@everyone")
            stemmed = stem(word, lang)
            if stemmed in view.idf or len(word) < CORRECTION_MIN_LENGTH:
                result.append(stemmed)
                continue
            if process.extractOne(word, stops, scorer=fuzz.ratio, score_cutoff=CORRECTION_CUTOFF):
                continue  # a misspelt filler word ("eigenlik")
            best = process.extractOne(word, view.surface.keys(), scorer=fuzz.ratio, score_cutoff=CORRECTION_CUTOFF)
            result.append(view.surface[best[0]] if best else stemmed)
        return list(dict.fromkeys(result))

    def _bm25(self, query_terms: list[str], lang: Lang) -> dict[str, float]:
        if not query_terms:
            return {}
        # Adjacent pairs as phrases too: "tone of voice" beats a topic that has "tone" and "voice" apart.
        pairs = [f"{first} {second}" for first, second in itertools.pairwise(query_terms)]
        expression = " OR ".join(f'"{term}"' for term in [*query_terms, *pairs])
        rows = self._db.execute(
            "SELECT topic_id, bm25(docs, 0, 0, ?, ?, ?, ?) FROM docs WHERE docs MATCH ? AND lang = ?",
            (*FIELD_WEIGHTS, expression, lang),
        ).fetchall()
        return {topic_id: -score for topic_id, score in rows}

    def _coverage(self, query_terms: list[str], lang: Lang, topic_id: str) -> float:
        """The share of the question's informative weight that this topic explains."""
        view = self._views[lang]
        if not query_terms:
            return 0.0
        total = explained = 0.0
        for term in query_terms:
            weight = view.idf.get(term, view.unknown_weight)
            total += weight
            if term in view.strong_terms.get(topic_id, ()):
                explained += weight
            elif term in view.all_terms.get(topic_id, ()):
                explained += weight * BODY_ONLY_CREDIT
        return explained / total

    def _resemblance(self, question: str, lang: Lang) -> dict[str, float]:
        """How closely the question reads like a title or alias, per topic (0-1)."""
        view = self._views[lang]
        content = _content_string(question, lang)
        if not content:
            return {}
        best: dict[str, float] = {}
        matches = process.extract(
            content, [phrase for phrase, _ in view.phrases], scorer=fuzz.token_sort_ratio, limit=10
        )
        for _, similarity, index in matches:
            topic_id = view.phrases[index][1]
            best[topic_id] = max(best.get(topic_id, 0.0), similarity / 100)
        return best

    def _scores(self, question: str, lang: Lang) -> dict[str, tuple[float, float]]:
        """Per topic: (confidence, rank key), combining both languages. The other language is
        only consulted when the question's own language gave no clear answer."""
        combined: dict[str, tuple[float, float]] = {}
        for other, factor in ((lang, 1.0), (_other(lang), OTHER_LANGUAGE_FACTOR)):
            if combined and max(confidence for confidence, _ in combined.values()) >= CLEAR_ANSWER:
                break
            query_terms = self._query_terms(question, other)
            bm25 = self._bm25(query_terms, other)
            top = max(bm25.values(), default=0.0) or 1.0
            resemblance = self._resemblance(question, other)
            candidates = sorted(bm25, key=bm25.__getitem__, reverse=True)[:CANDIDATES]
            for topic_id in set(candidates) | set(resemblance):
                coverage = self._coverage(query_terms, other, topic_id)
                similar = resemblance.get(topic_id, 0.0)
                confidence = factor * max(coverage, similar if similar >= 0.85 else similar * coverage)
                rank = factor * (0.5 * bm25.get(topic_id, 0.0) / top + 0.3 * coverage + 0.2 * similar)
                previous = combined.get(topic_id, (0.0, 0.0))
                combined[topic_id] = (max(previous[0], confidence), max(previous[1], rank))
        return combined

    def answer(self, question: str, lang: Lang) -> Answer:
        """The best topic when confident enough, else none; up to 3 suggestions either way.

        Popular questions repeat ("wat doet een cmo"), so answers are remembered per snapshot,
        keyed by the folded question; the cache dies with the snapshot on a reload or edit."""
        key = (" ".join(tokens(question)), lang)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        answer = self._answer(question, lang)
        self._cache[key] = answer
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return answer

    def _answer(self, question: str, lang: Lang) -> Answer:
        scores = self._scores(question, lang)
        ranked = sorted(scores.items(), key=lambda item: (item[1][1], item[1][0]), reverse=True)
        if not ranked:
            return Answer(None, 0.0, (), lang)
        best_id, (confidence, _) = ranked[0]
        matched = confidence >= ANSWER_THRESHOLD
        rest = ranked[1:] if matched else ranked
        suggestions = tuple(topic_id for topic_id, (conf, _) in rest if conf >= SUGGESTION_THRESHOLD)[:3]
        return Answer(best_id if matched else None, round(confidence, 4), suggestions, lang)

    def close(self) -> None:
        self._db.close()


def _other(lang: Lang) -> Lang:
    return "en" if lang == "nl" else "nl"


__all__ = ["ANSWER_THRESHOLD", "Answer", "SearchIndex", "fold"]
