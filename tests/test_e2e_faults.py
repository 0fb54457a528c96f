"""Faults an operator will meet: a flaky gateway under load, a stop signal mid-burst, broken
content at start. Real bot, real SQLite file, the fake Discord over real sockets."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.__main__ import main
from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]
USER_BASE = 987_654_321_012_345_000  # distinctive, so a leak into the log is easy to see
QUESTIONS = ["Wat doet een CMO?", "what does a COO do", "wat is agentic buying", "recept voor pannenkoeken"]


def logged_questions(db_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT command, question FROM questions").fetchall()


async def test_burst_with_five_gateway_drops_answers_each_once_and_logs_each(harness):
    fake = harness.fake
    handles = []
    for wave in range(5):
        for index in range(100):
            number = wave * 100 + index
            handles.append(
                await fake.slash_command(
                    "ask", options={"question": QUESTIONS[number % len(QUESTIONS)]}, user=50_000 + number
                )
            )
        await fake.drop_connection()
        await fake.wait_for_resume(count=wave + 1)

    responses = await asyncio.gather(*(handle.response(timeout=20) for handle in handles))
    assert len(responses) == 500
    assert all(response["type"] == 4 for response in responses)
    # exactly once: one successful callback per interaction, no "already acknowledged"
    assert all(len([a for a in handle.callback_attempts if a.status < 300]) == 1 for handle in handles)
    assert fake.client_errors == []
    assert fake.resumes == 5

    await harness.stop()  # drains the question writer
    assert len([row for row in logged_questions(harness.settings.db_path) if row[0] == "ask"]) == 500


async def test_sigterm_mid_burst_exits_cleanly_and_loses_no_answered_question(tmp_path, restore_discord_routes):
    db_path = tmp_path / "cmo-bot.sqlite3"
    async with FakeDiscord(guilds=make_guilds(2), patch_discord=False) as fake:
        env = {
            **os.environ,
            "DISCORD_TOKEN": fake.token,
            "CMO_DISCORD_API_BASE": fake.api_base,
            "CMO_DB_PATH": str(db_path),
            "CMO_HEALTH_ADDR": "127.0.0.1:0",
            "CMO_LOG_LEVEL": "INFO",
            "PYTHONPATH": str(ROOT),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
        )
        try:
            await fake.wait_until_ready(timeout=30)
            await fake.wait_for_commands(timeout=30)
            handles = [
                await fake.slash_command("ask", options={"question": QUESTIONS[i % 4]}, user=USER_BASE + i)
                for i in range(200)
            ]
            await asyncio.gather(*(handle.response(timeout=20) for handle in handles[:100]))
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), timeout=10)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        stderr = (await process.stderr.read()).decode()
    # answers, not the polite "restarting, ask again" replies sent once the stop began
    answered = sum(1 for handle in handles if handle.acknowledged and handle.response_data.get("embeds"))
    assert code == 0, stderr
    assert "SIGTERM received" in stderr
    assert fake.token not in stderr
    assert "interaction command=ask" in stderr  # one structured line per interaction ...
    assert str(USER_BASE)[:12] not in stderr  # ... and never a raw user id
    assert "pannenkoeken" not in stderr  # nor a question text
    assert answered >= 100
    assert len(logged_questions(db_path)) == answered


def test_invalid_content_at_start_exits_1_naming_file_and_field(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    (content / "topics").mkdir(parents=True)
    (content / "topics" / "broken.yaml").write_text("id: broken\ncategory: nonsense\n", encoding="utf-8")
    (content / "tips.yaml").write_text("tips: []\n", encoding="utf-8")
    monkeypatch.setenv("DISCORD_TOKEN", "not-used")
    monkeypatch.setenv("CMO_CONTENT_DIR", str(content))
    monkeypatch.setenv("CMO_DB_PATH", str(tmp_path / "db.sqlite3"))
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "content/topics/broken.yaml: category:" in err
    assert "content/tips.yaml: tips:" in err
    assert not (tmp_path / "db.sqlite3").exists()  # nothing was written


def test_missing_content_folder_at_start_exits_1_naming_the_variable_and_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", "not-used")
    monkeypatch.setenv("CMO_CONTENT_DIR", str(tmp_path / "nowhere"))
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "CMO_CONTENT_DIR" in err
    assert str(tmp_path / "nowhere") in err


def test_content_without_tips_file_at_start_exits_1_naming_the_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "content" / "topics").mkdir(parents=True)
    monkeypatch.setenv("DISCORD_TOKEN", "not-used")
    monkeypatch.setenv("CMO_CONTENT_DIR", str(tmp_path / "content"))
    monkeypatch.setenv("CMO_DB_PATH", str(tmp_path / "db.sqlite3"))
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "content/tips.yaml: file not found" in err
    assert "content/topics: holds no topic files" in err
