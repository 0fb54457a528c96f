"""Data model and payload builders for the fake Discord server.

Everything here is plain data: specs describing guilds/channels/roles/users and functions that turn them
into the JSON payloads Discord sends.  Guild specs are lazy: a guild created with ``channel_count`` /
``role_count`` derives its channel and role ids arithmetically from its own id and only builds payloads
when a GUILD_CREATE is actually sent, so 10,000 guilds cost almost nothing until they are streamed.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

# Permission bits (subset) used to build realistic defaults.
P_CREATE_INSTANT_INVITE = 1 << 0
P_ADMINISTRATOR = 1 << 3
P_MANAGE_GUILD = 1 << 5
P_ADD_REACTIONS = 1 << 6
P_VIEW_CHANNEL = 1 << 10
P_SEND_MESSAGES = 1 << 11
P_EMBED_LINKS = 1 << 14
P_ATTACH_FILES = 1 << 15
P_READ_MESSAGE_HISTORY = 1 << 16
P_MENTION_EVERYONE = 1 << 17
P_USE_EXTERNAL_EMOJIS = 1 << 18
P_CONNECT = 1 << 20
P_SPEAK = 1 << 21
P_CHANGE_NICKNAME = 1 << 26
P_USE_APPLICATION_COMMANDS = 1 << 31
P_SEND_MESSAGES_IN_THREADS = 1 << 38

#: What an ordinary member has (roughly Discord's @everyone default).
DEFAULT_MEMBER_PERMISSIONS = (
    P_CREATE_INSTANT_INVITE
    | P_ADD_REACTIONS
    | P_VIEW_CHANNEL
    | P_SEND_MESSAGES
    | P_EMBED_LINKS
    | P_ATTACH_FILES
    | P_READ_MESSAGE_HISTORY
    | P_MENTION_EVERYONE
    | P_USE_EXTERNAL_EMOJIS
    | P_CONNECT
    | P_SPEAK
    | P_CHANGE_NICKNAME
    | P_USE_APPLICATION_COMMANDS
    | P_SEND_MESSAGES_IN_THREADS
)
#: All permission bits Discord currently defines (used for the bot's app_permissions by default).
ALL_PERMISSIONS = (1 << 51) - 1

CHANNEL_TEXT = 0
CHANNEL_DM = 1
CHANNEL_VOICE = 2
CHANNEL_CATEGORY = 4
CHANNEL_NEWS = 5
CHANNEL_FORUM = 15


class SnowflakeFactory:
    """Monotonic, unique snowflakes with a real timestamp component."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._increment = 0

    def next(self) -> int:
        with self._lock:
            ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
            if ms <= self._last_ms:
                ms = self._last_ms
                self._increment += 1
                if self._increment >= 4096:
                    ms += 1
                    self._increment = 0
            else:
                self._increment = 0
            self._last_ms = ms
            return (ms << 22) | (1 << 17) | self._increment


def snowflake_from_ms(ms_since_epoch: int, low: int = 0) -> int:
    return (ms_since_epoch << 22) | (low & 0x3FFFFF)


def iso_now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat()


_JOINED_AT = "2024-01-01T12:00:00.000000+00:00"


# ---------------------------------------------------------------------------------------------- users


def user_payload(
    user_id: int,
    username: str | None = None,
    *,
    bot: bool = False,
    global_name: str | None = None,
) -> dict[str, Any]:
    name = username or f"user{user_id % 100000}"
    return {
        "id": str(user_id),
        "username": name,
        "global_name": global_name if global_name is not None else (None if bot else name.title()),
        "discriminator": "0",
        "avatar": None,
        "avatar_decoration_data": None,
        "banner": None,
        "accent_color": None,
        "public_flags": 0,
        "flags": 0,
        "bot": bot,
        "system": False,
        "primary_guild": None,
        "collectibles": None,
    }


def member_payload(
    user: dict[str, Any],
    *,
    roles: list[int] | tuple[int, ...] = (),
    permissions: int | str | None = None,
    nick: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "user": user,
        "roles": [str(r) for r in roles],
        "nick": nick,
        "avatar": None,
        "banner": None,
        "joined_at": _JOINED_AT,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
        "unusual_dm_activity_until": None,
    }
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


# ---------------------------------------------------------------------------------------------- guild specs


