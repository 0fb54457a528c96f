"""Content says what its sources say: every figure comes from the source texts, and Dutch and
English carry the same figures and the same names.

A figure is a number (in digits, or a number word from two upwards, or an ordinal from
"second" upwards), a percentage, a year or a month. "One"/"één" are left out: in Dutch
"een"/"één" is mostly an article, so counting it would only produce noise. A figure that is
not in the source texts must be listed in ALLOWED with the reason it may stand.

Scanned: everything a reader sees of a topic (title, summary, body, sections, tables), its
aliases and keywords, the title and publisher of its sources, and every tip. The date and
url of a source are citation metadata (the schema checks their shape) and are not scanned.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge.loader import ContentSet, default_content_dir, load_content
from bot.knowledge.model import LANGS, Topic

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january"),
            ("februari", "february"),
            ("maart", "march"),
            ("april",),
            ("mei", "may"),
            ("juni", "june"),
            ("juli", "july"),
            ("augustus", "august"),
            ("september",),
            ("oktober", "october"),
            ("november",),
            ("december",),
        ],
        start=1,
    )
    for name in names
}
# "may"/"mei" double as a verb and a word; they count only next to a year or a day number.
AMBIGUOUS_MONTHS = {"may", "mei", "march", "maart"}

NUMBER_WORDS = {
    # Dutch cardinals and ordinals
    "twee": 2, "dubbel": 2, "dubbele": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
    "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7, "achtste": 8,
    "honderd": 100, "duizend": 1000,
    # English cardinals and ordinals
    "two": 2, "dual": 2, "double": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "hundred": 100, "thousand": 1000,
}  # fmt: skip
# "acht" is also "attention" ("in acht nemen"): those phrases are taken out before counting.
NOT_A_NUMBER = ("in acht nemen", "in acht genomen", "in acht te nemen")

# Figures that are in the content but not in the source texts, each with the reason it may stand.
ALLOWED: dict[tuple[str, int], str] = {
    ("number", 1): (
        "numbering, not a fact: the two customer journeys are labelled 'Reis 1 / Journey 1' and "
        "'Reis 2 / Journey 2' in dual-customer-journeys"
    ),
}

# Proper names and acronyms from the source texts. A topic or tip that names one in one
# language names it in the other too. Longer names come first so that a name inside a longer
# one is matched on its own as well ("Gartner" in "Gartner Marketing Practice").
NAMES = (
    "Sharon Cantor Ceurvorst",
    "Cantor Ceurvorst",
    "VP Research",
    "Gartner Marketing Practice",
    "Gartner",
    "Google Analytics",
    "Google",
    "Instagram",
    "Chief Marketing Officer",
    "Chief Executive Officer",
    "Chief Financial Officer",
    "Chief Operating Officer",
    "GenAI",
    "AI",
    "IT",
    "CRM",
    "CEO",
    "CFO",
    "COO",
    "CIO",
    "CMO",
)

_NUMBER = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?)(\s*(?:%|procent\b|percent\b|per cent\b))?", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]+")


def figures(text: str) -> set[tuple[str, int]]:
    """The figures in a text, as (kind, value): kind is percent, year, month or number."""
    found: set[tuple[str, int]] = set()
    lowered = text.lower()
    for phrase in NOT_A_NUMBER:
        lowered = lowered.replace(phrase, " ")
    for match in _NUMBER.finditer(lowered):
        value = float(match.group(1).replace(",", "."))
        if match.group(2):
            found.add(("percent", int(value) if value.is_integer() else value))  # type: ignore[arg-type]
        elif 1900 <= value <= 2100 and value.is_integer() and len(match.group(1)) == 4:
            found.add(("year", int(value)))
        else:
            found.add(("number", int(value) if value.is_integer() else value))  # type: ignore[arg-type]
    words = _WORD.findall(lowered)
    for word in words:
        if word in MONTHS:
            if word in AMBIGUOUS_MONTHS and not re.search(rf"\d+\s+{word}\b|\b{word}\s+\d+", lowered):
                continue
            found.add(("month", MONTHS[word]))
        elif word in NUMBER_WORDS:
            found.add(("number", NUMBER_WORDS[word]))
    return found


def names(text: str) -> set[str]:
    """The names from NAMES that a text mentions (case-sensitive; a plural 's' is allowed)."""
    return {name for name in NAMES if re.search(rf"(?<!\w){re.escape(name)}(?:s|'s|’s)?(?!\w)", text)}


@pytest.fixture(scope="module")
def content() -> ContentSet:
    return load_content(default_content_dir())


@pytest.fixture(scope="module")
def source_text() -> str:
    if not SEEDS.is_dir():
        pytest.skip("the source texts live in ../shared/seeds beside the repository")
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))


def readable(topic: Topic, lang: str) -> str:
    """What a reader sees of a topic in one language (without the language-neutral sources)."""
    parts = [topic.title.get(lang), topic.summary.get(lang), topic.body.get(lang)]
    for section in topic.sections:
        parts.append(section.heading.get(lang))
        parts.append(section.text.get(lang) if section.text else "")
        parts.extend(item.get(lang) for item in section.items or ())
    for table in topic.tables:
        parts.append(table.title.get(lang))
        parts.extend(cell.get(lang) for cell in table.columns)
        parts.extend(cell.get(lang) for row in table.rows for cell in row)
    return "\n".join(parts)


def everything(topic: Topic) -> str:
    """Every scanned text of a topic, both languages, aliases, keywords and source names."""
    parts = [readable(topic, lang) for lang in LANGS]
    for lang in LANGS:
        parts.extend(topic.aliases.get(lang))
        parts.extend(topic.keywords.get(lang))
    parts.extend(f"{source.title}\n{source.publisher}" for source in topic.sources)
    return "\n".join(parts)


# ----------------------------------------------------------------------------------- the helpers


def test_figures_are_read_as_their_kind():
    text = "65% van de CMO's; 5 procent; 402 leiders, augustus tot oktober 2025; twee jaar; een derde enquête"
    assert figures(text) == {
        ("percent", 65),
        ("percent", 5),
        ("number", 402),
        ("month", 8),
        ("month", 10),
        ("year", 2025),
        ("number", 2),
        ("number", 3),
    }
    assert figures("August to October 2025, within two years, a third survey") == {
        ("month", 8),
        ("month", 10),
        ("year", 2025),
        ("number", 2),
        ("number", 3),
    }
    assert figures("the CMO may decide; dat moet je in acht nemen") == set()


def test_names_are_matched_whole_and_with_a_plural():
    assert names("Sharon Cantor Ceurvorst van Gartner") == {"Sharon Cantor Ceurvorst", "Cantor Ceurvorst", "Gartner"}
    assert names("CMOs and CMO's") == {"CMO"}
    assert names("AI-agents en de IT-afdeling") == {"AI", "IT"}
    assert names("Gartner-enquêtes") == {"Gartner"}


# ------------------------------------------------------------------------------------ the guards


def test_the_allow_list_stays_small_and_explained():
    assert len(ALLOWED) <= 5
    for figure, reason in ALLOWED.items():
        assert len(reason) > 20, figure


def test_every_name_in_the_list_comes_from_the_source_texts(source_text):
    missing = [name for name in NAMES if name not in source_text]
    assert missing == []


def test_every_figure_in_the_content_is_in_the_source_texts_or_allowed(content, source_text):
    sourced = figures(source_text)
    unsourced = []
    for topic in content.topics.values():
        for figure in sorted(figures(everything(topic)) - sourced - ALLOWED.keys(), key=str):
            unsourced.append((topic.id, figure))
    for tip in content.tips:
        text = "\n".join(tip.text.get(lang) for lang in LANGS)
        for figure in sorted(figures(text) - sourced - ALLOWED.keys(), key=str):
            unsourced.append((f"tip {tip.id}", figure))
    assert unsourced == []


def test_every_allowed_figure_is_still_used(content, source_text):
    used = set().union(*(figures(everything(topic)) for topic in content.topics.values()))
    used |= set().union(*(figures(tip.text.get(lang)) for tip in content.tips for lang in LANGS))
    assert set(ALLOWED) - figures(source_text) <= used, "drop an allow-list entry the content no longer needs"


def topic_texts(content: ContentSet, lang: str) -> dict[str, str]:
    return {topic.id: readable(topic, lang) for topic in content.topics.values()}


def tip_texts(content: ContentSet, lang: str) -> dict[str, str]:
    return {tip.id: tip.text.get(lang) for tip in content.tips}


@pytest.mark.parametrize("found_in", [figures, names], ids=["figures", "names"])
@pytest.mark.parametrize("texts", [topic_texts, tip_texts], ids=["every-topic", "every-tip"])
def test_dutch_and_english_carry_the_same(content, found_in, texts):
    english = texts(content, "en")
    different = []
    for item_id, dutch_text in texts(content, "nl").items():
        nl, en = found_in(dutch_text), found_in(english[item_id])
        if nl != en:
            different.append((item_id, sorted(nl - en, key=str), sorted(en - nl, key=str)))
    assert different == []


def test_acronyms_and_camel_case_names_match_between_the_languages(content):
    """A safety net beside NAMES: any all-capitals or CamelCase word (an acronym, a product
    name) in one language is in the other as well, even when NAMES does not list it yet."""

    def marked(text: str) -> set[str]:
        return {re.sub(r"(?:s|'s|’s)$", "", w) for w in re.findall(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z']*", text)}

    different = []
    for topic in content.topics.values():
        nl, en = marked(readable(topic, "nl")), marked(readable(topic, "en"))
        if nl != en:
            different.append((topic.id, sorted(nl - en), sorted(en - nl)))
    for tip in content.tips:
        nl, en = marked(tip.text.get("nl")), marked(tip.text.get("en"))
        if nl != en:
            different.append((tip.id, sorted(nl - en), sorted(en - nl)))
    assert different == []


# --------------------------------------------------------------------- claims the sources make


def test_the_gartner_source_is_cited_as_a_news_item_about_gartners_study(content):
    """The text is a Dutch news item reporting Gartner's study: the headline is the title, the
    news site is the publisher, and Gartner is named as the author of the study."""
    cited = [s for topic in content.topics.values() for s in topic.sources if "Gartner" in s.title]
    assert cited, "no topic cites the Gartner news item"
    for source in cited:
        assert source.title == "Gartner: CMO rol door AI drastisch op de schop"
        assert not source.publisher.startswith("Gartner")
        assert "nieuwsbericht" in source.publisher and "onderzoek van Gartner" in source.publisher


def test_every_ai_trends_topic_cites_the_gartner_news_item(content):
    for topic in content.topics.values():
        if topic.category == "ai-trends":
            assert any("Gartner" in source.title for source in topic.sources), topic.id


@pytest.mark.parametrize("lang", LANGS)
def test_the_analyst_is_findable_with_her_title(content, lang):
    quoting = [t for t in content.topics.values() if "Sharon Cantor Ceurvorst" in readable(t, lang)]
    assert quoting
    title = {"nl": "VP Research bij de Gartner Marketing Practice", "en": "VP Research at the Gartner Marketing Practice"}
    with_alias = [t for t in quoting if any("sharon cantor ceurvorst" in a.lower() for a in t.aliases.get(lang))]
    assert len(with_alias) == 1, "exactly one topic answers 'who is Sharon Cantor Ceurvorst'"
    assert title[lang] in with_alias[0].summary.get(lang) + with_alias[0].body.get(lang)


def test_the_cmo_is_responsible_for_communication_in_what_is_a_cmo(content):
    topic = content.topics["what-is-a-cmo"]
    assert "communicatie" in readable(topic, "nl")
    assert "communication" in readable(topic, "en")


def test_a_tip_covers_ai_in_personalisation_and_content_creation(content):
    tips = [tip for tip in content.tips if "personalisatie" in tip.text.get("nl") and "contentcreatie" in tip.text.get("nl")]
    assert tips
    assert all("personalisation" in tip.text.get("en") and "content creation" in tip.text.get("en") for tip in tips)


# Phrases the review of issue 11 found, each a claim the sources do not make or Dutch an
# editor would rewrite. They must not creep back.
BANNED = {
    "nl": (
        "minder uitvoerder",
        "geen cmo redt het",
        "jarenlang",
        "precies het terrein van de cio",
        "de kern van marketing",
        "om mensen inspireren",
        "leidinggeven aan het marketingteam en aan externe bureaus",
        "horen bij een sterke cmo samen te gaan",
        "snappen",
        "lijstje vaardigheden",
        "flinke winst",
        "(de klantreis in kaart)",
        "zie het onderwerp over de waarde van ai",
        "achterhaald",
    ),
    "en": (
        "less an executor",
        "exactly the cio's territory",
        "at the heart of marketing",
        "not a separate department",
        "in person",
        "only 5% of marketing leaders who use genai only",
        "see the topic on the value of ai",
        "outdated tomorrow",
    ),
}


@pytest.mark.parametrize("lang", LANGS)
def test_phrases_the_review_removed_stay_out(content, lang):
    found = []
    for topic in content.topics.values():
        text = readable(topic, lang).lower()
        found.extend((topic.id, phrase) for phrase in BANNED[lang] if phrase in text)
    for tip in content.tips:
        text = tip.text.get(lang).lower()
        found.extend((tip.id, phrase) for phrase in BANNED[lang] if phrase in text)
    assert found == []


def test_agents_decide_increasingly_not_always(content):
    """The source says AI agents make purchase decisions 'steeds vaker' (increasingly)."""
    for topic in content.topics.values():
        for lang, qualifier in (("nl", "steeds vaker"), ("en", "increasingly")):
            for sentence in re.split(r"(?<=[.!?])\s+", readable(topic, lang)):
                if re.search(r"aankoopbeslissing|purchase decision", sentence) and "agent" in sentence.lower():
                    assert qualifier in sentence, (topic.id, sentence)
    for tip in content.tips:
        for lang, qualifier in (("nl", "steeds vaker"), ("en", "increasingly")):
            text = tip.text.get(lang)
            if re.search(r"aankoopbeslissing|purchase decision", text):
                assert qualifier in text, tip.id
