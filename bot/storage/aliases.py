"""Aliases learned from the question log, and the questions moderators set aside.

A learned alias is the phrase a moderator attached to a topic. Who it counts for follows the
rule for shared content (one owner): with a home server set (CMO_HOME_GUILD_ID), the aliases
attached there are shared content, indexed like the files' own aliases and seen by every
server; every other alias counts only in the server that attached it, so no server can change
another's answers. Whether an alias is shared is derived from its guild and the setting, not
stored, so moving or removing the home server reclassifies every row the same way.

The live content store gets both kinds through its overlay (see `load_learned`), rebuilt
whenever one is added or removed, so the next /ask already benefits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from bot.clock import Clock, SystemClock
from bot.insights.grouping import group_key, normalise
from bot.storage.content_version import bump_content_version
from bot.storage.database import Database, Params
from bot.storage.timestamps import to_utc_iso

log = logging.getLogger(__name__)

AliasSource = Literal["unanswered", "suggestion"]
# topic_id of a dismissal that sets the question itself aside (not one suggestion of it).
WHOLE_QUESTION = ""
_COLUMNS = "id, topic_id, lang, alias, group_key, guild_id, source, added_at"

# {topic: {lang: aliases}}: what the shared search index takes.
SharedAliases = dict[str, dict[str, tuple[str, ...]]]
# {guild: {(lang, group key): topic}}: what one server's /ask looks up before searching.
GuildAliases = dict[int, dict[tuple[str, str], str]]


@dataclass(frozen=True)
class LearnedAlias:
    id: int
    topic_id: str
    lang: str
    alias: str
    group_key: str
    guild_id: int | None
    source: str
    added_at: str

    def shared(self, home_guild_id: int | None) -> bool:
        """Shared content: attached in the home server (and there is one)."""
        return home_guild_id is not None and self.guild_id == home_guild_id

    def visible_in(self, guild_id: int | None, home_guild_id: int | None) -> bool:
        return self.shared(home_guild_id) or (guild_id is not None and self.guild_id == guild_id)

    def removable_by(self, guild_id: int | None) -> bool:
        """A server's moderators detach their own aliases; shared ones only the home server's
        (which owns them). Both come down to: attached in this server."""
        return guild_id is not None and self.guild_id == guild_id


class AliasRepository:
    """SQL for learned aliases and dismissed questions; both are stamped with `clock`'s time."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    async def attach(
        self,
        *,
        topic_id: str,
        lang: str,
        alias: str,
        group_key: str,
        guild_id: int,
        source: AliasSource,
    ) -> None:
        """Store a server's alias; the same question attached again in that server moves to
        the new topic. Another server's alias for the same question is left alone."""
        await change_aliases(
            self._db,
            "INSERT INTO learned_aliases (topic_id, lang, alias, group_key, guild_id, source, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, lang, group_key) DO UPDATE SET "
            "topic_id = excluded.topic_id, alias = excluded.alias, "
            "source = excluded.source, added_at = excluded.added_at",
            (topic_id, lang, alias, group_key, guild_id, source, to_utc_iso(self._clock.now())),
        )

    async def detach(self, guild_id: int, lang: str, group_key: str) -> None:
        await change_aliases(
            self._db,
            "DELETE FROM learned_aliases WHERE guild_id = ? AND lang = ? AND group_key = ?",
            (guild_id, lang, group_key),
        )

    async def get(self, alias_id: int) -> LearnedAlias | None:
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM learned_aliases WHERE id = ?", (alias_id,))
        return LearnedAlias(*row) if row else None

    async def remove(self, alias_id: int) -> bool:
        return await change_aliases(self._db, "DELETE FROM learned_aliases WHERE id = ?", (alias_id,)) > 0

    async def all(self) -> list[LearnedAlias]:
        rows = await self._db.fetchall(f"SELECT {_COLUMNS} FROM learned_aliases ORDER BY topic_id, lang, id")
        return [LearnedAlias(*row) for row in rows]

    async def visible_to(self, guild_id: int, home_guild_id: int | None) -> list[LearnedAlias]:
        """The aliases that count in one server: its own, and the shared ones. Where both
        cover a question, the server's own comes first (it is the one that answers there)."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM learned_aliases WHERE guild_id = ? OR guild_id = ? "
            "ORDER BY guild_id = ? DESC, added_at DESC, id DESC",
            (guild_id, -1 if home_guild_id is None else home_guild_id, guild_id),
        )
        return [LearnedAlias(*row) for row in rows]

    async def dismiss(self, guild_id: int, group_key: str, topic_id: str = WHOLE_QUESTION) -> None:
        """Set a question aside in one guild, or (with a topic) reject one suggestion of it."""
        await self._db.execute(
            "INSERT INTO dismissed_questions (guild_id, group_key, topic_id, dismissed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, group_key, topic_id) DO NOTHING",
            (guild_id, group_key, topic_id, to_utc_iso(self._clock.now())),
        )

    async def dismissed(self, guild_id: int) -> set[tuple[str, str]]:
        """(group key, topic id) pairs set aside in a guild; topic id '' for the whole question."""
        rows = await self._db.fetchall(
            "SELECT group_key, topic_id FROM dismissed_questions WHERE guild_id = ?", (guild_id,)
        )
        return {(row[0], row[1]) for row in rows}


async def change_aliases(db: Database, sql: str, params: Params) -> int:
    """Run one statement on learned_aliases and bump the content version with it, so every
    process that shares the database reloads the aliases; returns the rows changed."""
    async with db.transaction() as tx:
        changed = await tx.execute(sql, params)
        if changed:
            await bump_content_version(tx, "overlay")
    return changed


def split_learned(aliases: Iterable[LearnedAlias], home_guild_id: int | None) -> tuple[SharedAliases, GuildAliases]:
    """Shared aliases for the index, everything else per server for the ask path."""
    shared: dict[str, dict[str, list[str]]] = {}
    per_guild: GuildAliases = {}
    for alias in aliases:
        if alias.shared(home_guild_id):
            shared.setdefault(alias.topic_id, {}).setdefault(alias.lang, []).append(alias.alias)
        elif alias.guild_id is not None:
            per_guild.setdefault(alias.guild_id, {})[(alias.lang, alias.group_key)] = alias.topic_id
    by_topic = {topic: {lang: tuple(texts) for lang, texts in langs.items()} for topic, langs in shared.items()}
    return by_topic, per_guild


async def load_learned(db: Database, home_guild_id: int | None) -> tuple[SharedAliases, GuildAliases]:
    """Every learned alias as the content store's overlay wants it. Called at start (to build
    the first snapshot) and after every change."""
    return split_learned(await AliasRepository(db).all(), home_guild_id)


async def learned_aliases_by_topic(db: Database, home_guild_id: int | None = None) -> SharedAliases:
    """The shared aliases only, {topic: {lang: aliases}}: none without a home server."""
    return (await load_learned(db, home_guild_id))[0]


# ------------------------------------------------------------------------------------ erasure


def _keys(rows: Iterable[Mapping[str, str] | tuple[str, str]]) -> set[str]:
    keys = set()
    for question, lang in rows:
        normalised = normalise(question or "")
        if normalised:
            keys.add(group_key(lang or "nl", normalised))
    return keys


async def forget_alias_words(db: Database, user_hash: str) -> int:
    """Erasure: deletes the learned aliases whose text came from this user's questions only.

    An alias's text is the most common phrasing of a question group (same group key). When
    nobody else asked that group, the alias is this user's words and goes with them; when
    others asked it too, it stays: the words are no longer only theirs. Call it BEFORE the
    user's questions are deleted (it finds their groups through them), and rebuild the live
    content afterwards when it returns more than 0. Returns how many aliases were removed.
    """
    alias_keys = {row[0] for row in await db.fetchall("SELECT DISTINCT group_key FROM learned_aliases")}
    if not alias_keys:
        return 0
    theirs = await db.fetchall("SELECT question, lang FROM questions WHERE user_hash = ?", (user_hash,))
    candidates = alias_keys & await asyncio.to_thread(_keys, [(row[0], row[1]) for row in theirs])
    if not candidates:
        return 0
    # Anyone else (another user, or a question without a user such as the command line).
    others = await db.fetchall(
        "SELECT question, lang FROM questions WHERE user_hash IS NULL OR user_hash != ?", (user_hash,)
    )
    shared_words = await asyncio.to_thread(_keys, [(row[0], row[1]) for row in others])
    lonely = sorted(candidates - shared_words)
    if not lonely:
        return 0
    placeholders = ", ".join("?" for _ in lonely)
    removed = await change_aliases(
        db, f"DELETE FROM learned_aliases WHERE group_key IN ({placeholders})", tuple(lonely)
    )
    log.info("erasure removed %d learned alias(es) made of one user's words", removed)
    return removed
