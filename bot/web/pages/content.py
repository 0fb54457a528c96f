"""The content editor: every field of a topic, Dutch and English side by side, with a preview
of the embed a team member will see, errors at each field, and save making it live at once.

Only the home server's moderators reach these pages (guard.content_editor): the content is
shared by every server. A save carries the revision the form was opened at; if someone saved
in between, the page says so and keeps what the moderator typed instead of overwriting.
Without JavaScript, "Preview" is a submit button; with it, editor.js previews as one types.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from aiohttp import web

from bot.editing.form import EditRejected
from bot.editing.service import Editor, NothingChanged, StaleEdit, TopicExists, UnknownTopic
from bot.i18n import t
from bot.knowledge.model import CATEGORIES, LANGS, Topic
from bot.web.context import WebContext, context_of
from bot.web.embed_preview import topic_preview
from bot.web.form_errors import error_texts
from bot.web.guard import PageRefused, Viewer, content_editor, moderator
from bot.web.topic_form import TopicForm, form_from_topic, parse_topic_form, read_topic_form

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
REASON_MAX = 300


def _editor(viewer: Viewer) -> Editor:
    return Editor(viewer.actor, viewer.user.name)


def _topic_choices(context: WebContext, viewer: Viewer, exclude: str = "") -> list[tuple[str, str]]:
    topics = context.services.store.current.topics
    return sorted(
        ((tid, topic.title.get(viewer.lang)) for tid, topic in topics.items() if tid != exclude),
        key=lambda pair: pair[1].casefold(),
    )


def _editor_page(
    request: web.Request,
    viewer: Viewer,
    form: TopicForm,
    *,
    topic_id: str | None,
    base: int,
    errors: dict[str, str] | None = None,
    preview: Topic | None = None,
    status: int = 200,
    notice: str = "",
) -> web.Response:
    context = context_of(request)
    live = context.services.store.current.topic(topic_id) if topic_id else None
    shown = preview or live
    return context.pages.response(
        request,
        "editor.html",
        viewer.lang,
        status=status,
        viewer=viewer,
        section="topics",
        form=form,
        errors=errors or {},
        topic_id=topic_id,
        is_new=topic_id is None,
        base=base,
        topics=_topic_choices(context, viewer, topic_id or ""),
        categories=CATEGORIES,
        previews=[(lang, topic_preview(shown, lang)) for lang in LANGS] if shown else [],
        notice=notice,
    )


@routes.get("/g/{guild_id}/topics")
async def topic_list(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    context = context_of(request)
    topics = context.services.store.current.topics
    rows = sorted(topics.values(), key=lambda topic: (topic.category, topic.title.get(viewer.lang).casefold()))
    return context.pages.response(
        request,
        "topics.html",
        viewer.lang,
        viewer=viewer,
        section="topics",
        topics=rows,
        overridden=set(context.services.store.overlay.topic_overrides),
        retired=sorted(context.services.store.overlay.retired),
        may_edit=viewer.access is not None and viewer.access.edits_shared,
        done=request.query.get("done", ""),
    )


@routes.get("/g/{guild_id}/topics/new")
async def new_topic(request: web.Request) -> web.Response:
    viewer = await content_editor(request)
    form = form_from_topic(None)
    group_key = request.query.get("from", "")
    if group_key:
        groups = await context_of(request).services.improvements.open_groups(viewer.guild_id)
        group = next((g for g in groups if g.key == group_key), None)
        if group is not None:
            form = replace(form, values={**form.values, f"aliases.{group.lang}": group.text})
    return _editor_page(request, viewer, form, topic_id=None, base=0)


@dataclass(frozen=True)
class Submission:
    """A posted editor form: what was typed, the topic it makes (None: errors), and where it
    came from; `shown` puts it back on the page, with the preview or the errors."""

    viewer: Viewer
    form: TopicForm
    topic: Topic | None
    errors: dict[str, str]
    topic_id: str | None  # None: a new topic
    base: int
    reason: str | None
    preview_only: bool

    def shown(self, request: web.Request, *, errors: dict[str, str] | None = None, status: int | None = None,
              notice: str = "") -> web.Response:  # fmt: skip
        return _editor_page(
            request, self.viewer, self.form, topic_id=self.topic_id, base=self.base,
            errors=self.errors if errors is None else errors, preview=self.topic, notice=notice,
            status=status if status is not None else 422 if self.topic is None else 200,
        )  # fmt: skip


async def _submission(request: web.Request, viewer: Viewer, topic_id: str | None) -> Submission:
    data = await request.post()
    base_text = data.get("base", "")
    form = read_topic_form(data, topic_id)
    topic, errors = parse_topic_form(form, topic_id)
    return Submission(
        viewer, form, topic, error_texts(errors, viewer.lang), topic_id,
        int(base_text) if isinstance(base_text, str) and base_text.isdigit() else 0,
        _reason(data.get("reason")), data.get("action") == "preview",
    )  # fmt: skip


@routes.post("/g/{guild_id}/topics/new")
async def create_topic(request: web.Request) -> web.Response:
    viewer = await content_editor(request)
    sent = await _submission(request, viewer, None)
    if sent.topic is None or sent.preview_only:
        return sent.shown(request)
    try:
        await context_of(request).services.editor.create_topic(sent.topic, _editor(viewer), sent.reason)
    except TopicExists:
        return sent.shown(request, errors={"id": t("web_topic_exists", viewer.lang)}, status=409)
    except EditRejected as rejected:
        return sent.shown(request, errors=_rejected(rejected, viewer), status=422)
    log.info("web: %s created topic %s", viewer.actor, sent.topic.id)
    raise web.HTTPSeeOther(f"/g/{viewer.guild_id}/topics/{sent.topic.id}?done=created")


def _rejected(rejected: EditRejected, viewer: Viewer) -> dict[str, str]:
    """What the editor refused after the form's own checks (a related topic that is no longer
    live), at the field it concerns."""
    errors: dict[str, str] = {}
    for issue in rejected.issues:
        if issue.field.startswith("related"):
            errors["related"] = t("web_related_unknown", viewer.lang)
        else:
            errors[issue.field] = issue.message
    return errors


def _reason(value: object) -> str | None:
    return value.strip()[:REASON_MAX] or None if isinstance(value, str) else None


@routes.get("/g/{guild_id}/topics/{topic_id}")
async def edit_topic(request: web.Request) -> web.Response:
    viewer = await content_editor(request)
    context = context_of(request)
    topic_id = request.match_info["topic_id"]
    try:
        opened = await context.services.editor.open_topic(topic_id)
    except UnknownTopic:
        raise PageRefused(404, "web_topic_unknown") from None
    done = request.query.get("done", "")
    # The preview shows the same version as the form: the database's, which may be newer than
    # this process's snapshot for a moment after another process saved.
    return _editor_page(
        request, viewer, form_from_topic(opened.topic), topic_id=topic_id, base=opened.base, notice=done,
        preview=opened.topic,
    )  # fmt: skip


@routes.post("/g/{guild_id}/topics/{topic_id}")
async def save_topic(request: web.Request) -> web.Response:
    viewer = await content_editor(request)
    context = context_of(request)
    topic_id = request.match_info["topic_id"]
    if context.services.store.current.topic(topic_id) is None:
        raise PageRefused(404, "web_topic_unknown")
    sent = await _submission(request, viewer, topic_id)
    if sent.topic is None or sent.preview_only:
        return sent.shown(request)
    try:
        revision = await context.services.editor.save_topic(sent.topic, sent.base, _editor(viewer), sent.reason)
    except NothingChanged:
        return sent.shown(request, notice="unchanged")
    except StaleEdit as stale:
        return sent.shown(request, errors={"": t("web_stale_edit", viewer.lang, n=stale.live_revision)}, status=409)
    except EditRejected as rejected:
        return sent.shown(request, errors=_rejected(rejected, viewer), status=422)
    except UnknownTopic:
        raise PageRefused(404, "web_topic_unknown") from None
    log.info("web: %s saved topic %s as revision %d", viewer.actor, topic_id, revision.n)
    raise web.HTTPSeeOther(f"/g/{viewer.guild_id}/topics/{topic_id}?done=saved")


@routes.post("/g/{guild_id}/topics/{topic_id}/preview")
@routes.post("/g/{guild_id}/topics-new/preview")
async def preview_fragment(request: web.Request) -> web.Response:
    """The live preview editor.js asks for while one types: both languages, or the errors."""
    viewer = await content_editor(request)
    context = context_of(request)
    topic_id = request.match_info.get("topic_id")
    form = read_topic_form(await request.post(), topic_id)
    topic, errors = parse_topic_form(form, topic_id)
    html = context.pages.html(
        "_preview.html",
        viewer.lang,
        previews=[(lang, topic_preview(topic, lang)) for lang in LANGS] if topic else [],
        errors=error_texts(errors, viewer.lang),
    )
    return web.Response(text=html, status=200 if topic else 422, content_type="text/html", charset="utf-8")


@routes.post("/g/{guild_id}/topics/{topic_id}/retire")
async def retire_topic(request: web.Request) -> web.Response:
    viewer = await content_editor(request)
    topic_id = request.match_info["topic_id"]
    data = await request.post()
    try:
        await context_of(request).services.editor.retire_topic(topic_id, _editor(viewer), _reason(data.get("reason")))
    except UnknownTopic:
        raise PageRefused(404, "web_topic_unknown") from None
    log.info("web: %s retired topic %s", viewer.actor, topic_id)
    raise web.HTTPSeeOther(f"/g/{viewer.guild_id}/topics?done=retired")
