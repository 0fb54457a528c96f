"""Best guesses in the moderators' insights, on a real SQLite file: stats count them apart
from answers (with their own 👍/👎), a 👎'd guess joins the unanswered queue, and the export
says how each /ask went. Rows from before migration 0007 have no outcome and count as before."""

from __future__ import annotations

import csv
import io

import pytest

from bot.i18n import t
from bot.insights.embeds import group_embed, stats_embed
from bot.insights.export import HEADER, questions_csv
from bot.insights.grouping import normalise
from bot.insights.loop import ImprovementLoop
from bot.insights.queries import DayCount, InsightsQueries
from bot.insights.stats import collect_stats
from bot.knowledge.loader import default_content_dir
from bot.knowledge.store import ContentStore
from bot.storage.database import Database, open_database
from bot.storage.questions import QuestionRecord, QuestionRepository
from tests.insights_helpers import (
    GUILD,
    NOW,
    OTHER,
    a_guess,
    guess_lines,
    record,
    stats_fields,
    stats_summary,
)

ANSWERED = "Wat doet een CMO?"


def quote(text: str, limit: int = 1000) -> str:
    return text[:limit]


@pytest.fixture
async def db(database_target):
    async with await open_database(database_target) as database:
        yield database


@pytest.fixture
def store() -> ContentStore:
    return ContentStore.from_dir(default_content_dir())


async def rate(db: Database, question: QuestionRecord, *ratings: int) -> None:
    repository = QuestionRepository(db)
    for n, rating in enumerate(ratings):
        await repository.record_feedback(question.id, f"reader-{n}", rating)


# ---------------------------------------------------------------------------------------------- stats


async def test_stats_split_answered_guessed_and_unanswered_per_day_with_old_rows_counted(db):
    answer = record("wat doet een cmo", "cmo-responsibilities", "answer")
    guess_down = record("wat is branding", "cmo-branding-positioning", "guess")
    guess_up = record("branding?", "cmo-branding-positioning", "guess", days_ago=1)
    other_guess = record("loyaliteit", "customer-loyalty", "guess", days_ago=1)
    records = [
        answer,
        guess_down,
        guess_up,
        other_guess,
        record("wat is roas", None, "none"),
        record("oud antwoord", "cmo-skills", None, days_ago=2),  # before 0007: a topic shown, answered
        record("oude vraag", None, None, days_ago=2),  # before 0007: nothing shown, unanswered
        record("cmo-skills", "cmo-skills", None, command="topics-select"),  # read, not asked
        record("wat is branding", "cmo-branding-positioning", "guess", guild=OTHER),  # another server
        record("wat is branding", "cmo-branding-positioning", "guess", days_ago=9),  # before the period
    ]
    await QuestionRepository(db).insert_many(records)
    await rate(db, answer, -1)
    await rate(db, guess_down, -1, -1, 1)
    await rate(db, guess_up, 1)

    stats = await collect_stats(InsightsQueries(db), GUILD, NOW, 7)

    assert stats.days[-1] == DayCount("2026-03-10", answered=1, unanswered=1, guessed=1)
    assert stats.days[-2] == DayCount("2026-03-09", answered=0, unanswered=0, guessed=2)
    assert stats.days[-3] == DayCount("2026-03-08", answered=1, unanswered=1, guessed=0)
    assert (stats.asked, stats.answered, stats.guessed, stats.unanswered) == (7, 2, 3, 2)
    assert (stats.guesses_up, stats.guesses_down) == (2, 2)
    # Most 👎 first; each guessed topic with how often it was guessed.
    assert [(g.topic_id, g.guesses, g.up, g.down) for g in stats.guesses] == [
        ("cmo-branding-positioning", 2, 2, 2),
        ("customer-loyalty", 1, 0, 0),
    ]
    # Ratings of guesses do not make a topic "lowest rated": that list is about answers.
    assert [(r.topic_id, r.up, r.down) for r in stats.lowest_rated] == [("cmo-responsibilities", 0, 1)]
    assert [g.normalised for g in stats.top_unanswered] == ["wat is roas", "oude vraag"]  # newest first


async def test_stats_embed_shows_the_shares_and_the_guesses_apart(db, store):
    guess = record("wat is branding", "cmo-branding-positioning", "guess")
    await QuestionRepository(db).insert_many(
        [guess, record("wat doet een cmo", "cmo-responsibilities", "answer"), record("x y", None, "none")]
    )
    await rate(db, guess, -1)
    stats = await collect_stats(InsightsQueries(db), GUILD, NOW, 7)

    for lang in ("nl", "en"):
        embed = stats_embed(stats, 7, store.current.topics, lang, quote)
        third = (1, "33%")
        assert embed["description"] == stats_summary(lang, 3, answered=third, guessed=third, unanswered=third)
        fields = stats_fields(embed)
        title = store.current.topics["cmo-branding-positioning"].title.get(lang)
        assert fields[t("ins_stats_guesses", lang)].splitlines() == guess_lines(lang, title, 1, up=0, down=1)
        assert fields[t("ins_stats_per_day", lang)].splitlines()[-1] == "`2026-03-10`  1 / 1 / 1"
        assert fields[t("ins_stats_lowest_rated", lang)] == t("ins_stats_none", lang)


