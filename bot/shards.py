"""Which of the bot's shards this process runs: ``CMO_SHARD_COUNT`` and ``CMO_SHARD_IDS``.

Large bots run a range of shards per process over one shared database. Both variables are
set or neither (then discord.py asks Discord for the count and runs every shard here). A
process that runs only part of the shards shares the bot with other processes, so it needs
the shared database: with SQLite each process would keep its own question log and tip slots.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ShardPlan:
    """The shards of this process; ``count`` None means "all, as many as Discord advises"."""

    count: int | None = None
    ids: tuple[int, ...] | None = None

    @property
    def is_partial(self) -> bool:
        return self.count is not None and self.ids is not None and len(self.ids) < self.count

    def owns(self, guild_id: int) -> bool:
        """Whether this process's shards receive ``guild_id``'s events (Discord's formula:
        the snowflake's timestamp bits modulo the shard count)."""
        if self.count is None or self.ids is None:
            return True
        return (guild_id >> 22) % self.count in self.ids

    @property
    def file_tag(self) -> str:
        """Names this process's own files (its spill file): stable, unlike the log wording."""
        if self.count is None or self.ids is None:
            return ""
        return f"shards-{format_ids(self.ids)}-of-{self.count}"

    def describe(self) -> str:
        if self.count is None or self.ids is None:
            return "all shards"
        return f"shards {format_ids(self.ids)} of {self.count}"


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """``"0-3"``, ``"4,5"`` or ``"0-1,6"`` as sorted distinct ids; ValueError says what is wrong."""
    ids: set[int] = set()
    for part in (piece.strip() for piece in text.split(",")):
        low, dash, high = part.partition("-")
        if not low.strip().isdigit() or (dash and not high.strip().isdigit()):
            raise ValueError(f"{part!r} is not a shard id or a range like 0-3")
        first, last = int(low), int(high) if dash else int(low)
        if last < first:
            raise ValueError(f"the range {part!r} runs backwards")
        ids.update(range(first, last + 1))
    return tuple(sorted(ids))


def format_ids(ids: tuple[int, ...]) -> str:
    if ids and ids == tuple(range(ids[0], ids[-1] + 1)) and len(ids) > 1:
        return f"{ids[0]}-{ids[-1]}"
    return ",".join(str(i) for i in ids)


def shard_plan(count: int | None, ids: tuple[int, ...] | None, *, has_database_url: bool) -> ShardPlan:
    """The plan from the two settings, or ValueError naming the variable to fix."""
    if (count is None) != (ids is None):
        raise ValueError("CMO_SHARD_COUNT and CMO_SHARD_IDS go together: set both (e.g. 4 and 0-1) or neither")
    if count is None or ids is None:
        return ShardPlan()
    too_high = [i for i in ids if i >= count]
    if too_high:
        raise ValueError(f"CMO_SHARD_IDS: shard {too_high[0]} is not below CMO_SHARD_COUNT ({count}); ids start at 0")
    plan = ShardPlan(count, ids)
    if plan.is_partial and not has_database_url:
        raise ValueError(
            f"CMO_SHARD_IDS: this process runs {plan.describe()}, so other processes run the rest and all must "
            "share one database: set CMO_DATABASE_URL to a postgresql:// URL (SQLite is one process's file)"
        )
    return plan
