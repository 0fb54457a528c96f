"""Small helpers every cog shares: the asker of an interaction, language
choice, safe user text, embeds from dicts."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.asking import Asker
from bot.i18n import lang_for_locale
from bot.knowledge.model import Lang
from bot.text_fit import clip
from bot.topic_embeds import Embed

if TYPE_CHECKING:  # bot.app imports the features: only the type checker follows this back
    from bot.app import CmoBot

log = logging.getLogger(__name__)

USER_TEXT_LIMIT = 300
NO_MENTIONS = discord.AllowedMentions.none()


def asker_of(interaction: discord.Interaction[CmoBot]) -> Asker:
    """Who asked, and where, as the question log records it."""
    return Asker(interaction.guild_id, interaction.channel_id, interaction.user.id, str(interaction.locale))


def interaction_lang(interaction: discord.Interaction[CmoBot], default: Lang) -> Lang:
    return lang_for_locale(str(interaction.locale) if interaction.locale else None, default)


def lang_of(interaction: discord.Interaction[CmoBot]) -> Lang:
    """The interaction's language, falling back to the bot's default: for component callbacks."""
    return interaction_lang(interaction, interaction.client.services.settings.default_lang)


def quote_user_text(text: str, limit: int = USER_TEXT_LIMIT) -> str:
    """User text shown back: invisible characters gone, capped, markdown and mentions
    neutralised. (Mentions are also disabled on every message; this keeps it readable.)"""
    cleaned = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    return escape_mentions(escape_markdown(clip(cleaned, limit)))


def to_embed(data: Embed) -> discord.Embed:
    return discord.Embed.from_dict(data)


async def send_ephemeral(interaction: discord.Interaction[CmoBot], message: str) -> None:
    """Replies or follows up, depending on whether the interaction was already answered."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not send an error reply for interaction %s", interaction.id, exc_info=True)
