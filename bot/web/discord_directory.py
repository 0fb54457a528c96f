"""The dashboard's view of Discord through the bot's own REST client: a server's roles and
owner, a member's roles, its text channels. The bot has no guild cache (no intents), so these
are asked when needed; discord.py's client keeps Discord's rate limits for us."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord

from bot.web.access import GuildFacts

log = logging.getLogger(__name__)

TEXT_CHANNEL_TYPES = (0, 5)  # text and announcement channels


@dataclass(frozen=True)
class Channel:
    id: int
    name: str


class DiscordDirectory:
    def __init__(self, http: discord.http.HTTPClient) -> None:
        self._http = http

    async def facts(self, guild_id: int, user_id: int) -> GuildFacts | None:
        try:
            guild = await self._http.get_guild(guild_id, with_counts=False)
        except (discord.NotFound, discord.Forbidden):
            return None
        roles = {int(role["id"]): int(role.get("permissions", 0)) for role in guild.get("roles", [])}
        try:
            member = await self._http.get_member(guild_id, user_id)
        except discord.NotFound:
            return GuildFacts(int(guild["owner_id"]), roles, None)
        member_roles = frozenset(int(role_id) for role_id in member.get("roles", []))
        return GuildFacts(int(guild["owner_id"]), roles, member_roles)

    async def text_channels(self, guild_id: int) -> list[Channel]:
        """The server's text channels by position, for the tips page's channel choice."""
        try:
            channels = await self._http.get_all_guild_channels(guild_id)
        except (discord.NotFound, discord.Forbidden):
            return []
        text = [c for c in channels if c.get("type") in TEXT_CHANNEL_TYPES]
        text.sort(key=lambda c: (c.get("position", 0), int(c["id"])))
        return [Channel(int(c["id"]), str(c.get("name", c["id"]))) for c in text]
