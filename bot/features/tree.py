"""The command tree with one central error handler.

Whatever goes wrong in a command, the user gets a short localised message (never a
traceback) and the log gets the context; the handler works whether or not the interaction
was already answered, and one guild's error never reaches the process.
"""

from __future__ import annotations

import logging
import math
import time

import discord
from discord import app_commands

from bot.features.admin.permissions import NotHomeGuild, NotModerator
from bot.features.common import interaction_lang, send_ephemeral
from bot.i18n import t
from bot.ops.metrics import Metrics

log = logging.getLogger(__name__)


class CmoTree(app_commands.CommandTree):
    default_lang = "nl"
    metrics: Metrics | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        interaction.extras["started"] = time.perf_counter()
        return True

    def record(self, interaction: discord.Interaction, outcome: str) -> None:
        """One structured log line and the metrics for every command interaction. Never the
        user id, never the question: those are in the question log, keyed by a hash."""
        command = interaction.command.qualified_name if interaction.command else "?"
        started = interaction.extras.get("started")
        seconds = time.perf_counter() - started if started is not None else 0.0
        log.info(
            "interaction command=%s guild=%s outcome=%s latency_ms=%.1f",
            command.replace(" ", "/"),
            interaction.guild_id,
            outcome,
            seconds * 1000,
        )
        if self.metrics is not None:
            self.metrics.observe_interaction(command, outcome, seconds)

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        lang = interaction_lang(interaction, self.default_lang)
        outcome = "refused"
        if isinstance(error, app_commands.CommandOnCooldown):
            message = t("error_cooldown", lang, seconds=max(1, math.ceil(error.retry_after)))
            outcome = "cooldown"
        elif isinstance(error, NotModerator):
            message = t("error_not_moderator", lang)
        elif isinstance(error, NotHomeGuild):
            message = t("error_not_home_guild", lang)
        elif isinstance(error, app_commands.CheckFailure):
            message = t("error_forbidden", lang)
        else:
            outcome = "error"
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "command %s failed in guild %s (interaction %s)",
                command,
                interaction.guild_id,
                interaction.id,
                exc_info=error,
            )
            message = t("error_generic", lang)
        self.record(interaction, outcome)
        await send_ephemeral(interaction, message)