@dataclass
class ChannelSpec:
    id: int
    name: str
    type: int = CHANNEL_TEXT
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    #: Discord's overwrite objects: {"id": str, "type": 0 (role) | 1 (member), "allow": str, "deny": str}
    permission_overwrites: list[dict[str, Any]] = field(default_factory=list)

    def payload(self, guild_id: int | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "permission_overwrites": [dict(o) for o in self.permission_overwrites],
            "flags": 0,
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        if self.type in (CHANNEL_TEXT, CHANNEL_NEWS, CHANNEL_FORUM):
            data.update(
                topic=self.topic,
                nsfw=self.nsfw,
                last_message_id=None,
                rate_limit_per_user=0,
                default_auto_archive_duration=1440,
                default_thread_rate_limit_per_user=0,
                last_pin_timestamp=None,
            )
        elif self.type == CHANNEL_VOICE:
            data.update(
                bitrate=64000,
                user_limit=0,
                rtc_region=None,
                video_quality_mode=1,
                nsfw=False,
                last_message_id=None,
                rate_limit_per_user=0,
            )
        return data


@dataclass
class RoleSpec:
    id: int
    name: str
    permissions: int = DEFAULT_MEMBER_PERMISSIONS
    position: int = 0
    color: int = 0
    hoist: bool = False
    managed: bool = False
    mentionable: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": self.hoist,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass
class GuildSpec:
    """A guild known to the fake.

    Either pass explicit ``channels``/``roles`` lists, or ``channel_count``/``role_count`` for lazily
    generated ones (ids: channels ``id + 1 ..``, roles ``id + 1001 ..``; the @everyone role id is the
    guild id, as on Discord).
    """

    id: int
    name: str
    channels: list[ChannelSpec] | None = None
    roles: list[RoleSpec] | None = None
    channel_count: int = 3
    role_count: int = 2
    member_count: int = 42
    owner_id: int = 0
    preferred_locale: str = "nl"
    features: list[str] = field(default_factory=list)
    everyone_permissions: int = DEFAULT_MEMBER_PERMISSIONS

    def get_channels(self) -> list[ChannelSpec]:
        if self.channels is None:
            self.channels = list(_generated_channels(self.id, self.channel_count))
        return self.channels

    def get_roles(self) -> list[RoleSpec]:
        if self.roles is None:
            self.roles = list(_generated_roles(self.id, self.role_count, self.everyone_permissions))
        return self.roles

    def iter_channels(self):
        """Channels without caching them on the spec (used when streaming GUILD_CREATE)."""
        if self.channels is not None:
            return iter(self.channels)
        return _generated_channels(self.id, self.channel_count)

    def iter_roles(self):
        if self.roles is not None:
            return iter(self.roles)
        return _generated_roles(self.id, self.role_count, self.everyone_permissions)

    def channel(self, channel_id: int) -> ChannelSpec | None:
        if self.channels is None:
            offset = channel_id - self.id
            if 1 <= offset <= self.channel_count:
                return next(itertools.islice(self.iter_channels(), offset - 1, None))
            return None
        for c in self.channels:
            if c.id == channel_id:
                return c
        return None

    def role(self, role_id: int) -> RoleSpec | None:
        for r in self.iter_roles():
            if r.id == role_id:
                return r
        return None

    @property
    def first_text_channel_id(self) -> int:
        for c in self.iter_channels():
            if c.type == CHANNEL_TEXT:
                return c.id
        raise LookupError(f"guild {self.id} has no text channel")

    def bot_permissions(self, channel: ChannelSpec, bot_user_id: int) -> int:
        """What the bot (a member with no roles) may do in `channel`: @everyone's permissions with
        the channel's @everyone and member overwrites applied, as Discord computes them."""
        everyone = self.role(self.id)
        permissions = everyone.permissions if everyone else DEFAULT_MEMBER_PERMISSIONS
        for overwrite in channel.permission_overwrites:
            if int(overwrite["id"]) in (self.id, bot_user_id):
                permissions = (permissions & ~int(overwrite.get("deny", 0))) | int(overwrite.get("allow", 0))
        return permissions

    def effective_owner_id(self, default_owner_id: int) -> int:
        """The owner: the spec's own, or the fake's owner for guilds created without one."""
        return self.owner_id or default_owner_id

    def add_role(self, name: str, *, permissions: int, role_id: int) -> RoleSpec:
        """Append a role above the existing ones (materialising lazily generated roles first)."""
        roles = self.get_roles()
        role = RoleSpec(id=role_id, name=name, permissions=permissions, position=max(r.position for r in roles) + 1)
        roles.append(role)
        return role

    def member_permissions(self, role_ids: list[int], *, is_owner: bool) -> int:
        """A member's guild-level permissions as Discord computes them: the owner has all; otherwise
        @everyone's bits OR those of each role the member has, and ADMINISTRATOR implies all."""
        if is_owner:
            return ALL_PERMISSIONS
        everyone = self.role(self.id)
        permissions = everyone.permissions if everyone else DEFAULT_MEMBER_PERMISSIONS
        for role_id in role_ids:
            role = self.role(role_id)
            if role is not None:
                permissions |= role.permissions
        return ALL_PERMISSIONS if permissions & P_ADMINISTRATOR else permissions

    def rest_payload(self, *, owner_id: int) -> dict[str, Any]:
        """GET /guilds/{id}: the guild with its roles, without the gateway-only parts."""
        data = self.create_payload({}, owner_id=owner_id)
        for gateway_only in ("channels", "threads", "members", "voice_states", "presences", "joined_at",
                             "large", "member_count", "stage_instances", "guild_scheduled_events"):
            data.pop(gateway_only, None)
        return data

    def create_payload(self, bot_member: dict[str, Any], *, owner_id: int) -> dict[str, Any]:
        """The GUILD_CREATE payload."""
        gid = str(self.id)
        return {
            "id": gid,
            "name": self.name,
            "icon": None,
            "icon_hash": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id or owner_id),
            "region": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "widget_channel_id": None,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": [r.payload() for r in self.iter_roles()],
            "emojis": [],
            "stickers": [],
            "features": list(self.features),
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_presences": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.preferred_locale,
            "nsfw_level": 0,
            "nsfw": False,
            "incidents_data": None,
            "hub_type": None,
            "latest_onboarding_question_id": None,
            "home_header": None,
            "version": 0,
            # GUILD_CREATE-only fields
            "joined_at": _JOINED_AT,
            "large": self.member_count > 250,
            "unavailable": False,
            "member_count": self.member_count,
            "voice_states": [],
            "members": [bot_member],
            "channels": [c.payload(None) for c in self.iter_channels()],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "embedded_activities": [],
            "activity_instances": [],
            "application_command_counts": {},
            "lazy": True,
        }


