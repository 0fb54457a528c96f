"""/help: what the bot can do, in the user's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.features.common import NO_MENTIONS, interaction_lang, to_embed
from bot.features.cooldown import BROWSE_RATE, BROWSE_SECONDS, per_user_cooldown
from bot.knowledge.model import Lang
from bot.render import help_embed

if TYPE_CHECKING:
    from bot.app import CmoBot


class HelpCog(commands.Cog):
    def __init__(self, default_lang: Lang):
        self._default_lang = default_lang

    @app_commands.command(name="help", description="What this bot can do")
    @per_user_cooldown(BROWSE_RATE, BROWSE_SECONDS)
    async def help(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction, self._default_lang)
        await interaction.response.send_message(
            embed=to_embed(help_embed(lang)), ephemeral=True, allowed_mentions=NO_MENTIONS
        )


async def setup(bot: CmoBot) -> None:
    await bot.add_cog(HelpCog(bot.services.settings.default_lang))
