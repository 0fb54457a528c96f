"""What lexical search compares: a question's terms as the index sees them, and a topic's
texts; the records the index hands to the ranking. Kept apart from the index itself, which
only builds and queries."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.model import Lang, Topic
from bot.knowledge.text import stop_words, tokens

# At most this many words of a question are looked at (a paste is no longer a question).
MAX_WORDS = 60


@dataclass(frozen=True)
class QueryTerms:
    """The question's content words as search sees them, and which were unknown."""

    terms: tuple[str, ...]
    unknown: tuple[str, ...]  # terms no topic uses in this language (after typo correction)
    unknown_roles: tuple[str, ...]  # C-level acronyms no topic covers (cso, cto, ...)
    unknown_words: tuple[str, ...] = ()  # the words as typed behind `unknown` (not roles)


@dataclass(frozen=True)
class LexicalHit:
    topic_id: str
    bm25: float  # relative to the best candidate: 0-1
    coverage: float  # share of the question's IDF weight this topic explains: 0-1
    resemblance: float  # closest title/alias, 0-1


def content_string(text: str, lang: Lang) -> str:
    stops = stop_words(lang)
    return " ".join(word for word in tokens(text)[:MAX_WORDS] if word not in stops)


def topic_texts(topic: Topic, lang: Lang) -> list[str]:
    """Every piece of a topic's text in one language, body first order as shown."""
    parts = [topic.summary.get(lang), topic.body.get(lang)]
    for section in topic.sections:
        parts.append(section.heading.get(lang))
        if section.text is not None:
            parts.append(section.text.get(lang))
        parts.extend(item.get(lang) for item in section.items or ())
    for table in topic.tables:
        parts.append(table.title.get(lang))
        parts.extend(cell.get(lang) for row in [table.columns, *table.rows] for cell in row)
    return parts
