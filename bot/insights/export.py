"""The question log as CSV for a spreadsheet: what was asked and how it went, never by whom.

UTF-8 with a byte order mark, so Excel shows Dutch accents correctly.

No user id or hash is selected, so none can end up in the file. Cells that a spreadsheet
would run as a formula (a question starting with "=" or "+") are prefixed with a quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

HEADER = ("time", "command", "locale", "question", "topic", "score", "feedback")
# Discord allows 10 MiB per attachment for bots in most guilds; stay well below it.
MAX_BYTES = 8 * 1024 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str | None) -> str:
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def questions_csv(rows: Iterable[Mapping[str, Any]], max_bytes: int = MAX_BYTES) -> tuple[bytes, int, bool]:
    """(file bytes, rows written, truncated?). Rows come from `InsightsQueries.export_rows`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    written, size, truncated = 0, len(buffer.getvalue().encode()), False
    for row in rows:
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow(
            (
                row["asked_at"],
                row["command"],
                row["locale"] or "",
                _safe(row["question"]),
                row["topic_id"] or "",
                "" if row["score"] is None else f"{row['score']:.3f}",
                {1: "up", -1: "down"}.get(row["rating"], ""),
            )
        )
        encoded = len(line.getvalue().encode())
        if size + encoded > max_bytes:
            truncated = True
            break
        buffer.write(line.getvalue())
        size += encoded
        written += 1
    return buffer.getvalue().encode("utf-8-sig"), written, truncated
