"""The command tree with one central error handler.

Whatever goes wrong in a command, the user gets a short localised message (never a
traceback) and the log gets the context, through the same `reply_error` that components and
forms use; one guild's error never reaches the process.
"""

from __future__ import annotations

import asyncio
import logging
import time

import discord
from discord import app_commands

from bot.errors import ShuttingDown
from bot.features.error_reply import outcome_of, reply_error
from bot.knowledge.model import Lang
from bot.ops.metrics import Metrics

log = logging.getLogger(__name__)


class CmoTree(app_commands.CommandTree):
    default_lang: Lang = "nl"
    metrics: Metrics | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shutting_down = False
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if self.shutting_down:
            raise ShuttingDown()
        interaction.extras["started"] = time.perf_counter()
        if interaction.type is discord.InteractionType.application_command:
            # Autocomplete passes here too but ends without a completion event: not counted.
            interaction.extras["in_flight"] = True
            self._in_flight += 1
            self._idle.clear()
        return True

    async def drain(self, timeout: float) -> int:
        """Stops taking commands and waits for the ones already running; returns how many
        were still running at the timeout."""
        self.shutting_down = True
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("%d commands still running after %.0f s of shutdown", self._in_flight, timeout)
        return self._in_flight

    def _finished(self, interaction: discord.Interaction) -> None:
        if interaction.extras.pop("in_flight", False):
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

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
        self._finished(interaction)

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        self.record(interaction, outcome_of(error))
        command = interaction.command.qualified_name if interaction.command else "?"
        await reply_error(interaction, error, f"command {command}", self.default_lang)
