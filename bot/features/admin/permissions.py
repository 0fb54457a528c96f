"""Who may use the moderator tools, decided in our code, and written once.

Discord's default permissions only hide the commands; a server owner can change those, so
every moderator command also passes `moderator_only()`: Manage Server, or a role listed in
CMO_EDITOR_ROLE_IDS. Editing the shared content is further limited by `home_guild_only()`
to the home guild. Components and forms, which no command check covers, call the same
`ensure_moderator` and `ensure_home_guild`.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands

from bot.errors import NotHomeGuild, NotModerator
from bot.moderation import is_moderator as counts_as_moderator

if TYPE_CHECKING:
    from bot.app import CmoBot

T = TypeVar("T")


def is_moderator(interaction: discord.Interaction[CmoBot], editor_role_ids: Set[int]) -> bool:
    if interaction.guild_id is None:
        return False
    return counts_as_moderator(interaction.permissions.manage_guild, member_role_ids(interaction), editor_role_ids)


def member_role_ids(interaction: discord.Interaction[CmoBot]) -> set[int]:
    """The role ids Discord sent with the interaction. The bot keeps no guild cache (no
    intents), so `Member.roles`, which looks roles up in that cache, would be empty."""
    return {int(role_id) for role_id in getattr(interaction.user, "_roles", ())}


def ensure_moderator(interaction: discord.Interaction[CmoBot]) -> bool:
    """True for a moderator; raises NotModerator otherwise."""
    if not is_moderator(interaction, interaction.client.services.settings.editor_role_ids):
        raise NotModerator()
    return True


def ensure_home_guild(interaction: discord.Interaction[CmoBot]) -> bool:
    """True in the home guild; raises NotHomeGuild elsewhere, and when there is none."""
    home_guild_id = interaction.client.services.settings.home_guild_id
    if home_guild_id is None or interaction.guild_id != home_guild_id:
        raise NotHomeGuild()
    return True


def moderator_only() -> Callable[[T], T]:
    """An app-command check: moderators only (NotModerator for anyone else)."""
    return app_commands.check(ensure_moderator)


def home_guild_only() -> Callable[[T], T]:
    """An app-command check: the home guild only (NotHomeGuild elsewhere). Put it above
    `moderator_only()`, so that a non-moderator hears that first, wherever they are."""
    return app_commands.check(ensure_home_guild)
