"""Search over the shipped content: right answers, typo tolerance, honest "no match"."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import ContentSet, default_content_dir, load_content
from bot.knowledge.snapshot import AUTOCOMPLETE_LIMIT, ContentSnapshot, build_snapshot
from bot.knowledge.text import fold, guess_language


@pytest.fixture(scope="module")
def content() -> ContentSet:
    return load_content(default_content_dir())


@pytest.fixture(scope="module")
def snapshot(content) -> ContentSnapshot:
    return build_snapshot(content)


@pytest.mark.parametrize(
    ("question", "lang", "topic_id"),
    [
        ("Wat doet een CMO?", "nl", "cmo-responsibilities"),
        ("what does a COO do", "en", "role-coo"),
        ("what does a CFO do", "en", "role-cfo"),
        ("Wat is een CMO?", "nl", "what-is-a-cmo"),
        ("marketing automatin", "en", "marketing-automation"),
        ("marketing automatin", "nl", "marketing-automation"),
        ("cusotmer journey mapping", "en", "customer-journey-mapping"),
        ("cusotmer journey mapping", "nl", "customer-journey-mapping"),
    ],
)
def test_questions_get_the_right_topic(snapshot, question, lang, topic_id):
    answer = snapshot.answer(question, lang)
    assert answer.topic_id == topic_id
    assert answer.matched
    assert answer.lang == lang
    assert topic_id not in answer.suggestions
    assert len(answer.suggestions) <= 3
    assert all(suggestion in snapshot.topics for suggestion in answer.suggestions)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("How do I make pancakes with blueberries?", "en"),
        ("Recept voor appeltaart met kaneel", "nl"),
        ("Wie won de wedstrijd Ajax Feyenoord gisteren?", "nl"),
        ("What were the Premier League football results this weekend?", "en"),
        ("Hoe vul ik mijn belastingaangifte box 3 in?", "nl"),
        ("What is the Apple share price today?", "en"),
        ("Hoe oud is Mark Rutte?", "nl"),
        ("Who is Taylor Swift dating?", "en"),
    ],
)
def test_off_topic_questions_get_no_match(snapshot, question, lang):
    answer = snapshot.answer(question, lang)
    assert answer.topic_id is None
    assert not answer.matched
    assert len(answer.suggestions) <= 3


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "?!?...", "???", "🚀🔥😀", "👍", "\u200b\u200b"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_empty_or_meaningless_questions_get_no_match(snapshot, question, lang):
    answer = snapshot.answer(question, lang)
    assert answer.topic_id is None
    assert answer.suggestions == ()


def test_long_hostile_question_does_not_raise(snapshot):
    chunk = "**Wat** doet een `CMO`? @everyone <@123> ||spoiler|| \u200bmarketing\u200d_automation_ > quote\n"
    question = (chunk * 40)[:2000]
    assert len(question) == 2000
    for lang in ("nl", "en"):
        answer = snapshot.answer(question, lang)
        assert answer.topic_id is None or answer.topic_id in snapshot.topics
        assert len(answer.suggestions) <= 3


def test_fts_syntax_in_a_question_does_not_raise(snapshot):
    for question in ['"unbalanced quote', "cmo AND OR NOT", "NEAR(cmo ceo)", "col:value *", "-cmo ^ceo"]:
        snapshot.answer(question, "en")


def test_zero_width_characters_inside_words_are_ignored(snapshot):
    assert snapshot.answer("marketing\u200b auto\u200dmation", "en").topic_id == "marketing-automation"


def test_accents_do_not_matter(snapshot):
    with_accent = snapshot.answer("Wat doet de CFO met financiën?", "nl")
    without = snapshot.answer("Wat doet de CFO met financien?", "nl")
    assert with_accent.topic_id == without.topic_id == "role-cfo"
    assert with_accent.score == without.score


def test_case_does_not_matter(snapshot):
    assert snapshot.answer("WAT DOET EEN CMO?", "nl").topic_id == snapshot.answer("wat doet een cmo?", "nl").topic_id


def test_a_learned_alias_makes_a_question_answerable(content, snapshot):
    question = "robots die voor ons winkelen"
    assert snapshot.answer(question, "nl").topic_id != "agentic-buying"
    learned = build_snapshot(content, learned_aliases={"agentic-buying": {"nl": ["robots die voor ons winkelen"]}})
    assert learned.answer(question, "nl").topic_id == "agentic-buying"
    # The snapshot built without it is unchanged.
    assert snapshot.answer(question, "nl").topic_id != "agentic-buying"


def test_a_learned_alias_for_an_unknown_topic_is_ignored(content):
    learned = build_snapshot(content, learned_aliases={"no-such-topic": {"nl": ["robots die voor ons winkelen"]}})
    assert "no-such-topic" not in learned.learned_aliases
    assert learned.answer("robots die voor ons winkelen", "nl").topic_id is None


def test_learned_alias_shows_up_in_autocomplete(content):
    learned = build_snapshot(content, learned_aliases={"agentic-buying": {"nl": ["robotwinkelhulp"]}})
    assert "agentic-buying" in [topic_id for topic_id, _ in learned.complete("robotwinkelhulp", "nl")]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("text", ["", "a", "cmo", "marketing", "e", "wat"])
def test_autocomplete_returns_at_most_25_topic_ids_with_titles(snapshot, lang, text):
    choices = snapshot.complete(text, lang)
    assert len(choices) <= AUTOCOMPLETE_LIMIT == 25
    ids = [topic_id for topic_id, _ in choices]
    assert len(set(ids)) == len(ids)
    for topic_id, title in choices:
        assert title == snapshot.topics[topic_id].title.get(lang)
        assert len(title) <= 100  # Discord's limit for a choice name


def test_autocomplete_respects_a_smaller_limit(snapshot):
    assert len(snapshot.complete("", "nl", limit=5)) == 5
    assert len(snapshot.complete("cmo", "nl", limit=3)) <= 3
    assert len(snapshot.complete("", "nl", limit=100)) == 25


def test_autocomplete_tolerates_a_typo(snapshot):
    choices = snapshot.complete("marketng autom", "nl")
    assert choices[0][0] == "marketing-automation"


def test_autocomplete_finds_by_alias(snapshot):
    ids = [topic_id for topic_id, _ in snapshot.complete("cmo vs coo", "nl")]
    assert "c-level-comparison" in ids


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_empty_autocomplete_lists_titles_alphabetically(snapshot, lang):
    choices = snapshot.complete("   ", lang)
    titles = [title for _, title in choices]
    assert titles == sorted(titles, key=fold)
    every_title = sorted((topic.title.get(lang) for topic in snapshot.topics.values()), key=fold)
    assert titles == every_title[:25]


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Wat doet een CMO eigenlijk?", "nl"),
        ("Wat is het verschil tussen een CEO en een CFO?", "nl"),
        ("Hoe gebruik je AI in marketing?", "nl"),
        ("What does a CMO do?", "en"),
        ("What is the difference between a CEO and a CFO?", "en"),
        ("How should marketers use AI?", "en"),
    ],
)
def test_guess_language(question, lang):
    assert guess_language(question) == lang
    assert guess_language(question, default="en" if lang == "nl" else "nl") == lang


@pytest.mark.parametrize("default", ["nl", "en"])
def test_guess_language_without_clues_uses_the_default(default):
    assert guess_language("CMO", default) == default
    assert guess_language("", default) == default
