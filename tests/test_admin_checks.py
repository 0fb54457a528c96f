"""The moderator rule is applied by decoration: no /cmo-admin command can be added without it."""

from __future__ import annotations

from bot.features.admin.cog import AdminCog
from bot.features.admin.permissions import ensure_home_guild, ensure_moderator

CONTENT_EDITING = {"reload", "edit", "history", "revert"}


def test_every_admin_command_is_for_moderators_and_editing_for_the_home_guild_only() -> None:
    commands = {command.name: command for command in AdminCog.__cog_app_commands__}
    assert commands.keys() >= CONTENT_EDITING
    for name, command in commands.items():
        expected = [ensure_moderator, ensure_home_guild] if name in CONTENT_EDITING else [ensure_moderator]
        assert command.checks == expected, name  # the moderator check first: a non-moderator hears that
