"""The errors the Discord layer turns into a reply, in one place.

Each is a refusal the user is told about in their own language (see
`bot.features.error_reply.reply_error`), not a fault to log. They are `CheckFailure`s so that
raised from a command check they reach the command tree's `on_error` like discord.py's own.
"""

from __future__ import annotations

from discord import app_commands


class ShuttingDown(app_commands.CheckFailure):
    """The bot is stopping: new commands get a polite 'try again' instead of half an answer."""


class NotModerator(app_commands.CheckFailure):
    """The member lacks Manage Server and every editor role."""


class NotHomeGuild(app_commands.CheckFailure):
    """Content editing was tried outside CMO_HOME_GUILD_ID."""
