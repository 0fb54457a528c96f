"""Edits, reverts and reloads of the live content, each stored and swapped in as one step.

Every change goes through one lock per content store: "read what is live, store a revision,
swap the snapshot" must not interleave with another edit of the same store, or the later
revision could end up shadowed by an earlier snapshot. The database numbers revisions on its
own (see bot/storage/revisions.py), so the history stays right even across processes.

The order inside a change is: validate, swap the snapshot, store the revision; if storing
fails, that one topic's override is put back, so a failure leaves neither a revision nor a
changed answer behind.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.editing.diff import topic_changes
from bot.editing.form import apply_form, form_values, merge
from bot.editing.reload import ReloadReport, read_content_files, reload_report
from bot.knowledge.model import Lang, Topic
from bot.knowledge.store import ContentStore
from bot.storage.revisions import Action, NewRevision, Revision, RevisionRepository
from bot.storage.timestamps import to_utc_iso

log = logging.getLogger(__name__)


class UnknownTopic(LookupError):
    """No topic with that id in the content files."""


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
        # Only topics that have a file can be edited: an override without a file is never shown.
        topic = self._store.current.topic(topic_id)
        if topic is None or topic_id not in self._store.files.topics:
            raise UnknownTopic(topic_id)
        return topic

    async def _live_revision(self, topic_id: str) -> int:
        latest = await self._revisions.latest(topic_id)
        return latest.n if latest is not None else 0

    async def form(self, topic_id: str, lang: Lang) -> EditForm:
        """The form for one topic and language, with the revision it shows."""
        topic = self._live(topic_id)
        return EditForm(form_values(topic, lang), await self._live_revision(topic_id))

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

    async def revert(self, topic_id: str, target: int, editor: Editor, reason: str | None = None) -> Revision:
        """Makes revision `target` (0: the file version) live again, as a new revision."""
        async with self._lock:
            live = self._live(topic_id)
            file_topic = self._store.files.topics[topic_id]
            if target == 0:
                topic, follows_file = file_topic, True
            else:
                old = await self._revisions.get(topic_id, target)
                if old is None:
                    raise UnknownRevision(target)
                # A revision that followed the file means "the file", as it is now.
                topic, follows_file = (file_topic, True) if old.follows_file else (old.topic, False)
            overridden = topic_id in self._store.overlay.topic_overrides
            if topic == live and follows_file != overridden:
                raise NothingChanged(topic_id)
            new = self._revision(
                topic,
                "revert",
                editor,
                reason,
                reverted_to=target,
                follows_file=follows_file,
                changes=topic_changes(live, topic),
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

    async def _make_live(self, new: NewRevision) -> Revision:
        topic_id = new.topic.id
        previous = self._store.set_topic_override(topic_id, None if new.follows_file else new.topic)
        try:
            revision = await self._revisions.add(new)
        except BaseException:
            self._store.set_topic_override(topic_id, previous)
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
