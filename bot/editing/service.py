"""Edits, reverts and reloads of the live content, each stored and swapped in as one step.

Every change goes through one lock per content store: "read what is live, store a revision,
swap the snapshot" must not interleave with another edit of the same store, or the later
revision could end up shadowed by an earlier snapshot. The database numbers revisions on its
own (see bot/storage/revisions.py), so the history stays right even across processes.

The order inside a change is: validate, swap the snapshot, store the revision; if storing
fails, that one topic's override is put back, so a failure leaves neither a revision nor a
changed answer behind.

A topic's life is revisions too: `create_topic` makes a topic live that has no file,
`retire_topic` takes one out of what the bot answers from, and both are reverted like edits.
Revision 0 is the file version; a created topic has none, so reverting it to 0 retires it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.editing.diff import topic_changes
from bot.editing.form import EditRejected, apply_form, form_values, merge, shown_name
from bot.editing.reload import ReloadReport, read_content_files, reload_report
from bot.knowledge.loader import ContentIssue, parse_topic
from bot.knowledge.model import Lang, Topic
from bot.knowledge.store import ContentStore, TopicLayer
from bot.storage.revisions import Action, NewRevision, Revision, RevisionConflict, RevisionRepository
from bot.storage.timestamps import to_utc_iso

log = logging.getLogger(__name__)


class UnknownTopic(LookupError):
    """No live topic with that id (for a revert: none in the files and none in the history)."""


class TopicExists(Exception):
    """create_topic: a file or a live topic already has this id; nothing was stored."""

    def __init__(self, topic_id: str):
        self.topic_id = topic_id
        super().__init__(f"a topic with id {topic_id} already exists")


class StaleEdit(Exception):
    """save_topic: the topic changed (in this or another process) since the form was opened at
    `base`; `live_revision` is the number now live. Nothing was stored: the moderator reloads
    the form rather than silently overwriting someone else's save."""

    def __init__(self, topic_id: str, base: int, live_revision: int):
        self.topic_id = topic_id
        self.base = base
        self.live_revision = live_revision
        super().__init__(f"topic {topic_id} is at revision {live_revision}, the form was opened at {base}")


class UnknownRevision(LookupError):
    """The topic has no revision with that number."""


class NothingChanged(Exception):
    """The submit or revert would leave the live topic exactly as it is; nothing was stored."""


@dataclass(frozen=True)
class Editor:
    """Who makes a change: the keyed hash of their id, and their display name at the time."""

    user_hash: str
    name: str


@dataclass(frozen=True)
class EditForm:
    values: dict[str, str]
    # The revision the form shows (0: the file version); sent back with the submit.
    base: int


@dataclass(frozen=True)
class OpenedTopic:
    """A topic as the web editor opens it: what is live and the revision that made it so."""

    topic: Topic
    # Send back as save_topic's `base` (0: the file version).
    base: int


@dataclass(frozen=True)
class EditResult:
    revision: Revision
    overwritten: tuple[str, ...]


