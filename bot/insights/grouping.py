"""One unanswered question asked many ways is one problem: group questions by normalised text.

"Wat is ROAS?", "wat is roas" and "Wat is  ROAS ??" are the same question to a moderator.
The group is named by a short hash of its language and normalised text, which fits in a
component's custom id and can be recomputed from the log at any time, so no copy of a user's
words has to be kept elsewhere.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.knowledge.model import ALIAS_MAX
from bot.knowledge.text import tokens

KEY_LENGTH = 16


def normalise(question: str) -> str:
    """Folded words only: case, accents, punctuation and spacing do not split a group."""
    return " ".join(tokens(question))


def group_key(lang: str, normalised: str) -> str:
    """16 hex characters (64 bits): short enough for a custom id, and collisions among one
    guild's questions are not a practical concern."""
    return hashlib.sha256(f"{lang}\0{normalised}".encode()).hexdigest()[:KEY_LENGTH]


@dataclass(frozen=True)
class QuestionGroup:
    key: str
    lang: str
    normalised: str
    text: str  # the most common phrasing, as typed
    count: int
    last_asked: str
    # The topic of the latest best guess in this group that a reader rated 👎, if any: the
    # group is open because the bot guessed wrong, not because it found nothing.
    rejected_guess: str | None = None


def group_questions(rows: Iterable[tuple[str, str, str]]) -> list[QuestionGroup]:
    """(question, lang, asked_at) rows -> groups, most asked first (then most recent)."""
    phrasings: dict[tuple[str, str], Counter[str]] = {}
    last: dict[tuple[str, str], str] = {}
    for question, lang, asked_at in rows:
        normalised = normalise(question)
        if not normalised:
            continue
        slot = (lang or "nl", normalised)
        phrasings.setdefault(slot, Counter())[" ".join(question.split())] += 1
        last[slot] = max(last.get(slot, ""), asked_at)
    groups = [
        QuestionGroup(
            key=group_key(lang, normalised),
            lang=lang,
            normalised=normalised,
            text=counter.most_common(1)[0][0],
            count=sum(counter.values()),
            last_asked=last[(lang, normalised)],
        )
        for (lang, normalised), counter in phrasings.items()
    ]
    groups.sort(key=lambda group: (-group.count, _descending(group.last_asked), group.normalised))
    return groups


def queue_groups(
    unanswered: Iterable[tuple[str, str, str]], rejected_guesses: Iterable[tuple[str, str, str, str]]
) -> list[QuestionGroup]:
    """The moderators' queue: questions the bot could not answer and best guesses rated 👎
    (question, lang, asked_at, guessed topic), grouped together, most asked first. A group
    with a 👎'd guess carries the topic of its latest one."""
    rejected = list(rejected_guesses)
    latest: dict[str, tuple[str, str]] = {}
    for question, lang, asked_at, topic_id in rejected:
        normalised = normalise(question)
        if normalised:
            key = group_key(lang or "nl", normalised)
            latest[key] = max(latest.get(key, ("", "")), (asked_at, topic_id))
    groups = group_questions([*unanswered, *((question, lang, asked_at) for question, lang, asked_at, _ in rejected)])
    return [replace(group, rejected_guess=latest[group.key][1]) if group.key in latest else group for group in groups]


def alias_text(text: str) -> str:
    """The phrasing to store as an alias, within the content's alias limit (cut at a word)."""
    text = text.strip()
    if len(text) <= ALIAS_MAX:
        return text
    return text[:ALIAS_MAX].rsplit(" ", 1)[0] or text[:ALIAS_MAX]


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)
