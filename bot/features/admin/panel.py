"""What every moderator panel's components do first: check again, and see fresh questions.

Components are not covered by the /cmo-admin commands' checks (a button can be clicked by
anyone who sees the message, or replayed), so each click checks again here, as a dynamic
item's `interaction_check` (`moderator_check`; `ModeratorPanelItem` wires it in).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import discord

from bot.features.admin.permissions import ensure_moderator
from bot.features.common import NO_MENTIONS, interaction_lang
from bot.features.error_reply import reply_error
from bot.knowledge.model import Lang
from bot.services import Services

if TYPE_CHECKING:
    from bot.app import CmoBot

FLUSH_TIMEOUT = 2.0


async def flush_recent_questions(services: Services) -> None:
    """Questions asked a moment ago may still be in the writer's queue; a moderator should
    see them. Bounded: a slow disk shows slightly older data rather than no reply."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(FLUSH_TIMEOUT):
            await services.writer.flush()


async def moderator_check(interaction: discord.Interaction[CmoBot]) -> bool:
    """For a moderator panel's dynamic items, as their `interaction_check`: True for a
    moderator, once fresh questions are in; otherwise the refusal is sent and it is False.
    (discord.py drops an error raised in an item's check silently: it is answered here.)"""
    try:
        ensure_moderator(interaction)
        await flush_recent_questions(interaction.client.services)
    except Exception as error:
        custom_id = (interaction.data or {}).get("custom_id")
        await reply_error(interaction, error, f"component {custom_id}")
        return False
    return True


class ModeratorPanelItem:
    """Mixin, listed before `discord.ui.DynamicItem`: a moderator panel's item whose
    `interaction_check` is `moderator_check`, so its callback runs for moderators only."""

    async def interaction_check(self, interaction: discord.Interaction[CmoBot], /) -> bool:
        return await moderator_check(interaction)


async def redraw(interaction: discord.Interaction[CmoBot], message: tuple[discord.Embed, discord.ui.View]) -> None:
    """Replaces the panel a component sits on with its next state."""
    embed, view = message
    await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NO_MENTIONS)


class PanelBase:
    """What every moderator panel behind /cmo-admin holds: the services, and the language
    to answer an interaction in."""

    def __init__(self, services: Services):
        self._services = services

    def _lang(self, interaction: discord.Interaction[CmoBot]) -> Lang:
        return interaction_lang(interaction, self._services.settings.default_lang)
