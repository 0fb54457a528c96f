"""Builds the core services once, in one place, and closes them in the right order.

Both `cmo-bot run` and `cmo-bot ask` start here, so the command line answers exactly as
the bot does. Content is loaded before the database is opened: invalid content should stop
the start before anything is written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.asking import AskService
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.knowledge.store import ContentStore, Overlay
from bot.storage.aliases import learned_aliases_by_topic
from bot.storage.database import Database
from bot.storage.identity import UserHasher
from bot.storage.meta import load_or_create_hash_secret
from bot.storage.questions import QuestionRepository
from bot.storage.revisions import live_overrides
from bot.storage.writer import QuestionWriter

log = logging.getLogger(__name__)


async def apply_overlay(store: ContentStore, db: Database) -> None:
    """Puts the database's layer (live edits, learned aliases) on top of the files. If that
    layer no longer fits the files (a live edit refers to a topic the files dropped), the
    bot starts on the files alone and says so, rather than not starting at all."""
    overlay = Overlay(topic_overrides=await live_overrides(db), learned_aliases=await learned_aliases_by_topic(db))
    try:
        store.rebuild(overlay=overlay)
    except Exception:
        log.exception("live edits and learned aliases could not be applied; answering from the files alone")


@dataclass
class Services:
    settings: Settings
    store: ContentStore
    db: Database
    questions: QuestionRepository
    writer: QuestionWriter
    hasher: UserHasher
    asking: AskService
    clock: Clock

    @classmethod
    async def open(cls, settings: Settings, clock: Clock | None = None) -> Services:
        store = ContentStore.from_dir(settings.resolved_content_dir())
        db = await Database.open(settings.db_path)
        try:
            configured = settings.hash_secret.get_secret_value() if settings.hash_secret else None
            hasher = UserHasher(await load_or_create_hash_secret(db, configured))
            await apply_overlay(store, db)
            questions = QuestionRepository(db)
            writer = QuestionWriter(questions)
            await writer.start()
        except BaseException:
            await db.close()
            raise
        asking = AskService(store, writer, hasher, questions)
        return cls(settings, store, db, questions, writer, hasher, asking, clock or SystemClock())

    async def close(self) -> None:
        """Drains the question log before the database closes: nothing asked is lost."""
        try:
            await self.writer.close()
        finally:
            await self.db.close()
