"""The command line, run in-process (and once as a real process) against a real SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.knowledge.loader import default_content_dir
from tests.cli_helpers import REPO, python_m_bot, run, without_settings

pytestmark = pytest.mark.usefixtures("restore_root_logging")


def questions_in(path: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(path)
    try:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM questions ORDER BY asked_at").fetchall()
    finally:
        conn.close()


def test_ask_prints_the_answer_with_its_title_and_sources(cli_db, capsys):
    from bot.knowledge.loader import load_content

    topic = load_content(default_content_dir()).topics["cmo-responsibilities"]
    code, out, _ = run(capsys, "ask", "Wat doet een CMO?")
    assert code == 0
    assert out.splitlines()[0] == topic.title.get("nl") == "Wat doet een CMO?"
    assert topic.summary.get("nl") in out
    assert "Bronnen:" in out


def test_ask_joins_unquoted_words(cli_db, capsys):
    code, out, _ = run(capsys, "ask", "Wat", "doet", "een", "CMO?")
    assert code == 0
    assert out.splitlines()[0] == "Wat doet een CMO?"


def test_ask_json_for_a_known_topic(cli_db, capsys):
    code, out, _ = run(capsys, "ask", "--json", "what does a CFO do")
    assert code == 0
    payload = json.loads(out)
    assert payload["matched"] is True
    assert payload["topic"] == "role-cfo"
    assert payload["title"] == "What does a CFO do?"
    assert payload["lang"] == "en"
    assert 0.5 <= payload["score"] <= 1.0
    assert "CFO stands for Chief Financial Officer" in payload["text"]
    assert "Sources:" in payload["text"] and "Businessgids.nl" in payload["text"]
    assert isinstance(payload["suggestions"], list) and len(payload["suggestions"]) <= 3
    for suggestion in payload["suggestions"]:
        assert set(suggestion) == {"topic", "title"} and suggestion["topic"] != "role-cfo"
    assert isinstance(payload["question_id"], str) and payload["question_id"]


def test_ask_json_off_topic(cli_db, capsys):
    code, out, _ = run(capsys, "ask", "--json", "How do I make pancakes with blueberries?")
    assert code == 0  # no match is not a failure
    payload = json.loads(out)
    assert payload["matched"] is False
    assert payload["topic"] is None
    assert payload["title"] is None
    assert "moderators" in payload["text"]


def test_ask_lang_overrides_the_guess(cli_db, capsys):
    code, out, _ = run(capsys, "ask", "--lang", "en", "--json", "Wat doet een CMO?")
    assert code == 0
    payload = json.loads(out)
    assert payload["lang"] == "en"
    assert payload["matched"] is True
    assert "Sources:" in payload["text"]


def test_ask_logs_the_question_in_sqlite(cli_db, capsys):
    code, out, _ = run(capsys, "ask", "--json", "what does a CFO do")
    assert code == 0
    question_id = json.loads(out)["question_id"]
    rows = questions_in(cli_db)
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == question_id
    assert row["command"] == "cli-ask"
    assert row["question"] == "what does a CFO do"
    assert row["topic_id"] == "role-cfo"
    assert row["lang"] == "en"
    assert row["user_hash"] is None and row["guild_id"] is None
    code, _, _ = run(capsys, "ask", "hoe bak ik pannenkoeken")
    assert code == 0
    rows = questions_in(cli_db)
    assert [row["question"] for row in rows][-1] == "hoe bak ik pannenkoeken"
    assert rows[-1]["topic_id"] is None


def test_content_check_on_shipped_content(cli_db, capsys):
    code, out, _ = run(capsys, "content", "check")
    assert code == 0
    assert "all valid" in out
    code, out, _ = run(capsys, "content", "check", str(default_content_dir()))
    assert code == 0


def test_content_check_on_broken_content_lists_file_and_field(cli_db, tmp_path, capsys):
    root = tmp_path / "content"
    (root / "topics").mkdir(parents=True)
    topic = {
        "id": "alpha",
        "category": "cmo-role",
        "title": {"nl": "x" * 101, "en": "Title"},
        "summary": {"nl": "a", "en": "b"},
        "body": {"nl": "a", "en": "b"},
        "sources": [{"title": "t", "publisher": "p", "date": "2025"}],
    }
    (root / "topics" / "alpha.yaml").write_text(yaml.safe_dump(topic))
    (root / "tips.yaml").write_text(
        yaml.safe_dump({"tips": [{"id": "t", "topic": "ghost", "text": {"nl": "a", "en": "b"}}]})
    )
    code, _, err = run(capsys, "content", "check", str(root))
    assert code == 1
    assert "content/topics/alpha.yaml: title.nl: String should have at most 100 characters" in err
    assert "content/tips.yaml: tips.0.topic: unknown topic id 'ghost'" in err
    assert "2 error(s)" in err


@pytest.fixture
def empty_content_dir(tmp_path, monkeypatch) -> Path:
    """CMO_CONTENT_DIR names a folder with neither topics nor tips in it."""
    root = tmp_path / "content"
    root.mkdir()
    monkeypatch.setenv("CMO_CONTENT_DIR", str(root))
    return root


def test_content_check_uses_cmo_content_dir(cli_db, empty_content_dir, capsys):
    code, _, err = run(capsys, "content", "check")
    assert code == 1
    assert "content/topics: folder not found" in err
    assert "content/tips.yaml: file not found" in err


def test_ask_with_broken_content_exits_1_and_writes_nothing(cli_db, empty_content_dir, capsys):
    code, _, err = run(capsys, "ask", "Wat doet een CMO?")
    assert code == 1
    assert "tips.yaml" in err
    assert not cli_db.exists()


def test_db_migrate_then_backup(cli_db, tmp_path, capsys):
    code, out, _ = run(capsys, "db", "migrate")
    assert code == 0
    assert "schema version" in out
    assert cli_db.is_file()
    run(capsys, "ask", "what does a CFO do")
    backup = tmp_path / "backups" / "copy.sqlite3"
    code, out, _ = run(capsys, "db", "backup", str(backup))
    assert code == 0
    assert backup.is_file()
    assert not backup.with_name("copy.sqlite3.partial").exists()
    rows = questions_in(backup)
    assert [row["question"] for row in rows] == ["what does a CFO do"]
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_db_migrate_is_repeatable(cli_db, capsys):
    assert run(capsys, "db", "migrate")[0] == 0
    code, out, _ = run(capsys, "db", "migrate")
    assert code == 0
    assert "schema version" in out


def test_backup_onto_the_database_itself_exits_1_with_a_message(cli_db, capsys):
    assert run(capsys, "db", "migrate")[0] == 0
    code, _, err = run(capsys, "db", "backup", str(cli_db))
    assert code == 1
    assert "onto itself" in err


def test_backup_onto_the_database_itself_keeps_the_data(cli_db, capsys):
    assert run(capsys, "db", "migrate")[0] == 0
    run(capsys, "ask", "what does a CFO do")
    code = main(["db", "backup", str(cli_db)])
    capsys.readouterr()
    assert code == 1
    assert len(questions_in(cli_db)) == 1


def test_health_ok_on_a_migrated_writable_database(cli_db, capsys):
    assert run(capsys, "db", "migrate")[0] == 0
    code, out, _ = run(capsys, "health", "--db")
    assert code == 0
    assert out.strip() == "ok"


def test_health_fails_when_the_database_is_missing_and_does_not_create_it(cli_db, capsys):
    code, _, err = run(capsys, "health", "--db")
    assert code == 1
    assert "unhealthy" in err
    assert not cli_db.exists()


@pytest.fixture
def db_path_inside_a_file(tmp_path, cli_db, monkeypatch) -> None:
    """CMO_DB_PATH names a file below a plain file, where no folder can be made."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("CMO_DB_PATH", str(blocker / "cmo-bot.sqlite3"))


