"""The question log and its feedback: what people ask, and whether the answer helped.

Moderators read it to see what the content misses; privacy rules shape it: user ids arrive
here only as keyed hashes, question text is capped, and rows expire or are erased on request.
All SQL uses bound parameters; user text never becomes SQL.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Self

from bot.clock import Clock, SystemClock
from bot.limits import MAX_QUESTION_LENGTH as MAX_QUESTION_CHARS
from bot.storage.database import ConstraintError, Database, Row
from bot.storage.timestamps import to_utc_iso, utc_now_iso

log = logging.getLogger(__name__)

_COLUMNS = (
    "id", "asked_at", "guild_id", "channel_id", "user_hash", "locale", "lang",
    "command", "question", "topic_id", "score", "latency_ms", "outcome",
)
_INSERT = (
    f"INSERT INTO questions ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)}) "
    # Idempotent on id: a batch retried after a commit whose outcome was unclear lands once.
    "ON CONFLICT (id) DO NOTHING"
)


class UnknownQuestionError(LookupError):
    """Feedback named a question that is not (or not yet, or no longer) in the log."""


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """``text`` as both engines can store it: NUL and lone surrogates (which a Discord client
    can send) become U+FFFD. The same object comes back when nothing needed replacing."""
    return _UNSTORABLE.sub("\ufffd", text) if _UNSTORABLE.search(text) else text


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """One asked question, as stored. Build new ones with :meth:`new`."""

    id: str
    asked_at: str
    command: str
    question: str
    guild_id: int | None = None
    channel_id: int | None = None
    user_hash: str | None = None
    locale: str | None = None
    lang: str | None = None
    topic_id: str | None = None
    score: float | None = None
    latency_ms: float | None = None
    outcome: str | None = None  # answer | guess | none, for questions that went through search

    def __post_init__(self) -> None:
        # Capped and made storable here rather than only in new(), so no path can store an
        # unbounded text, nor one PostgreSQL's text type refuses (NUL, lone surrogates).
        text = storable_text(self.question[:MAX_QUESTION_CHARS])
        if text is not self.question:
            object.__setattr__(self, "question", text)

    @classmethod
    def new(
        cls,
        *,
        command: str,
        question: str,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user_hash: str | None = None,
        locale: str | None = None,
        lang: str | None = None,
        topic_id: str | None = None,
        score: float | None = None,
        latency_ms: float | None = None,
        asked_at: datetime | None = None,
        outcome: str | None = None,
    ) -> Self:
        """A record with a fresh uuid4 id, asked at `asked_at` (the current UTC time without it:
        the bot passes its clock's time).

        The id exists before the row is written, so a feedback button sent with the answer can
        carry it.
        """
        return cls(
            id=uuid.uuid4().hex,
            asked_at=to_utc_iso(asked_at) if asked_at is not None else utc_now_iso(),
            command=command,
            question=question,
            guild_id=guild_id,
            channel_id=channel_id,
            user_hash=user_hash,
            locale=locale,
            lang=lang,
            topic_id=topic_id,
            score=score,
            latency_ms=latency_ms,
            outcome=outcome,
        )

    def as_row(self) -> tuple[object, ...]:
        return tuple(getattr(self, column) for column in _COLUMNS)

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(**{field.name: row[field.name] for field in dataclasses.fields(cls)})


class QuestionRepository:
    """SQL for the ``questions`` and ``feedback`` tables, and nothing else. A rating is
    stamped with `clock`'s time."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    async def insert_many(self, records: Sequence[QuestionRecord]) -> None:
        """Write records in one transaction: all land or none do."""
        if not records:
            return
        await self._db.executemany(_INSERT, [record.as_row() for record in records])

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) FROM questions")
        return int(row[0]) if row else 0

    async def recent(self, limit: int = 20) -> list[QuestionRecord]:
        """The newest questions first."""
        rows = await self._db.fetchall(
            f"SELECT {', '.join(_COLUMNS)} FROM questions ORDER BY asked_at DESC, id LIMIT ?",
            (int(limit),),
        )
        return [QuestionRecord.from_row(row) for row in rows]

    async def delete_older_than(self, cutoff: datetime) -> int:
        """Delete questions asked before ``cutoff`` (and, by cascade, their feedback).

        Returns the number of questions deleted. ``cutoff`` must be timezone-aware.
        """
        return await self._db.execute("DELETE FROM questions WHERE asked_at < ?", (to_utc_iso(cutoff),))

    async def record_feedback(self, question_id: str, user_hash: str | None, rating: int) -> None:
        """Store one user's rating of +1 or -1; that user's later rating of the same answer replaces it.

        Every user has their own rating of an answer (migration 0005): another user's click
        never overwrites it. A rating without a known user is kept under ``""``.

        Raises :class:`UnknownQuestionError` when the question is not in the table. A rating can
        beat the batched writer to the database; ``bot.storage.feedback_and_erasure.record_feedback``
        flushes the writer and retries, and is what handlers should call.
        """
        if rating not in (-1, 1):
            raise ValueError(f"rating must be -1 or 1, got {rating!r}")
        try:
            await self._db.execute(
                "INSERT INTO feedback (question_id, user_hash, rating, rated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (question_id, user_hash) DO UPDATE SET "
                "rating = excluded.rating, rated_at = excluded.rated_at",
                (question_id, user_hash or "", rating, to_utc_iso(self._clock.now())),
            )
        except ConstraintError as exc:
            if "FOREIGN KEY" not in str(exc).upper():
                raise
            raise UnknownQuestionError(f"no question with id {question_id!r}") from exc

    async def feedback_for(self, question_id: str, user_hash: str | None = None) -> int | None:
        """One user's rating of an answer; without ``user_hash``, the net rating of all users
        (👍 minus 👎). None when there is no rating."""
        if user_hash is not None:
            row = await self._db.fetchone(
                "SELECT rating FROM feedback WHERE question_id = ? AND user_hash = ?", (question_id, user_hash)
            )
            return None if row is None else int(row["rating"])
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n, SUM(rating) AS net FROM feedback WHERE question_id = ?", (question_id,)
        )
        return None if row is None or not row["n"] else int(row["net"])

    async def ratings_for(self, question_id: str) -> tuple[int, int]:
        """(👍, 👎) counts of an answer: every user's rating counts once."""
        row = await self._db.fetchone(
            "SELECT COUNT(CASE WHEN rating > 0 THEN 1 END), COUNT(CASE WHEN rating < 0 THEN 1 END) FROM feedback"
            " WHERE question_id = ?",
            (question_id,),
        )
        return (0, 0) if row is None else (int(row[0]), int(row[1]))

    async def count_for_user(self, user_hash: str) -> int:
        """How many questions the user has in the log (what an erasure would delete)."""
        row = await self._db.fetchone("SELECT COUNT(*) FROM questions WHERE user_hash = ?", (user_hash,))
        return int(row[0]) if row else 0

    async def delete_for_user(self, user_hash: str) -> int:
        """Erase a user's questions and every rating they gave; return the questions deleted.

        Ratings others gave on their questions go with the questions by cascade; ratings they gave on other people's
        questions are deleted explicitly, in the same transaction.
        """
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM feedback WHERE user_hash = ?", (user_hash,))
            return await tx.execute("DELETE FROM questions WHERE user_hash = ?", (user_hash,))
