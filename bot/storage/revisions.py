"""Revisions of topics edited live: every version kept, numbered per topic, never rewritten.

A topic's revisions are numbered 1, 2, ... (0 stands for the version in the content files and
is never stored). The number is allocated inside one write transaction as MAX(n)+1, so two
edits of one topic submitted at the same moment get distinct numbers and both stay in the
history; the primary key on (topic_id, n) refuses a duplicate should anything race anyway.

A revision says what is live after it: its own topic, the file version (`follows_file`), or
nothing at all (`retired`: the topic is taken out of what the bot answers from). Its action
says what the moderator did: edit, revert, create (a topic with no file) or retire.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from bot.knowledge.model import Topic
from bot.storage.content_version import bump_content_version
from bot.storage.database import ConstraintError, Database, Row, Statements
from bot.text_fit import clip

log = logging.getLogger(__name__)

REASON_MAX = 500
EDITOR_NAME_MAX = 100

# Kept in step with the CHECK on topic_revisions.action (migration 0009).
Action = Literal["edit", "revert", "create", "retire"]

_COLUMNS = (
    "topic_id, n, created_at, editor_hash, editor_name, reason, action, lang, reverted_to, follows_file, changes, "
    "topic_json, retired"
)
# What a revision changed: (field, language or None for fields that are not per language).
Change = tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class NewRevision:
    """What an edit or a revert stores; the repository adds the number."""

    topic: Topic
    created_at: str
    action: Action
    editor_hash: str | None = None
    editor_name: str | None = None
    reason: str | None = None
    lang: str | None = None
    reverted_to: int | None = None
    follows_file: bool = False
    changes: tuple[Change, ...] = ()
    # The topic is not live after this revision; `topic` is how it was when taken out.
    retired: bool = False


class RevisionConflict(Exception):
    """Another revision of the topic was stored since the caller looked: `latest` is its number."""

    def __init__(self, topic_id: str, latest: int):
        self.topic_id = topic_id
        self.latest = latest
        super().__init__(f"topic {topic_id} is at revision {latest} now")


@dataclass(frozen=True, slots=True)
class Revision:
    topic_id: str
    n: int
    created_at: str
    action: Action
    editor_hash: str | None
    editor_name: str | None
    reason: str | None
    lang: str | None
    reverted_to: int | None
    follows_file: bool
    changes: tuple[Change, ...]
    topic: Topic
    retired: bool = False


def _cap(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    return clip(text, limit)


def _row_to_revision(row: Row) -> Revision:
    return Revision(
        topic_id=row["topic_id"],
        n=int(row["n"]),
        created_at=row["created_at"],
        action=row["action"],
        editor_hash=row["editor_hash"],
        editor_name=row["editor_name"],
        reason=row["reason"],
        lang=row["lang"],
        reverted_to=row["reverted_to"],
        follows_file=bool(row["follows_file"]),
        changes=tuple((str(field), lang) for field, lang in json.loads(row["changes"] or "[]")),
        topic=Topic.model_validate_json(row["topic_json"]),
        retired=bool(row["retired"]),
    )


class RevisionRepository:
    def __init__(self, db: Database):
        self._db = db

    async def add(self, new: NewRevision, *, expect_latest: int | None = None) -> Revision:
        """Stores a revision under the next free number of its topic and returns it.

        With `expect_latest` the revision is stored only if the topic's latest revision is
        still that number (0: none); otherwise RevisionConflict, and nothing is stored. The
        check and the insert share one transaction, and a writer in another process that
        takes the same number first makes the primary key refuse ours: also a conflict."""
        topic_id = new.topic.id
        reason = _cap(new.reason, REASON_MAX)
        name = _cap(new.editor_name, EDITOR_NAME_MAX)
        try:
            n = await self._insert(new, reason, name, expect_latest)
        except ConstraintError:
            if expect_latest is None:
                raise
            latest = await self.latest_number(topic_id)
            if latest == expect_latest:
                raise
            raise RevisionConflict(topic_id, latest) from None
        log.info("stored revision %d of topic %s (%s)", n, topic_id, new.action)
        return Revision(
            topic_id=topic_id,
            n=n,
            created_at=new.created_at,
            action=new.action,
            editor_hash=new.editor_hash,
            editor_name=name,
            reason=reason,
            lang=new.lang,
            reverted_to=new.reverted_to,
            follows_file=new.follows_file,
            changes=tuple(new.changes),
            topic=new.topic,
            retired=new.retired,
        )

    async def _insert(self, new: NewRevision, reason: str | None, name: str | None, expect_latest: int | None) -> int:
        topic_id = new.topic.id
        async with self._db.transaction() as tx:
            latest = await _latest_number(tx, topic_id)
            if expect_latest is not None and latest != expect_latest:
                raise RevisionConflict(topic_id, latest)
            n = latest + 1
            await tx.execute(
                f"INSERT INTO topic_revisions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    topic_id,
                    n,
                    new.created_at,
                    new.editor_hash,
                    name,
                    reason,
                    new.action,
                    new.lang,
                    new.reverted_to,
                    1 if new.follows_file else 0,
                    json.dumps([list(change) for change in new.changes]),
                    new.topic.model_dump_json(),
                    1 if new.retired else 0,
                ),
            )
            await bump_content_version(tx, "overlay")
        return n

    async def get(self, topic_id: str, n: int) -> Revision | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM topic_revisions WHERE topic_id = ? AND n = ?", (topic_id, n)
        )
        return _row_to_revision(row) if row is not None else None

    async def latest(self, topic_id: str) -> Revision | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM topic_revisions WHERE topic_id = ? ORDER BY n DESC LIMIT 1", (topic_id,)
        )
        return _row_to_revision(row) if row is not None else None

    async def latest_number(self, topic_id: str) -> int:
        """The number of the topic's latest revision; 0 when it has none (the file is live)."""
        return await _latest_number(self._db, topic_id)

    async def history(self, topic_id: str, limit: int = 50) -> list[Revision]:
        """The newest `limit` revisions, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM topic_revisions WHERE topic_id = ? ORDER BY n DESC LIMIT ?", (topic_id, limit)
        )
        return [_row_to_revision(row) for row in rows]

    async def count(self, topic_id: str) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) FROM topic_revisions WHERE topic_id = ?", (topic_id,))
        return int(row[0]) if row is not None else 0

    async def forget_editor(self, editor_hash: str) -> int:
        """Erasure for an editor: the revisions stay (the content needs them), but who made
        them is no longer recorded. Returns the rows changed."""
        return await self._db.execute(
            "UPDATE topic_revisions SET editor_hash = NULL, editor_name = NULL WHERE editor_hash = ?", (editor_hash,)
        )


async def _latest_number(db: Statements, topic_id: str) -> int:
    """Read inside the insert's transaction too, so the check and the new number agree."""
    row = await db.fetchone("SELECT COALESCE(MAX(n), 0) FROM topic_revisions WHERE topic_id = ?", (topic_id,))
    return int(row[0]) if row is not None else 0


