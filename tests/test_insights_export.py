"""The CSV export: its columns, spreadsheet safety and its size cap."""

from __future__ import annotations

import csv
import io

from bot.insights.export import HEADER, questions_csv


def row(question: str, rating: int | None = None) -> dict:
    return {
        "asked_at": "2026-03-02T09:00:00.000Z",
        "command": "ask",
        "locale": "nl",
        "question": question,
        "topic_id": None,
        "score": 0.25,
        "rating": rating,
    }


def read(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_columns_and_values():
    data, written, truncated = questions_csv([row("Wat is ROAS?", 1), row('Financiën, "en" zo', -1), row("x")])
    table = read(data)
    assert table[0] == list(HEADER)
    assert table[1] == ["2026-03-02T09:00:00.000Z", "ask", "nl", "Wat is ROAS?", "", "0.250", "up", ""]
    assert table[2][3] == 'Financiën, "en" zo' and table[2][6] == "down"
    assert table[3][6] == ""
    assert (written, truncated) == (3, False)


def test_formula_like_questions_are_defused():
    table = read(questions_csv([row("=1+1"), row("+31 6"), row("@cmd"), row("-x")])[0])
    assert [r[3] for r in table[1:]] == ["'=1+1", "'+31 6", "'@cmd", "'-x"]


def test_a_file_that_would_grow_too_large_is_cut_at_a_row():
    data, written, truncated = questions_csv([row("q" * 100)] * 50, max_bytes=1000)
    assert truncated and 0 < written < 50
    assert len(data) <= 1000 + 3
    assert len(read(data)) == written + 1
