"""Finds the topic a question is about, and decides honestly whether to answer.

Ranking is hybrid: the lexical signals (bot/knowledge/lexical.py) in the question's own
language and the other one (people mix Dutch and English), plus, when a semantic model is
loaded, the cosine between the question and each topic (bot/knowledge/semantic.py). The
decision (bot/knowledge/decision.py) then gives one of three outcomes: an answer, a best guess
said as such, or "not covered yet" with suggestions. An answer or guess leads with the
passage that answers what was asked (bot/knowledge/passage.py).
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from bot.knowledge.decision import DecisionModel, Outcome
from bot.knowledge.lexical import LexicalIndex
from bot.knowledge.model import Lang, Topic
from bot.knowledge.passage import PassageFinder
from bot.knowledge.semantic import SemanticIndex
from bot.knowledge.text import ask_clause, fold, guess_language, stem, tokens

# Matches in the other language's text count, slightly less (loanwords, mixed questions).
OTHER_LANGUAGE_FACTOR = 0.85
# Rank: how much each signal counts when ordering topics.
RANK_WEIGHTS = {"bm25": 0.5, "coverage": 0.3, "resemblance": 0.1, "semantic": 1.0}
# Distinct questions whose answers each snapshot remembers.
CACHE_SIZE = 4096
# A question that reads as a topic's title or alias (a learned one too) is answered.
EXACT_PHRASE = 0.97
# Below this lexical probability the semantic model is not asked (see settled_without_model).
MODEL_FLOOR = 0.1
# Suggestions offered beside a guess or a refusal.
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Answer:
    """The outcome of one question. `topic_id` is set for an answer and for a best guess."""

    topic_id: str | None
    score: float  # the decision's probability that the first topic answers the question
    suggestions: tuple[str, ...]
    lang: Lang
    outcome: Outcome = "none"
    passage: str | None = None  # the sentence or item that answers what was asked

    @property
    def matched(self) -> bool:
        return self.outcome != "none"


@dataclass
class _Candidate:
    rank: float = 0.0
    coverage: float = 0.0
    resemblance: float = 0.0
    semantic: float = 0.0
    other_language: bool = False


class SearchIndex:
    """An immutable index over one content snapshot. Build a new one to change it."""

    def __init__(
        self,
        topics: Mapping[str, Topic],
        extra_aliases: Mapping[str, Mapping[Lang, Iterable[str]]] = {},
        semantic: SemanticIndex | None = None,
    ):
        self._topics = topics
        self.lexical = LexicalIndex(topics, extra_aliases)
        self.semantic = semantic
        self._models = {kind: DecisionModel.load(kind) for kind in ("lexical", "semantic")}
        self._cache: OrderedDict[tuple[str, Lang], Answer] = OrderedDict()
        self._lexical_cache: OrderedDict[tuple[str, Lang], Answer] = OrderedDict()
        self._passages = PassageFinder(topics)

    def features(
        self, question: str, lang: Lang, vector: np.ndarray | None = None, use_semantic: bool = True
    ) -> tuple[list[tuple[str, _Candidate]], dict[str, float]]:
        """The ranked candidates and the decision's features for the first one. The semantic
        signal counts when the model is loaded and `use_semantic`; `vector` is the question's
        embedding when the caller already computed it (off the event loop)."""
        candidates: dict[str, _Candidate] = {}
        unknown_shares: list[float] = []
        roles: set[str] = set()
        content_words = 0
        queries = {which: self.lexical.query_terms(question, which) for which in (lang, _other(lang))}
        # A word is unknown only when neither language's text knows it: "wat is de main focus
        # van een cio" mixes both, and "main" is no salient word the content lacks.
        unknown_in_both = set(queries[lang].unknown_words) & set(queries[_other(lang)].unknown_words)
        own_total = sum(self.lexical.weight(term, lang) for term in queries[lang].terms)
        mixed_unknown = sum(self.lexical.weight(stem(word, lang), lang) for word in unknown_in_both)
        mixed_unknown += sum(self.lexical.weight(role, lang) for role in queries[lang].unknown_roles)
        for which, factor in ((lang, 1.0), (_other(lang), OTHER_LANGUAGE_FACTOR)):
            query = queries[which]
            unknown_shares.append(self.lexical.unknown_share(query, which))
            roles |= set(query.unknown_roles)
            content_words = max(content_words, len(query.terms))
            for hit in self.lexical.hits(question, which, query):
                rank = factor * (
                    RANK_WEIGHTS["bm25"] * hit.bm25
                    + RANK_WEIGHTS["coverage"] * hit.coverage
                    + RANK_WEIGHTS["resemblance"] * hit.resemblance
                )
                candidate = candidates.setdefault(hit.topic_id, _Candidate())
                if rank > candidate.rank:
                    candidate.rank, candidate.other_language = rank, which != lang
                candidate.coverage = max(candidate.coverage, factor * hit.coverage)
                candidate.resemblance = max(candidate.resemblance, factor * hit.resemblance)
        semantic_first: str | None = None
        semantic_lead = 0.0
        if use_semantic and self.semantic is not None and self.semantic.ready:
            cosines = self.semantic.cosines(question, vector)
            ordered = sorted(cosines.items(), key=lambda item: item[1], reverse=True)
            if ordered:
                semantic_first = ordered[0][0]
                for topic_id, _cosine in ordered[:8]:
                    candidates.setdefault(topic_id, _Candidate())
                for topic_id, candidate in candidates.items():
                    candidate.semantic = cosines.get(topic_id, 0.0)
                    candidate.rank += RANK_WEIGHTS["semantic"] * self.semantic.relative(candidate.semantic)
        ranked = sorted(candidates.items(), key=lambda item: (item[1].rank, item[1].coverage), reverse=True)
        if not ranked:
            return [], {}
        first_id, first = ranked[0]
        # The finer signals, for the first topic only: the best of both languages.
        unit_coverage, missing, rarest = 0.0, 1.0, 0.0
        for which, factor in ((lang, 1.0), (_other(lang), OTHER_LANGUAGE_FACTOR)):
            terms = queries[which].terms
            unit_coverage = max(unit_coverage, factor * self.lexical.unit_coverage(terms, which, first_id))
            missing = min(missing, self.lexical.missing_weight(terms, which, first_id))
            rarest = max(rarest, factor * self.lexical.rarest_covered(terms, which, first_id))
        second = ranked[1][1] if len(ranked) > 1 else _Candidate()
        clause = ask_clause(question)
        clause_coverage, clause_unknown = first.coverage, min(unknown_shares)
        if clause != question:
            query = self.lexical.query_terms(clause, lang)
            clause_coverage = self.lexical.coverage(query.terms, lang, first_id)
            clause_unknown = self.lexical.unknown_share(query, lang)
        if semantic_first is not None:
            best_other = max((c.semantic for t, c in ranked[1:]), default=0.0)
            semantic_lead = first.semantic - best_other
        features = {
            "coverage": first.coverage,
            "unit_coverage": unit_coverage,
            "missing": missing,
            "rarest": rarest,
            "resemblance": first.resemblance,
            "lead": first.rank - second.rank,
            "unknown_share": min(unknown_shares),
            "unknown_both": min(1.0, mixed_unknown / own_total) if own_total else 1.0,
            "passage": 1.0 if self._passages.find(question, first_id, lang) else 0.0,
            "clause_coverage": clause_coverage,
            "clause_unknown_share": clause_unknown,
            "unknown_role": 1.0 if roles else 0.0,
            "content_words": math.log1p(content_words),
            "other_language": 1.0 if first.other_language else 0.0,
            "semantic": first.semantic,
            "semantic_lead": semantic_lead,
            "agreement": 1.0 if semantic_first == ranked[0][0] else 0.0,
        }
        return ranked, features

    def cached(self, question: str, lang: Lang, *, lexical_too: bool = False) -> Answer | None:
        """A remembered answer: popular questions repeat ("wat doet een cmo"). Answers made with
        every signal come first; `lexical_too` also accepts one made without the model (the
        bot asks for that when the model cannot be used right now)."""
        key = _cache_key(question, lang)
        for cache in (self._cache, self._lexical_cache) if lexical_too else (self._cache,):
            found = cache.get(key)
            if found is not None:
                cache.move_to_end(key)
                return found
        return None

    @staticmethod
    def settled_without_model(lexical: Answer) -> bool:
        """Whether the lexical decision alone is final: so unlikely to be covered that the
        model never turned such a question into a right answer on the tuning part (28% of
        its questions, most of them off-topic, and every paste of random letters)."""
        return lexical.score < MODEL_FLOOR

    @property
    def semantic_ready(self) -> bool:
        return self.semantic is not None and self.semantic.ready

    def answer(
        self, question: str, lang: Lang, vector: np.ndarray | None = None, use_semantic: bool | None = None
    ) -> Answer:
        """Answers with the signals asked for. The semantic signal counts when `vector` is
        given (the bot computes it in its worker pool, bot/knowledge/semantic_pool.py) or when
        `use_semantic` is True, which embeds the question on the caller's thread: fine
        offline, never on the event loop. Both caches die with the snapshot."""
        if use_semantic is None:
            use_semantic = vector is not None
        semantic = use_semantic and self.semantic_ready
        with_every_signal = semantic or self.semantic is None
        cached = self.cached(question, lang, lexical_too=not with_every_signal)
        if cached is not None:
            return cached
        lexical = self.answer(question, lang, use_semantic=False) if semantic else None
        if lexical is not None and self.settled_without_model(lexical):
            answer = lexical  # final: the model is not asked (nor paid for)
        else:
            answer = self._answer(question, lang, vector, semantic)
        cache = self._cache if with_every_signal else self._lexical_cache
        cache[_cache_key(question, lang)] = answer
        if len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
        return answer

    def _answer(self, question: str, lang: Lang, vector: np.ndarray | None, semantic: bool) -> Answer:
        # Search in the language the question is written in; answer in the reader's language
        # (a Dutch question from someone whose Discord is in English gets the English text).
        ranked, features = self.features(question, guess_language(question, lang), vector, semantic)
        if not ranked:
            return Answer(None, 0.0, (), lang)
        model = self._models["semantic" if semantic else "lexical"]
        probability = model.probability(features)
        outcome = model.outcome(probability)
        if features["resemblance"] >= EXACT_PHRASE and features["unknown_share"] == 0:
            outcome = "answer"  # the question reads as one of the topic's titles or aliases
        best_id = ranked[0][0]
        rest = [topic_id for topic_id, candidate in ranked[1:] if candidate.coverage > 0 or candidate.semantic > 0]
        if outcome == "none":
            suggestions = tuple(topic_id for topic_id, c in ranked if c.coverage >= 0.2)[:MAX_SUGGESTIONS]
            return Answer(None, round(probability, 4), suggestions, lang)
        passage = self._passages.find(question, best_id, lang)
        return Answer(best_id, round(probability, 4), tuple(rest[:MAX_SUGGESTIONS]), lang, outcome, passage)


def _cache_key(question: str, lang: Lang) -> tuple[str, Lang]:
    """The folded words; a long question by their digest, so 4,096 remembered answers cost
    kilobytes, not the megabytes of 2,000-character pastes."""
    folded = " ".join(tokens(question))
    if len(folded) > 200:
        folded = hashlib.blake2b(folded.encode("utf-8"), digest_size=16).hexdigest()
    return folded, lang


def _other(lang: Lang) -> Lang:
    return "en" if lang == "nl" else "nl"


__all__ = ["Answer", "SearchIndex", "fold"]
