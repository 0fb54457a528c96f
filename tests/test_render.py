"""Embeds (plain dicts in Discord's JSON shape) never break Discord's limits and show sources."""

from __future__ import annotations

import pytest

from bot.cli_text import source_line
from bot.i18n import t
from bot.knowledge.loader import ContentSet, default_content_dir, load_content
from bot.knowledge.model import (
    LANGS,
    Body,
    Cell,
    FieldText,
    Heading,
    Section,
    Source,
    Summary,
    Table,
    Terms,
    Title,
    Topic,
)
from bot.topic_embeds import embed_length, no_match_embed, tip_embed, topic_embed


@pytest.fixture(scope="module")
def content() -> ContentSet:
    return load_content(default_content_dir())


def assert_within_discord_limits(embed: dict) -> None:
    assert 0 < len(embed["title"]) <= 256
    assert len(embed.get("description", "")) <= 4096
    fields = embed.get("fields", [])
    assert len(fields) <= 25
    for field in fields:
        assert 0 < len(field["name"]) <= 256
        assert 0 < len(field["value"]) <= 1024
    assert len(embed.get("footer", {}).get("text", "")) <= 2048
    assert embed_length(embed) <= 6000
    # embed_length must count what Discord counts: recompute independently.
    total = len(embed["title"]) + len(embed.get("description", ""))
    total += sum(len(field["name"]) + len(field["value"]) for field in fields)
    total += len(embed.get("footer", {}).get("text", ""))
    assert embed_length(embed) == total


def test_every_shipped_topic_fits_in_both_languages(content):
    checked = 0
    for topic in content.topics.values():
        for lang in LANGS:
            embed = topic_embed(topic, lang)
            assert_within_discord_limits(embed)
            assert embed["title"] == topic.title.get(lang)
            assert topic.summary.get(lang) in embed["description"]
            footer = embed["footer"]["text"]
            assert footer.startswith(t("sources", lang) + ": ")
            for source in topic.sources:
                assert source.title in footer and source.publisher in footer, topic.id
            checked += 1
    assert checked == 2 * len(content.topics)


def test_sections_and_tables_become_fields_in_order(content):
    topic = content.topics["c-level-comparison"]
    for lang in LANGS:
        embed = topic_embed(topic, lang)
        names = [field["name"] for field in embed["fields"]]
        assert names[0] == topic.sections[0].heading.get(lang)
        assert names[-1].startswith(topic.tables[0].title.get(lang))
        table_value = embed["fields"][-1]["value"]
        for role in ("CEO", "CFO", "COO", "CIO", "CMO"):
            assert f"**{role}**" in table_value


def test_accessed_date_is_labelled_in_the_footer():
    source = Source(title="Bron", publisher="Uitgever", date="2026-11", date_basis="accessed")
    assert source_line(source, "nl") == "Bron — Uitgever (geraadpleegd 2026-11)"
    assert source_line(source, "en") == "Bron — Uitgever (accessed 2026-11)"
    published = Source(title="Report", publisher="Gartner", date="2025-10-01")
    assert source_line(published, "en") == "Report — Gartner (2025-10-01)"


