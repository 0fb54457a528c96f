"""Property tests with arbitrary unicode: the loader fails only with its own validation error,
search never raises, and every rendered embed stays within Discord's limits."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.features.common import quote_user_text
from bot.knowledge.loader import ContentError, default_content_dir, load_content
from bot.knowledge.model import Topic
from bot.knowledge.snapshot import build_snapshot
from bot.limits import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
)
from bot.topic_embeds import embed_length, no_match_embed, topic_embed

SNAPSHOT = build_snapshot(load_content(default_content_dir()))
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(st.characters(codec="utf-8"), max_size=300)
json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)


def assert_within_limits(embed: dict) -> None:
    assert len(embed.get("title", "")) <= TITLE_LIMIT
    assert len(embed.get("description", "")) <= DESCRIPTION_LIMIT
    assert len(embed.get("fields", [])) <= FIELD_COUNT_LIMIT
    for field in embed.get("fields", []):
        assert 0 < len(field["name"]) <= FIELD_NAME_LIMIT
        assert 0 < len(field["value"]) <= FIELD_VALUE_LIMIT
    assert len(embed.get("footer", {}).get("text", "")) <= FOOTER_LIMIT
    assert embed_length(embed) <= EMBED_TOTAL_LIMIT


@PROPERTY_SETTINGS
@given(st.one_of(json_like, st.fixed_dictionaries({"id": text, "title": json_like, "sections": json_like})))
def test_loader_raises_only_its_validation_error_on_any_topic_data(data):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        (root / "topics").mkdir(parents=True)
        (root / "topics" / "anything.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        (root / "tips.yaml").write_text("tips: []\n", encoding="utf-8")
        with pytest.raises(ContentError):
            load_content(root)


@PROPERTY_SETTINGS
@given(st.text(max_size=2000))
def test_loader_raises_only_its_validation_error_on_any_file_text(raw):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        (root / "topics").mkdir(parents=True)
        (root / "topics" / "raw.yaml").write_text(raw, encoding="utf-8", errors="surrogatepass")
        (root / "tips.yaml").write_text(raw, encoding="utf-8", errors="surrogatepass")
        with pytest.raises(ContentError):
            load_content(root)


@PROPERTY_SETTINGS
@given(st.text(max_size=2000), st.sampled_from(["nl", "en"]))
def test_search_and_autocomplete_never_raise(question, lang):
    answer = SNAPSHOT.answer(question, lang)
    assert len(answer.suggestions) <= 3
    assert answer.topic_id is None or answer.topic_id in SNAPSHOT.topics
    assert len(SNAPSHOT.complete(question[:100], lang)) <= 25


def bounded(max_size: int) -> st.SearchStrategy[str]:
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=max_size).filter(
        str.strip
    )


def localized(max_size: int) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({"nl": bounded(max_size), "en": bounded(max_size)})


topics = st.builds(
    dict,
    id=st.just("generated"),
    category=st.sampled_from(["cmo-role", "c-suite", "ai-trends"]),
    title=localized(100),
    summary=localized(400),
    body=localized(2000),
    sections=st.lists(
        st.one_of(
            st.fixed_dictionaries({"heading": localized(256), "text": localized(1024)}),
            st.fixed_dictionaries({"heading": localized(256), "items": st.lists(localized(60), min_size=1, max_size=5)}),
        ),
        max_size=8,
    ),
    sources=st.lists(
        st.fixed_dictionaries({"title": bounded(200), "publisher": bounded(100), "date": st.just("2025-11")}),
        min_size=1,
        max_size=3,
    ),
)


@PROPERTY_SETTINGS
@given(topics, st.sampled_from(["nl", "en"]))
def test_every_rendered_topic_embed_is_within_discord_limits(data, lang):
    assert_within_limits(topic_embed(Topic.model_validate(data), lang))


@PROPERTY_SETTINGS
@given(st.text(max_size=2000), st.sampled_from(["nl", "en"]))
def test_no_match_embed_for_any_question_is_within_limits(question, lang):
    suggestions = [SNAPSHOT.topics[topic_id] for topic_id in list(SNAPSHOT.topics)[:3]]
    assert_within_limits(no_match_embed(quote_user_text(question), suggestions, lang))
