"""The edit form: what it shows, how a submit is validated, merged and compared."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.editing.diff import describe, topic_changes
from bot.editing.form import (
    INPUT_MAX,
    EditRejected,
    apply_form,
    form_values,
    format_aliases,
    merge,
    parse_aliases,
)
from bot.knowledge.loader import load_content
from bot.knowledge.model import ALIAS_MAX, SUMMARY_MAX, TITLE_MAX, Topic

CONTENT = load_content(Path(__file__).resolve().parents[1] / "content")


@pytest.fixture
def topic() -> Topic:
    return CONTENT.topics["cmo-skills"]


def test_form_shows_the_texts_of_one_language(topic: Topic) -> None:
    values = form_values(topic, "en")
    assert values["title"] == topic.title.en
    assert values["summary"] == topic.summary.en
    assert values["body"] == topic.body.en
    assert parse_aliases(values["aliases"]) == topic.aliases.en


def test_an_alias_with_a_comma_survives_the_form() -> None:
    aliases = ["how does the CMO work with the CEO, CFO and COO", 'the "real" CMO', "plain"]
    text = format_aliases(aliases)
    assert text == '"how does the CMO work with the CEO, CFO and COO", "the ""real"" CMO", plain'
    assert parse_aliases(text) == aliases


def test_parse_aliases_drops_blanks_and_repeats_and_accepts_new_lines() -> None:
    assert parse_aliases(" a ,, b\nA, c  d ,\n\n b") == ["a", "b", "c d"]
    assert parse_aliases("") == []


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1), max_size=6))
def test_format_then_parse_keeps_every_alias(aliases: list[str]) -> None:
    cleaned = []
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and alias.casefold() not in {seen.casefold() for seen in cleaned}:
            cleaned.append(alias)
    assert parse_aliases(format_aliases(cleaned)) == cleaned


def test_apply_form_changes_only_that_language(topic: Topic) -> None:
    values = form_values(topic, "nl") | {"title": "Nieuwe titel", "aliases": "een, twee"}
    edited = apply_form(topic, "nl", values)
    assert edited.title.nl == "Nieuwe titel" and edited.title.en == topic.title.en
    assert edited.aliases.nl == ["een", "twee"] and edited.aliases.en == topic.aliases.en
    assert edited.sections == topic.sections and edited.sources == topic.sources
    assert topic_changes(topic, edited) == (("title", "nl"), ("aliases", "nl"))
    assert describe(topic_changes(topic, edited)) == "title (nl), aliases (nl)"


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("title", "   ", "title.nl"),
        ("summary", "", "summary.nl"),
        ("title", "x" * (TITLE_MAX + 1), "title.nl"),
        ("summary", "x" * (SUMMARY_MAX + 1), "summary.nl"),
        ("aliases", "ok, " + "y" * (ALIAS_MAX + 1), "aliases.nl.1"),
        ("aliases", "z" * (INPUT_MAX + 1), "aliases.nl"),
    ],
)
def test_an_invalid_form_is_refused_naming_file_and_field(topic: Topic, field: str, value: str, path: str) -> None:
    with pytest.raises(EditRejected) as caught:
        apply_form(topic, "nl", form_values(topic, "nl") | {field: value})
    issues = caught.value.issues
    assert [issue.field for issue in issues] == [path]
    assert issues[0].file == "topics/cmo-skills.yaml (live edit)"


def test_merge_applies_only_what_the_submitter_changed() -> None:
    base = {"title": "T", "summary": "S", "body": "B", "aliases": "a, b"}
    current = base | {"summary": "S2"}  # someone else changed the summary meanwhile
    merged = merge(base, current, base | {"title": "T3", "aliases": "a,b"})  # aliases only reformatted
    assert merged.values == {"title": "T3", "summary": "S2", "body": "B", "aliases": "a, b"}
    assert merged.touched == ("title",) and merged.overwritten == ()


def test_merge_says_which_fields_it_overwrote() -> None:
    base = {"title": "T", "summary": "S", "body": "B", "aliases": ""}
    current = base | {"body": "B2"}
    merged = merge(base, current, base | {"body": "B3"})
    assert merged.values["body"] == "B3" and merged.overwritten == ("body",)
    # The same text as the other editor is no conflict.
    assert merge(base, current, base | {"body": "B2"}).overwritten == ()


def test_topic_changes_names_non_language_fields_whole(topic: Topic) -> None:
    data = topic.model_dump(mode="json")
    data["related"] = data["related"][:1]
    data["keywords"]["en"] = ["x"]
    other = Topic.model_validate(data)
    assert topic_changes(topic, other) == (("keywords", "en"), ("related", None))
    assert topic_changes(topic, topic) == ()