def _generated_channels(guild_id: int, count: int):
    """Channel 1 is a category, the last one (when there are >= 4) a voice channel, the rest text."""
    if count <= 0:
        return
    category_id = guild_id + 1
    yield ChannelSpec(id=category_id, name="Algemeen", type=CHANNEL_CATEGORY, position=0)
    for i in range(1, count):
        cid = guild_id + 1 + i
        if count >= 4 and i == count - 1:
            yield ChannelSpec(id=cid, name="Spraak", type=CHANNEL_VOICE, position=i, parent_id=category_id)
        else:
            yield ChannelSpec(id=cid, name="algemeen" if i == 1 else f"kanaal-{i}", position=i, parent_id=category_id)


def _generated_roles(guild_id: int, count: int, everyone_permissions: int):
    yield RoleSpec(id=guild_id, name="@everyone", permissions=everyone_permissions, position=0)
    for j in range(1, count):
        yield RoleSpec(id=guild_id + 1000 + j, name=f"rol-{j}", position=j, color=0x3498DB if j == 1 else 0)


def make_guilds(
    count: int,
    *,
    channels: int = 3,
    roles: int = 2,
    member_count: int = 42,
    name_prefix: str = "Gilde",
    first_id: int | None = None,
) -> list[GuildSpec]:
    """Cheaply generate ``count`` lazy guilds with ``channels`` channels and ``roles`` roles each.

    ``channels`` must be >= 2 so that there is at least one text channel. Guild ids are spaced 4096 apart
    so channel/role ids derived from them never collide.
    """
    if channels < 2:
        raise ValueError("channels must be >= 2 (a category plus at least one text channel)")
    if channels > 999 or roles > 3000:
        raise ValueError("too many channels/roles per generated guild")
    base = first_id if first_id is not None else snowflake_from_ms(200_000_000_000)
    return [
        GuildSpec(
            id=base + i * 4096,
            name=f"{name_prefix} {i + 1}",
            channel_count=channels,
            role_count=roles,
            member_count=member_count,
        )
        for i in range(count)
    ]
