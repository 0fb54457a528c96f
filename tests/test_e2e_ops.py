"""What an operator relies on: /healthz tells the truth, /metrics counts, nothing asked is lost
when the database stops accepting writes for a while."""

from __future__ import annotations

import sqlite3

import aiohttp
import pytest

QUESTION = "Wat doet een CMO?"


async def get(harness, path: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{harness.bot.health.port}{path}"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def ask(harness, question: str = QUESTION, user: int | None = None) -> dict:
    interaction = await harness.fake.slash_command("ask", options={"question": question}, locale="nl", user=user)
    return await interaction.response()


async def test_healthz_is_ok_while_connected_and_writable(harness):
    status, body = await get(harness, "/healthz")
    assert (status, body.strip()) == (200, "ok")


async def test_healthz_is_ok_again_after_a_dropped_gateway_resumes(harness):
    fake = harness.fake
    await fake.drop_connection()
    await fake.wait_for_resume()
    await ask(harness)  # a command after the resume proves the gateway is back
    status, _ = await get(harness, "/healthz")
    assert status == 200


async def test_metrics_count_interactions_answers_and_logged_questions(harness):
    await ask(harness)
    await ask(harness, "recept voor pannenkoeken", user=424242)
    await harness.services.writer.flush()
    status, body = await get(harness, "/metrics")
    assert status == 200
    assert 'cmo_interactions_total{command="ask",outcome="ok"} 2.0' in body
    assert 'cmo_answers_total{matched="yes"} 1.0' in body
    assert 'cmo_answers_total{matched="no"} 1.0' in body
    assert "cmo_unanswered_share 0.5" in body
    assert "cmo_questions_logged 2.0" in body
    assert "cmo_question_writer_queue 0.0" in body
    assert "cmo_interaction_latency_seconds_bucket" in body


async def test_database_read_only_mid_run_keeps_answering_and_loses_no_row(harness):
    db, writer = harness.services.db, harness.services.writer
    await ask(harness)
    await writer.flush()

    await db.execute("PRAGMA query_only=ON")  # the database stops accepting writes
    answered = []
    for user in range(10):
        data = await ask(harness, user=1000 + user)
        answered.append(data["data"]["embeds"][0]["title"])
    assert len(answered) == 10  # answers keep coming
    status, body = await get(harness, "/healthz")
    assert status == 503
    assert "database does not accept writes" in body
    assert writer.pending >= 10

    await db.execute("PRAGMA query_only=OFF")
    await writer.flush()
    status, _ = await get(harness, "/healthz")
    assert status == 200
    with sqlite3.connect(harness.settings.db_path) as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM questions WHERE command = 'ask'").fetchone()
    assert count == 11


@pytest.mark.parametrize("path", ["/nope", "/healthz/extra"])
async def test_unknown_health_paths_are_404(harness, path):
    status, _ = await get(harness, path)
    assert status == 404


async def test_cmo_bot_health_asks_the_running_bot(harness, monkeypatch, capsys):
    import asyncio

    from bot.__main__ import main

    monkeypatch.setenv("CMO_HEALTH_ADDR", f"127.0.0.1:{harness.bot.health.port}")
    assert await asyncio.to_thread(main, ["health"]) == 0
    await harness.services.db.execute("PRAGMA query_only=ON")
    assert await asyncio.to_thread(main, ["health"]) == 1
    assert "database does not accept writes" in capsys.readouterr().err
    await harness.services.db.execute("PRAGMA query_only=OFF")


async def test_commands_during_shutdown_get_a_polite_try_again(harness):
    from bot.i18n import t

    await harness.bot.tree.drain(timeout=0)
    interaction = await harness.fake.slash_command("ask", options={"question": QUESTION}, locale="nl")
    response = await interaction.response()
    assert response["data"]["flags"] & 64
    assert response["data"]["content"] == t("error_shutting_down", "nl")
