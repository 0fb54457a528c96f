"""/explain, /compare and /topics: reading the content by choice rather than by question."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.asking import AskService
from bot.features.common import NO_MENTIONS, asker_of, interaction_lang, quote_user_text, to_embed
from bot.features.components import CategorySelect, topic_view
from bot.features.cooldown import BROWSE_RATE, BROWSE_SECONDS, per_user_cooldown
from bot.features.messages import suggestion_view
from bot.features.views import static_view
from bot.i18n import t
from bot.knowledge.model import CATEGORIES, Lang
from bot.topic_embeds import COMPARISON_TOPIC, compare_embed, topic_embed, topics_overview_embed, unlinked

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

ROLE_CHOICES = [app_commands.Choice(name=role, value=role) for role in ("CEO", "CFO", "COO", "CIO", "CMO")] + [
    app_commands.Choice(name="all", value="all")
]


class BrowseCog(commands.Cog):
    def __init__(self, asking: AskService, default_lang: Lang):
        self._asking = asking
        self._default_lang = default_lang

    def _lang(self, interaction: discord.Interaction[CmoBot]) -> Lang:
        return interaction_lang(interaction, self._default_lang)

    @app_commands.command(name="explain", description="Read a topic about the CMO role or AI in marketing")
    @app_commands.describe(topic="Start typing and pick a topic")
    @per_user_cooldown(BROWSE_RATE, BROWSE_SECONDS)
    async def explain(self, interaction: discord.Interaction[CmoBot], topic: app_commands.Range[str, 1, 100]) -> None:
        lang = self._lang(interaction)
        snapshot = self._asking.snapshot
        asker = asker_of(interaction)
        chosen = snapshot.topic(topic)
        if chosen is None:
            self._asking.log_lookup("explain", topic, lang, asker, None)
            suggestions = [snapshot.topics[topic_id] for topic_id, _ in snapshot.complete(topic, lang, limit=3)]
            await interaction.response.send_message(
                t("unknown_topic", lang, value=unlinked(quote_user_text(topic, 100))),
                view=suggestion_view(suggestions, lang),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        self._asking.log_lookup("explain", topic, lang, asker, chosen.id)
        await interaction.response.send_message(
            embed=to_embed(topic_embed(chosen, lang)),
            view=topic_view(chosen, snapshot, lang),
            allowed_mentions=NO_MENTIONS,
        )

    @explain.autocomplete("topic")
    async def explain_autocomplete(
        self, interaction: discord.Interaction[CmoBot], current: str
    ) -> list[app_commands.Choice[str]]:
        lang = self._lang(interaction)
        return [
            app_commands.Choice(name=title[:100], value=topic_id)
            for topic_id, title in self._asking.snapshot.complete(current[:100], lang)
        ]

    @app_commands.command(name="compare", description="Compare a C-level role with the CMO")
    @app_commands.describe(role="The role to put beside the CMO, or all of them")
    @app_commands.choices(role=ROLE_CHOICES)
    @per_user_cooldown(BROWSE_RATE, BROWSE_SECONDS)
    async def compare(self, interaction: discord.Interaction[CmoBot], role: app_commands.Choice[str]) -> None:
        lang = self._lang(interaction)
        table_topic = self._asking.snapshot.topic(COMPARISON_TOPIC)
        if table_topic is None or not table_topic.tables:
            await interaction.response.send_message(t("compare_missing", lang), ephemeral=True)
            return
        embed = compare_embed(table_topic, None if role.value == "all" else role.value, lang)
        await interaction.response.send_message(embed=to_embed(embed), allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="topics", description="Browse all topics by category")
    @per_user_cooldown(BROWSE_RATE, BROWSE_SECONDS)
    async def topics(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = self._lang(interaction)
        snapshot = self._asking.snapshot
        counts = {category: len(snapshot.in_category(category)) for category in CATEGORIES}
        view = static_view(CategorySelect(lang))
        await interaction.response.send_message(
            embed=to_embed(topics_overview_embed(counts, lang)), view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )


async def setup(bot: CmoBot) -> None:
    services = bot.services
    await bot.add_cog(BrowseCog(services.asking, services.settings.default_lang))
