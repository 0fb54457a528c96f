"""/help: what the bot can do, in the user's language, read from the command tree.

The list is the tree's own, so a new command shows up here without being named a second
time. Listed are the top-level commands any member may use, in the order they were
registered; left out are /help itself and the command groups (cmo-admin is for moderators
and hidden from the others, /privacy is named in the footer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.features.common import NO_MENTIONS, interaction_lang, to_embed
from bot.features.cooldown import BROWSE_RATE, BROWSE_SECONDS, per_user_cooldown
from bot.i18n import catalogue, command_text, t
from bot.knowledge.model import Lang
from bot.topic_embeds import COLOUR, Embed

if TYPE_CHECKING:
    from bot.app import CmoBot

HELP_COMMAND = "help"


def listed_commands(tree: app_commands.CommandTree) -> list[app_commands.Command]:
    """The commands /help lists: top level, open to every member, not /help itself."""
    return [
        command
        for command in tree.get_commands(type=discord.AppCommandType.chat_input)
        if isinstance(command, app_commands.Command)
        and command.default_permissions is None
        and command.name != HELP_COMMAND
    ]


def help_line(command: app_commands.Command, lang: Lang) -> tuple[str, str]:
    """The command's localised name, with the friendlier `help_<name>` text where one is
    written and its own localised description otherwise."""
    blurb = f"help_{command.name}"
    text = t(blurb, lang) if blurb in catalogue() else command_text(command.description, lang)
    return f"/{command_text(command.name, lang)}", text


def help_embed(lines: list[tuple[str, str]], lang: Lang) -> Embed:
    return {
        "title": t("help_title", lang),
        "description": t("help_intro", lang),
        "color": COLOUR,
        "fields": [{"name": name, "value": text, "inline": False} for name, text in lines[: limits.FIELD_COUNT_LIMIT]],
        "footer": {"text": t("help_footer", lang)},
    }


class HelpCog(commands.Cog):
    def __init__(self, default_lang: Lang):
        self._default_lang = default_lang

    @app_commands.command(name=HELP_COMMAND, description="What this bot can do")
    @per_user_cooldown(BROWSE_RATE, BROWSE_SECONDS)
    async def help(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = interaction_lang(interaction, self._default_lang)
        lines = [help_line(command, lang) for command in listed_commands(interaction.client.tree)]
        await interaction.response.send_message(
            embed=to_embed(help_embed(lines, lang)), ephemeral=True, allowed_mentions=NO_MENTIONS
        )


async def setup(bot: CmoBot) -> None:
    await bot.add_cog(HelpCog(bot.services.settings.default_lang))