def _both(text: str, limit: int) -> dict[str, str]:
    return {"nl": (text + " nl ") * (limit // len(text) + 1), "en": (text + " en ") * (limit // len(text) + 1)}


def _max(model, text: str, limit: int):
    values = _both(text, limit)
    return model(nl=values["nl"][:limit].strip() + "x", en=values["en"][:limit].strip() + "y")


def huge_topic(section_count: int, *, validate: bool) -> Topic:
    """A topic with every text at (or, without validation, past) its maximum length."""
    sections = [
        Section(heading=_max(Heading, f"Kop {index}", 255), text=_max(FieldText, f"Tekst {index}", 1023))
        for index in range(section_count)
    ]
    rows = [[Cell(nl=f"Rol {row}", en=f"Role {row}"), _max(Cell, "cel", 300)] for row in range(20)]
    table = Table(
        title=_max(Heading, "Tabel", 255), columns=[Cell(nl="Rol", en="Role"), _max(Cell, "kolom", 200)], rows=rows
    )
    sources = [Source(title="T" * 300, publisher="P" * 200, date="2025") for _ in range(10)]
    fields = {
        "id": "huge-topic",
        "category": "ai-trends",
        "title": _max(Title, "Titel", 99),
        "summary": _max(Summary, "Samenvatting", 399),
        "body": _max(Body, "Uitleg", 1999),
        "sections": sections,
        "tables": [table, table],
        "aliases": Terms(),
        "keywords": Terms(),
        "related": [],
        "sources": sources,
    }
    return Topic(**fields) if validate else Topic.model_construct(**fields)


@pytest.mark.parametrize("lang", LANGS)
def test_largest_valid_topic_is_shortened_with_a_more_hint(lang):
    topic = huge_topic(8, validate=True)
    embed = topic_embed(topic, lang)
    assert_within_discord_limits(embed)
    assert embed["description"].endswith(t("more_hint", lang, topic="huge-topic"))
    assert {"nl": "/uitleg huge-topic", "en": "/explain huge-topic"}[lang] in embed["description"]
    assert embed["fields"], "the first sections should still be shown"
    assert embed["footer"]["text"].endswith("…")


@pytest.mark.parametrize("lang", LANGS)
def test_topic_with_more_sections_than_fields_stays_within_limits(lang):
    topic = huge_topic(40, validate=False)
    embed = topic_embed(topic, lang)
    assert_within_discord_limits(embed)
    assert t("more_hint", lang, topic="huge-topic") in embed["description"]


@pytest.mark.parametrize("lang", LANGS)
def test_many_short_sections_stop_at_the_field_count_limit(lang):
    sections = [
        Section(heading=Heading(nl=f"Kop {i}", en=f"Heading {i}"), text=FieldText(nl="kort", en="short"))
        for i in range(40)
    ]
    base = huge_topic(0, validate=True)
    topic = Topic.model_construct(**{**dict(base), "sections": sections, "tables": []})
    embed = topic_embed(topic, lang)
    assert_within_discord_limits(embed)
    assert len(embed["fields"]) == 24
    assert t("more_hint", lang, topic="huge-topic") in embed["description"]


@pytest.mark.parametrize("lang", LANGS)
def test_texts_past_every_limit_are_clipped(lang):
    base = huge_topic(3, validate=True)
    topic = Topic.model_construct(
        **{
            **dict(base),
            "title": Title.model_construct(nl="T" * 400, en="T" * 400),
            "summary": Summary.model_construct(nl="S" * 3000, en="S" * 3000),
            "body": Body.model_construct(nl="B" * 3000, en="B" * 3000),
            "sections": [
                Section.model_construct(
                    heading=Heading.model_construct(nl="H" * 300, en="H" * 300),
                    text=FieldText.model_construct(nl="X" * 2000, en="X" * 2000),
                    items=None,
                )
            ],
            "sources": [Source(title="S" * 500, publisher="P", date="2025")] * 10,
        }
    )
    embed = topic_embed(topic, lang)
    assert_within_discord_limits(embed)
    assert embed["title"].endswith("…")


def test_no_match_embed_lists_suggested_titles(content):
    suggestions = [content.topics["role-cfo"], content.topics["role-coo"]]
    for lang in LANGS:
        embed = no_match_embed("hoe bak ik pannenkoeken", suggestions, lang)
        assert_within_discord_limits(embed)
        assert embed["title"] == t("no_match_title", lang)
        assert "> hoe bak ik pannenkoeken" in embed["description"]
        assert t("no_match", lang) in embed["description"]
        (field,) = embed["fields"]
        assert field["name"] == t("suggestions", lang)
        for topic in suggestions:
            assert topic.title.get(lang) in field["value"]


def test_no_match_embed_without_suggestions_has_no_fields():
    embed = no_match_embed("?", [], "en")
    assert embed["fields"] == []
    assert_within_discord_limits(embed)


def test_no_match_embed_with_a_very_long_question_stays_within_limits():
    embed = no_match_embed("x" * 5000, [], "nl")
    assert_within_discord_limits(embed)


def test_tip_embed_points_to_its_topic(content):
    tip = content.tips[0]
    topic = content.topics[tip.topic]
    for lang in LANGS:
        embed = tip_embed(tip, topic, lang)
        assert_within_discord_limits(embed)
        assert embed["description"] == tip.text.get(lang)
        assert topic.title.get(lang) in embed["footer"]["text"]
    assert "footer" not in tip_embed(tip, None, "nl")


def test_every_shipped_tip_fits(content):
    for tip in content.tips:
        for lang in LANGS:
            assert_within_discord_limits(tip_embed(tip, content.topics[tip.topic], lang))
