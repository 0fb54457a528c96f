"""The lexical signals: which topics share the question's words, and how much they explain.

BM25 from SQLite's FTS5 over stemmed, stop-word-free terms, with field weights (title and
aliases above keywords above body), orders candidates; its numbers mean nothing across
questions. Coverage says how much of the question's informative weight (IDF) a topic
explains, and resemblance how closely the question reads like one of its titles or aliases
(rapidfuzz, for typos). These are signals for the decision (bot/knowledge/decision.py), not
the decision itself.

User text is bounded before any of this: at most MAX_QUERY_WORDS words are looked at, a word
longer than MAX_CORRECTED_LENGTH is never typo-corrected, nor more than MAX_CORRECTIONS words
per question, so a 2,000-character paste of random letters costs little more than a long
real question.
"""

from __future__ import annotations

import itertools
import math
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.knowledge.lexical_terms import MAX_WORDS, LexicalHit, QueryTerms, content_string, topic_texts
from bot.knowledge.model import LANGS, Lang, Topic
from bot.knowledge.text import ROLE_ACRONYM, stem, stop_words, terms, tokens

_SENTENCE = re.compile(r"(?<=[.!?;:])\s+")
# Field weights for bm25(): title, aliases, keywords, body.
FIELD_WEIGHTS = (10.0, 8.0, 4.0, 1.0)
# A term found only in a topic's body explains the question less than one in its title.
BODY_ONLY_CREDIT = 0.6
# Typo correction: the closest known word must be at least this similar (0-100).
CORRECTION_CUTOFF = 82
CORRECTION_MIN_LENGTH = 5
MAX_CORRECTED_LENGTH = 24
# Typo correction is the costly step (a fuzzy match against every known word): a question gets
# it for this many unknown words at most, so a paste of random letters costs no more than a
# long real question.
MAX_CORRECTIONS = 6
CORRECTION_CACHE_SIZE = 8192
_FILLER = "\0filler"
MAX_QUERY_WORDS = MAX_WORDS
# Only the best BM25 candidates (plus close title/alias matches) are scored in detail.
CANDIDATES = 8
# A word no topic uses weighs this share of the rarest known word: enough that a question
# made mostly of unknown words is not answered, not so much that one chatty word sinks it.
UNKNOWN_WEIGHT = 0.8


@dataclass
class _LangView:
    """Everything derived from one language's text of all topics."""

    surface: dict[str, str] = field(default_factory=dict)  # folded word -> stem
    strong_terms: dict[str, set[str]] = field(default_factory=dict)  # topic -> title/alias/keyword terms
    all_terms: dict[str, set[str]] = field(default_factory=dict)  # topic -> every term
    idf: dict[str, float] = field(default_factory=dict)
    unknown_weight: float = 1.0
    phrases: list[tuple[str, str]] = field(default_factory=list)  # (content words of a title/alias, topic)
    phrase_texts: list[str] = field(default_factory=list)  # the phrases alone, for rapidfuzz
    units: dict[str, list[frozenset[str]]] = field(default_factory=dict)  # topic -> terms of each sentence/item


