"""What every moderator panel's components do first: check again, and see fresh questions.

Components are not covered by the /cmo-admin group's check (a button can be clicked by
anyone who sees the message, or replayed), so each click checks again here.
"""

from __future__ import annotations

import asyncio
import contextlib

import discord

from bot.features.admin.permissions import is_moderator
from bot.features.common import NO_MENTIONS, interaction_lang, services_of
from bot.i18n import t
from bot.insights.loop import ImprovementLoop
from bot.knowledge.model import Lang
from bot.services import Services

FLUSH_TIMEOUT = 2.0


async def settle(services: Services) -> None:
    """Questions asked a moment ago may still be in the writer's queue; a moderator should
    see them. Bounded: a slow disk shows slightly older data rather than no reply."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(FLUSH_TIMEOUT):
            await services.writer.flush()


async def open_panel(interaction: discord.Interaction) -> tuple[ImprovementLoop, Lang] | None:
    """The improvement loop and the moderator's language, or None after a refusal was sent."""
    services = services_of(interaction)
    lang = interaction_lang(interaction, services.settings.default_lang)
    if interaction.guild_id is None or not is_moderator(interaction, services.settings.editor_role_ids):
        await interaction.response.send_message(
            t("error_not_moderator", lang), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return None
    await settle(services)
    return services.loop, lang
