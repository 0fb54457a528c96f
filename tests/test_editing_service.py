"""Live edits against a real database and content store: stored, live, reverted, reloaded."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.clock import ManualClock, timedelta
from bot.editing.form import EditRejected, form_values
from bot.editing.service import ContentEditor, NothingChanged, StaleEdit, UnknownRevision, UnknownTopic
from bot.knowledge.loader import ContentError
from bot.knowledge.store import ContentStore
from bot.storage.database import Database, open_database
from bot.storage.revisions import NewRevision, RevisionRepository, live_edits
from tests.editing_fixtures import ANNA, BEN

TOPIC = "cmo-skills"


async def test_an_edit_is_stored_and_live_at_once(editor: ContentEditor, store: ContentStore, db: Database) -> None:
    form = await editor.form(TOPIC, "nl")
    assert form.base == 0
    values = form.values | {"title": "Wat een CMO moet kunnen", "aliases": form.values["aliases"] + ", zebrapad-cmo"}
    result = await editor.submit(TOPIC, "nl", form.base, values, ANNA, "duidelijker titel")
    revision = result.revision
    assert (revision.n, revision.action, revision.lang, revision.follows_file) == (1, "edit", "nl", False)
    assert revision.changes == (("title", "nl"), ("aliases", "nl"))
    assert (revision.editor_name, revision.editor_hash, revision.reason) == ("Anna", "a" * 64, "duidelijker titel")
    assert revision.created_at == "2026-11-24T09:00:00.000Z"
    assert store.current.topic(TOPIC).title.nl == "Wat een CMO moet kunnen"
    assert store.current.answer("zebrapad-cmo", "nl").topic_id == TOPIC
    assert store.current.complete("Wat een CMO moet kunnen", "nl")[0] == (TOPIC, "Wat een CMO moet kunnen")
    assert (await live_edits(db)).overrides[TOPIC] == store.current.topic(TOPIC)
    assert (await editor.form(TOPIC, "nl")).base == 1


async def test_an_invalid_submit_stores_nothing_and_changes_nothing(
    editor: ContentEditor, store: ContentStore, db: Database
) -> None:
    before = store.current
    form = await editor.form(TOPIC, "en")
    with pytest.raises(EditRejected) as caught:
        await editor.submit(TOPIC, "en", 0, form.values | {"title": "", "summary": "x" * 401}, ANNA)
    assert {issue.field for issue in caught.value.issues} == {"title.en", "summary.en"}
    assert store.current is before
    assert await RevisionRepository(db).count(TOPIC) == 0


async def test_a_submit_that_changes_nothing_is_not_stored(editor: ContentEditor, db: Database) -> None:
    form = await editor.form(TOPIC, "nl")
    with pytest.raises(NothingChanged):
        await editor.submit(TOPIC, "nl", 0, form.values | {"body": form.values["body"] + "  "}, ANNA)
    assert await RevisionRepository(db).count(TOPIC) == 0


async def test_unknown_topics_are_refused(editor: ContentEditor) -> None:
    with pytest.raises(UnknownTopic):
        await editor.form("no-such-topic", "nl")
    with pytest.raises(UnknownTopic):
        await editor.revert("no-such-topic", 0, ANNA)


async def test_two_edits_submitted_at_the_same_moment_both_end_up_in_history(
    editor: ContentEditor, store: ContentStore, db: Database
) -> None:
    form = await editor.form(TOPIC, "nl")  # both opened the same form
    other = ContentEditor(store, RevisionRepository(db), editor._clock)  # another panel, same store
    first, second = await asyncio.gather(
        editor.submit(TOPIC, "nl", form.base, form.values | {"title": "Titel van Anna"}, ANNA),
        other.submit(TOPIC, "nl", form.base, form.values | {"summary": "Samenvatting van Ben."}, BEN),
    )
    assert sorted([first.revision.n, second.revision.n]) == [1, 2]
    live = store.current.topic(TOPIC)
    assert (live.title.nl, live.summary.nl) == ("Titel van Anna", "Samenvatting van Ben.")
    history = await editor.history(TOPIC)
    assert [revision.n for revision in history] == [2, 1]
    assert {revision.editor_name for revision in history} == {"Anna", "Ben"}


async def test_the_same_field_edited_twice_keeps_the_later_text_and_says_so(
    editor: ContentEditor, store: ContentStore
) -> None:
    form = await editor.form(TOPIC, "en")
    await editor.submit(TOPIC, "en", form.base, form.values | {"title": "First"}, ANNA)
    result = await editor.submit(TOPIC, "en", form.base, form.values | {"title": "Second"}, BEN)
    assert result.overwritten == ("title",)
    assert store.current.topic(TOPIC).title.en == "Second"


async def test_revision_numbers_are_distinct_even_without_the_editor_lock(db: Database, store: ContentStore) -> None:
    repository = RevisionRepository(db)
    topic = store.current.topic(TOPIC)
    made = await asyncio.gather(
        *(
            repository.add(NewRevision(topic=topic, created_at="2026-11-24T09:00:00.000Z", action="edit"))
            for _ in range(5)
        )
    )
    assert sorted(revision.n for revision in made) == [1, 2, 3, 4, 5]


async def test_revert_to_the_file_and_back(editor: ContentEditor, store: ContentStore, db: Database, clock) -> None:
    file_version = store.files.topics[TOPIC]
    form = await editor.form(TOPIC, "nl")
    await editor.submit(TOPIC, "nl", 0, form.values | {"title": "Bewerkt"}, ANNA)
    await clock.advance(timedelta(minutes=5))

    to_file = await editor.revert(TOPIC, 0, BEN)
    assert (to_file.n, to_file.action, to_file.reverted_to, to_file.follows_file) == (2, "revert", 0, True)
    assert to_file.changes == (("title", "nl"),)
    assert store.current.topic(TOPIC) == file_version
    assert TOPIC not in store.overlay.topic_overrides
    assert (await live_edits(db)).overrides == {}
    with pytest.raises(NothingChanged):
        await editor.revert(TOPIC, 0, BEN)

    back = await editor.revert(TOPIC, 1, BEN)
    assert (back.n, back.reverted_to, back.follows_file) == (3, 1, False)
    assert store.current.topic(TOPIC).title.nl == "Bewerkt"
    # Reverting to a revision that followed the file means the file.
    again = await editor.revert(TOPIC, 2, ANNA)
    assert again.follows_file and store.current.topic(TOPIC) == file_version
    with pytest.raises(UnknownRevision):
        await editor.revert(TOPIC, 99, ANNA)
    assert [revision.n for revision in await editor.history(TOPIC)] == [4, 3, 2, 1]


async def test_a_failed_store_leaves_the_live_content_as_it_was(
    store: ContentStore, db: Database, clock: ManualClock
) -> None:
    class Broken(RevisionRepository):
        async def add(self, new: NewRevision, *, expect_latest: int | None = None):
            raise RuntimeError("disk full")

    editor = ContentEditor(store, Broken(db), clock)
    before = store.current.topic(TOPIC)
    form = await editor.form(TOPIC, "nl")
    with pytest.raises(RuntimeError):
        await editor.submit(TOPIC, "nl", 0, form.values | {"title": "Nooit live"}, ANNA)
    assert store.current.topic(TOPIC) == before
    assert TOPIC not in store.overlay.topic_overrides


async def test_live_edits_skip_a_stored_topic_that_no_longer_validates(db: Database, store: ContentStore) -> None:
    await RevisionRepository(db).add(
        NewRevision(topic=store.current.topic(TOPIC), created_at="2026-11-24T09:00:00.000Z", action="edit")
    )
    await db.execute('UPDATE topic_revisions SET topic_json = \'{"id": "cmo-skills"}\'')
    assert (await live_edits(db)).overrides == {}


async def test_forgetting_an_editor_keeps_the_revisions(editor: ContentEditor, db: Database) -> None:
    form = await editor.form(TOPIC, "nl")
    await editor.submit(TOPIC, "nl", 0, form.values | {"title": "Anders"}, ANNA)
    assert await RevisionRepository(db).forget_editor(ANNA.user_hash) == 1
    (revision,) = await editor.history(TOPIC)
    assert (revision.editor_hash, revision.editor_name, revision.topic.title.nl) == (None, None, "Anders")


async def test_reload_reports_what_changed_and_what_a_live_edit_shadows(
    editor: ContentEditor, store: ContentStore, content_dir: Path
) -> None:
    form = await editor.form(TOPIC, "nl")
    await editor.submit(TOPIC, "nl", 0, form.values | {"title": "Live titel"}, ANNA)
    skills = content_dir / "topics" / f"{TOPIC}.yaml"
    skills.write_text(skills.read_text(encoding="utf-8").replace("Strategisch inzicht", "Strategisch denken"))
    extra = content_dir / "topics" / "extra-topic.yaml"
    extra.write_text(
        (content_dir / "topics" / "cmo-agility.yaml")
        .read_text(encoding="utf-8")
        .replace("cmo-agility", "extra-topic", 1)
    )

    report = await editor.reload()
    assert (report.added, report.removed, report.changed) == (("extra-topic",), (), (TOPIC,))
    assert report.shadowed == (TOPIC,)
    assert report.tips == len(store.files.tips) and report.topics == len(store.files.topics)
    assert store.current.topic(TOPIC).title.nl == "Live titel"  # the live edit still applies
    assert store.files.topics[TOPIC].sections[0].items[1].nl == "Strategisch denken"
    assert store.current.topic("extra-topic") is not None

    extra.unlink()
    report = await editor.reload()
    assert (report.added, report.removed, report.changed, report.shadowed) == ((), ("extra-topic",), (), ())
    assert store.current.topic("extra-topic") is None
    assert (await editor.reload()).unchanged


async def test_a_broken_file_changes_nothing(editor: ContentEditor, store: ContentStore, content_dir: Path) -> None:
    before = store.current
    (content_dir / "topics" / "cmo-skills.yaml").write_text("id: cmo-skills\ntitle: [broken\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        await editor.reload()
    assert any("cmo-skills.yaml" in issue.file for issue in caught.value.issues)
    assert store.current is before


def test_form_values_are_what_the_modal_shows(store: ContentStore) -> None:
    values = form_values(store.current.topic("cmo-management-team"), "en")
    assert '"how does the CMO work with the CEO, CFO and COO"' in values["aliases"]


def _retitled(topic, nl: str, en: str):
    return topic.model_copy(update={"title": topic.title.model_copy(update={"nl": nl, "en": en})})


async def test_a_whole_topic_is_saved_as_one_revision_in_both_languages(
    editor: ContentEditor, store: ContentStore, db: Database
) -> None:
    opened = await editor.open_topic(TOPIC)
    assert opened.base == 0
    edited = _retitled(opened.topic, "Vaardigheden van de CMO", "The CMO's skills").model_copy(
        update={"related": ["cmo-agility"]}
    )
    revision = await editor.save_topic(edited, opened.base, ANNA, "beide talen")
    assert (revision.n, revision.action, revision.lang) == (1, "edit", None)
    assert revision.changes == (("title", "nl"), ("title", "en"), ("related", None))
    live = store.current.topic(TOPIC)
    assert (live.title.nl, live.title.en, live.related) == (
        "Vaardigheden van de CMO",
        "The CMO's skills",
        ["cmo-agility"],
    )
    assert (await live_edits(db)).overrides[TOPIC] == live
    with pytest.raises(NothingChanged):
        await editor.save_topic(edited, 1, ANNA)


async def test_a_save_on_a_stale_form_is_refused_even_from_another_process(
    editor: ContentEditor, store: ContentStore, database_target, clock: ManualClock
) -> None:
    opened = await editor.open_topic(TOPIC)
    async with await open_database(database_target) as other_db:  # another process, its own store
        other_store = ContentStore.from_dir(store.content_dir)
        other = ContentEditor(other_store, RevisionRepository(other_db), clock)
        await other.save_topic(_retitled(opened.topic, "Van Ben", "By Ben"), opened.base, BEN)
    with pytest.raises(StaleEdit) as caught:
        await editor.save_topic(_retitled(opened.topic, "Van Anna", "By Anna"), opened.base, ANNA)
    assert (caught.value.base, caught.value.live_revision) == (0, 1)
    assert store.current.topic(TOPIC).title.nl != "Van Anna"  # nothing of Anna's went live
    # Opening the form again shows Ben's save, even before this process has loaded it.
    reopened = await editor.open_topic(TOPIC)
    assert (reopened.base, reopened.topic.title.nl) == (1, "Van Ben")
    await editor.save_topic(_retitled(reopened.topic, "Van Anna", "By Anna"), reopened.base, ANNA)
    assert store.current.topic(TOPIC).title.nl == "Van Anna"


async def test_a_saved_topic_must_name_live_related_topics(editor: ContentEditor, store: ContentStore) -> None:
    before = store.current
    topic = store.current.topic(TOPIC).model_copy(update={"related": ["no-such-topic"]})
    with pytest.raises(EditRejected) as caught:
        await editor.save_topic(topic, 0, ANNA)
    assert [issue.field for issue in caught.value.issues] == ["related.0"]
    assert store.current is before


async def test_two_processes_saving_one_form_at_once_store_one_and_refuse_the_other(
    store: ContentStore, database_target, clock: ManualClock
) -> None:
    async with await open_database(database_target) as one, await open_database(database_target) as two:
        editors = [
            ContentEditor(ContentStore.from_dir(store.content_dir), RevisionRepository(db), clock) for db in (one, two)
        ]
        topic = store.current.topic(TOPIC)
        outcomes = await asyncio.gather(
            editors[0].save_topic(_retitled(topic, "Een", "One"), 0, ANNA),
            editors[1].save_topic(_retitled(topic, "Twee", "Two"), 0, BEN),
            return_exceptions=True,
        )
        assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Revision", "StaleEdit"]
        assert await RevisionRepository(one).count(TOPIC) == 1
