"""/tip: a random tip now, with a button to the topic it comes from."""

from __future__ import annotations

import random

import discord
from discord import app_commands
from discord.ext import commands

from bot.asking import AskService
from bot.features.common import NO_MENTIONS, interaction_lang, to_embed
from bot.features.components import OpenTopicButton, button_label, static_view
from bot.i18n import t
from bot.knowledge.model import Lang
from bot.render import tip_embed


class TipsCog(commands.Cog):
    def __init__(self, asking: AskService, default_lang: Lang, rng: random.Random | None = None):
        self._asking = asking
        self._default_lang = default_lang
        self._rng = rng or random.Random()

    @app_commands.command(name="tip", description="Get a tip about the CMO role right now")
    async def tip(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction, self._default_lang)
        snapshot = self._asking.snapshot
        tip = self._rng.choice(snapshot.tips)
        topic = snapshot.topic(tip.topic)
        items = (
            []
            if topic is None
            else [OpenTopicButton(topic.id, button_label(t("open_topic", lang, title=topic.title.get(lang))))]
        )
        view = static_view(*items)
        await interaction.response.send_message(
            embed=to_embed(tip_embed(tip, topic, lang)), view=view, allowed_mentions=NO_MENTIONS
        )


async def setup(bot: commands.Bot) -> None:
    services = bot.services  # type: ignore[attr-defined]
    await bot.add_cog(TipsCog(services.asking, services.settings.default_lang))
