"""The question log as CSV for a spreadsheet: what was asked and how it went, never by whom.

UTF-8 with a byte order mark, so Excel shows Dutch accents correctly.

No user id or hash is selected, so none can end up in the file.

Formula injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a
formula. Which characters split cells depends on the reader: Excel with a Dutch locale splits
on ";", a tab-separated import on tabs, and a line break starts a row. So a question like
``x;=1+1;`` is harmless as one CSV field yet becomes the formula ``=1+1`` on a Dutch
machine. Every text cell therefore gets an apostrophe (the spreadsheet's "this is text"
mark) before a formula character at its start AND after any "," ";" tab, CR or line break
inside it, also when spaces or quotes stand in between; whatever the separator, no piece of
it can start a formula, in Excel or LibreOffice.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

# outcome: answer, guess (a best guess, its topic in "topic") or none for an /ask; empty for a
# topic opened by choice. Last, so the columns before it keep their places in older sheets.
HEADER = ("time", "command", "locale", "question", "topic", "score", "feedback", "outcome")
# Discord allows 10 MiB per attachment for bots in most guilds; stay well below it.
MAX_BYTES = 8 * 1024 * 1024
# The ASCII formula starts, tab and CR, and their full-width forms (East Asian locales).
_FORMULA_START = "=+\\-@\t\r\uff1d\uff0b\uff0d\uff20"
# A cell's start, or any character some reader splits cells or rows on; then spaces or
# quotes a reader may strip; then a formula start.
_FORMULA_AFTER_SEPARATOR = re.compile(f"(^|[,;\\t\\r\\n])([ \"']*)(?=[{_FORMULA_START}])")


def safe_text(text: str | None) -> str:
    """The cell as text that no spreadsheet will run, whatever its list separator."""
    if not text:
        return ""
    return _FORMULA_AFTER_SEPARATOR.sub(lambda match: match.group(1) + match.group(2) + "'", text)


def _outcome(row: Mapping[str, Any]) -> str | None:
    """The row's outcome; rows built before the column existed (a dict without it) have none."""
    try:
        return row["outcome"]
    except (KeyError, IndexError):  # a dict, or a sqlite3.Row, without the column
        return None


# Where the one number sits in a row: the CSV writes it as text, the XLSX as a number cell.
SCORE_COLUMN = HEADER.index("score")


def row_cells(row: Mapping[str, Any]) -> tuple[str | float | None, ...]:
    """One question's cells in HEADER order, shared by the CSV and the XLSX export so both hold
    the same columns and the same defused text: every text cell through `safe_text`; the score
    a float, or None when the row has none."""
    return (
        safe_text(row["asked_at"]),
        safe_text(row["command"]),
        safe_text(row["locale"]),
        safe_text(row["question"]),
        safe_text(row["topic_id"]),
        None if row["score"] is None else float(row["score"]),
        {1: "up", -1: "down"}.get(row["rating"], ""),
        safe_text(_outcome(row)),
    )


def questions_csv(rows: Iterable[Mapping[str, Any]], max_bytes: int = MAX_BYTES) -> tuple[bytes, int, bool]:
    """(file bytes, rows written, truncated?). Rows come from `InsightsQueries.export_rows`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    written, size, truncated = 0, len(buffer.getvalue().encode()), False
    for row in rows:
        line = io.StringIO()
        cells = list(row_cells(row))
        score = cells[SCORE_COLUMN]
        cells[SCORE_COLUMN] = "" if score is None else f"{score:.3f}"
        csv.writer(line, lineterminator="\n").writerow(cells)
        encoded = len(line.getvalue().encode())
        if size + encoded > max_bytes:
            truncated = True
            break
        buffer.write(line.getvalue())
        size += encoded
        written += 1
    return buffer.getvalue().encode("utf-8-sig"), written, truncated
