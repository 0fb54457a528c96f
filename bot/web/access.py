"""Who may see a server's pages and who may edit the shared content, decided on the server
for every request, with the same rules as the moderator commands in Discord.

A moderator has Manage Server (or Administrator, or owns the server) or one of the roles in
CMO_EDITOR_ROLE_IDS. The dashboard learns this from Discord over REST with the bot's own
token: the member's roles, and the server's roles with their permissions. Nothing the
browser sends is trusted for it, and nothing from the login is reused: roles change, and a
moderator who lost the role loses the pages within the cache's lifetime (30 s).

Shared content has one owner: only the home server's moderators edit it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.moderation import is_moderator as counts_as_moderator

ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
CACHE_SECONDS = 30
CACHE_ENTRIES = 2_000  # bounded whatever the traffic


@dataclass(frozen=True)
class GuildFacts:
    """What Discord says about a server and one member of it."""

    owner_id: int
    role_permissions: dict[int, int]  # role id -> permission bits; the @everyone role's id is the server's id
    member_roles: frozenset[int] | None  # None: not a member


class GuildDirectory(Protocol):
    """Reads a server's owner, roles and one member's roles from Discord (the bot's REST)."""

    async def facts(self, guild_id: int, user_id: int) -> GuildFacts | None:
        """None when the bot is not in that server."""
        ...


@dataclass(frozen=True)
class Access:
    guild_id: int
    in_guild: bool  # the bot is there and so is the user
    moderator: bool
    edits_shared: bool  # a moderator of the home server


def is_moderator(facts: GuildFacts, guild_id: int, user_id: int, editor_role_ids: Set[int]) -> bool:
    """Discord's guild-level permissions, as it computes them: the owner has all; otherwise
    the @everyone role's (the server's id) and every role's of the member, together."""
    if facts.member_roles is None:
        return False
    permissions = 0
    for role_id in facts.member_roles | {guild_id}:
        permissions |= facts.role_permissions.get(role_id, 0)
    manages = facts.owner_id == user_id or bool(permissions & (ADMINISTRATOR | MANAGE_GUILD))
    return counts_as_moderator(manages, facts.member_roles, editor_role_ids)


class GuildAccess:
    def __init__(
        self, directory: GuildDirectory, editor_role_ids: Set[int], home_guild_id: int | None, clock: Clock
    ) -> None:
        self._directory = directory
        self._editor_role_ids = editor_role_ids
        self._home_guild_id = home_guild_id
        self._clock = clock
        self._cache: OrderedDict[tuple[int, int], tuple[datetime, Access]] = OrderedDict()

    async def check(self, user_id: int, guild_id: int) -> Access:
        key = (guild_id, user_id)
        now = self._clock.now()
        cached = self._cache.get(key)
        if cached is not None and now - cached[0] < timedelta(seconds=CACHE_SECONDS):
            return cached[1]
        access = await self._decide(user_id, guild_id)
        self._cache[key] = (now, access)
        self._cache.move_to_end(key)
        while len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return access

    def forget(self, user_id: int) -> None:
        """A logout: the next login reads the roles afresh."""
        for key in [key for key in self._cache if key[1] == user_id]:
            del self._cache[key]

    async def _decide(self, user_id: int, guild_id: int) -> Access:
        facts = await self._directory.facts(guild_id, user_id)
        if facts is None or facts.member_roles is None:
            return Access(guild_id, in_guild=False, moderator=False, edits_shared=False)
        moderator = is_moderator(facts, guild_id, user_id, self._editor_role_ids)
        home = self._home_guild_id is not None and guild_id == self._home_guild_id
        return Access(guild_id, in_guild=True, moderator=moderator, edits_shared=moderator and home)
