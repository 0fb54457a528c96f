"""The insights core on a real database: stats, chart, retention, learned aliases."""

from __future__ import annotations

import pytest

from bot.asking import answer_in
from bot.clock import utc
from bot.insights.chart import questions_chart
from bot.insights.grouping import QuestionGroup, group_key
from bot.insights.loop import ImprovementLoop
from bot.insights.queries import DayCount, InsightsQueries
from bot.insights.retention import apply_retention
from bot.insights.stats import collect_stats, period_start
from bot.knowledge.loader import default_content_dir
from bot.knowledge.store import ContentStore
from bot.storage.aliases import AliasRepository, learned_aliases_by_topic, load_learned
from bot.storage.database import open_database
from bot.storage.questions import QuestionRepository
from tests.insights_helpers import GUILD, NOW, OTHER, record


@pytest.fixture
async def db(database_target):
    async with await open_database(database_target) as database:
        yield database


async def test_stats_cover_every_day_of_the_period_for_one_guild(db):
    answered = record("wat doet een cmo", "cmo-responsibilities", days_ago=0)
    records = [
        answered,
        record("wat is roas", None, days_ago=0),
        record("Wat is ROAS?", None, days_ago=2),
        record("wat is roas", None, days_ago=9),  # before the period
        record("wat is roas", None, days_ago=0, guild=OTHER),  # another guild
        record("cmo-skills", "cmo-skills", days_ago=1, command="topics-select"),  # read, not asked
    ]
    await QuestionRepository(db).insert_many(records)
    await QuestionRepository(db).record_feedback(answered.id, "r", -1)

    stats = await collect_stats(InsightsQueries(db), GUILD, NOW, 7)

    assert [day.day for day in stats.days] == [f"2026-03-{d:02d}" for d in range(4, 11)]
    assert stats.days[-1] == DayCount("2026-03-10", 1, 1)
    assert stats.days[-3] == DayCount("2026-03-08", 0, 1)
    assert (stats.asked, stats.answered) == (3, 1)
    assert stats.top_topics == (("cmo-responsibilities", 1), ("cmo-skills", 1))
    assert [(g.normalised, g.count) for g in stats.top_unanswered] == [("wat is roas", 2)]
    assert [(r.topic_id, r.up, r.down) for r in stats.lowest_rated] == [("cmo-responsibilities", 0, 1)]


def test_period_starts_at_midnight_utc():
    assert period_start(NOW, 1) == utc(2026, 3, 10)
    assert period_start(NOW, 7) == utc(2026, 3, 4)


def test_chart_is_a_png():
    days = [DayCount(f"2026-03-{d:02d}", d % 3, d % 2, d % 4) for d in range(1, 31)]
    png = questions_chart(days, ("beantwoord", "beste gok", "niet beantwoord", "Vragen per dag"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert questions_chart([DayCount("2026-03-01", 0, 0)], ("a", "b", "c", "d")).startswith(b"\x89PNG")


async def test_retention_deletes_exactly_what_is_older_than_the_period(db):
    repository = QuestionRepository(db)
    old, edge, young = record("old", None, days_ago=30.001), record("edge", None, days_ago=30), record("young", None, days_ago=1)
    await repository.insert_many([old, edge, young])
    await repository.record_feedback(old.id, "r", 1)
    await repository.record_feedback(young.id, "r", 1)

    assert await apply_retention(repository, NOW, 30) == 1

    assert {r.question for r in await repository.recent()} == {"edge", "young"}
    assert await repository.feedback_for(old.id) is None
    assert await repository.feedback_for(young.id) == 1


async def test_attaching_again_moves_the_alias_and_the_overlay_has_the_stores_shape(db):
    aliases = AliasRepository(db)
    key = group_key("nl", "wat is roas")
    await aliases.attach(topic_id="a", lang="nl", alias="Wat is ROAS?", group_key=key, guild_id=1, source="unanswered")
    await aliases.attach(topic_id="b", lang="nl", alias="wat is roas", group_key=key, guild_id=1, source="suggestion")
    await aliases.attach(
        topic_id="b",
        lang="en",
        alias="what is roas",
        group_key=group_key("en", "what is roas"),
        guild_id=2,
        source="unanswered",
    )
    # With guild 1 as the home server its aliases are shared; guild 2's counts in guild 2 only.
    assert await learned_aliases_by_topic(db, home_guild_id=1) == {"b": {"nl": ("wat is roas",)}}
    shared, per_guild = await load_learned(db, home_guild_id=None)
    assert shared == {}  # without a home server nothing is shared
    assert per_guild == {1: {("nl", key): "b"}, 2: {("en", group_key("en", "what is roas")): "b"}}


async def test_dismissals_are_per_guild_and_per_suggestion(db):
    aliases = AliasRepository(db)
    await aliases.dismiss(1, "k1")
    await aliases.dismiss(1, "k2", "topic")
    await aliases.dismiss(1, "k2", "topic")  # twice is once
    assert await aliases.dismissed(1) == {("k1", ""), ("k2", "topic")}
    assert await aliases.dismissed(2) == set()


async def test_an_alias_that_cannot_be_made_live_is_not_kept(db, monkeypatch):
    store = ContentStore.from_dir(default_content_dir())
    loop = ImprovementLoop(db, store)
    group = QuestionGroup(group_key("nl", "wat is roas"), "nl", "wat is roas", "Wat is ROAS?", 2, "")

    def broken(**_: object) -> None:
        raise RuntimeError("index build failed")

    monkeypatch.setattr(store, "rebuild", broken)
    before = store.current
    with pytest.raises(RuntimeError):
        await loop.attach(GUILD, group, "data-driven-marketing", "unanswered")
    assert await AliasRepository(db).all() == []
    assert store.current is before

    monkeypatch.undo()
    attached = await loop.attach(GUILD, group, "data-driven-marketing", "unanswered")
    assert attached.answers_now and not attached.shared
    assert answer_in(store, "wat is roas", "nl", GUILD).topic_id == "data-driven-marketing"
    assert not answer_in(store, "wat is roas", "nl", GUILD + 1).matched  # no home server: this guild only
