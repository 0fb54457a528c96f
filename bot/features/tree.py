"""The command tree: the gate every interaction passes and the one central error handler.

The tree only wires three small parts together: the shutdown gate (bot/features/
shutdown_gate.py) lets interactions in and counts the running commands, the interaction log
(bot/features/interaction_log.py) writes one line and the metrics for each command, and
`reply_error` gives the user a short localised message (never a traceback) while the log
gets the context, as it does for components and forms. One guild's error never reaches the
process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.features.error_reply import outcome_of, reply_error
from bot.features.interaction_log import InteractionLog, command_name
from bot.features.shutdown_gate import ShutdownGate
from bot.knowledge.model import Lang
from bot.ops.metrics import Metrics

if TYPE_CHECKING:
    from bot.app import CmoBot


class CmoTree(app_commands.CommandTree):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_lang: Lang = "nl"
        self.gate = ShutdownGate()
        self.interactions = InteractionLog()

    def configure(self, default_lang: Lang, metrics: Metrics | None) -> None:
        """What the bot knows only once it has its settings: the language of a reply when
        the user's locale has none of ours, and where the interaction metrics go."""
        self.default_lang = default_lang
        self.interactions.metrics = metrics

    async def interaction_check(self, interaction: discord.Interaction[CmoBot]) -> bool:
        self.gate.enter(interaction)  # raises ShuttingDown once the bot is stopping
        self.interactions.start(interaction)
        return True

    async def drain(self, timeout: float) -> int:
        """Stops taking commands and waits for the ones already running; returns how many
        were still running at the timeout."""
        return await self.gate.drain(timeout)

    def record(self, interaction: discord.Interaction[CmoBot], outcome: str) -> None:
        """A command interaction ended: logged and counted, and no longer running."""
        self.interactions.record(interaction, outcome)
        self.gate.leave(interaction)

    async def on_error(self, interaction: discord.Interaction[CmoBot], error: app_commands.AppCommandError) -> None:
        self.record(interaction, outcome_of(error))
        await reply_error(interaction, error, f"command {command_name(interaction)}", self.default_lang)
