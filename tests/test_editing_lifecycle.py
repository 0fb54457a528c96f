"""Topics created and retired live, on both engines: answered (or not) at once, kept over a
restart and in another process, exported, and brought back by a revert."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.asking import answer_in
from bot.clock import ManualClock
from bot.editing.export import export_content
from bot.editing.form import EditRejected
from bot.editing.service import ContentEditor, NothingChanged, TopicExists, UnknownTopic
from bot.knowledge.loader import load_content
from bot.knowledge.model import Topic
from bot.knowledge.store import ContentStore
from bot.services import reload_overlay
from bot.storage.database import Database, open_database
from bot.storage.revisions import live_edits
from bot.storage.tip_schedules import TipScheduleRepository
from bot.tips.planner import TipPlanner
from tests.editing_fixtures import ANNA, REPO_CONTENT

NEW = "growth-hacking"
RETIRED = "cmo-agility"  # has a tip, and cmo-skills lists it as related
AGILITY_QUESTION = "waarom moet een cmo wendbaar zijn"


def new_topic(store: ContentStore, **changes: object) -> Topic:
    """A new topic in both languages, built on an existing one's sources and category."""
    data = store.current.topics["cmo-skills"].model_dump(mode="json")
    data |= {
        "id": NEW,
        "title": {"nl": "Growth hacking voor marketingteams", "en": "Growth hacking for marketing teams"},
        "summary": {"nl": "Snel testen wat groei oplevert.", "en": "Quickly testing what drives growth."},
        "body": {"nl": "Een growth hacker test kleine ideeën snel.", "en": "A growth hacker tests small ideas fast."},
        "sections": [],
        "tables": [],
        "aliases": {"nl": ["wat is growth hacking"], "en": ["what is growth hacking"]},
        "keywords": {"nl": ["groeiexperimenten"], "en": ["growth experiments"]},
        "related": ["cmo-skills"],
    }
    return Topic.model_validate(data | changes)


async def restarted(db: Database) -> ContentStore:
    """A store as a restarted process (or another one over the same database) builds it."""
    fresh = ContentStore.from_dir(REPO_CONTENT)
    await reload_overlay(fresh, db)
    return fresh


async def test_a_created_topic_is_answered_found_and_kept_over_a_restart(
    editor: ContentEditor, store: ContentStore, db: Database, database_target
) -> None:
    made = await editor.create_topic(new_topic(store), ANNA, "veelgevraagd")
    assert (made.n, made.action, made.follows_file, made.retired) == (1, "create", False, False)
    assert answer_in(store, "wat is growth hacking?", "nl", None).topic_id == NEW
    assert store.current.answer("what is growth hacking", "en").topic_id == NEW
    assert store.current.topic(NEW).related == ["cmo-skills"]
    assert NEW in [topic_id for topic_id, _ in store.current.complete("growth hack", "nl")]
    assert NEW not in store.current.topics["cmo-skills"].related  # other topics are untouched

    assert answer_in(await restarted(db), "wat is growth hacking", "nl", None).topic_id == NEW
    async with await open_database(database_target) as other_process:
        assert answer_in(await restarted(other_process), "wat is growth hacking", "nl", None).topic_id == NEW
    opened = await editor.open_topic(NEW)
    assert (opened.topic, opened.base) == (store.current.topic(NEW), 1)


async def test_creating_an_existing_or_invalid_topic_is_refused(editor: ContentEditor, store: ContentStore) -> None:
    before = store.current
    with pytest.raises(TopicExists):
        await editor.create_topic(new_topic(store, id="cmo-skills", related=[]), ANNA)
    with pytest.raises(EditRejected) as caught:
        await editor.create_topic(new_topic(store, related=["no-such-topic"]), ANNA)
    assert [issue.field for issue in caught.value.issues] == ["related.0"]
    assert store.current is before
    await editor.create_topic(new_topic(store), ANNA)
    with pytest.raises(TopicExists):
        await editor.create_topic(new_topic(store), ANNA)


