"""The decorators a component callback wears: one error path, one shared per-user budget.

Used by every feature with buttons or selects (the dynamic items in `components`, the
moderator panels, /privacy).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.features.common import lang_of, send_ephemeral
from bot.features.cooldown import component_cooldown
from bot.features.error_reply import reply_error
from bot.i18n import t

if TYPE_CHECKING:
    from bot.app import CmoBot


def guarded(callback: Callable[[Any, discord.Interaction[CmoBot]], Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """For component callbacks: discord.py only logs an exception raised in a dynamic item,
    leaving the user with "This interaction failed"; this answers through `reply_error`
    instead, as the command tree's handler does for commands."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction[CmoBot]) -> None:
        try:
            await callback(self, interaction)
        except Exception as error:
            custom_id = (interaction.data or {}).get("custom_id")
            await reply_error(interaction, error, f"component {custom_id}")

    return wrapper


def rate_limited(
    callback: Callable[[Any, discord.Interaction[CmoBot]], Awaitable[None]],
) -> Callable[..., Awaitable[None]]:
    """For user-facing component callbacks: one shared per-user budget for every button and
    select. Over it the user gets the localised cooldown note (ephemeral) and the callback,
    with the log row it would write, does not run. Put it under ``@guarded``."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction[CmoBot]) -> None:
        error = component_cooldown(interaction)
        if error is not None:
            seconds = max(1, math.ceil(error.retry_after))
            await send_ephemeral(interaction, t("error_cooldown", lang_of(interaction), seconds=seconds))
            return
        await callback(self, interaction)

    return wrapper
