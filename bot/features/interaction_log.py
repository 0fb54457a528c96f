"""One structured log line and the metrics for every command interaction.

Never the user id, never the question: those are in the question log, keyed by a hash.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import discord

from bot.ops.metrics import Metrics

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

_STARTED = "started"  # interaction.extras key: perf_counter() when the interaction came in


def command_name(interaction: discord.Interaction[CmoBot]) -> str:
    return interaction.command.qualified_name if interaction.command else "?"


class InteractionLog:
    def __init__(self, metrics: Metrics | None = None) -> None:
        self.metrics = metrics

    def start(self, interaction: discord.Interaction[CmoBot]) -> None:
        interaction.extras[_STARTED] = time.perf_counter()

    def record(self, interaction: discord.Interaction[CmoBot], outcome: str) -> None:
        command = command_name(interaction)
        started = interaction.extras.get(_STARTED)
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
