"""Who may use the moderator commands, decided in our code.

Discord's default permissions only hide the commands; a server owner can change those, so
every moderator command also passes this check: Manage Server, or a role listed in
CMO_EDITOR_ROLE_IDS. Editing the shared content is further limited to the home guild.
"""

from __future__ import annotations

from collections.abc import Set

import discord
from discord import app_commands


class NotModerator(app_commands.CheckFailure):
    """The member lacks Manage Server and every editor role."""


class NotHomeGuild(app_commands.CheckFailure):
    """Content editing was tried outside CMO_HOME_GUILD_ID."""


def is_moderator(interaction: discord.Interaction, editor_role_ids: Set[int]) -> bool:
    if interaction.guild_id is None:
        return False
    if interaction.permissions.manage_guild:
        return True
    return not editor_role_ids.isdisjoint(member_role_ids(interaction))


def member_role_ids(interaction: discord.Interaction) -> set[int]:
    """The role ids Discord sent with the interaction. The bot keeps no guild cache (no
    intents), so `Member.roles`, which looks roles up in that cache, would be empty."""
    return {int(role_id) for role_id in getattr(interaction.user, "_roles", ())}


def require_moderator(interaction: discord.Interaction, editor_role_ids: Set[int]) -> None:
    if not is_moderator(interaction, editor_role_ids):
        raise NotModerator()


def require_home_guild(interaction: discord.Interaction, home_guild_id: int | None) -> None:
    if home_guild_id is None or interaction.guild_id != home_guild_id:
        raise NotHomeGuild()
