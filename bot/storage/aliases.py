"""Aliases learned from the question log, and the questions moderators set aside.

A learned alias is content: the phrase a moderator attached to a topic, shared by every
guild and indexed like the files' own aliases. The live snapshot gets them through the
content store's overlay (see `learned_aliases_by_topic`), which is rebuilt whenever one is
added, so the next /ask already benefits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from bot.storage.database import Database
from bot.storage.timestamps import utc_now_iso

log = logging.getLogger(__name__)

AliasSource = Literal["unanswered", "suggestion"]
# topic_id of a dismissal that sets the question itself aside (not one suggestion of it).
WHOLE_QUESTION = ""


@dataclass(frozen=True)
class LearnedAlias:
    topic_id: str
    lang: str
    alias: str
    group_key: str
    guild_id: int | None
    source: str
    added_at: str


class AliasRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def attach(
        self,
        *,
        topic_id: str,
        lang: str,
        alias: str,
        group_key: str,
        guild_id: int | None,
        source: AliasSource,
    ) -> None:
        """Store an alias; the same question attached again moves to the new topic."""
        await self._db.execute(
            "INSERT INTO learned_aliases (topic_id, lang, alias, group_key, guild_id, source, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lang, group_key) DO UPDATE SET "
            "topic_id = excluded.topic_id, alias = excluded.alias, guild_id = excluded.guild_id, "
            "source = excluded.source, added_at = excluded.added_at",
            (topic_id, lang, alias, group_key, guild_id, source, utc_now_iso()),
        )

    async def detach(self, lang: str, group_key: str) -> None:
        await self._db.execute("DELETE FROM learned_aliases WHERE lang = ? AND group_key = ?", (lang, group_key))

    async def all(self) -> list[LearnedAlias]:
        rows = await self._db.fetchall(
            "SELECT topic_id, lang, alias, group_key, guild_id, source, added_at FROM learned_aliases "
            "ORDER BY topic_id, lang, id"
        )
        return [LearnedAlias(*row) for row in rows]

    async def learned_keys(self) -> set[str]:
        """Group keys of every learned alias (the key includes the language)."""
        return {row[0] for row in await self._db.fetchall("SELECT group_key FROM learned_aliases")}

    async def dismiss(self, guild_id: int, group_key: str, topic_id: str = WHOLE_QUESTION) -> None:
        """Set a question aside in one guild, or (with a topic) reject one suggestion of it."""
        await self._db.execute(
            "INSERT INTO dismissed_questions (guild_id, group_key, topic_id, dismissed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, group_key, topic_id) DO NOTHING",
            (guild_id, group_key, topic_id, utc_now_iso()),
        )

    async def dismissed(self, guild_id: int) -> set[tuple[str, str]]:
        """(group key, topic id) pairs set aside in a guild; topic id '' for the whole question."""
        rows = await self._db.fetchall(
            "SELECT group_key, topic_id FROM dismissed_questions WHERE guild_id = ?", (guild_id,)
        )
        return {(row[0], row[1]) for row in rows}


async def learned_aliases_by_topic(db: Database) -> dict[str, dict[str, tuple[str, ...]]]:
    """Every learned alias as the content store's overlay wants it: {topic: {lang: aliases}}.

    Called at start (to build the first snapshot) and after every change."""
    by_topic: dict[str, dict[str, list[str]]] = {}
    for alias in await AliasRepository(db).all():
        by_topic.setdefault(alias.topic_id, {}).setdefault(alias.lang, []).append(alias.alias)
    return {topic: {lang: tuple(aliases) for lang, aliases in langs.items()} for topic, langs in by_topic.items()}
