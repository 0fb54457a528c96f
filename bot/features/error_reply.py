"""The one way an error is answered: commands, components and forms alike.

Whatever went wrong, the user gets a short localised message (never a traceback), ephemeral
and without mentions, as a first response or as a followup when the interaction was already
answered. Known refusals (bot.errors, cooldowns, failed checks) are told as such; anything
else is logged with its context and answered with the generic error.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import NotHomeGuild, NotModerator, ShuttingDown
from bot.features.common import interaction_lang, send_ephemeral
from bot.i18n import t
from bot.knowledge.model import Lang

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)


def outcome_of(error: BaseException) -> str:
    """How an error ends an interaction, as the interaction log and metrics count it."""
    if isinstance(error, app_commands.CommandOnCooldown):
        return "cooldown"
    if isinstance(error, ShuttingDown):
        return "shutting-down"
    if isinstance(error, app_commands.CheckFailure):
        return "refused"
    return "error"


def refusal_message(error: BaseException, lang: Lang) -> str | None:
    """What to tell the user about a known refusal; None for an unexpected error."""
    if isinstance(error, app_commands.CommandOnCooldown):
        return t("error_cooldown", lang, seconds=max(1, math.ceil(error.retry_after)))
    if isinstance(error, ShuttingDown):
        return t("error_shutting_down", lang)
    if isinstance(error, NotModerator):
        return t("error_not_moderator", lang)
    if isinstance(error, NotHomeGuild):
        return t("error_not_home_guild", lang)
    if isinstance(error, app_commands.CheckFailure):
        return t("error_forbidden", lang)
    return None


async def reply_error(
    interaction: discord.Interaction[CmoBot], error: BaseException, what: str, default_lang: Lang | None = None
) -> None:
    """Answers `error` to the user; `what` names what failed (a command, a component's custom
    id, a form) for the log line of an unexpected error."""
    if default_lang is None:
        default_lang = interaction.client.services.settings.default_lang
    lang = interaction_lang(interaction, default_lang)
    message = refusal_message(error, lang)
    if message is None:
        log.error("%s failed in guild %s (interaction %s)", what, interaction.guild_id, interaction.id, exc_info=error)
        message = t("error_generic", lang)
    await send_ephemeral(interaction, message)
