"""Bad database paths, bad hash keys and backups that cannot be written: a clear message that
names the path or variable, exit 1 or 2, never a traceback. Plus `db rotate-hash-key`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.storage.hash_key import local_key_path
from tests.cli_helpers import REPO, python_m_bot, run, without_settings

pytestmark = pytest.mark.usefixtures("cli_db")  # no setting from the shell; the tests name their own database


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code, out, err = run(capsys, *argv)
    assert "Traceback" not in err
    return code, out, err


COMMANDS = {
    "ask": ("ask", "Wat doet een CMO?"),
    "content export": ("content", "export", "EXPORT_DIR"),
    "run": ("run",),
}


def run_on_database(command: str, db_path: Path, tmp_path: Path, monkeypatch, capsys) -> tuple[int, str]:
    """One of COMMANDS with CMO_DB_PATH at `db_path` (a Discord that is never reached for
    `run`): its exit code and stderr."""
    monkeypatch.setenv("CMO_DB_PATH", str(db_path))
    monkeypatch.setenv("DISCORD_TOKEN", "not-used")
    monkeypatch.setenv("CMO_DISCORD_API_BASE", "http://127.0.0.1:9/api/v10")
    argv = [str(tmp_path / "export") if a == "EXPORT_DIR" else a for a in COMMANDS[command]]
    code, _, err = cli(capsys, *argv)
    return code, err


@pytest.mark.parametrize("command", COMMANDS)
def test_db_path_pointing_at_a_folder(command, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    code, err = run_on_database(command, folder, tmp_path, monkeypatch, capsys)
    assert code == 1
    assert f"CMO_DB_PATH: {folder} is a folder" in err
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "export").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_db_path_pointing_at_a_file_that_is_not_sqlite(command, tmp_path, monkeypatch, capsys):
    notes = tmp_path / "notes.md"
    notes.write_text("# my notes\nnot a database\n")
    code, err = run_on_database(command, notes, tmp_path, monkeypatch, capsys)
    assert code == 1
    assert f"CMO_DB_PATH: {notes} is not an SQLite database" in err
    assert notes.read_text() == "# my notes\nnot a database\n"


def test_run_with_a_folder_as_db_path_as_a_real_process(tmp_path):
    env = without_settings()
    env |= {"CMO_DB_PATH": str(tmp_path), "DISCORD_TOKEN": "x", "CMO_DISCORD_API_BASE": "http://127.0.0.1:9/api/v10"}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    result = python_m_bot("run", env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert f"CMO_DB_PATH: {tmp_path} is a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_backup_to_an_unwritable_path_names_it_and_leaves_no_partial(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CMO_DB_PATH", str(tmp_path / "bot.sqlite3"))
    assert cli(capsys, "db", "migrate")[0] == 0
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    dest = blocker / "backup.sqlite3"
    code, _, err = cli(capsys, "db", "backup", str(dest))
    assert code == 1
    assert f"cannot write the backup to {dest}" in err
    folder = tmp_path / "backups"
    folder.mkdir()
    code, _, err = cli(capsys, "db", "backup", str(folder))
    assert code == 1 and f"cannot write the backup to {folder}: it is a folder" in err
    assert [p for p in tmp_path.rglob("*") if p.name.endswith(".partial")] == []


def test_a_different_hash_key_is_refused_at_start_naming_the_variable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CMO_DB_PATH", str(tmp_path / "bot.sqlite3"))
    monkeypatch.setenv("CMO_HASH_SECRET", "the-first-key")
    assert cli(capsys, "ask", "Wat doet een CMO?")[0] == 0
    monkeypatch.setenv("CMO_HASH_SECRET", "another-key")
    for argv in (("ask", "Wat doet een CMO?"), ("run",)):
        monkeypatch.setenv("DISCORD_TOKEN", "not-used")
        monkeypatch.setenv("CMO_DISCORD_API_BASE", "http://127.0.0.1:9/api/v10")
        code, _, err = cli(capsys, *argv)
        assert code == 2
        assert "cmo-bot: CMO_HASH_SECRET: the hash key" in err
        assert "rotate-hash-key" in err
        assert "another-key" not in err and "the-first-key" not in err


def test_a_key_file_readable_by_others_is_refused(tmp_path, monkeypatch, capsys):
    key_file = tmp_path / "hash.key"
    key_file.write_text("a-long-random-key\n")
    key_file.chmod(0o640)
    monkeypatch.setenv("CMO_DB_PATH", str(tmp_path / "bot.sqlite3"))
    monkeypatch.setenv("CMO_HASH_SECRET_FILE", str(key_file))
    code, _, err = cli(capsys, "ask", "Wat doet een CMO?")
    assert code == 2
    assert f"CMO_HASH_SECRET_FILE: {key_file} can be read by group or others (mode 640)" in err
    key_file.chmod(0o600)
    assert cli(capsys, "ask", "Wat doet een CMO?")[0] == 0


def test_ask_without_a_key_generates_one_beside_the_database_with_a_warning(tmp_path, monkeypatch, capsys):
    db = tmp_path / "bot.sqlite3"
    monkeypatch.setenv("CMO_DB_PATH", str(db))
    code, _, err = cli(capsys, "ask", "Wat doet een CMO?")
    assert code == 0
    key_file = local_key_path(db)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert "CMO_HASH_SECRET" in err and str(key_file) in err  # the warning says what to set


def test_rotate_hash_key_moves_a_generated_key_onto_a_configured_one(tmp_path, monkeypatch, capsys):
    db = tmp_path / "bot.sqlite3"
    monkeypatch.setenv("CMO_DB_PATH", str(db))
    assert cli(capsys, "ask", "Wat doet een CMO?")[0] == 0  # runs on a generated key
    monkeypatch.setenv("CMO_HASH_SECRET", "the-production-key")
    assert cli(capsys, "ask", "Wat doet een CMO?")[0] == 2  # refused: not the key the db was written with

    code, out, _ = cli(capsys, "db", "rotate-hash-key")
    assert code == 0 and "rehashed" in out and "the-production-key" not in out
    assert cli(capsys, "ask", "Wat doet een CMO?")[0] == 0  # the configured key starts now
    code, out, _ = cli(capsys, "db", "rotate-hash-key")
    assert code == 0 and "nothing changed" in out


def test_rotate_hash_key_without_a_new_key_or_with_a_wrong_old_key_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CMO_DB_PATH", str(tmp_path / "bot.sqlite3"))
    monkeypatch.setenv("CMO_HASH_SECRET", "first")
    assert cli(capsys, "ask", "Wat doet een CMO?")[0] == 0
    monkeypatch.delenv("CMO_HASH_SECRET")
    code, _, err = cli(capsys, "db", "rotate-hash-key")
    assert code == 2 and "set CMO_HASH_SECRET or CMO_HASH_SECRET_FILE to the new key" in err
    monkeypatch.setenv("CMO_HASH_SECRET", "second")
    code, _, err = cli(capsys, "db", "rotate-hash-key")
    assert code == 2 and "CMO_OLD_HASH_SECRET" in err
    monkeypatch.setenv("CMO_OLD_HASH_SECRET", "wrong")
    code, _, err = cli(capsys, "db", "rotate-hash-key")
    assert code == 2 and "CMO_OLD_HASH_SECRET: the old key" in err and "nothing was changed" in err
    monkeypatch.setenv("CMO_OLD_HASH_SECRET", "first")
    assert cli(capsys, "db", "rotate-hash-key")[0] == 0
    assert cli(capsys, "ask", "Wat doet een CMO?")[0] == 0
