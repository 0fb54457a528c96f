"""Answering a question and logging it: the one path shared by Discord and the command line.

Logging goes through the question writer's queue, so answering never waits on the disk; the
user id is turned into a keyed hash before anything is kept.

A server's own learned aliases (attached there, not shared through the home server) are
looked up here, for that server only, before the shared search: the same question asked in
another server is answered from the shared content alone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.insights.grouping import group_key, normalise
from bot.knowledge.model import Lang
from bot.knowledge.search import Answer
from bot.knowledge.semantic_pool import SemanticPool
from bot.knowledge.snapshot import ContentSnapshot
from bot.knowledge.store import ContentStore
from bot.limits import MAX_QUESTION_LENGTH
from bot.storage import feedback_and_erasure
from bot.storage.identity import UserHasher
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.writer import QuestionWriter

log = logging.getLogger(__name__)


def guild_answer(store: ContentStore, question: str, lang: Lang, guild_id: int | None) -> Answer | None:
    """An exact match of the question's group (case, accents, punctuation and spacing aside)
    on one of this server's own learned aliases: that topic, with full confidence."""
    if not store.has_guild_aliases(guild_id):
        return None
    normalised = normalise(question)
    topic_id = store.guild_alias(guild_id, lang, group_key(lang, normalised)) if normalised else None
    return None if topic_id is None else Answer(topic_id, 1.0, (), lang, outcome="answer")


def answer_in(store: ContentStore, question: str, lang: Lang, guild_id: int | None) -> Answer:
    """What /ask answers in this server (its own aliases first, then the shared content),
    without logging anything."""
    return guild_answer(store, question, lang, guild_id) or store.current.answer(question, lang)


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
    def __init__(
        self,
        store: ContentStore,
        writer: QuestionWriter,
        hasher: UserHasher,
        repository: QuestionRepository,
        pool: SemanticPool | None = None,
        clock: Clock | None = None,
    ):
        self._store = store
        self._clock = clock or SystemClock()  # when a question was asked
        self._pool = pool
        # The bot answers on the lexical signals while a new snapshot's topics are embedded;
        # the command line waits for them (from the cache that takes a fraction of a second).
        self.wait_for_model = False
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
        """Stores this user's 👍 (+1) or 👎 (-1) for a logged question; their second click replaces
        their first, and never anyone else's.
        Raises UnknownQuestionError when the question has expired or was erased."""
        await feedback_and_erasure.record_feedback(
            self._repository, self._writer, question_id, self.user_hash(user_id), rating
        )

    def user_hash(self, user_id: int | None) -> str | None:
        return None if user_id is None else self._hasher.hash(user_id)

    async def ask(self, question: str, lang: Lang, asker: Asker = Asker(), command: str = "ask") -> AskResult:
        """Answers from the live snapshot and enqueues the question for the log. The semantic
        model, when loaded, embeds the question in its worker pool, never on the event loop;
        when the pool is busy the lexical signals decide alone."""
        started = time.perf_counter()
        question = question[:MAX_QUESTION_LENGTH]
        snapshot = self._store.current
        answer = guild_answer(self._store, question, lang, asker.guild_id)
        if answer is None:
            answer = await self._search(snapshot, question, lang)
        record = self._log(command, question, lang, asker, answer.topic_id, answer.score, started, answer.outcome)
        for observer in self._observers:
            try:
                observer(answer)
            except Exception:
                log.exception("answer observer failed")
        return AskResult(answer, record.id, snapshot)

    async def _search(self, snapshot: ContentSnapshot, question: str, lang: Lang) -> Answer:
        index = snapshot.index
        cached = index.cached(question, lang)
        if cached is not None:
            return cached
        semantic = index.semantic
        if semantic is None or self._pool is None:
            return index.answer(question, lang, use_semantic=False)
        if not semantic.ready:
            if not self.wait_for_model:
                self._pool.ensure_built(semantic)
                return index.answer(question, lang, use_semantic=False)
            await self._pool.build(semantic)
        lexical = index.answer(question, lang, use_semantic=False)
        if index.settled_without_model(lexical):
            return lexical  # off-topic or noise by every lexical signal: the model is not asked
        vector = await self._pool.query_vector(semantic, question)
        if vector is None:
            # A burst: the worker's queue is full, so this one is decided without the model
            # (from the cache when it was asked before); nobody waits and nothing piles up.
            return lexical
        return index.answer(question, lang, vector=vector)

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
        outcome: str | None = None,
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
            asked_at=self._clock.now(),
            outcome=outcome,
        )
        self._writer.enqueue(record)
        return record
