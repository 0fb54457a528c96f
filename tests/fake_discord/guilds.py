"""Guild, member, channel and user state as REST sees it: looking up channels (guild or DM), the bot's
own member, resolving users, and the ``/users``, ``/channels/{id}``, ``/guilds`` routes.

It exists so who-is-where lives in one place; the guild specs themselves (roles, overwrites,
permissions) are in ``models.py``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .models import (
    ALL_PERMISSIONS,
    CHANNEL_DM,
    ChannelSpec,
    GuildSpec,
    member_payload,
    user_payload,
)
from .protocol import (
    HTTPError,
    RecordedRequest,
)


class GuildsMixin:
    """Guild, channel and user lookups of ``FakeDiscord``."""

    def guild(self, guild_id: int | None = None) -> GuildSpec:
        if guild_id is None:
            return next(iter(self.guilds.values()))
        return self.guilds[guild_id]

    def _find_channel(self, channel_id: int) -> tuple[ChannelSpec | dict[str, Any] | None, GuildSpec | None]:
        if channel_id in self.dm_channels:
            return self.dm_channels[channel_id], None
        for g in self.guilds.values():
            c = g.channel(channel_id)
            if c is not None:
                return c, g
        return None, None

    def _bot_member(self, guild: GuildSpec) -> dict[str, Any]:
        return member_payload(self.bot_user, roles=[])

    def _resolve_user(self, user: dict[str, Any] | int | None) -> dict[str, Any]:
        if user is None:
            return self.default_user
        if isinstance(user, int):
            return user_payload(user)
        # a partial dict ({"id": ..., "username": ...}) is completed to a full user object
        return {**user_payload(int(user["id"]), user.get("username")), **user}

    def _channel_payload(self, channel_id: int, guild_id: int | None, user: dict[str, Any]) -> dict[str, Any]:
        chan, _guild = self._find_channel(channel_id)
        if isinstance(chan, ChannelSpec):
            data = chan.payload(guild_id)
            data["permissions"] = str(ALL_PERMISSIONS)
            return data
        if isinstance(chan, dict):
            return chan
        if guild_id is None:
            return self._dm_channel(user, channel_id)
        return ChannelSpec(id=channel_id, name="onbekend").payload(guild_id)

    def _dm_channel(self, user: dict[str, Any], channel_id: int | None = None) -> dict[str, Any]:
        for c in self.dm_channels.values():
            if c["recipients"][0]["id"] == user["id"] and (channel_id is None or int(c["id"]) == channel_id):
                return c
        cid = channel_id or self._snow.next()
        chan = {
            "id": str(cid),
            "type": CHANNEL_DM,
            "last_message_id": None,
            "flags": 0,
            "recipients": [user],
        }
        self.dm_channels[cid] = chan
        return chan

    async def _h_me(self, rec: RecordedRequest) -> web.Response:
        return self._json(rec, self.bot_user)

    async def _h_user(self, rec: RecordedRequest, user_id: str) -> web.Response:
        uid = int(user_id)
        if uid == self.bot_user_id:
            return self._json(rec, self.bot_user)
        return self._json(rec, user_payload(uid))

    async def _h_create_dm(self, rec: RecordedRequest) -> web.Response:
        rid = int((rec.json or {}).get("recipient_id", 0))
        return self._json(
            rec, self._dm_channel(user_payload(rid) if rid != int(self.default_user["id"]) else self.default_user)
        )

    def _channel_or_404(self, channel_id: str) -> tuple[ChannelSpec | dict[str, Any], GuildSpec | None]:
        chan, guild = self._find_channel(int(channel_id)) if channel_id.isdigit() else (None, None)
        if chan is None:
            raise HTTPError(404, 10003, "Unknown Channel")
        return chan, guild

    async def _h_get_channel(self, rec: RecordedRequest, channel_id: str):
        chan, guild = self._channel_or_404(channel_id)
        return self._json(rec, chan.payload(guild.id if guild else None) if isinstance(chan, ChannelSpec) else chan)

    def _guild_or_404(self, guild_id: str) -> GuildSpec:
        guild = self.guilds.get(int(guild_id)) if guild_id.isdigit() else None
        if guild is None:
            raise HTTPError(404, 10004, "Unknown Guild")
        return guild

    async def _h_get_guild(self, rec: RecordedRequest, guild_id: str):
        return self._json(rec, self._guild_or_404(guild_id).rest_payload(owner_id=self.owner_id))

    async def _h_get_member(self, rec: RecordedRequest, guild_id: str, user_id: str):
        guild = self._guild_or_404(guild_id)
        if user_id != str(self.bot_user_id):
            raise HTTPError(404, 10007, "Unknown Member")
        return self._json(rec, self._bot_member(guild))
