"""The unanswered queue: grouped questions with counts, each to attach to a topic (search's
likely topics first), dismiss, or turn into a new topic; and the suggestions to accept or
reject. The same ImprovementLoop as the Discord panel, so the rules are the same: with a
home server, only its moderators attach aliases, which then count everywhere."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.insights.embeds import topic_options
from bot.insights.grouping import QuestionGroup
from bot.insights.loop import NotHomeGuildError
from bot.insights.suggestions import Suggestion
from bot.knowledge.model import as_lang
from bot.storage.aliases import AliasSource
from bot.web.context import context_of
from bot.web.guard import PageRefused, Viewer, moderator

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
SHOWN = 50  # groups on one page; the rest wait their turn


def _queue_url(viewer: Viewer, status: str) -> str:
    return f"/g/{viewer.guild_id}/queue?done={status}"


@routes.get("/g/{guild_id}/queue")
async def queue(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    context = context_of(request)
    improvements = context.services.improvements
    snapshot = context.services.store.current
    groups = (await improvements.open_groups(viewer.guild_id))[:SHOWN]
    rows = []
    for group in groups:
        likely = snapshot.answer(group.text, as_lang(group.lang)).suggestions
        rows.append({"group": group, "options": topic_options(snapshot.topics, likely, viewer.lang, limit=200)})
    suggestions = await improvements.open_suggestions(viewer.guild_id)
    titles = {tid: topic.title.get(viewer.lang) for tid, topic in snapshot.topics.items()}
    return context.pages.response(
        request,
        "queue.html",
        viewer.lang,
        viewer=viewer,
        section="queue",
        rows=rows,
        suggestions=suggestions,
        titles=titles,
        may_attach=improvements.may_attach(viewer.guild_id),
        may_create=viewer.access is not None and viewer.access.edits_shared,
        done=request.query.get("done", ""),
    )


async def _form(request: web.Request) -> dict[str, str]:
    form = await request.post()
    return {key: value for key, value in form.items() if isinstance(value, str)}


@routes.post("/g/{guild_id}/queue/attach")
async def attach(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    form = await _form(request)
    improvements = context_of(request).services.improvements
    groups = await improvements.open_groups(viewer.guild_id)
    group = next((g for g in groups if g.key == form.get("key")), None)
    topic_id = form.get("topic", "")
    if group is None:
        raise web.HTTPSeeOther(_queue_url(viewer, "gone"))
    if topic_id not in improvements.store.current.topics:
        raise PageRefused(400, "web_queue_pick_topic")
    await _attach(request, viewer, group, topic_id, "unanswered")
    raise web.HTTPSeeOther(_queue_url(viewer, "attached"))


async def _attach(
    request: web.Request, viewer: Viewer, group: QuestionGroup | Suggestion, topic_id: str, source: AliasSource
) -> None:
    """Attaches and logs it; the 403 page where only the home server may attach."""
    try:
        await context_of(request).services.improvements.attach(viewer.guild_id, group, topic_id, source)
    except NotHomeGuildError:
        raise PageRefused(403, "web_forbidden_home") from None
    log.info("web: %s attached a question group (%s) to topic %s in guild %s", viewer.actor, source, topic_id,
             viewer.guild_id)  # fmt: skip


@routes.post("/g/{guild_id}/queue/dismiss")
async def dismiss(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    form = await _form(request)
    improvements = context_of(request).services.improvements
    key = form.get("key", "")
    if any(g.key == key for g in await improvements.open_groups(viewer.guild_id)):
        await improvements.dismiss(viewer.guild_id, key)
        log.info("web: %s dismissed a question group in guild %s", viewer.actor, viewer.guild_id)
    raise web.HTTPSeeOther(_queue_url(viewer, "dismissed"))


@routes.post("/g/{guild_id}/suggestions/{decision:accept|reject}")
async def decide_suggestion(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    form = await _form(request)
    improvements = context_of(request).services.improvements
    found = await improvements.open_suggestions(viewer.guild_id)
    item = next((s for s in found if s.key == form.get("key") and s.topic_id == form.get("topic")), None)
    if item is None:
        raise web.HTTPSeeOther(_queue_url(viewer, "gone"))
    if request.match_info["decision"] == "accept":
        await _attach(request, viewer, item, item.topic_id, "suggestion")
        raise web.HTTPSeeOther(_queue_url(viewer, "accepted"))
    await improvements.dismiss(viewer.guild_id, item.key, item.topic_id)
    log.info("web: %s rejected a suggestion for topic %s in guild %s", viewer.actor, item.topic_id, viewer.guild_id)
    raise web.HTTPSeeOther(_queue_url(viewer, "rejected"))
