"""The shutdown gate on its own: what it counts, and what it turns away once closed."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import discord
import pytest

from bot.errors import ShuttingDown
from bot.features.shutdown_gate import ShutdownGate


def interaction(kind: discord.InteractionType = discord.InteractionType.application_command) -> SimpleNamespace:
    return SimpleNamespace(type=kind, extras={})


async def test_counts_commands_but_not_autocomplete_and_drains_when_they_end():
    gate = ShutdownGate()
    command, completion = interaction(), interaction(discord.InteractionType.autocomplete)
    gate.enter(command)
    gate.enter(completion)
    assert gate.running == 1

    draining = asyncio.create_task(gate.drain(timeout=5))
    await asyncio.sleep(0)
    with pytest.raises(ShuttingDown):
        gate.enter(interaction())
    gate.leave(completion)  # never counted: changes nothing
    assert not draining.done()
    gate.leave(command)
    assert await draining == 0


async def test_drain_returns_what_still_runs_at_the_timeout():
    gate = ShutdownGate()
    gate.enter(interaction())
    assert await gate.drain(timeout=0) == 1
