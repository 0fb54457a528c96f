"""Turns free text into the terms that search compares: folded, tokenised, stemmed.

Content and questions go through the same functions, so "marketingdirecteur", "Marketing-
directeur" and "marketingdirecteuren" meet on one term, and "Wat doet een CMO?" keeps only
the word that carries meaning.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import snowballstemmer
import stopwordsiso

from bot.knowledge.model import Lang

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TOKEN = re.compile(r"[a-z0-9]+")
# Discord markup that names a user, role, channel or emoji: never words of the question.
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>|@(?:everyone|here)\b")

# Words the generic lists call stop words but that carry meaning in this domain: "AI" and
# "two journeys" and "working together", and "what does a COO do" as against "what is".
_DOMAIN_WORDS = {
    "nl": frozenset("twee samen doen doet minder tussen vs".split()),
    "en": frozenset(
        "ai information research results buy buying general full area case example two together value new "
        "work working use using need needs part stop world fewer do does doing versus vs".split()
    ),
}

# How people wrap a question in chat; they say nothing about the topic.
_QUESTION_FILLER = {
    "nl": frozenset(
        "eigenlijk precies ff even vraagje vraag iemand weet uitleg uitleggen leg graag betekent hoezo "
        "waarom waar welke welk zit gaat kun kunt jij jullie snap begrijp vertel vertellen eens hè he nou dus "
        "toch zeg hallo hoi hey bot please pls".split()
    ),
    "en": frozenset(
        "did actually exactly quick question anyone know explain tell please pls hey hi hello bot "
        "mean means really thing things kind sort like stuff".split()
    ),
}


def fold(text: str) -> str:
    """Lower case without accents or invisible characters: 'Financiën' -> 'financien'."""
    text = unicodedata.normalize("NFKD", text.translate(_ZERO_WIDTH))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    """The folded words of a text, in order; mentions and custom emoji are not words."""
    return _TOKEN.findall(fold(_DISCORD_MARKUP.sub(" ", text)))


@cache
def stop_words(lang: Lang) -> frozenset[str]:
    """The library's stop words plus chat filler, minus words that matter here."""
    base = {fold(word) for word in stopwordsiso.stopwords(lang)}
    return frozenset((base - _DOMAIN_WORDS[lang]) | _QUESTION_FILLER[lang])


@cache
def _stemmer(lang: Lang) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("dutch" if lang == "nl" else "english")


@cache
def stem(word: str, lang: Lang) -> str:
    return _stemmer(lang).stemWord(word)


def terms(text: str, lang: Lang) -> list[str]:
    """The stemmed content words of a text in one language."""
    stops = stop_words(lang)
    return [stem(word, lang) for word in tokens(text) if word not in stops]


def guess_language(text: str, default: Lang = "nl") -> Lang:
    """Dutch unless the text reads as English: more English than Dutch function words."""
    words = tokens(text)
    english = sum(word in _ENGLISH_MARKERS for word in words)
    dutch = sum(word in _DUTCH_MARKERS for word in words)
    if english > dutch:
        return "en"
    if dutch > english:
        return "nl"
    return default


_ENGLISH_MARKERS = frozenset(
    "the what does do is are how why who which of for and with to a an in on about between "
    "should can tell me explain difference".split()
)
_DUTCH_MARKERS = frozenset(
    "de het een wat doet is zijn hoe waarom wie welke van voor en met naar in op over tussen "
    "moet kan vertel me uitleg verschil eigenlijk je jij wij we".split()
)
