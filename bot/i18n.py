"""User-facing strings in Dutch and English, kept in one lookup so both always exist.

The texts are data, one TOML table per feature in bot/strings/ ([key] with nl and en), read
once on first use and merged here, refusing a key defined twice. Tests check that every key
has both languages with the same placeholders, so a new message can never reach a user half
translated.

Plural forms: a placeholder with a format spec `one|other` picks a form by its count, and
`#` in the form stands for the count: `{count:# tip|# tips}` reads "1 tip" or "3 tips", and
`{days:day|# days}` reads "day" or "7 days". Dutch and English both use "one" for exactly 1
and "other" for the rest, 0 included.
"""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Mapping
from importlib import resources

from bot.knowledge.model import LANGS, Lang

Entry = dict[Lang, str]

# The feature tables, bot/strings/<name>.toml, in the order they are merged.
TABLES = ("core", "aliases", "editing", "insights", "tips", "web", "web_editor")


def _is_entry(value: object) -> bool:
    return isinstance(value, dict) and set(value) == set(LANGS) and all(isinstance(v, str) for v in value.values())


def parse_table(text: str, path: str) -> dict[str, Entry]:
    """A feature's table from its TOML text, each key checked to hold exactly a Dutch and an
    English text. TOML itself refuses a key declared twice in one file; the error names the
    file, the key and the line."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: {exc}") from exc
    for key, entry in table.items():
        if not _is_entry(entry):
            raise ValueError(f"{path}: [{key}] needs exactly a Dutch (nl) and an English (en) text")
    return table


def read_table(name: str) -> dict[str, Entry]:
    text = resources.files("bot.strings").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return parse_table(text, f"bot/strings/{name}.toml")


def merge_tables(tables: Mapping[str, Mapping[str, Entry]]) -> dict[str, Entry]:
    """One lookup from the named feature tables. A key defined twice is refused, naming the key
    and both tables: letting one feature's text replace another's would show users wrong words."""
    merged: dict[str, Entry] = {}
    owner: dict[str, str] = {}
    for name, table in tables.items():
        for key, entry in table.items():
            if key in merged:
                raise ValueError(f"UI string key {key!r} is defined twice: in {owner[key]} and in {name}")
            merged[key], owner[key] = entry, name
    return merged


@functools.cache
def catalogue() -> dict[str, Entry]:
    """Every UI string by key, read from the feature tables on first use (not at import)."""
    return merge_tables({name: read_table(name) for name in TABLES})


PLURAL_SEPARATOR = "|"
COUNT_MARK = "#"


class _PluralFormatter(string.Formatter):
    """`str.format` that also reads the `one|other` spec of a counted placeholder."""

    def format_field(self, value: object, format_spec: str) -> str:
        if PLURAL_SEPARATOR not in format_spec:
            return super().format_field(value, format_spec)
        if not isinstance(value, int):
            raise TypeError(f"a plural form needs an int count, got {value!r}")
        one, other = format_spec.split(PLURAL_SEPARATOR)
        return (one if value == 1 else other).replace(COUNT_MARK, str(value))


_FORMATTER = _PluralFormatter()


def t(key: str, lang: Lang, **values: object) -> str:
    """The string for `key` in `lang`, with placeholders filled in and plural forms picked."""
    text = catalogue()[key][lang]
    return _FORMATTER.vformat(text, (), values) if values else text


# Dutch names and descriptions of slash commands and their options, keyed by the English
# base text. English locales keep the base; Discord shows these to users with locale nl.
COMMAND_NL: dict[str, str] = {
    "ask": "vraag",
    "Ask a question about the CMO role or AI in marketing": "Stel een vraag over de rol van de CMO of AI in marketing",
    "question": "vraag",
    "Your question, in your own words": "Je vraag, in je eigen woorden",
    "explain": "uitleg",
    "Read a topic about the CMO role or AI in marketing": "Lees een onderwerp over de rol van de CMO of AI in marketing",
    "topic": "onderwerp",
    "Start typing and pick a topic": "Begin te typen en kies een onderwerp",
    "compare": "vergelijk",
    "Compare a C-level role with the CMO": "Vergelijk een C-level functie met de CMO",
    "role": "rol",
    "The role to put beside the CMO, or all of them": "De functie om naast de CMO te zetten, of allemaal",
    "all": "allemaal",
    "topics": "onderwerpen",
    "Browse all topics by category": "Blader door alle onderwerpen per categorie",
    "tip": "tip",
    "Get a tip about the CMO role right now": "Krijg meteen een tip over de rol van de CMO",
    "help": "help",
    "What this bot can do": "Wat deze bot kan",
    # moderator commands
    "cmo-admin": "cmo-beheer",
    "Moderator tools for cmo-bot": "Beheer van cmo-bot voor moderators",
    "stats": "statistieken",
    "Questions per day, answered share, top and unanswered questions, ratings": "Vragen per dag, aandeel beantwoord, topvragen, onbeantwoorde vragen en beoordelingen",
    "days": "dagen",
    "How many days back": "Hoeveel dagen terug",
    "unanswered": "onbeantwoord",
    "Open unanswered questions, to attach as an alias or dismiss": "Open onbeantwoorde vragen, om als alias te koppelen of af te wijzen",
    "suggestions": "suggesties",
    "aliases": "aliassen",
    "Learned aliases that count in this server, to review or detach": "Geleerde aliassen die in deze server gelden, om na te kijken of te ontkoppelen",
    "Aliases the bot proposes from what users opened after a miss": "Aliassen die de bot voorstelt op basis van wat gebruikers na een misser openden",
    "export-questions": "vragen-exporteren",
    "The question log as a CSV file, without user identifiers": "Het vragenlogboek als CSV-bestand, zonder gebruikersgegevens",
    "tips-set": "tips-instellen",
    "Post a tip in a channel at a set local time": "Plaats op een vast lokaal tijdstip een tip in een kanaal",
    "channel": "kanaal",
    "The text channel for the tips": "Het tekstkanaal voor de tips",
    "time": "tijd",
    "Local time as HH:MM, e.g. 09:00": "Lokale tijd als UU:MM, bijvoorbeeld 09:00",
    "mon-fri (default), daily, or a list like mon,wed,fri": "ma-vr als standaard (mon-fri), daily, of een lijst zoals mon,wed,fri",
    "timezone": "tijdzone",
    "IANA time zone, e.g. Europe/Amsterdam": "IANA-tijdzone, bijvoorbeeld Europe/Amsterdam",
    "language": "taal",
    "Language of the tips": "Taal van de tips",
    "tips-off": "tips-uit",
    "Stop the scheduled tips in this server": "Stop de geplande tips in deze server",
    "tips-status": "tips-status",
    "The tip schedule, the next and last post, and the last error": "Het tipschema, de volgende en laatste tip en de laatste fout",
    "tips-preview": "tips-voorbeeld",
    "The tip that would be posted next": "De tip die hierna geplaatst zou worden",
    "reload": "herladen",
    "Re-read the content files and make them live": "Lees de inhoudsbestanden opnieuw in en zet ze live",
    "edit": "bewerken",
    "Edit a topic live in a form": "Bewerk een onderwerp live in een formulier",
    "The topic": "Het onderwerp",
    "Which language to edit": "Welke taal je bewerkt",
    "history": "geschiedenis",
    "The revisions of a topic": "De versies van een onderwerp",
    "revert": "terugzetten",
    "Make an earlier revision of a topic live again": "Zet een eerdere versie van een onderwerp weer live",
    "revision": "versie",
    "Revision number; 0 is the version in the files": "Versienummer; 0 is de versie uit de bestanden",
    "privacy": "privacy",
    "What cmo-bot stores about you, and erasing it": "Wat cmo-bot over jou bewaart, en dat wissen",
    "info": "info",
    "What is stored, why and for how long": "Wat er wordt bewaard, waarom en hoe lang",
    "forget-me": "vergeet-mij",
    "Erase the questions and ratings stored for you": "Wis de vragen en beoordelingen die voor jou zijn bewaard",
}


def command_text(text: str, lang: Lang) -> str:
    """A command's name or description as users with `lang` see it (what the translator sends)."""
    return COMMAND_NL.get(text, text) if lang == "nl" else text


def lang_for_locale(locale: str | None, default: Lang) -> Lang:
    """Discord's locale picks the language: nl -> Dutch, en-* -> English, else the default."""
    if not locale:
        return default
    if locale == "nl" or locale.startswith("nl-"):
        return "nl"
    if locale.startswith("en"):
        return "en"
    return default