class ContentEditor:
    def __init__(
        self,
        store: ContentStore,
        revisions: RevisionRepository,
        clock: Clock,
        announce_reload: Callable[[], Awaitable[None]] | None = None,
    ):
        self._store = store
        self._revisions = revisions
        self._clock = clock
        self._lock = store.changes
        # Tells the other processes over the same database that the files were reloaded.
        self._announce_reload = announce_reload

    def _live(self, topic_id: str) -> Topic:
        """The live topic (from its file, a live edit, or created live), with its related list
        as stored; UnknownTopic when there is none or it is retired."""
        topic = self._store.layered_topic(topic_id)
        if topic is None:
            raise UnknownTopic(topic_id)
        return topic

    async def live_revision(self, topic_id: str) -> int:
        """The number of the revision that is live (0: the file version), read from the
        database: the truth across processes, which save_topic's `base` is checked against."""
        return await self._revisions.latest_number(topic_id)

    async def open_topic(self, topic_id: str) -> OpenedTopic:
        """The live topic with the revision it is at, for the web editor's form, both as the
        database holds them: a save another process made a moment ago, which this process may
        not have loaded yet, is what the form shows, so its `base` and its texts belong together."""
        latest = await self._revisions.latest(topic_id)
        if latest is None:
            return OpenedTopic(self._live(topic_id), 0)
        file_topic = self._store.files.topics.get(topic_id)
        if latest.retired or (latest.follows_file and file_topic is None):
            raise UnknownTopic(topic_id)
        return OpenedTopic(file_topic if latest.follows_file and file_topic else latest.topic, latest.n)

    async def form(self, topic_id: str, lang: Lang) -> EditForm:
        """The form for one topic and language, with the revision it shows."""
        topic = self._live(topic_id)
        return EditForm(form_values(topic, lang), await self.live_revision(topic_id))

    async def _base_topic(self, topic_id: str, base: int, live: Topic) -> Topic:
        if base > 0:
            revision = await self._revisions.get(topic_id, base)
            if revision is not None:
                return revision.topic
            return live
        return self._store.files.topics.get(topic_id, live)

    async def submit(
        self,
        topic_id: str,
        lang: Lang,
        base: int,
        submitted: Mapping[str, str],
        editor: Editor,
        reason: str | None = None,
    ) -> EditResult:
        """Applies a submitted form: validated (EditRejected), stored as a new revision and live
        at once. Raises NothingChanged when the submit changes nothing."""
        async with self._lock:
            live = self._live(topic_id)
            base_topic = await self._base_topic(topic_id, base, live)
            merged = merge(form_values(base_topic, lang), form_values(live, lang), submitted)
            edited = apply_form(live, lang, merged.values)
            changes = topic_changes(live, edited)
            if not changes:
                raise NothingChanged(topic_id)
            revision = await self._make_live(self._revision(edited, "edit", editor, reason, lang=lang, changes=changes))
            return EditResult(revision, merged.overwritten)

    async def save_topic(self, topic: Topic, base: int, editor: Editor, reason: str | None = None) -> Revision:
        """Makes a whole edited topic (every field, both languages) live as one revision.
        Raises StaleEdit when the live revision is no longer `base`, EditRejected when it is
        not valid (a related id that is not a live topic included), NothingChanged when it
        equals what is live, UnknownTopic when the topic is not live."""
        async with self._lock:
            live = self._live(topic.id)
            latest = await self.live_revision(topic.id)
            if latest != base:
                raise StaleEdit(topic.id, base, latest)
            topic = self._validated(topic, keep_related=set(live.related))
            changes = topic_changes(live, topic)
            if not changes:
                raise NothingChanged(topic.id)
            try:
                return await self._make_live(self._revision(topic, "edit", editor, reason, changes=changes), base)
            except RevisionConflict as exc:
                raise StaleEdit(topic.id, base, exc.latest) from None

    async def create_topic(self, topic: Topic, editor: Editor, reason: str | None = None) -> Revision:
        """Makes a new topic live (it has no file) as its first revision, or the first since it
        was retired. Raises TopicExists when a file or a live topic has its id, EditRejected
        when it is not valid (`related` may name live topics only)."""
        async with self._lock:
            topic = self._validated(topic, keep_related=set())
            latest = await self._revisions.latest(topic.id)
            stored_live = latest is not None and not latest.retired and not latest.follows_file
            if topic.id in self._store.files.topics or self._store.layered_topic(topic.id) or stored_live:
                raise TopicExists(topic.id)
            new = self._revision(topic, "create", editor, reason, changes=topic_changes(None, topic))
            try:
                return await self._make_live(new, latest.n if latest is not None else 0)
            except RevisionConflict:  # another process created it a moment ago
                raise TopicExists(topic.id) from None

    async def retire_topic(self, topic_id: str, editor: Editor, reason: str | None = None) -> Revision:
        """Takes a live topic out of what the bot answers from, as a revision that keeps the
        topic as it was; reverting to the revision before it (0 for a file topic that had no
        edits) brings it back. Raises UnknownTopic when the topic is not live."""
        async with self._lock:
            live = self._live(topic_id)
            return await self._make_live(self._revision(live, "retire", editor, reason, retired=True))

    def _validated(self, topic: Topic, keep_related: set[str]) -> Topic:
        """The topic validated again by the content schema (a model may have been copied
        without validation), and its related ids checked: each must be a live topic, or one
        the live version already lists (the snapshot hides a retired one, the topic keeps it)."""
        checked, issues = parse_topic(topic.model_dump(mode="json"), shown_name(topic.id))
        if checked is None:
            raise EditRejected(issues)
        live = self._store.current.topics
        issues = [
            ContentIssue(shown_name(topic.id), f"related.{index}", f"unknown topic id '{related}'")
            for index, related in enumerate(checked.related)
            if related not in live and related not in keep_related
        ]
        if issues:
            raise EditRejected(issues)
        return checked

    async def revert(self, topic_id: str, target: int, editor: Editor, reason: str | None = None) -> Revision:
        """Brings back what revision `target` made live, as a new revision: its topic, the file
        version (0, or a revision that followed the file), or retired (a retire revision, or 0
        for a topic created live, which has no file version)."""
        async with self._lock:
            latest = await self._revisions.latest(topic_id)
            file_topic = self._store.files.topics.get(topic_id)
            known = latest.topic if latest is not None else file_topic
            if known is None:
                raise UnknownTopic(topic_id)
            old = await self._revisions.get(topic_id, target) if target else None
            if target and old is None:
                raise UnknownRevision(target)
            live = self._store.layered_topic(topic_id)
            before = live or known  # what is live, or how it was when it was retired
            topic, follows_file, retired = _state_of(old, file_topic, before)
            overridden = self._store.topic_layer(topic_id).override is not None
            unchanged = topic == live and follows_file != overridden
            if (live is None) if retired else unchanged:
                raise NothingChanged(topic_id)
            new = self._revision(
                topic,
                "revert",
                editor,
                reason,
                reverted_to=target,
                follows_file=follows_file,
                retired=retired,
                changes=() if retired else topic_changes(before, topic),
            )
            return await self._make_live(new)

    def _revision(
        self, topic: Topic, action: Action, editor: Editor, reason: str | None, **details: Any
    ) -> NewRevision:
        """A revision made now by `editor`; `details` are what only edits or reverts carry."""
        return NewRevision(
            topic=topic,
            created_at=to_utc_iso(self._clock.now()),
            action=action,
            editor_hash=editor.user_hash,
            editor_name=editor.name,
            reason=reason,
            **details,
        )

    async def _make_live(self, new: NewRevision, expect_latest: int | None = None) -> Revision:
        """Swaps in what `new` makes live, then stores it (only if the topic is still at
        `expect_latest`, when given); a failure puts the topic's layer back."""
        topic_id = new.topic.id
        override = None if new.follows_file or new.retired else new.topic
        previous = self._store.set_topic_layer(topic_id, TopicLayer(override, new.retired))
        try:
            revision = await self._revisions.add(new, expect_latest=expect_latest)
        except BaseException:
            self._store.set_topic_layer(topic_id, previous)
            raise
        log.info("topic %s is live at revision %d (%s)", topic_id, revision.n, new.action)
        return revision

    async def history(self, topic_id: str, limit: int = 50) -> list[Revision]:
        """Newest first. Works for a topic whose file is gone too: its history is still there."""
        return await self._revisions.history(topic_id, limit)

    async def reload(self, *, announce: bool = True) -> ReloadReport:
        """Re-reads the files and swaps; raises ContentError (the live content stays) when they
        are invalid. The files are read and validated off the event loop. ``announce=False``
        is for a reload that another process announced: announcing it again would echo."""
        async with self._lock:
            new_files = await read_content_files(self._store.content_dir)
            previous_files = self._store.files
            await self._store.rebuild_off_loop(new_files)
            report = reload_report(previous_files, self._store.files, self._store.overlay.topic_overrides)
        if announce and self._announce_reload is not None:
            await self._announce_reload()
        return report


def _state_of(old: Revision | None, file_topic: Topic | None, fallback: Topic) -> tuple[Topic, bool, bool]:
    """What revision `old` (None: revision 0) made live, as (topic, follows_file, retired).
    A revision that followed the file means the file as it is now; when there is no file
    (a created topic, or a file since removed) that is: retired. A retired state keeps
    `fallback`, the topic as it was last, so the history can still show it."""
    if old is not None and not old.follows_file:
        return old.topic, False, old.retired
    if file_topic is not None:
        return file_topic, True, False
    return (old.topic if old is not None else fallback), False, True
