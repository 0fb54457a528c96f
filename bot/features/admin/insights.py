"""The moderator side of the improvement loop: stats, unanswered questions, suggestions, export.

Every reply is ephemeral and shows the moderator's own guild only. The one-at-a-time review
of unanswered questions and suggestions (its messages and buttons) lives in insights_review.
"""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord

from bot.features.admin.insights_review import (
    DYNAMIC_ITEMS,
    DecisionButton,
    NextButton,
    TopicSelect,
    suggestions_message,
    unanswered_message,
)
from bot.features.admin.panel import PanelBase, flush_recent_questions
from bot.features.common import NO_MENTIONS, quote_user_text, to_embed
from bot.i18n import t
from bot.insights.chart import questions_chart
from bot.insights.embeds import CHART_NAME, stats_embed
from bot.insights.export import questions_csv
from bot.insights.stats import collect_stats, period_start
from bot.services import Services
from bot.storage.timestamps import to_utc_iso

if TYPE_CHECKING:
    from bot.app import CmoBot

__all__ = [
    "DYNAMIC_ITEMS",
    "DecisionButton",
    "InsightsPanel",
    "NextButton",
    "TopicSelect",
    "suggestions_message",
    "unanswered_message",
]


class InsightsPanel(PanelBase):
    def __init__(self, services: Services):
        super().__init__(services)
        self._improvements = services.improvements

    async def stats(self, interaction: discord.Interaction[CmoBot], days: int) -> None:
        lang = self._lang(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await flush_recent_questions(self._services)
        stats = await collect_stats(self._improvements.queries, interaction.guild_id, self._services.clock.now(), days)
        labels = (
            t("ins_chart_answered", lang),
            t("ins_chart_guessed", lang),
            t("ins_chart_unanswered", lang),
            t("ins_chart_title", lang),
        )
        png = await asyncio.to_thread(questions_chart, stats.days, labels)
        embed = stats_embed(stats, days, self._services.store.current.topics, lang, quote_user_text)
        await interaction.followup.send(
            embed=to_embed(embed),
            file=discord.File(io.BytesIO(png), filename=CHART_NAME),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    async def unanswered(self, interaction: discord.Interaction[CmoBot]) -> None:
        await flush_recent_questions(self._services)
        embed, view = await unanswered_message(self._improvements, interaction.guild_id, self._lang(interaction), 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def suggestions(self, interaction: discord.Interaction[CmoBot]) -> None:
        await flush_recent_questions(self._services)
        embed, view = await suggestions_message(self._improvements, interaction.guild_id, self._lang(interaction), 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def export_questions(self, interaction: discord.Interaction[CmoBot], days: int) -> None:
        lang = self._lang(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await flush_recent_questions(self._services)
        since = to_utc_iso(period_start(self._services.clock.now(), days))
        rows = await self._improvements.queries.export_rows(interaction.guild_id, since)
        data, written, truncated = await asyncio.to_thread(questions_csv, rows)
        message = t("ins_export_done", lang, days=days, rows=written)
        if truncated:
            message += "\n" + t("ins_export_truncated", lang, rows=written)
        day = self._services.clock.now().date().isoformat()
        await interaction.followup.send(
            message,
            file=discord.File(io.BytesIO(data), filename=f"cmo-questions-{day}-{days}d.csv"),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
