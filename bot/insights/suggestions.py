"""Aliases the bot proposes by watching what people did after a miss.

When someone's /ask finds nothing (or only a best guess) and, within five minutes, the same
person opens a topic (another than the one guessed) via /explain, a suggestion button, the
related or topics select, that topic is probably what they meant. One such pair is an
anecdote; when two or more people agree on the same question and topic, the pair becomes a
suggestion. Nothing changes until a moderator accepts it.

An answered /ask in between breaks the chain: what is opened after it follows that answer,
not the miss. The first open after a miss ends it: later opens are reading on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.insights.grouping import group_key, normalise
from bot.insights.queries import OPEN_COMMANDS
from bot.storage.timestamps import from_utc_iso

WINDOW = timedelta(minutes=5)
MIN_AGREEING = 2


@dataclass(frozen=True)
class Suggestion:
    key: str  # the question group's key
    lang: str
    normalised: str
    text: str  # the most common phrasing
    topic_id: str
    users: int  # how many people made this miss-then-open pair


def _outcome(event: Mapping[str, Any]) -> str | None:
    """How the ask went; None for rows without the column (a sqlite3.Row raises IndexError)."""
    try:
        return event["outcome"]
    except (KeyError, IndexError):
        return None


def find_suggestions(events: Iterable[Mapping[str, Any]], min_agreeing: int = MIN_AGREEING) -> list[Suggestion]:
    """Events are question rows (user_hash, asked_at, command, question, lang, topic_id)
    ordered by user and time, as `InsightsQueries.user_events` returns them."""
    users: dict[tuple[str, str, str], set[str]] = {}
    phrasings: dict[tuple[str, str], Counter[str]] = {}
    current_user: str | None = None
    misses: list[Mapping[str, Any]] = []
    for event in events:
        if event["user_hash"] != current_user:
            current_user, misses = event["user_hash"], []
        command, topic_id = event["command"], event["topic_id"]
        if command == "ask":
            if topic_id is None or _outcome(event) == "guess":
                misses.append(event)  # a best guess is a miss too, unless its topic is opened
            else:
                misses = []
        elif command in OPEN_COMMANDS and topic_id is not None:
            opened_at = from_utc_iso(event["asked_at"])
            for miss in misses:
                if opened_at - from_utc_iso(miss["asked_at"]) > WINDOW or miss["topic_id"] == topic_id:
                    continue  # too late, or the reader opened the topic the bot guessed: it was right
                normalised = normalise(miss["question"])
                if not normalised:
                    continue
                lang = miss["lang"] or "nl"
                users.setdefault((lang, normalised, topic_id), set()).add(current_user or "")
                phrasings.setdefault((lang, normalised), Counter())[" ".join(miss["question"].split())] += 1
            misses = []
    found = [
        Suggestion(
            key=group_key(lang, normalised),
            lang=lang,
            normalised=normalised,
            text=phrasings[(lang, normalised)].most_common(1)[0][0],
            topic_id=topic_id,
            users=len(who),
        )
        for (lang, normalised, topic_id), who in users.items()
        if len(who) >= min_agreeing
    ]
    found.sort(key=lambda s: (-s.users, s.normalised, s.topic_id))
    return found
