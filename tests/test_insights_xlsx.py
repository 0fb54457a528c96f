"""The XLSX export: the CSV's columns, text that stays text, Dutch characters, and its row cap.

The workbook is read back from its XML with the standard library, the way any spreadsheet
reads it: a cell's type is its `t` attribute, and a formula would be an `<f>` element.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from bot.insights.export import HEADER
from bot.insights.xlsx_export import questions_xlsx

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def row(question: str, **fields: object) -> dict:
    base = {"asked_at": "2026-03-02T09:00:00.000Z", "command": "ask", "locale": "nl", "question": question,
            "topic_id": "cmo-rol", "score": 0.25, "rating": None, "outcome": "answer"}
    return {**base, **fields}


def column_index(reference: str) -> int:
    letters = re.match(r"[A-Z]+", reference).group(0)
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def read_sheet(data: bytes) -> tuple[list[list[object]], bool]:
    """(rows of cell values, any formula?) of the first sheet; text as str, numbers as float."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            strings = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in strings]
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    table: list[list[object]] = []
    any_formula = False
    for xml_row in sheet.iterfind(".//m:sheetData/m:row", NS):
        cells: list[object] = [""] * len(HEADER)
        for cell in xml_row.iterfind("m:c", NS):
            any_formula |= cell.find("m:f", NS) is not None
            kind, value = cell.get("t"), cell.find("m:v", NS)
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
            elif kind == "s":
                text = shared[int(value.text)]
            elif kind in (None, "n"):
                text = float(value.text)
            else:
                text = value.text
            cells[column_index(cell.get("r"))] = text
        table.append(cells)
    return table, any_formula


def test_the_columns_and_values_are_the_csv_exports():
    data, written, truncated = questions_xlsx(
        [row("Wat is ROAS?", rating=1), row("Financiën, één café", rating=-1, score=None, topic_id=None,
                                            outcome="none")]
    )
    table, _ = read_sheet(data)
    assert table[0] == list(HEADER)
    assert table[1] == ["2026-03-02T09:00:00.000Z", "ask", "nl", "Wat is ROAS?", "cmo-rol", 0.25, "up", "answer"]
    assert table[2] == ["2026-03-02T09:00:00.000Z", "ask", "nl", "Financiën, één café", "", "", "down", "none"]
    assert (written, truncated) == (2, False)


def test_a_question_starting_with_a_formula_character_stays_text():
    hostile = ["=1+1", "=HYPERLINK(\"http://evil.example\",\"klik\")", "+31 6", "@SUM(A1)", "x;=1+1;"]
    data, written, _ = questions_xlsx([row(q) for q in hostile] + [row("ok", locale="=1", topic_id="@x")])
    table, any_formula = read_sheet(data)
    assert not any_formula
    assert written == len(hostile) + 1
    questions = [cells[3] for cells in table[1:]]
    # The same defused text as the CSV: a sheet saved as CSV later still runs nothing.
    assert questions == ["'=1+1", "'=HYPERLINK(\"http://evil.example\",\"klik\")", "'+31 6", "'@SUM(A1)", "x;'=1+1;",
                         "ok"]
    assert table[-1][2] == "'=1" and table[-1][4] == "'@x"


def test_the_workbook_is_cut_at_the_row_cap_and_says_so():
    data, written, truncated = questions_xlsx([row(f"vraag {i}") for i in range(30)], max_rows=10)
    table, _ = read_sheet(data)
    assert (written, truncated) == (10, True)
    assert [cells[3] for cells in table[1:]] == [f"vraag {i}" for i in range(10)]


def test_an_empty_log_is_a_workbook_with_only_the_header():
    data, written, truncated = questions_xlsx([])
    table, _ = read_sheet(data)
    assert table == [list(HEADER)]
    assert (written, truncated) == (0, False)


def test_long_questions_with_line_breaks_and_emoji_come_back_whole():
    question = "Eerste regel\ntweede regel met ‘aanhalingstekens’ en 👍 " + "x" * 1900
    table, _ = read_sheet(questions_xlsx([row(question)])[0])
    assert table[1][3] == question
