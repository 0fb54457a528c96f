"""Turns free text into the terms that search compares: folded, tokenised, stemmed.

Content and questions go through the same functions, so "marketingdirecteur", "Marketing-
directeur" and "marketingdirecteuren" meet on one term, and "Wat doet een CMO?" keeps only
the word that carries meaning.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import snowballstemmer
import stopwordsiso

from bot.knowledge.model import Lang

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TOKEN = re.compile(r"[a-z0-9]+")
# A C-level title as people type it: cmo, ceo, cso, cto, chro. (Not "ciao" or "coco".)
ROLE_ACRONYM = re.compile(r"(?!ciao|coco|cito)c[a-z]{1,2}o")
# Stems are cached, but only so many: the words users type are unbounded.
STEM_CACHE_SIZE = 20_000
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
    if text.isascii():
        return text.lower()  # most questions: nothing to decompose, and lower() is casefold() here
    text = unicodedata.normalize("NFKD", text.translate(_ZERO_WIDTH))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    """The folded words of a text, in order; mentions and custom emoji are not words."""
    return _TOKEN.findall(fold(_DISCORD_MARKUP.sub(" ", text)))


# English function words (the classic Snowball list). stopwordsiso's English list has 1,300
# words, among them "founded", "research", "number" and "members": exactly the salient words
# that tell an off-topic question ("when was Gartner founded") from one the content answers.
_ENGLISH_FUNCTION_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
    hers herself it its itself they them their theirs themselves what which who whom this that these those
    am is are was were be been being have has had having a an the and but if or because as until while of at
    by for with about against into through during before after above below to from up down in out on off
    over under again further then once here there when where why how all any both each few more most other
    some such no nor not only own same so than too very s t can will just don should now would could ought
    im youre hes shes its were theyre ive youve weve theyve id youd hed shed wed theyd ill youll hell shell
    well theyll isnt arent wasnt werent hasnt havent hadnt doesnt dont didnt wont wouldnt shouldnt cant
    cannot couldnt mustnt lets thats whos whats heres theres whens wheres whys hows also get got may might
    must shall us""".split()
)
# Dutch numerals and time words carry meaning here ("de derde enquête", "twee jaar geleden").
_DUTCH_KEPT = frozenset(
    "derde drie twee tweede eerste vier vierde vijf vijfde tien tiende zes zeven acht achte negen dertig "
    "veertig vijftig honderd duizend afgelopen geleden recent laatst".split()
)


@cache
def stop_words(lang: Lang) -> frozenset[str]:
    """Function words plus chat filler, minus words that matter here."""
    if lang == "en":
        base = set(_ENGLISH_FUNCTION_WORDS)
    else:
        base = {fold(word) for word in stopwordsiso.stopwords(lang)} - _DUTCH_KEPT
    return frozenset((base - _DOMAIN_WORDS[lang]) | _QUESTION_FILLER[lang])


@cache
def _stemmer(lang: Lang) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("dutch" if lang == "nl" else "english")


@lru_cache(maxsize=STEM_CACHE_SIZE)
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


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def ask_clause(text: str) -> str:
    """The sentence that asks, in a message of several ("I'm new here. What does a CMO do?
    Thanks!"): the last one ending in a question mark, else the whole text. Context around it
    is chat, not the question."""
    parts = [part for part in _SENTENCE_END.split(text.strip()) if tokens(part)]
    asking = [part for part in parts if part.rstrip().endswith("?")]
    return asking[-1] if len(parts) > 1 and asking else text
