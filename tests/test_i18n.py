"""Every user-facing string exists in Dutch and English, and locales pick the right language."""

from __future__ import annotations

import re
import string

import pytest

from bot.i18n import COMMAND_NL, STRINGS, lang_for_locale, t
from bot.knowledge.model import LANGS


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_with_the_same_placeholders(key):
    texts = STRINGS[key]
    assert set(texts) == set(LANGS)
    for lang in LANGS:
        assert texts[lang].strip(), (key, lang)
    assert placeholders(texts["nl"]) == placeholders(texts["en"]), key


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_formats_with_its_placeholders(key):
    values = {name: "X" for name in placeholders(STRINGS[key]["nl"])}
    for lang in LANGS:
        text = t(key, lang, **values)
        assert "{" not in text and "}" not in text, (key, lang)


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
