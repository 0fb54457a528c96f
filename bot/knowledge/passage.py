"""The sentence or item of a topic that answers what was asked.

A question often asks one fact inside a larger topic: a percentage, how many were surveyed,
when, who said it, which departments. The reply then leads with that one sentence, marked as
the answer, before the whole topic. A question that asks nothing in particular ("what does a
CMO do") gets no passage: the topic's summary already leads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.knowledge.model import Lang, Topic
from bot.knowledge.text import fold, stem, stop_words, tokens

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])")
_DIGIT = re.compile(r"\d")
_MONTHS = frozenset(
    "januari februari maart april mei juni juli augustus september oktober november december "
    "january february march may june july august october".split()
)
# What kind of fact a question asks for, by its question words (folded).
_ASKS = {
    "number": frozenset(
        "hoeveel hoe veel percentage procent aantal cijfer cijfers many much percent number figure figures".split()
    ),
    "when": frozenset("wanneer when periode period maand maanden month months jaar year welke".split()),
    "who": frozenset("wie who naam name heet called functie functietitel title".split()),
    "which": frozenset("welke which wat what".split()),
}
# A unit must share at least this much weight with the question to be offered as the answer.
MIN_OVERLAP = 2


def _units(topic: Topic, lang: Lang) -> list[str]:
    units: list[str] = []
    for text in (topic.summary.get(lang), topic.body.get(lang)):
        units.extend(part.strip() for part in _SENTENCE.split(text) if part.strip())
    for section in topic.sections:
        if section.text is not None:
            units.extend(part.strip() for part in _SENTENCE.split(section.text.get(lang)) if part.strip())
        units.extend(item.get(lang) for item in section.items or ())
    for table in topic.tables:
        columns = [cell.get(lang) for cell in table.columns]
        for row in table.rows:
            cells = [cell.get(lang) for cell in row]
            units.append(" — ".join([cells[0], *(f"{c}: {v}" for c, v in zip(columns[1:], cells[1:], strict=False))]))
    return units


def _kind(words: list[str]) -> str | None:
    present = set(words)
    for kind in ("number", "who", "when"):
        if present & _ASKS[kind]:
            return kind
    if "%" in words:
        return "number"
    return None


def _fits(kind: str | None, unit: str) -> bool:
    if kind == "number":
        return bool(_DIGIT.search(unit))
    if kind == "when":
        return bool(set(tokens(unit)) & _MONTHS) or bool(re.search(r"\b(19|20)\d\d\b", unit))
    if kind == "who":
        return bool(re.search(r"[A-Z][a-z]+ [A-Z][a-z]+", unit))
    return True


@dataclass(frozen=True)
class _Unit:
    text: str
    words: frozenset[str]
    terms: frozenset[str]
    fits: dict[str, bool]


def _prepare(topic: Topic, lang: Lang) -> tuple[frozenset[str], list[_Unit]]:
    title_terms = frozenset(stem(w, lang) for w in tokens(topic.title.get(lang)))
    units = []
    for unit in _units(topic, lang):
        words = tokens(unit)
        fits = {kind: _fits(kind, unit) for kind in ("number", "when", "who")}
        units.append(_Unit(unit, frozenset(words), frozenset(stem(w, lang) for w in words), fits))
    return title_terms, units


def _best(question: str, lang: Lang, title_terms: frozenset[str], units: list[_Unit]) -> str | None:
    words = tokens(question)
    kind = _kind(words)
    stops = stop_words(lang)
    wanted = {stem(w, lang) for w in words if w not in stops and not w.isdigit()} - title_terms
    numbers = {w for w in words if w.isdigit()}
    best, best_score = None, 0.0
    for position, unit in enumerate(units):
        fits = unit.fits[kind] if kind else True
        if kind and not fits:
            continue
        overlap = len(wanted & unit.terms) + 2 * len(numbers & unit.words)
        score = overlap + (2.0 if kind else 0.0) - position * 0.01
        if score > best_score:
            best, best_score = unit.text, score
    if best is None:
        return None
    if kind is None and best_score < MIN_OVERLAP:
        return None
    if kind is not None and best_score < 2.5:
        return None
    return best


def find_passage(question: str, topic: Topic, lang: Lang) -> str | None:
    """The unit that best answers a question asking one thing, or None."""
    return _best(question, lang, *_prepare(topic, lang))


class PassageFinder:
    """find_passage over one snapshot, with each topic's units prepared once."""

    def __init__(self, topics: Mapping[str, Topic]):
        self._topics = topics
        self._prepared: dict[tuple[str, Lang], tuple[frozenset[str], list[_Unit]]] = {}

    def find(self, question: str, topic_id: str, lang: Lang) -> str | None:
        key = (topic_id, lang)
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepared[key] = _prepare(self._topics[topic_id], lang)
        return _best(question, lang, *prepared)


__all__ = ["find_passage", "fold"]