class LexicalIndex:
    """An immutable index over one content snapshot. Build a new one to change it."""

    def __init__(self, topics: Mapping[str, Topic], extra_aliases: Mapping[str, Mapping[Lang, Iterable[str]]]):
        self.topic_ids = list(topics)
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(topic_id UNINDEXED, lang UNINDEXED, title, aliases, keywords, body)"
        )
        self._views: dict[Lang, _LangView] = {lang: _LangView() for lang in LANGS}
        self._corrections: dict[tuple[str, Lang], str | None] = {}
        for topic in topics.values():
            learned = extra_aliases.get(topic.id, {})
            for lang in LANGS:
                self._add(topic, lang, list(learned.get(lang, ())))
        for lang in LANGS:
            view = self._views[lang]
            count = max(len(self.topic_ids), 1)
            frequency: dict[str, int] = {}
            for topic_terms in view.all_terms.values():
                for term in topic_terms:
                    frequency[term] = frequency.get(term, 0) + 1
            view.idf = {term: math.log(1 + count / df) for term, df in frequency.items()}
            view.unknown_weight = UNKNOWN_WEIGHT * max(view.idf.values(), default=1.0)
        self._known_roles = {
            word for view in self._views.values() for word in view.surface if ROLE_ACRONYM.fullmatch(word)
        }
        self._db.commit()

    def _add(self, topic: Topic, lang: Lang, learned: list[str]) -> None:
        view = self._views[lang]
        title = topic.title.get(lang)
        aliases = [*topic.aliases.get(lang), *learned]
        keywords = topic.keywords.get(lang)
        body_parts = topic_texts(topic, lang)
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
        view.units[topic.id] = [
            frozenset(terms(unit, lang)) for text in [title, *aliases, *body_parts] for unit in _SENTENCE.split(text)
        ]
        for phrase in [title, *aliases]:
            content = content_string(phrase, lang)
            if content:
                view.phrases.append((content, topic.id))

    def query_terms(self, question: str, lang: Lang) -> QueryTerms:
        """Stemmed content words of the question, with unknown words corrected to the
        closest known word when one is close enough (a typo). Acronyms and other short
        words are never corrected: "cso" is not a typo of "cmo"."""
        view = self._views[lang]
        stops = stop_words(lang)
        result: list[str] = []
        unknown: list[str] = []
        unknown_words: list[str] = []
        corrections = 0
        roles: list[str] = []
        for word in tokens(question)[:MAX_QUERY_WORDS]:
            if word in stops:
                continue
            if word in view.surface:
                result.append(view.surface[word])
                continue
            if ROLE_ACRONYM.fullmatch(word):
                if word not in self._known_roles:
                    roles.append(word)
                    unknown.append(word)
                    result.append(word)
                continue
            if len(word) < 3 and word.isalpha():
                continue  # an unknown one- or two-letter word is noise ("ev" from a cut-off "@everyone")
            stemmed = stem(word, lang)
            if stemmed in view.idf:
                result.append(stemmed)
                continue
            if CORRECTION_MIN_LENGTH <= len(word) <= MAX_CORRECTED_LENGTH and corrections < MAX_CORRECTIONS:
                corrections += 1
                corrected = self._correct(word, lang)
                if corrected == _FILLER:
                    continue  # a misspelt filler word ("eigenlik")
                if corrected is not None:
                    result.append(corrected)
                    continue
            result.append(stemmed)
            unknown.append(stemmed)
            unknown_words.append(word)
        return QueryTerms(
            tuple(dict.fromkeys(result)),
            tuple(dict.fromkeys(unknown)),
            tuple(dict.fromkeys(roles)),
            tuple(dict.fromkeys(unknown_words)),
        )

    def _correct(self, word: str, lang: Lang) -> str | None:
        """The known term a typo stands for, _FILLER for a misspelt filler word, or None.
        Remembered per snapshot (bounded): chat words recur, and the fuzzy match against every
        known word is the costliest step of a question."""
        key = (word, lang)
        if key in self._corrections:
            return self._corrections[key]
        view = self._views[lang]
        corrected: str | None = None
        if process.extractOne(word, stop_words(lang), scorer=fuzz.ratio, score_cutoff=CORRECTION_CUTOFF):
            corrected = _FILLER
        else:
            best = process.extractOne(word, view.surface.keys(), scorer=fuzz.ratio, score_cutoff=CORRECTION_CUTOFF)
            corrected = view.surface[best[0]] if best else None
        if len(self._corrections) >= CORRECTION_CACHE_SIZE:
            self._corrections.pop(next(iter(self._corrections)))
        self._corrections[key] = corrected
        return corrected

    def weight(self, term: str, lang: Lang) -> float:
        view = self._views[lang]
        return view.idf.get(term, view.unknown_weight)

    def unknown_share(self, query: QueryTerms, lang: Lang) -> float:
        """The share of the question's weight in words no topic uses (1 for no words at all)."""
        total = sum(self.weight(term, lang) for term in query.terms)
        return sum(self.weight(term, lang) for term in query.unknown) / total if total else 1.0

    def known_anywhere(self, term: str) -> bool:
        return any(term in view.idf for view in self._views.values())

    def _bm25(self, query_terms: tuple[str, ...], lang: Lang) -> dict[str, float]:
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

    def coverage(self, query_terms: tuple[str, ...], lang: Lang, topic_id: str) -> float:
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

    def unit_coverage(self, query_terms: tuple[str, ...], lang: Lang, topic_id: str) -> float:
        """The share of the question's weight that ONE sentence, item or alias of the topic
        explains: a question whose words are scattered over a topic is not answered by it."""
        view = self._views[lang]
        weights = {term: view.idf.get(term, view.unknown_weight) for term in query_terms}
        total = sum(weights.values())
        if not total:
            return 0.0
        units = view.units.get(topic_id, ())
        best = max((sum(w for t, w in weights.items() if t in unit) for unit in units), default=0.0)
        return best / total

    def missing_weight(self, query_terms: tuple[str, ...], lang: Lang, topic_id: str) -> float:
        """The weight of the most informative question word the topic does not contain at all,
        relative to the rarest word: the salient part of the question left unanswered."""
        view = self._views[lang]
        top = max(view.idf.values(), default=1.0)
        topic_terms = view.all_terms.get(topic_id, set())
        missing = [view.idf.get(t, view.unknown_weight) / top for t in query_terms if t not in topic_terms]
        return max(missing, default=0.0)

    def rarest_covered(self, query_terms: tuple[str, ...], lang: Lang, topic_id: str) -> float:
        """The weight of the rarest question word the topic does contain, relative to the
        rarest word overall: "ceurvorst" or "402" found is strong evidence, "cmo" found is not."""
        view = self._views[lang]
        top = max(view.idf.values(), default=1.0)
        topic_terms = view.all_terms.get(topic_id, set())
        return max((view.idf[t] / top for t in query_terms if t in topic_terms and t in view.idf), default=0.0)

    def _resemblance(self, question: str, lang: Lang) -> dict[str, float]:
        view = self._views[lang]
        content = content_string(question, lang)
        if not content:
            return {}
        best: dict[str, float] = {}
        if len(view.phrase_texts) != len(view.phrases):
            view.phrase_texts = [phrase for phrase, _ in view.phrases]
        matches = process.extract(content, view.phrase_texts, scorer=fuzz.token_sort_ratio, limit=10)
        for _, similarity, index in matches:
            topic_id = view.phrases[index][1]
            best[topic_id] = max(best.get(topic_id, 0.0), similarity / 100)
        return best

    def hits(self, question: str, lang: Lang, query: QueryTerms | None = None) -> list[LexicalHit]:
        """The candidate topics in one language, best BM25 first. The finer signals
        (unit_coverage, missing_weight, rarest_covered) are asked for the first topic only."""
        query = query or self.query_terms(question, lang)
        bm25 = self._bm25(query.terms, lang)
        top = max(bm25.values(), default=0.0) or 1.0
        resemblance = self._resemblance(question, lang)
        candidates = sorted(bm25, key=bm25.__getitem__, reverse=True)[:CANDIDATES]
        hits = [
            LexicalHit(
                topic_id,
                bm25.get(topic_id, 0.0) / top,
                self.coverage(query.terms, lang, topic_id),
                resemblance.get(topic_id, 0.0),
            )
            for topic_id in dict.fromkeys([*candidates, *resemblance])
        ]
        return sorted(hits, key=lambda hit: hit.bm25, reverse=True)
