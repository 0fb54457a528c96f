"""Guild, member, channel and user state as REST sees it: looking up channels (guild or DM), the bot's
own member, the web users (people who log in to the dashboard) with their memberships and roles,
resolving users, and the ``/users``, ``/channels/{id}``, ``/guilds`` routes.

It exists so who-is-where lives in one place; the guild specs themselves (roles, overwrites,
permissions) are in ``models.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiohttp import web

from .models import (
    ALL_PERMISSIONS,
    CHANNEL_DM,
    DEFAULT_MEMBER_PERMISSIONS,
    ChannelSpec,
    GuildSpec,
    RoleSpec,
    member_payload,
    user_payload,
)
from .protocol import (
    HTTPError,
    RecordedRequest,
)


class GuildsMixin:
    """Guild, channel and user lookups of ``FakeDiscord``."""

    def _init_members(self) -> None:
        #: user id -> full user payload of the people who can log in (``add_web_user``)
        self.web_users: dict[int, dict[str, Any]] = {}
        #: guild id -> {user id -> role ids}: who is a member where, with which roles
        self.memberships: dict[int, dict[int, list[int]]] = {}

    def add_role(self, guild_id: int, name: str, *, permissions: int = DEFAULT_MEMBER_PERMISSIONS) -> RoleSpec:
        """Create a role in a guild, e.g. ``permissions=P_MANAGE_GUILD`` for a moderator role. Add roles
        before the bot connects: a connected bot's cache hears of no new role."""
        return self.guild(guild_id).add_role(name, permissions=permissions, role_id=self._snow.next())

    def add_web_user(
        self,
        username: str,
        *,
        memberships: dict[int, list[int]] | None = None,
        owner_of: Iterable[int] = (),
        locale: str = "nl",
    ) -> dict[str, Any]:
        """A person who can log in with Discord: their user payload (as ``/users/@me`` gives it).
        ``memberships`` maps guild id -> the role ids they have there; ``owner_of`` makes them the
        owner (and a member) of those guilds."""
        user = user_payload(self._snow.next(), username)
        user.update(locale=locale, mfa_enabled=False, premium_type=0)
        self.web_users[int(user["id"])] = user
        for guild_id, role_ids in (memberships or {}).items():
            self.set_membership(user, guild_id, role_ids)
        for guild_id in owner_of:
            self.guild(guild_id).owner_id = int(user["id"])
            self.memberships.setdefault(guild_id, {}).setdefault(int(user["id"]), [])
        return user

    def set_membership(self, user: dict[str, Any] | int, guild_id: int, role_ids: list[int] | None) -> None:
        """Give a user these roles in a guild (joining it), or with ``None`` remove them from it."""
        uid = int(user["id"]) if isinstance(user, dict) else user
        guild = self.guild(guild_id)
        if role_ids is None:
            self.memberships.get(guild_id, {}).pop(uid, None)
            return
        unknown = [r for r in role_ids if guild.role(r) is None]
        if unknown:
            raise ValueError(f"guild {guild_id} has no roles {unknown}")
        self.memberships.setdefault(guild_id, {})[uid] = list(role_ids)

    def member_roles(self, guild: GuildSpec, user_id: int) -> list[int] | None:
        """The role ids of a member of ``guild``, or None when the user is no member (the owner always is)."""
        roles = self.memberships.get(guild.id, {}).get(user_id)
        if roles is None and user_id == guild.effective_owner_id(self.owner_id):
            return []
        return roles

    def guild_permissions(self, guild: GuildSpec, user_id: int) -> int | None:
        """A member's guild-level permission bits (as ``/users/@me/guilds`` reports them); None for non-members."""
        roles = self.member_roles(guild, user_id)
        if roles is None:
            return None
        return guild.member_permissions(roles, is_owner=user_id == guild.effective_owner_id(self.owner_id))

    def known_user(self, user_id: int) -> dict[str, Any] | None:
        if user_id == self.bot_user_id:
            return self.bot_user
        if user_id == self.owner_id:
            return self.owner_user
        return self.web_users.get(user_id)

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

    async def _h_user(self, rec: RecordedRequest, user_id: str) -> web.Response:
        uid = int(user_id)
        return self._json(rec, self.known_user(uid) or user_payload(uid))

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
        guild = self._guild_or_404(guild_id)
        data = guild.rest_payload(owner_id=self.owner_id)
        if rec.query.get("with_counts", "").lower() in ("1", "true"):
            data.update(approximate_member_count=guild.member_count, approximate_presence_count=0)
        return self._json(rec, data)

    async def _h_get_roles(self, rec: RecordedRequest, guild_id: str):
        return self._json(rec, [r.payload() for r in self._guild_or_404(guild_id).iter_roles()])

    async def _h_get_channels(self, rec: RecordedRequest, guild_id: str):
        guild = self._guild_or_404(guild_id)
        return self._json(rec, [channel.payload(guild.id) for channel in guild.iter_channels()])

    async def _h_get_member(self, rec: RecordedRequest, guild_id: str, user_id: str):
        guild = self._guild_or_404(guild_id)
        if user_id == str(self.bot_user_id):
            return self._json(rec, self._bot_member(guild))
        roles = self.member_roles(guild, int(user_id)) if user_id.isdigit() else None
        user = self.known_user(int(user_id)) if roles is not None else None
        if roles is None or user is None:
            raise HTTPError(404, 10007, "Unknown Member")
        return self._json(rec, member_payload(user, roles=roles))
