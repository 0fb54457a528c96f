"""Answering a question and logging it: the one path shared by Discord and the command line.

Logging goes through the question writer's queue, so answering never waits on the disk; the
user id is turned into a keyed hash before anything is kept.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.knowledge.model import Lang
from bot.knowledge.search import Answer
from bot.knowledge.snapshot import ContentSnapshot
from bot.knowledge.store import ContentStore
from bot.storage import question_log
from bot.storage.identity import UserHasher
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.writer import QuestionWriter

log = logging.getLogger(__name__)

MAX_QUESTION_LENGTH = 2000


@dataclass(frozen=True)
class Asker:
    """Where a question came from. All optional: the command line has no guild or user."""

    guild_id: int | None = None
    channel_id: int | None = None
    user_id: int | None = None
    locale: str | None = None


@dataclass(frozen=True)
class AskResult:
    answer: Answer
    question_id: str
    snapshot: ContentSnapshot


class AskService:
    def __init__(self, store: ContentStore, writer: QuestionWriter, hasher: UserHasher, repository: QuestionRepository):
        self._store = store
        self._writer = writer
        self._hasher = hasher
        self._repository = repository
        self._observers: list[Callable[[Answer], None]] = []

    def add_observer(self, observer: Callable[[Answer], None]) -> None:
        """Called with every answer (metrics); never lets an observer's error reach the user."""
        self._observers.append(observer)

    @property
    def snapshot(self) -> ContentSnapshot:
        return self._store.current

    async def record_feedback(self, question_id: str, user_id: int, rating: int) -> None:
        """Stores 👍 (+1) or 👎 (-1) for a logged question; a second click replaces the first.
        Raises UnknownQuestionError when the question has expired or was erased."""
        await question_log.record_feedback(self._repository, self._writer, question_id, self.user_hash(user_id), rating)

    def user_hash(self, user_id: int | None) -> str | None:
        return None if user_id is None else self._hasher.hash(user_id)

    def ask(self, question: str, lang: Lang, asker: Asker = Asker(), command: str = "ask") -> AskResult:
        """Answers from the live snapshot and enqueues the question for the log."""
        started = time.perf_counter()
        question = question[:MAX_QUESTION_LENGTH]
        snapshot = self._store.current
        answer = snapshot.answer(question, lang)
        record = self._log(command, question, lang, asker, answer.topic_id, answer.score, started)
        for observer in self._observers:
            try:
                observer(answer)
            except Exception:
                log.exception("answer observer failed")
        return AskResult(answer, record.id, snapshot)

    def log_lookup(self, command: str, text: str, lang: Lang, asker: Asker, topic_id: str | None) -> str:
        """Logs a lookup that did not go through search (e.g. /explain with a chosen topic)."""
        return self._log(command, text[:MAX_QUESTION_LENGTH], lang, asker, topic_id, None, time.perf_counter()).id

    def _log(
        self,
        command: str,
        question: str,
        lang: Lang,
        asker: Asker,
        topic_id: str | None,
        score: float | None,
        started: float,
    ) -> QuestionRecord:
        record = QuestionRecord.new(
            command=command,
            question=question,
            guild_id=asker.guild_id,
            channel_id=asker.channel_id,
            user_hash=self.user_hash(asker.user_id),
            locale=asker.locale,
            lang=lang,
            topic_id=topic_id,
            score=score,
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
        )
        self._writer.enqueue(record)
        return record
