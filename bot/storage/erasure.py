"""Everything stored about one user, counted and erased in one place (/privacy forget-me).

A user shows up in four places: the questions they asked, the ratings they gave (ratings
others gave on their questions go with those questions), their name and hash on content
revisions they made as a moderator, and the words of their questions in learned aliases.
Counting and erasing live side by side so that what the user is shown is what gets erased.

After erasing, the WAL is checkpointed: with secure_delete the deleted rows are zeroed in
the database file, but until a checkpoint the -wal file still holds the pages as they were.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from bot.storage import aliases as alias_store
from bot.storage.database import Database
from bot.storage.questions import QuestionRepository
from bot.storage.revisions import RevisionRepository
from bot.storage.writer import QuestionWriter

log = logging.getLogger(__name__)

COUNT_FLUSH_TIMEOUT = 2.0
ERASE_FLUSH_TIMEOUT = 5.0


@dataclass(frozen=True)
class UserData:
    questions: int = 0
    ratings: int = 0  # ratings the user gave
    edits: int = 0  # content revisions that carry their name
    aliases: int = 0  # learned aliases whose words were theirs (known only once erased)

    @property
    def empty(self) -> bool:
        return not (self.questions or self.ratings or self.edits or self.aliases)


async def _count(db: Database, sql: str, user_hash: str) -> int:
    row = await db.fetchone(sql, (user_hash,))
    return int(row[0]) if row else 0


async def count_user_data(db: Database, writer: QuestionWriter, user_hash: str) -> UserData:
    """What is stored for the user, including questions still in the writer's queue (they
    just asked them). A writer that cannot flush in time does not stop the count."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(COUNT_FLUSH_TIMEOUT):
            await writer.flush()
    return UserData(
        questions=await _count(db, "SELECT COUNT(*) FROM questions WHERE user_hash = ?", user_hash),
        ratings=await _count(db, "SELECT COUNT(*) FROM feedback WHERE user_hash = ?", user_hash),
        edits=await _count(db, "SELECT COUNT(*) FROM topic_revisions WHERE editor_hash = ?", user_hash),
    )


async def _forget_alias_words(db: Database, user_hash: str) -> int:
    """The asker's words in learned aliases (bot/storage/aliases.py owns how). Must run before
    the questions are deleted: they are how an alias is traced back to its asker."""
    forget = getattr(alias_store, "forget_alias_words", None)
    if forget is None:
        log.warning("bot.storage.aliases.forget_alias_words is missing; learned aliases were not checked")
        return 0
    return int(await forget(db, user_hash))


async def erase_user_data(
    db: Database, repository: QuestionRepository, writer: QuestionWriter, user_hash: str
) -> UserData:
    """Erase everything tied to ``user_hash`` and return what was erased.

    Raises ``TimeoutError`` if the writer cannot flush (the database is not writable, so the
    deletes would fail too): better to say "try again" than to report an erasure that left
    queued rows behind. Each step is idempotent, so a retry after a failure half-way finishes
    the job.
    """
    async with asyncio.timeout(ERASE_FLUSH_TIMEOUT):
        await writer.flush()
    ratings = await _count(db, "SELECT COUNT(*) FROM feedback WHERE user_hash = ?", user_hash)
    aliases = await _forget_alias_words(db, user_hash)
    questions = await repository.delete_for_user(user_hash)
    edits = await RevisionRepository(db).forget_editor(user_hash)
    await db.checkpoint()
    erased = UserData(questions=questions, ratings=ratings, edits=edits, aliases=aliases)
    log.info("erased on request: %d questions, %d ratings, %d revision names, %d aliases",
             questions, ratings, edits, aliases)
    return erased
