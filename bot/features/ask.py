"""/ask: a question in the user's own words, answered from the content."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer_embed import answer_embed
from bot.asking import MAX_QUESTION_LENGTH, AskService
from bot.cli_text import is_blank
from bot.features.common import NO_MENTIONS, asker_of, interaction_lang, quote_user_text, to_embed
from bot.features.components import topic_view
from bot.features.cooldown import per_user_cooldown
from bot.features.messages import guess_view, suggestion_view
from bot.i18n import t
from bot.knowledge.model import Lang
from bot.topic_embeds import no_match_embed

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

COOLDOWN_RATE, COOLDOWN_SECONDS = 5, 30.0


class AskCog(commands.Cog):
    def __init__(self, asking: AskService, default_lang: Lang):
        self._asking = asking
        self._default_lang = default_lang

    @app_commands.command(name="ask", description="Ask a question about the CMO role or AI in marketing")
    @app_commands.describe(question="Your question, in your own words")
    @per_user_cooldown(COOLDOWN_RATE, COOLDOWN_SECONDS)
    async def ask(
        self, interaction: discord.Interaction[CmoBot], question: app_commands.Range[str, 1, MAX_QUESTION_LENGTH]
    ) -> None:
        lang = interaction_lang(interaction, self._default_lang)
        if is_blank(question):  # spaces or zero-width characters only: nothing to answer or log
            await interaction.response.send_message(t("ask_empty", lang), ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        result = await self._asking.ask(question, lang, asker_of(interaction))
        snapshot, answer = result.snapshot, result.answer
        if answer.topic_id is not None:
            topic = snapshot.topics[answer.topic_id]
            embed = answer_embed(topic, answer, lang)
            if answer.outcome == "guess":
                alternatives = [snapshot.topics[t] for t in answer.suggestions if t in snapshot.topics]
                view = guess_view(alternatives, lang, question_id=result.question_id)
            else:
                view = topic_view(topic, snapshot, lang, question_id=result.question_id)
        else:
            suggestions = [snapshot.topics[topic_id] for topic_id in answer.suggestions]
            embed = no_match_embed(quote_user_text(question), suggestions, lang)
            view = suggestion_view(suggestions, lang)
        await interaction.response.send_message(embed=to_embed(embed), view=view, allowed_mentions=NO_MENTIONS)


async def setup(bot: CmoBot) -> None:
    services = bot.services
    await bot.add_cog(AskCog(services.asking, services.settings.default_lang))
