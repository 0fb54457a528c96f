"""The improvement loop itself: open questions and suggestions in, learned aliases out.

A question group is "open" while no learned alias that counts in this server covers it, no
moderator dismissed it, and the live content still does not answer it (a content edit can
close a group by itself). The queue holds the questions the bot could not answer and the best
guesses someone rated 👎; a 👎'd guess stays open until the content answers it confidently.

Attaching an alias stores it and rebuilds the live content before returning, so the very next
/ask with that question is answered.

Shared content has one owner: with a home server, only its moderators attach aliases, and
those count everywhere; without one, an alias counts only in the server that attached it
(bot/storage/aliases.py). Either way a server's moderators detach only what their server
attached.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.asking import answer_in
from bot.clock import Clock
from bot.insights.grouping import QuestionGroup, alias_text, queue_groups
from bot.insights.queries import InsightsQueries
from bot.insights.suggestions import Suggestion, find_suggestions
from bot.knowledge.model import as_lang
from bot.knowledge.store import ContentStore
from bot.storage.aliases import WHOLE_QUESTION, AliasRepository, AliasSource, LearnedAlias, load_learned
from bot.storage.database import Database

log = logging.getLogger(__name__)

# Questions are grouped over everything the log still holds (retention bounds it).
ALL_TIME = ""
# How many groups are checked against the live content per request; the rest wait their turn.
MAX_CHECKED = 300


class NotHomeGuildError(Exception):
    """With a home server set, only its moderators change the content every server shares."""


class NotYoursError(Exception):
    """A server's moderators detach only the aliases their server attached."""


@dataclass(frozen=True)
class Attached:
    alias: str
    topic_id: str
    answers_now: bool  # whether this server's /ask now picks the topic for the question
    shared: bool  # counts in every server (attached in the home server)


@dataclass(frozen=True)
class ClosedGroup:
    """A question group of this server's log that a learned alias answers now."""

    group: QuestionGroup
    alias: LearnedAlias


class ImprovementLoop:
    def __init__(self, db: Database, store: ContentStore, clock: Clock | None = None) -> None:
        self._db = db
        self.store = store
        self.home_guild_id = store.home_guild_id
        self.queries = InsightsQueries(db)
        self.aliases = AliasRepository(db, clock)

    async def visible_aliases(self, guild_id: int) -> list[LearnedAlias]:
        """The aliases that count in this server: its own first, then the shared ones."""
        return await self.aliases.visible_to(guild_id, self.home_guild_id)

    async def _closed_keys(self, guild_id: int) -> tuple[set[str], set[tuple[str, str]]]:
        dismissed = await self.aliases.dismissed(guild_id)
        whole = {key for key, topic in dismissed if topic == WHOLE_QUESTION}
        return {alias.group_key for alias in await self.visible_aliases(guild_id)} | whole, dismissed

    async def queue(self, guild_id: int) -> list[QuestionGroup]:
        """Every question group of the queue, open or not: unanswered /ask and 👎'd best guesses."""
        return queue_groups(
            await self.queries.unanswered(guild_id, ALL_TIME), await self.queries.rejected_guesses(guild_id, ALL_TIME)
        )

    async def open_groups(self, guild_id: int) -> list[QuestionGroup]:
        """Open unanswered question groups of one guild, most asked first."""
        closed, _ = await self._closed_keys(guild_id)
        groups = [g for g in await self.queue(guild_id) if g.key not in closed]
        return [g for g in groups[:MAX_CHECKED] if self._still_open(g, guild_id)]

    def _still_open(self, group: QuestionGroup, guild_id: int) -> bool:
        """Whether the live content still leaves the group open. A group with a 👎'd guess
        stays open while the search only guesses again (a reader already said the guess was
        wrong); only a confident answer closes it. Otherwise any answer or guess does: a new
        guess gets its own 👍/👎, and a 👎 brings the group back."""
        answer = answer_in(self.store, group.text, as_lang(group.lang), guild_id)
        if group.rejected_guess is not None:
            return answer.outcome != "answer"
        return not answer.matched

    async def closed_groups(self, guild_id: int) -> list[ClosedGroup]:
        """This server's unanswered question groups that a learned alias it sees closed, most
        asked first, each with that alias (the server's own where it has one)."""
        by_key: dict[str, LearnedAlias] = {}
        for alias in await self.visible_aliases(guild_id):
            by_key.setdefault(alias.group_key, alias)
        groups = await self.queue(guild_id)
        return [ClosedGroup(group, by_key[group.key]) for group in groups if group.key in by_key]

    async def open_suggestions(self, guild_id: int) -> list[Suggestion]:
        closed, dismissed = await self._closed_keys(guild_id)
        snapshot = self.store.current
        found = find_suggestions(await self.queries.user_events(guild_id, ALL_TIME))
        return [
            s
            for s in found[:MAX_CHECKED]
            if s.key not in closed
            and (s.key, s.topic_id) not in dismissed
            and s.topic_id in snapshot.topics
            and answer_in(self.store, s.text, as_lang(s.lang), guild_id).topic_id != s.topic_id
        ]

    def may_attach(self, guild_id: int) -> bool:
        return self.home_guild_id is None or guild_id == self.home_guild_id

    async def attach(
        self, guild_id: int, group: QuestionGroup | Suggestion, topic_id: str, source: AliasSource
    ) -> Attached:
        """Stores the alias and makes it live; if the content cannot be rebuilt, the alias is
        removed again and the error raised: nothing is stored that is not live. Raises
        NotHomeGuildError in any server but the home server, when there is one."""
        if not self.may_attach(guild_id):
            raise NotHomeGuildError(guild_id)
        alias = alias_text(group.text)
        async with self.store.changes:
            await self.aliases.attach(
                topic_id=topic_id, lang=group.lang, alias=alias, group_key=group.key, guild_id=guild_id, source=source
            )
            try:
                await self._rebuild()
            except Exception:
                await self.aliases.detach(guild_id, group.lang, group.key)
                raise
        answer = answer_in(self.store, group.text, as_lang(group.lang), guild_id)
        shared = self.home_guild_id is not None
        log.info(
            "guild %s attached a learned alias (%s, shared=%s) to topic %s", guild_id, group.lang, shared, topic_id
        )
        return Attached(alias, topic_id, answer.topic_id == topic_id, shared)

    async def detach(self, guild_id: int, alias_id: int) -> LearnedAlias | None:
        """Removes one learned alias and rebuilds the live content; None when it is gone
        already. Raises NotYoursError for an alias another server attached."""
        async with self.store.changes:
            alias = await self.aliases.get(alias_id)
            if alias is None:
                return None
            if not alias.removable_by(guild_id):
                raise NotYoursError(alias_id)
            await self.aliases.remove(alias_id)
            await self._rebuild()
        log.info("guild %s detached learned alias %s from topic %s", guild_id, alias_id, alias.topic_id)
        return alias

    async def dismiss(self, guild_id: int, key: str, topic_id: str = WHOLE_QUESTION) -> None:
        await self.aliases.dismiss(guild_id, key, topic_id)

    async def _rebuild(self) -> None:
        """Reads the learned aliases back and hands them to the store (under `changes`)."""
        self.store.set_learned_aliases(*await load_learned(self._db, self.home_guild_id))
