"""The dashboard's downloads, over real HTTP from the real bot: the question log as CSV and
XLSX (what was asked, never by whom), and the live content as a zip that `content check`
reads back; and the action log naming who did something by a hash, never by id or name."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.knowledge.loader import load_content
from tests.web_harness import WebBot, http_login, running_web_bot

ASKED = "=SUM(A1) wie bepaalt het marketingbudget bij ons?"


@pytest_asyncio.fixture
async def web(fake_discord, tmp_path: Path) -> AsyncIterator[WebBot]:
    async with running_web_bot(fake_discord, tmp_path) as running:
        yield running


async def ask(web: WebBot, question: str, user: int) -> None:
    interaction = await web.fake.slash_command("ask", options={"question": question}, user=user)
    await interaction.response()


async def download(web: WebBot, path: str) -> tuple[str, bytes]:
    async with web.visitor() as mira:
        back = await http_login(web, mira, web.people.moderator)
        assert back.status == 302
        async with mira.get(f"{web.base_url}/g/{web.home_id}{path}") as response:
            assert response.status == 200, await response.text()
            return response.headers["Content-Disposition"], await response.read()


async def test_the_question_log_downloads_as_csv_and_xlsx_without_who_asked(web: WebBot):
    asker = 733_000_000_000_000_001
    await ask(web, ASKED, asker)
    await web.harness.services.writer.flush()
    disposition, csv_body = await download(web, "/export/questions.csv?days=30")
    assert "attachment" in disposition and ".csv" in disposition
    text = csv_body.decode("utf-8-sig")
    assert "'=SUM(A1) wie bepaalt het marketingbudget bij ons?" in text  # kept as text, not a formula
    user_hash = web.harness.services.hasher.hash(asker)
    assert str(asker) not in text and user_hash not in text

    disposition, xlsx_body = await download(web, "/export/questions.xlsx?days=30")
    assert ".xlsx" in disposition
    with zipfile.ZipFile(io.BytesIO(xlsx_body)) as workbook:
        shared = workbook.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in workbook.namelist() else ""
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    assert "marketingbudget" in shared + sheet
    assert "<f>" not in sheet and user_hash not in shared + sheet


async def test_the_content_zip_is_the_content_folder_that_content_check_reads(web: WebBot, tmp_path: Path):
    _, body = await download(web, "/export/content.zip")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        archive.extractall(tmp_path / "unzipped")
    exported = load_content(tmp_path / "unzipped" / "content")
    live = web.harness.services.store.current
    assert set(exported.topics) == set(live.topics)
    assert exported.topics["what-is-a-cmo"].summary == live.topics["what-is-a-cmo"].summary
    assert len(exported.tips) == len(live.tips)


async def test_an_action_is_logged_with_a_hash_of_who_did_it(web: WebBot, caplog):
    caplog.set_level(logging.INFO, logger="bot.web")
    await download(web, "/export/content.zip")
    moderator = web.people.moderator
    actor = web.harness.services.hasher.hash(int(moderator["id"]))[:16]
    lines = [record.getMessage() for record in caplog.records if record.name.startswith("bot.web")]
    assert any("exported the content" in line and actor in line for line in lines), lines
    assert not any(moderator["id"] in line or moderator["username"] in line for line in lines)