def test_health_fails_when_the_db_path_is_inside_a_file(db_path_inside_a_file, capsys):
    code, _, err = run(capsys, "health", "--db")
    assert code == 1
    assert "unhealthy" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores directory permissions")
def test_health_fails_when_the_folder_is_read_only(cli_db, capsys):
    assert run(capsys, "db", "migrate")[0] == 0
    cli_db.parent.chmod(0o500)
    try:
        code, _, err = run(capsys, "health", "--db")
    finally:
        cli_db.parent.chmod(0o700)
    assert code == 1
    assert "unhealthy" in err


def test_db_migrate_fails_cleanly_when_the_path_is_inside_a_file(db_path_inside_a_file, capsys):
    code, _, err = run(capsys, "db", "migrate")
    assert code == 1
    assert "cmo-bot:" in err


def test_run_without_token_explains_what_to_do(cli_db, capsys):
    code, out, err = run(capsys, "run")
    assert code == 2
    assert "DISCORD_TOKEN" in err
    assert "cmo-bot ask" in err
    assert out == ""


def test_invalid_setting_exits_2_naming_the_variable(cli_db, monkeypatch, capsys):
    monkeypatch.setenv("CMO_RETENTION_DAYS", "abc")
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.secret-token.XYZ")
    code, out, err = run(capsys, "ask", "Wat doet een CMO?")
    assert code == 2
    assert "CMO_RETENTION_DAYS" in err
    assert "secret-token" not in err + out
    assert not cli_db.exists()


