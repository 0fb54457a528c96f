"""Which tip a guild sees next: every tip once before any repeats.

The order is a shuffle seeded by the guild id, so guilds do not all see the same tip on the
same day and a restart does not change a guild's order. Progress is the set of tips already
shown in the current round (kept in the database); tips added to the content join the
current round, removed ones are simply no longer candidates.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pick:
    tip_id: str
    new_round: bool  # the round was complete: the shown set must be cleared before recording


def guild_order(tip_ids: Sequence[str], guild_id: int) -> list[str]:
    order = sorted(tip_ids)
    random.Random(guild_id).shuffle(order)
    return order


def next_tip(tip_ids: Sequence[str], shown: Collection[str], guild_id: int, last: str | None = None) -> Pick | None:
    """The next tip, or None when there are no tips at all. `last` (the tip posted most
    recently) is not repeated back to back at a round boundary when there is a choice."""
    if not tip_ids:
        return None
    order = guild_order(tip_ids, guild_id)
    for tip_id in order:
        if tip_id not in shown:
            return Pick(tip_id, new_round=False)
    first = order[0] if order[0] != last or len(order) == 1 else order[1]
    return Pick(first, new_round=True)
