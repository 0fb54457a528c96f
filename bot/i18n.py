"""User-facing strings in Dutch and English, kept in one place so both always exist.

A test checks that every key has both languages and the same placeholders, so a new message
can never reach a user half translated.
"""

from __future__ import annotations

from bot.knowledge.model import Lang

STRINGS: dict[str, dict[Lang, str]] = {
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "source_accessed": {"nl": "geraadpleegd {date}", "en": "accessed {date}"},
    "no_match": {
        "nl": "Daar heb ik nog geen antwoord op. Je vraag is doorgegeven aan de moderators, zodat de inhoud beter wordt.",
        "en": "I don't have an answer to that yet. Your question has been passed on to the moderators so the content can improve.",
    },
    "suggestions": {"nl": "Misschien bedoel je:", "en": "Perhaps you mean:"},
    "related": {"nl": "Zie ook", "en": "See also"},
    "score": {"nl": "zekerheid {score}", "en": "confidence {score}"},
    "more_hint": {
        "nl": "… (ingekort; gebruik /uitleg {topic} voor de rest)",
        "en": "… (shortened; use /explain {topic} for the rest)",
    },
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The string for `key` in `lang`, with placeholders filled in."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text