def test_usage_errors_exit_2(cli_db, capsys):
    for argv in ([], ["ask"], ["ask", "--lang", "de", "x"], ["db"], ["frobnicate"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2, argv
    capsys.readouterr()


def test_python_m_bot_ask_json_as_a_real_process(tmp_path):
    env = without_settings() | {"CMO_DB_PATH": str(tmp_path / "cmo-bot.sqlite3")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    result = python_m_bot("ask", "--json", "Wat is een CMO?", env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["matched"] is True
    assert payload["topic"] == "what-is-a-cmo"
    assert payload["lang"] == "nl"
    assert "Bronnen:" in payload["text"]
    assert [row["command"] for row in questions_in(tmp_path / "cmo-bot.sqlite3")] == ["cli-ask"]


def test_content_export_writes_live_content_that_check_accepts(cli_db, tmp_path, capsys, monkeypatch):
    """The export holds the shared content: the home server's learned aliases, not another
    server's own (that one counts only in the server that attached it)."""
    import asyncio

    from bot.storage.aliases import AliasRepository
    from bot.storage.sqlite_engine import SqliteDatabase

    async def learn_an_alias() -> None:
        async with await SqliteDatabase.open(cli_db) as db:
            await AliasRepository(db).attach(
                topic_id="agentic-buying", lang="nl", alias="robots die voor ons winkelen",
                group_key="k" * 16, guild_id=1, source="unanswered",
            )
            await AliasRepository(db).attach(
                topic_id="agentic-buying", lang="nl", alias="winkelrobots van een andere server",
                group_key="j" * 16, guild_id=2, source="unanswered",
            )

    monkeypatch.setenv("CMO_HOME_GUILD_ID", "1")
    asyncio.run(learn_an_alias())
    out_dir = tmp_path / "exported"
    code, out, _ = run(capsys, "content", "export", str(out_dir))
    assert code == 0
    assert "exported 29 topics" in out
    assert run(capsys, "content", "check", str(out_dir))[0] == 0
    exported = (out_dir / "topics" / "agentic-buying.yaml").read_text(encoding="utf-8")
    assert "robots die voor ons winkelen" in exported
    assert "winkelrobots van een andere server" not in exported
