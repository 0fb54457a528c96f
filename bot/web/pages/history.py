"""A topic's history: every revision with who made it, why, and a readable diff against the
one before; any of them (or the file version, 0) can be made live again."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.editing.service import Editor, NothingChanged, UnknownRevision, UnknownTopic
from bot.web.context import context_of
from bot.web.guard import PageRefused, content_editor
from bot.web.revision_diff import diff_lines

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


@routes.get("/g/{guild_id}/topics/{topic_id}/history")
async def history(request: web.Request) -> web.Response:
    viewer = await content_editor(request)
    context = context_of(request)
    topic_id = request.match_info["topic_id"]
    store = context.services.store
    revisions = await context.services.editor.history(topic_id)
    file_topic = store.files.topics.get(topic_id)
    if not revisions and file_topic is None:
        raise PageRefused(404, "web_topic_unknown")
    entries = []
    for index, revision in enumerate(revisions):  # newest first
        before = revisions[index + 1].topic if index + 1 < len(revisions) else file_topic
        entries.append({"revision": revision, "diff": diff_lines(before, revision.topic)})
    live = store.current.topic(topic_id)
    return context.pages.response(
        request,
        "history.html",
        viewer.lang,
        viewer=viewer,
        section="topics",
        topic_id=topic_id,
        title=(live or file_topic or revisions[0].topic).title.get(viewer.lang),
        entries=entries,
        has_file=file_topic is not None,
        done=request.query.get("done", ""),
    )


@routes.post("/g/{guild_id}/topics/{topic_id}/revert")
async def revert(request: web.Request) -> web.Response:
    viewer = await content_editor(request)
    context = context_of(request)
    topic_id = request.match_info["topic_id"]
    data = await request.post()
    target_text = data.get("revision", "")
    if not isinstance(target_text, str) or not target_text.isdigit():
        raise PageRefused(400, "web_revision_unknown")
    editor = Editor(viewer.actor, viewer.user.name)
    try:
        revision = await context.services.editor.revert(topic_id, int(target_text), editor)
    except (UnknownRevision, UnknownTopic):
        raise PageRefused(404, "web_revision_unknown") from None
    except NothingChanged:
        raise web.HTTPSeeOther(f"/g/{viewer.guild_id}/topics/{topic_id}/history?done=unchanged") from None
    log.info("web: %s reverted topic %s to revision %s (now %d)", viewer.actor, topic_id, target_text, revision.n)
    raise web.HTTPSeeOther(f"/g/{viewer.guild_id}/topics/{topic_id}/history?done=reverted")
