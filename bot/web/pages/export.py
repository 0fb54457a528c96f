"""Downloads: a server's question log as CSV or XLSX (never who asked), and the live content
as a zip in the layout of content/ (topics/<id>.yaml and tips.yaml), ready to commit."""

from __future__ import annotations

import asyncio
import io
import logging
import zipfile

from aiohttp import web

from bot.editing.export import content_documents
from bot.insights.export import questions_csv
from bot.insights.stats import period_start
from bot.insights.xlsx_export import MEDIA_TYPE, questions_xlsx
from bot.knowledge.snapshot import ContentSnapshot
from bot.storage.timestamps import to_utc_iso
from bot.web.context import context_of
from bot.web.guard import moderator

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
PERIODS = (30, 90, 365)


@routes.get("/g/{guild_id}/export")
async def export_page(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    return context_of(request).pages.response(
        request, "export.html", viewer.lang, viewer=viewer, section="export", periods=PERIODS
    )


def _days(request: web.Request) -> int:
    text = request.query.get("days", "")
    return int(text) if text.isdigit() and int(text) in PERIODS else 90


def _download(body: bytes, filename: str, content_type: str) -> web.Response:
    return web.Response(
        body=body,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@routes.get("/g/{guild_id}/export/questions.{kind:csv|xlsx}")
async def export_questions(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    services = context_of(request).services
    days = _days(request)
    since = to_utc_iso(period_start(services.clock.now(), days))
    rows = await services.improvements.queries.export_rows(viewer.guild_id, since)
    stamp = services.clock.now().strftime("%Y-%m-%d")
    log.info("web: %s exported %d questions of guild %s", viewer.actor, len(rows), viewer.guild_id)
    # Off the event loop: at the row cap a workbook takes seconds to write.
    if request.match_info["kind"] == "csv":
        body, _, _ = await asyncio.to_thread(questions_csv, rows)
        return _download(body, f"cmo-bot-questions-{stamp}.csv", "text/csv")
    body, _, _ = await asyncio.to_thread(questions_xlsx, rows)
    return _download(body, f"cmo-bot-questions-{stamp}.xlsx", MEDIA_TYPE)


def content_zip(snapshot: ContentSnapshot) -> bytes:
    """The live content (edits and learned aliases included) as the files content/ holds."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, text in content_documents(snapshot):
            archive.writestr(f"content/{relative}", text)
    return buffer.getvalue()


@routes.get("/g/{guild_id}/export/content.zip")
async def export_content(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    services = context_of(request).services
    stamp = services.clock.now().strftime("%Y-%m-%d")
    log.info("web: %s exported the content", viewer.actor)
    return _download(content_zip(services.store.current), f"cmo-bot-content-{stamp}.zip", "application/zip")
