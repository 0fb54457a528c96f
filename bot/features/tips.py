"""/tip: a random tip now, with a button to the topic it comes from."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.asking import AskService
from bot.features.common import NO_MENTIONS, interaction_lang
from bot.features.cooldown import BROWSE_RATE, BROWSE_SECONDS, per_user_cooldown
from bot.features.messages import tip_message
from bot.i18n import t
from bot.knowledge.model import Lang

if TYPE_CHECKING:
    from bot.app import CmoBot


class TipsCog(commands.Cog):
    def __init__(self, asking: AskService, default_lang: Lang, rng: random.Random | None = None):
        self._asking = asking
        self._default_lang = default_lang
        self._rng = rng or random.Random()

    @app_commands.command(name="tip", description="Get a tip about the CMO role right now")
    @per_user_cooldown(BROWSE_RATE, BROWSE_SECONDS)
    async def tip(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = interaction_lang(interaction, self._default_lang)
        snapshot = self._asking.snapshot
        if not snapshot.tips:  # every tip's topic retired on the dashboard
            await interaction.response.send_message(
                t("tips_error_no_tips", lang), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        tip = self._rng.choice(snapshot.tips)
        embed, view = tip_message(tip, snapshot, lang)
        await interaction.response.send_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)


async def setup(bot: CmoBot) -> None:
    services = bot.services
    await bot.add_cog(TipsCog(services.asking, services.settings.default_lang))
