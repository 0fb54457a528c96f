"""Every user-facing string exists in Dutch and English, counts take their plural forms, the
feature tables merge without a key defined twice, and locales pick the right language."""

from __future__ import annotations

import re
import string
from importlib import resources

import pytest

from bot.i18n import COMMAND_NL, TABLES, catalogue, lang_for_locale, merge_tables, parse_table, read_table, t
from bot.knowledge.model import LANGS

STRINGS = catalogue()


def fields(text: str) -> list[tuple[str, str]]:
    """(name, format spec) of every placeholder in `text`."""
    return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name is not None]


def placeholders(text: str) -> set[str]:
    return {name for name, _ in fields(text)}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_with_the_same_placeholders(key):
    texts = STRINGS[key]
    assert set(texts) == set(LANGS)
    for lang in LANGS:
        assert texts[lang].strip(), (key, lang)
    assert placeholders(texts["nl"]) == placeholders(texts["en"]), key


@pytest.mark.parametrize("key", sorted(STRINGS))
@pytest.mark.parametrize("count", [1, 2])
def test_every_string_formats_with_its_placeholders(key, count):
    values = dict.fromkeys(placeholders(STRINGS[key]["nl"]), count)
    for lang in LANGS:
        text = t(key, lang, **values)
        assert "{" not in text and "}" not in text and "|" not in text, (key, lang)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_plural_placeholder_has_a_one_and_an_other_form(key):
    for lang in LANGS:
        for name, spec in fields(STRINGS[key][lang]):
            if "|" in spec:
                one, other = spec.split("|")  # exactly two forms
                assert one.strip() and other.strip() and one != other, (key, lang, name)


@pytest.mark.parametrize(
    ("key", "values", "nl", "en"),
    [
        (
            "edit_history_more",
            {"count": 1},
            "… en nog 1 oudere versie",
            "… and 1 older revision",
        ),
        (
            "edit_history_more",
            {"count": 4},
            "… en nog 4 oudere versies",
            "… and 4 older revisions",
        ),
        (
            "edit_reload_failed",
            {"count": 1},
            "De bestanden bevatten 1 fout. De inhoud die live was, blijft live.",
            "The files hold 1 error. The content that was live stays live.",
        ),
        (
            "edit_reload_failed",
            {"count": 0},
            "De bestanden bevatten 0 fouten. De inhoud die live was, blijft live.",
            "The files hold 0 errors. The content that was live stays live.",
        ),
        ("topics_count", {"count": 1}, "1 onderwerp", "1 topic"),
        ("topics_count", {"count": 12}, "12 onderwerpen", "12 topics"),
        ("error_cooldown", {"seconds": 1}, "Rustig aan: probeer het over 1 seconde opnieuw.", "Easy does it: try again in 1 second."),
        ("ins_stats_title", {"days": 1}, "Vragen in de afgelopen dag", "Questions in the last day"),
        ("ins_stats_title", {"days": 7}, "Vragen in de afgelopen 7 dagen", "Questions in the last 7 days"),
        (  # several counts in one sentence, each picking its own form
            "privacy_info_yours",
            {"questions": 1, "ratings": 2, "edits": 1},
            "1 vraag, 2 beoordelingen, je naam bij 1 bewerking van de inhoud.",
            "1 question, 2 ratings, your name on 1 content edit.",
        ),
        (
            "privacy_info_yours",
            {"questions": 3, "ratings": 1, "edits": 5},
            "3 vragen, 1 beoordeling, je naam bij 5 bewerkingen van de inhoud.",
            "3 questions, 1 rating, your name on 5 content edits.",
        ),
    ],
)
def test_counts_take_their_plural_form(key, values, nl, en):
    assert (t(key, "nl", **values), t(key, "en", **values)) == (nl, en)


def test_a_plural_form_needs_a_whole_count():
    with pytest.raises(TypeError, match="int count"):
        t("topics_count", "en", count="many")


def test_a_key_defined_twice_is_refused_and_named():
    extra = {"edit_saved": {"nl": "Opgeslagen", "en": "Saved"}}
    with pytest.raises(ValueError, match="'edit_saved' is defined twice: in editing and in extra"):
        merge_tables({"editing": read_table("editing"), "extra": extra})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tip_title]\nnl = "Tip"\nen = "Tip"\n\n[tip_title]\nnl = "Tip"\nen = "Tip"\n', "tip_title"),
        ('[tip_title]\nnl = "Tip"\n', r"\[tip_title\] needs exactly a Dutch \(nl\) and an English \(en\) text"),
    ],
)
def test_a_bad_table_file_is_refused_with_its_path_and_key(text, message):
    with pytest.raises(ValueError, match=message) as refused:
        parse_table(text, "bot/strings/extra.toml")
    assert str(refused.value).startswith("bot/strings/extra.toml: ")


def test_every_table_file_is_merged():
    files = resources.files("bot.strings").iterdir()
    assert {entry.name.removesuffix(".toml") for entry in files if entry.name.endswith(".toml")} == set(TABLES)


def test_translated_strings_differ_where_they_should():
    assert t("no_match", "nl") != t("no_match", "en")
    assert t("more_hint", "nl", topic="x") == "… (ingekort; gebruik /uitleg x voor de rest)"
    assert t("more_hint", "en", topic="x") == "… (shortened; use /explain x for the rest)"


def test_dutch_command_texts_fit_discord():
    assert COMMAND_NL
    for english, dutch in COMMAND_NL.items():
        assert dutch.strip(), english
        if " " not in english:  # a command or option name: lowercase, no spaces, 1-32 characters
            assert re.fullmatch(r"[-_\w]{1,32}", dutch) and dutch == dutch.lower(), dutch
        else:  # a description: 1-100 characters
            assert 1 <= len(dutch) <= 100, dutch
            assert dutch != english


@pytest.mark.parametrize(
    ("locale", "default", "expected"),
    [
        ("nl", "en", "nl"),
        ("nl", "nl", "nl"),
        ("en-US", "nl", "en"),
        ("en-GB", "nl", "en"),
        ("de", "nl", "nl"),
        ("de", "en", "en"),
        ("fr", "nl", "nl"),
        (None, "en", "en"),
        ("", "nl", "nl"),
    ],
)
def test_lang_for_locale(locale, default, expected):
    assert lang_for_locale(locale, default) == expected