async def test_a_retired_topic_is_gone_everywhere_until_reverted(
    editor: ContentEditor, store: ContentStore, db: Database, clock: ManualClock
) -> None:
    planner = TipPlanner(TipScheduleRepository(db), lambda: store.current.tips, timedelta(minutes=30))
    assert answer_in(store, AGILITY_QUESTION, "nl", None).topic_id == RETIRED
    store.set_learned_aliases({RETIRED: {"nl": ("zwenkwielmarketing",)}}, {})

    retired = await editor.retire_topic(RETIRED, ANNA, "verouderd")
    assert (retired.n, retired.action, retired.retired, retired.changes) == (1, "retire", True, ())
    current = store.current
    assert RETIRED not in current.topics and current.topic(RETIRED) is None
    answer = answer_in(store, AGILITY_QUESTION, "nl", None)
    assert answer.topic_id != RETIRED and RETIRED not in answer.suggestions
    assert RETIRED not in [topic_id for topic_id, _ in current.complete("wendbaar", "nl")]
    assert all(RETIRED not in topic.related for topic in current.topics.values())
    assert all(tip.topic != RETIRED for tip in current.tips)
    for guild_id in range(40):  # every guild's shuffle: the retired topic's tip never comes up
        picked = await planner.next_pick(guild_id)
        assert picked is not None and picked[1].topic != RETIRED
    # Its learned alias stays stored, but does not count while it is retired.
    assert RETIRED in store.overlay.learned_aliases and RETIRED not in current.learned_aliases
    # What the form would start from keeps the link: retiring one topic edits no other.
    assert RETIRED in store.layered_topic("cmo-skills").related
    with pytest.raises(UnknownTopic):
        await editor.retire_topic(RETIRED, ANNA)
    assert RETIRED not in (await restarted(db)).current.topics
    assert (await live_edits(db)).retired == {RETIRED}

    await clock.advance(timedelta(minutes=5))
    back = await editor.revert(RETIRED, 0, ANNA)
    assert (back.n, back.action, back.reverted_to, back.follows_file, back.retired) == (2, "revert", 0, True, False)
    assert store.current.topic(RETIRED) == store.files.topics[RETIRED]
    assert RETIRED in store.current.topics["cmo-skills"].related
    assert any(tip.topic == RETIRED for tip in store.current.tips)
    assert answer_in(store, "zwenkwielmarketing", "nl", None).topic_id == RETIRED
    assert RETIRED in (await restarted(db)).current.topics

    again = await editor.revert(RETIRED, 1, ANNA)  # reverting to the retire retires again
    assert (again.action, again.retired) == ("revert", True) and RETIRED not in store.current.topics
    with pytest.raises(NothingChanged):
        await editor.revert(RETIRED, 1, ANNA)
    assert [revision.n for revision in await editor.history(RETIRED)] == [3, 2, 1]


async def test_an_edited_topic_retired_comes_back_with_its_edit(
    editor: ContentEditor, store: ContentStore, db: Database
) -> None:
    live = store.current.topics[RETIRED]
    edited = live.model_copy(update={"title": live.title.model_copy(update={"nl": "Wendbaar blijven als CMO"})})
    await editor.save_topic(edited, 0, ANNA)
    await editor.retire_topic(RETIRED, ANNA)
    back = await editor.revert(RETIRED, 1, ANNA)
    assert (back.follows_file, back.retired) == (False, False)
    assert store.current.topic(RETIRED).title.nl == "Wendbaar blijven als CMO"
    assert (await restarted(db)).current.topic(RETIRED).title.nl == "Wendbaar blijven als CMO"


async def test_a_created_topic_reverted_to_zero_is_retired_and_can_come_back(
    editor: ContentEditor, store: ContentStore, db: Database
) -> None:
    await editor.create_topic(new_topic(store), ANNA)
    gone = await editor.revert(NEW, 0, ANNA)  # a created topic has no file version: 0 means retired
    assert (gone.reverted_to, gone.follows_file, gone.retired) == (0, False, True)
    assert NEW not in store.current.topics
    assert answer_in(store, "wat is growth hacking", "nl", None).topic_id != NEW
    back = await editor.revert(NEW, 1, ANNA)
    assert not back.retired and store.current.topic(NEW) is not None
    await editor.retire_topic(NEW, ANNA)
    # Once retired, the id is free to be created again: the history goes on.
    made = await editor.create_topic(new_topic(store, title={"nl": "Groeihacken", "en": "Growth hacking"}), ANNA)
    assert (made.n, made.action) == (5, "create")
    actions = [revision.action for revision in await editor.history(NEW)]
    assert actions == ["create", "retire", "revert", "revert", "create"]
    assert (await restarted(db)).current.topic(NEW).title.nl == "Groeihacken"


async def test_an_export_holds_created_topics_and_no_retired_ones(
    editor: ContentEditor, store: ContentStore, tmp_path: Path
) -> None:
    await editor.create_topic(new_topic(store), ANNA)
    await editor.retire_topic(RETIRED, ANNA)
    result = export_content(store, tmp_path / "export")
    topics = tmp_path / "export" / "topics"
    assert (topics / f"{NEW}.yaml").is_file() and not (topics / f"{RETIRED}.yaml").exists()
    # What was exported is valid content on its own: no tip or related link to the retired topic.
    exported = load_content(tmp_path / "export")
    assert exported.topics[NEW] == store.current.topic(NEW)
    assert RETIRED not in exported.topics and result.topics == len(store.current.topics)
