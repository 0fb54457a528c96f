"""The shipped content: valid, complete in both languages, sourced, and saying what it must."""

from __future__ import annotations

import re

import pytest

from bot.cli_text import topic_text
from bot.knowledge.loader import ContentSet, default_content_dir, load_content
from bot.knowledge.model import CATEGORIES, LANGS, Topic
from bot.knowledge.text import fold


@pytest.fixture(scope="module")
def content() -> ContentSet:
    return load_content(default_content_dir())


def all_text(topic: Topic, lang: str) -> str:
    """Everything a user can read of a topic in one language, plus its aliases and keywords."""
    return "\n".join([topic_text(topic, lang), *topic.aliases.get(lang), *topic.keywords.get(lang)])


def test_shipped_content_loads_without_errors(content):
    assert len(content.topics) >= 29


def test_every_category_has_topics(content):
    categories = {topic.category for topic in content.topics.values()}
    assert categories == set(CATEGORIES)


@pytest.mark.parametrize("lang", LANGS)
def test_every_topic_is_written_in_both_languages(content, lang):
    for topic in content.topics.values():
        assert topic.title.get(lang).strip(), topic.id
        assert topic.summary.get(lang).strip(), topic.id
        assert topic.body.get(lang).strip(), topic.id
        for section in topic.sections:
            assert section.heading.get(lang).strip(), topic.id


def test_the_two_languages_are_actually_different_texts(content):
    for topic in content.topics.values():
        assert topic.summary.get("nl") != topic.summary.get("en"), topic.id


@pytest.mark.parametrize("role", ["ceo", "cfo", "coo", "cio"])
def test_there_is_a_topic_for_each_other_c_level_role(content, role):
    topic = content.topics[f"role-{role}"]
    assert topic.category == "c-suite"
    for lang in LANGS:
        assert role.upper() in topic.title.get(lang)


def test_c_level_comparison_table_has_all_five_roles(content):
    comparisons = [
        table
        for topic in content.topics.values()
        if topic.category == "c-suite"
        for table in topic.tables
        if {"CEO", "CFO", "COO", "CIO", "CMO"} <= {row[0].get("en") for row in table.rows}
    ]
    assert comparisons, "no c-suite table compares CEO, CFO, COO, CIO and CMO"
    table = comparisons[0]
    for lang in LANGS:
        assert sorted(row[0].get(lang) for row in table.rows) == ["CEO", "CFO", "CIO", "CMO", "COO"]


def test_at_least_30_tips_and_each_points_to_an_existing_topic(content):
    assert len(content.tips) >= 30
    for tip in content.tips:
        assert tip.topic in content.topics, tip.id
        for lang in LANGS:
            assert tip.text.get(lang).strip(), tip.id
    assert len({tip.id for tip in content.tips}) == len(content.tips)


def test_related_topics_exist(content):
    for topic in content.topics.values():
        for related in topic.related:
            assert related in content.topics, (topic.id, related)


@pytest.mark.parametrize("figure", ["65%", "82%", "402", "426", "5%", "2025"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_gartner_figure_is_in_the_ai_trends_content(content, figure, lang):
    text = "\n".join(all_text(topic, lang) for topic in content.topics.values() if topic.category == "ai-trends")
    # "5%" must stand on its own, not only as the end of "65%".
    assert re.search(rf"(?<!\d){re.escape(figure)}(?!\d)", text), f"{figure} missing in {lang}"


def test_the_dutch_name_marketingdirecteur_appears(content):
    nl_text = "\n".join(all_text(topic, "nl") for topic in content.topics.values())
    assert "marketingdirecteur" in nl_text.lower()


def test_every_topic_names_at_least_one_source(content):
    for topic in content.topics.values():
        assert topic.sources, topic.id
        for source in topic.sources:
            assert source.title.strip() and source.publisher.strip() and source.date, topic.id


@pytest.mark.parametrize("lang", LANGS)
def test_no_two_topics_share_an_alias(content, lang):
    owner: dict[str, str] = {}
    clashes = []
    for topic in content.topics.values():
        for alias in set(map(fold, topic.aliases.get(lang))):
            if alias in owner and owner[alias] != topic.id:
                clashes.append((alias, owner[alias], topic.id))
            owner.setdefault(alias, topic.id)
    assert clashes == []


@pytest.mark.parametrize("lang", LANGS)
def test_titles_are_unique(content, lang):
    titles = [fold(topic.title.get(lang)) for topic in content.topics.values()]
    assert len(set(titles)) == len(titles)
