"""Unanswered questions asked many ways are one group; its key fits a custom id."""

from __future__ import annotations

from bot.insights.grouping import alias_text, group_key, group_questions, normalise
from bot.knowledge.model import ALIAS_MAX


def test_case_accents_punctuation_and_spacing_do_not_split_a_group():
    assert normalise("Wat is  ROAS ??") == normalise("wat is roas") == "wat is roas"
    assert normalise("Financiën!") == "financien"
    assert normalise("?!") == ""


def test_groups_are_counted_and_ordered_most_asked_first_then_most_recent():
    rows = [
        ("Wat is ROAS?", "nl", "2026-01-01T10:00:00.000Z"),
        ("cmo salaris", "nl", "2026-01-03T10:00:00.000Z"),
        ("wat is roas", "nl", "2026-01-02T10:00:00.000Z"),
        ("Wat is ROAS?", "nl", "2026-01-01T11:00:00.000Z"),
        ("what is roas", "en", "2026-01-04T10:00:00.000Z"),
        ("???", "nl", "2026-01-04T10:00:00.000Z"),  # nothing left to group on
    ]
    groups = group_questions(rows)
    assert [(g.normalised, g.lang, g.count) for g in groups] == [
        ("wat is roas", "nl", 3),
        ("what is roas", "en", 1),  # most recent of the single ones
        ("cmo salaris", "nl", 1),
    ]
    assert groups[0].text == "Wat is ROAS?"  # the most common phrasing
    assert groups[0].last_asked == "2026-01-02T10:00:00.000Z"


def test_key_is_short_stable_and_depends_on_the_language():
    key = group_key("nl", "wat is roas")
    assert len(key) == 16 and int(key, 16) >= 0
    assert key == group_key("nl", "wat is roas") != group_key("en", "wat is roas")
    assert len(f"cmo:ins:att:{key}:{'x' * 64}") <= 100


def test_alias_text_fits_the_content_limit_and_cuts_at_a_word():
    assert alias_text("  wat is roas ") == "wat is roas"
    long = "marketing " * 30
    cut = alias_text(long)
    assert len(cut) <= ALIAS_MAX and cut.endswith("marketing")
