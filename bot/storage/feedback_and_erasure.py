"""The two operations that must see the batched writer and the table as one log.

A handler enqueues a question and answers at once, so for a moment the question exists only
in the writer's queue. A rating clicked in that moment, or an erasure requested then, would
miss it: the rating would fail its foreign key, and the erasure would run before the
question lands, leaving it behind. Both are fixed the same way: flush the writer first.
"""

from __future__ import annotations

import asyncio
import logging

from bot.storage.questions import QuestionRepository, UnknownQuestionError
from bot.storage.writer import QuestionWriter

log = logging.getLogger(__name__)


async def record_feedback(
    repository: QuestionRepository,
    writer: QuestionWriter,
    question_id: str,
    user_hash: str | None,
    rating: int,
    *,
    flush_timeout: float = 2.0,
) -> None:
    """Store one user's rating (replacing only their own earlier one), waiting for the
    question's row if it is still queued.

    The usual case (the question was written long ago) costs one statement. Only when the
    question is missing do we flush the writer, bounded by ``flush_timeout`` so a button click
    is not held hostage by a database outage, and try once more. Raises
    :class:`UnknownQuestionError` if the question still is not there (expired, erased, or an
    id that never existed).
    """
    try:
        await repository.record_feedback(question_id, user_hash, rating)
        return
    except UnknownQuestionError:
        if writer.pending == 0:
            raise
    try:
        async with asyncio.timeout(flush_timeout):
            await writer.flush()
    except TimeoutError:
        log.warning("feedback for question %s: the question log did not flush within %.1fs",
                    question_id, flush_timeout)
    await repository.record_feedback(question_id, user_hash, rating)


async def erase_user(
    repository: QuestionRepository,
    writer: QuestionWriter,
    user_hash: str,
    *,
    flush_timeout: float = 5.0,
) -> int:
    """Delete a user's questions and ratings, including questions still in the queue.

    Raises ``TimeoutError`` if the writer cannot flush in time (the database is not writable,
    so the delete would fail too); the caller should tell the user to try again later rather
    than report an erasure that left rows behind. Returns the number of questions deleted.
    """
    async with asyncio.timeout(flush_timeout):
        await writer.flush()
    deleted = await repository.delete_for_user(user_hash)
    log.info("erased %d questions for one user on request", deleted)
    return deleted