@dataclass(frozen=True, slots=True)
class LiveEdits:
    """What the latest revisions make live: topics that replace (or, created live, stand in
    for) their file, and topics taken out."""

    overrides: dict[str, Topic]
    retired: frozenset[str]


async def live_edits(db: Database) -> LiveEdits:
    """The state every topic's latest revision leaves: what the overlay must hold at start and
    after another process changed it. A stored topic that no longer validates (a schema
    change since) is skipped with a warning rather than stopping the start."""
    rows = await db.fetchall(
        "SELECT r.topic_id, r.n, r.topic_json, r.retired FROM topic_revisions r "
        "JOIN (SELECT topic_id, MAX(n) AS n FROM topic_revisions GROUP BY topic_id) latest "
        "ON latest.topic_id = r.topic_id AND latest.n = r.n "
        "WHERE r.follows_file = 0 ORDER BY r.topic_id"
    )
    overrides: dict[str, Topic] = {}
    retired: set[str] = set()
    for row in rows:
        if row["retired"]:
            retired.add(row["topic_id"])
            continue
        try:
            overrides[row["topic_id"]] = Topic.model_validate_json(row["topic_json"])
        except ValidationError as exc:
            log.warning(
                "revision %s of topic %s no longer validates and is not applied: %s", row["n"], row["topic_id"], exc
            )
    return LiveEdits(overrides, frozenset(retired))

