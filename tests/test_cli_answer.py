"""`cmo-bot ask` gives the three outcomes and the passage, offline, from the same core as the bot."""

from __future__ import annotations

import json
import sqlite3

from tests.cli_helpers import run


def logged(path) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT question, topic_id, outcome FROM questions ORDER BY asked_at").fetchall()


def test_json_names_the_outcome_and_leads_with_the_passage(cli_db, capsys):
    code, out, _ = run(capsys, "ask", "--json", "hoeveel senior marketingleiders zijn ondervraagd door gartner")
    assert code == 0
    payload = json.loads(out)
    assert payload["outcome"] in ("answer", "guess")
    assert payload["matched"] is True
    assert "402" in payload["passage"]
    assert logged(cli_db)[-1][2] == payload["outcome"]


def test_an_uncovered_question_is_outcome_none_and_logged_as_such(cli_db, capsys):
    code, out, _ = run(capsys, "ask", "--json", "wie is de ceo van gartner")
    assert code == 0
    payload = json.loads(out)
    assert payload["outcome"] == "none" and payload["matched"] is False and payload["passage"] is None
    assert logged(cli_db)[-1] == ("wie is de ceo van gartner", None, "none")


def test_the_text_reply_puts_the_answer_first(cli_db, capsys):
    code, out, _ = run(capsys, "ask", "hoeveel senior marketingleiders zijn ondervraagd door gartner")
    assert code == 0
    first_lines = out.splitlines()[:3]
    assert any("402" in line for line in first_lines)
