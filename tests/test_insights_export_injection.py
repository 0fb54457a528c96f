"""The question CSV opens safely in a spreadsheet whatever its list separator.

Each check reads the exported bytes the way a spreadsheet in some locale would (comma,
semicolon as in Dutch Excel, tab as in a tab-separated import; quotes honoured or not) and
asserts that no resulting cell starts with a formula character.
"""

from __future__ import annotations

import csv
import io

import pytest

from bot.insights.export import questions_csv

FORMULA_START = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

HOSTILE = [
    "x;=1+1;",
    "x,=1+1,",
    "kolom\t=1+1",
    "=HYPERLINK(\"http://evil.example\",\"klik\")",
    "@SUM(A1:A9)",
    "+31 6 1234",
    "-2+3",
    "\t=1",
    "\r=1",
    "regel een\n=1+1",
    "regel een\r\n@cmd",
    'x; "=1+1"',
    "x;  =1+1",
    "a;;;+1",
    "\uff1d1+1",
]


def row(question: str, **fields: object) -> dict:
    base = {"asked_at": "2026-03-02T09:00:00.000Z", "command": "ask", "locale": "nl", "question": question,
            "topic_id": None, "score": 0.5, "rating": None}
    return {**base, **fields}


def cells_as_read_by(data: bytes, delimiter: str, quoting: int) -> list[str]:
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    cells = [cell for record in reader for cell in record]
    # A reader may also treat any line break as a new row.
    return [piece for cell in cells for piece in cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_NONE])
def test_no_cell_starts_a_formula_whatever_the_separator(delimiter: str, quoting: int) -> None:
    data, written, _ = questions_csv([row(q) for q in HOSTILE] + [row("ok", locale="=1", topic_id="@x")])
    assert written == len(HOSTILE) + 1
    for cell in cells_as_read_by(data, delimiter, quoting):
        stripped = cell.strip(" \"")
        assert not stripped.startswith(FORMULA_START), (delimiter, quoting, cell)


def test_the_question_text_stays_readable() -> None:
    data, _, _ = questions_csv([row("x;=1+1;"), row("a\t@SUM(1)"), row("Wat is ROAS?"), row("B2B-marketing, kort")])
    questions = [r[3] for r in csv.reader(io.StringIO(data.decode("utf-8-sig")))][1:]
    assert questions == ["x;'=1+1;", "a\t'@SUM(1)", "Wat is ROAS?", "B2B-marketing, kort"]
