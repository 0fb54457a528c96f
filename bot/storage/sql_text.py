"""SQL text written once for both engines, made ready for PostgreSQL.

The repositories use ``?`` placeholders, which sqlite3 takes as they are; asyncpg wants
``$1, $2, …``. The translation walks the text once, skipping quoted literals and identifiers
(a ``?`` inside ``'…'`` is data, not a placeholder), and is remembered per statement, so the
cost is paid once per distinct statement rather than once per call.
"""

from __future__ import annotations

import functools

_QUOTES = {"'", '"'}


@functools.lru_cache(maxsize=1024)
def to_numbered_placeholders(sql: str) -> str:
    """``sql`` with each ``?`` outside quotes replaced by ``$1``, ``$2``, … in order."""
    out: list[str] = []
    number = 0
    quote: str | None = None
    for char in sql:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in _QUOTES:
            quote = char
        elif char == "?":
            number += 1
            out.append(f"${number}")
            continue
        out.append(char)
    return "".join(out)


def affected_rows(status: str) -> int:
    """The row count at the end of a PostgreSQL command tag (``"DELETE 3"``, ``"INSERT 0 1"``)."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0
