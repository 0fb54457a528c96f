"""Per-user cooldowns for slash commands and components that stay cheap with many users.

discord.py's `checks.cooldown` scans every bucket on every call to drop expired ones, which
grows with the number of users who asked in the last window. This keeps the library's token
bucket (`app_commands.Cooldown`) and its `CommandOnCooldown` error, so the central error
handler treats both alike, but sweeps expired buckets at most once per window.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.app import CmoBot

T = TypeVar("T")


class PerUserCooldown:
    def __init__(self, rate: int, per: float):
        self.rate, self.per = rate, per
        self._buckets: dict[int, app_commands.Cooldown] = {}
        self._last_sweep = 0.0

    def hit(self, user_id: int, now: float) -> app_commands.CommandOnCooldown | None:
        """Counts one use at `now` (seconds); returns the error to raise when over the rate."""
        if now - self._last_sweep > self.per:
            self._buckets = {key: bucket for key, bucket in self._buckets.items() if now <= bucket._last + self.per}
            self._last_sweep = now
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = app_commands.Cooldown(self.rate, self.per)
        retry_after = bucket.update_rate_limit(now)
        return None if retry_after is None else app_commands.CommandOnCooldown(bucket, retry_after)

    def __len__(self) -> int:
        return len(self._buckets)


def client_limiter(client: object, key: Hashable, rate: int, per: float) -> PerUserCooldown:
    """The limiter named `key` of one bot. Kept on the client rather than in the module, so
    two bots in one process (tests, shards) never share their users' budgets."""
    registry: dict[Hashable, PerUserCooldown] = client.__dict__.setdefault("_cmo_cooldowns", {})
    limiter = registry.get(key)
    if limiter is None:
        limiter = registry[key] = PerUserCooldown(rate, per)
    return limiter


def hit(
    interaction: discord.Interaction[CmoBot], key: Hashable, rate: int, per: float
) -> app_commands.CommandOnCooldown | None:
    """Counts one use of `key` by the interaction's user; the error when over the rate."""
    limiter = client_limiter(interaction.client, key, rate, per)
    return limiter.hit(interaction.user.id, interaction.created_at.timestamp())


def per_user_cooldown(rate: int, per: float) -> Callable[[T], T]:
    """A check decorator: at most `rate` uses per `per` seconds per user, per command. Over
    the rate the central error handler replies with the localised cooldown message, and the
    command body (and so its question-log row) never runs."""
    key = object()  # one budget per decorated command

    def predicate(interaction: discord.Interaction[CmoBot]) -> bool:
        error = hit(interaction, key, rate, per)
        if error is not None:
            raise error
        return True

    return app_commands.check(predicate)


# Every user-facing button and select shares one budget per user: clicking is cheap for the
# user and each click writes a log row, so this is what keeps a click loop from filling it.
COMPONENT_RATE, COMPONENT_SECONDS = 10, 30.0
# Browsing commands (/explain, /compare, /topics, /tip, /help) and /privacy, per command.
BROWSE_RATE, BROWSE_SECONDS = 10, 60.0
PRIVACY_RATE, PRIVACY_SECONDS = 5, 60.0


def component_cooldown(interaction: discord.Interaction[CmoBot]) -> app_commands.CommandOnCooldown | None:
    return hit(interaction, "components", COMPONENT_RATE, COMPONENT_SECONDS)
