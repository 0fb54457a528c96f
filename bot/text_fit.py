"""Fitting text into a limit: cut with an ellipsis, or keep whole lines and count the rest.

The one place that decides how a text that is too long is shortened (the limits themselves
are in `bot.limits`). Pure functions, no Discord library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """`text` when it fits in `limit` characters; otherwise cut, with "…" as its last character."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def pack_lines(
    lines: Sequence[str],
    limit: int,
    more: Callable[[int], str] | None = None,
    total: int | None = None,
) -> list[str]:
    """Whole lines from the start, as many as fit in `limit` characters once joined by newlines.

    With `more`, a last line `more(n)` tells how many lines were left out, and room is kept for
    it. `total` is how many lines there are in all when `lines` holds only the first of them
    (the rest count as left out).
    """
    total = len(lines) if total is None else total
    reserve = 0 if more is None else len(more(total)) + 1
    kept: list[str] = []
    used = -1  # no newline before the first line
    for index, line in enumerate(lines):
        room = limit - (0 if index == total - 1 else reserve)
        if used + 1 + len(line) > room:
            break
        kept.append(line)
        used += 1 + len(line)
    if more is not None and len(kept) < total:
        kept.append(more(total - len(kept)))
    return kept
