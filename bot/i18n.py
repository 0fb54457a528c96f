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
    "no_match_title": {"nl": "Nog niet behandeld", "en": "Not covered yet"},
    "tip_title": {"nl": "Tip", "en": "Tip"},
    "tip_footer": {"nl": "Meer hierover: {title}", "en": "More on this: {title}"},
    "error_generic": {
        "nl": "Er ging iets mis bij het beantwoorden. Probeer het zo nog eens.",
        "en": "Something went wrong while answering. Please try again in a moment.",
    },
    "error_cooldown": {
        "nl": "Rustig aan: je kunt over {seconds} seconden weer een vraag stellen.",
        "en": "Easy does it: you can ask again in {seconds} seconds.",
    },
    "error_forbidden": {
        "nl": "Dit commando is niet voor jou beschikbaar.",
        "en": "This command is not available to you.",
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


# Dutch names and descriptions of slash commands and their options, keyed by the English
# base text. English locales keep the base; Discord shows these to users with locale nl.
COMMAND_NL: dict[str, str] = {
    "ask": "vraag",
    "Ask a question about the CMO role or AI in marketing": "Stel een vraag over de rol van de CMO of AI in marketing",
    "question": "vraag",
    "Your question, in your own words": "Je vraag, in je eigen woorden",
}


def lang_for_locale(locale: str | None, default: Lang) -> Lang:
    """Discord's locale picks the language: nl -> Dutch, en-* -> English, else the default."""
    if not locale:
        return default
    if locale == "nl" or locale.startswith("nl-"):
        return "nl"
    if locale.startswith("en"):
        return "en"
    return default