async def test_without_guesses_the_field_says_none(db, store):
    await QuestionRepository(db).insert_many([record("wat doet een cmo", "cmo-responsibilities", "answer")])
    stats = await collect_stats(InsightsQueries(db), GUILD, NOW, 7)
    fields = {f["name"]: f["value"] for f in stats_embed(stats, 7, store.current.topics, "en", quote)["fields"]}
    assert fields[t("ins_stats_guesses", "en")] == t("ins_stats_none", "en")


# ---------------------------------------------------------------------------------------------- the queue


async def test_a_guess_rated_down_by_anyone_joins_the_queue_grouped_and_marked(db, store):
    question, topic = a_guess(store.current)
    rated_down = record(question, topic, "guess")
    rated_up = record("Wat is branding bij een CMO precies?", "cmo-branding-positioning", "guess")
    never_rated = record("nog een gok", "customer-loyalty", "guess")
    same_but_none = record(question.upper() + "?", None, "none", days_ago=1)  # same group, found nothing then
    await QuestionRepository(db).insert_many([rated_down, rated_up, never_rated, same_but_none])
    await rate(db, rated_down, 1, -1)  # the asker liked it, someone else did not: it goes in the queue
    await rate(db, rated_up, 1)
    loop = ImprovementLoop(db, store)

    groups = await loop.open_groups(GUILD)

    # The live content still only guesses this question, and it stays listed anyway.
    assert store.current.answer(question, "nl").outcome == "guess"
    assert [(g.normalised, g.count, g.rejected_guess) for g in groups] == [(normalise(question), 2, topic)]
    assert await loop.open_groups(OTHER) == []

    title = store.current.topics[topic].title.get("en")
    embed = group_embed(groups, 0, "en", quote, topics=store.current.topics)
    assert embed["description"].splitlines()[1] == t("ins_rejected_guess", "en", topic=title)
    assert t("ins_rejected_guess", "en", topic=title) == f"(best guess: {title}, 👎)"


async def test_the_marker_shows_in_the_preview_of_the_queue_too(db, store):
    question, topic = a_guess(store.current)
    guess = record(question, topic, "guess")
    missing = [record("wat is roas", None, "none"), record("Wat is ROAS?", None, "none")]
    await QuestionRepository(db).insert_many([guess, *missing])
    await rate(db, guess, -1)

    groups = await ImprovementLoop(db, store).open_groups(GUILD)
    assert [g.rejected_guess for g in groups] == [None, topic]  # most asked first

    embed = group_embed(groups, 0, "nl", quote, topics=store.current.topics)
    title = store.current.topics[topic].title.get("nl")
    assert "(beste gok" not in embed["description"]
    assert embed["fields"][0]["value"] == f'1× "{question}" ' + t("ins_rejected_guess", "nl", topic=title)


async def test_a_dismissal_an_alias_or_a_confident_answer_closes_a_guess_group(db, store):
    question, topic = a_guess(store.current)
    dismissed = record(question, topic, "guess")
    now_answered = record(ANSWERED, "what-is-a-cmo", "guess")  # guessed then; the content answers it now
    await QuestionRepository(db).insert_many([dismissed, now_answered])
    await rate(db, dismissed, -1)
    await rate(db, now_answered, -1)
    assert store.current.answer(ANSWERED, "nl").outcome == "answer"
    loop = ImprovementLoop(db, store)

    (group,) = await loop.open_groups(GUILD)
    assert group.rejected_guess == topic

    await loop.dismiss(GUILD, group.key)
    assert await loop.open_groups(GUILD) == []

    other = record(question, topic, "guess", guild=OTHER)
    await QuestionRepository(db).insert_many([other])
    await rate(db, other, -1)
    (group,) = await loop.open_groups(OTHER)
    attached = await loop.attach(OTHER, group, "cmo-skills", "unanswered")
    assert attached.answers_now
    assert await loop.open_groups(OTHER) == []
    assert [closed.group.key for closed in await loop.closed_groups(OTHER)] == [group.key]


async def test_old_rows_without_an_outcome_queue_as_before(db, store):
    await QuestionRepository(db).insert_many(
        [record("wat is roas", None, None), record("oud antwoord", "cmo-skills", None)]
    )
    groups = await ImprovementLoop(db, store).open_groups(GUILD)
    assert [(g.normalised, g.rejected_guess) for g in groups] == [("wat is roas", None)]


# ---------------------------------------------------------------------------------------------- export


async def test_export_has_an_outcome_column(db):
    records = [
        record("wat doet een cmo", "cmo-responsibilities", "answer"),
        record("wat is branding", "cmo-branding-positioning", "guess"),
        record("wat is roas", None, "none"),
        record("oud antwoord", "cmo-skills", None),
        record("oude vraag", None, None),
        record("cmo-skills", "cmo-skills", None, command="explain"),
    ]
    await QuestionRepository(db).insert_many(records)
    await rate(db, records[1], -1)

    rows = await InsightsQueries(db).export_rows(GUILD, "")
    data, written, _ = questions_csv(rows)

    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == list(HEADER) and HEADER[-1] == "outcome"
    outcome = {row[3]: (row[4], row[6], row[7]) for row in table[1:]}
    assert outcome == {
        "wat doet een cmo": ("cmo-responsibilities", "", "answer"),
        "wat is branding": ("cmo-branding-positioning", "down", "guess"),
        "wat is roas": ("", "", "none"),
        "oud antwoord": ("cmo-skills", "", "answer"),
        "oude vraag": ("", "", "none"),
        "cmo-skills": ("cmo-skills", "", ""),
    }
    assert written == len(records)
