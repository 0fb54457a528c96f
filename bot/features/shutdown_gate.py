"""The shutdown gate: counts the commands running and, once closed, turns new ones away.

On SIGTERM the bot closes the gate, waits a few seconds for the commands already running
(their questions must reach the log's queue), then closes the gateway. Autocomplete passes
the gate too but ends without a completion event, so only commands are counted.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.errors import ShuttingDown

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

_COUNTED = "in_flight"  # interaction.extras key: this interaction is counted as running


class ShutdownGate:
    def __init__(self) -> None:
        self.closed = False
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def running(self) -> int:
        return self._running

    def enter(self, interaction: discord.Interaction[CmoBot]) -> None:
        """Lets the interaction in (raises ShuttingDown once closed) and counts a command."""
        if self.closed:
            raise ShuttingDown()
        if interaction.type is discord.InteractionType.application_command:
            interaction.extras[_COUNTED] = True
            self._running += 1
            self._idle.clear()

    def leave(self, interaction: discord.Interaction[CmoBot]) -> None:
        """The interaction ended (done or failed); uncounted ones are ignored."""
        if interaction.extras.pop(_COUNTED, False):
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def drain(self, timeout: float) -> int:
        """Closes the gate and waits for the commands already running; returns how many were
        still running at the timeout."""
        self.closed = True
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("%d commands still running after %.0f s of shutdown", self._running, timeout)
        return self._running
