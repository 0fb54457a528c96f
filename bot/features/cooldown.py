"""A per-user cooldown for slash commands that stays cheap with many users.

discord.py's `checks.cooldown` scans every bucket on every call to drop expired ones, which
grows with the number of users who asked in the last window. This keeps the library's token
bucket (`app_commands.Cooldown`) and its `CommandOnCooldown` error, so the central error
handler treats both alike, but sweeps expired buckets at most once per window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

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


def per_user_cooldown(rate: int, per: float) -> Callable[[T], T]:
    """A check decorator: at most `rate` uses per `per` seconds per user."""
    limiter = PerUserCooldown(rate, per)

    def predicate(interaction: discord.Interaction) -> bool:
        error = limiter.hit(interaction.user.id, interaction.created_at.timestamp())
        if error is not None:
            raise error
        return True

    return app_commands.check(predicate)
