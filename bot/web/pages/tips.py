"""A server's tip schedule: what it is, when the next tip comes, the last post and the last
error; set it, see the next tip as it will look, or turn it off. The same repository and
the same validation as tips-set in Discord, so tips-status shows what was set here."""

from __future__ import annotations

import logging
from datetime import datetime

from aiohttp import web

from bot.i18n import t
from bot.knowledge.model import Lang, as_lang
from bot.tips.labels import days_label, error_label
from bot.tips.schedule import POPULAR_ZONES, Schedule, ScheduleError, zone_names
from bot.tips.status import TipStatus, tip_status
from bot.topic_embeds import tip_embed
from bot.web.context import context_of
from bot.web.embed_preview import embed_html
from bot.web.guard import Viewer, moderator

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
DAY_CHOICES = ("mon-fri", "daily")


def moment_label(moment: datetime, schedule: Schedule, lang: Lang) -> str:
    local = moment.astimezone(schedule.zone)
    return f"{t(f'tips_day_{local.weekday()}', lang)} {local:%Y-%m-%d %H:%M} ({schedule.zone.key}, {moment:%H:%M} UTC)"


def _labels(status: TipStatus | None, lang: Lang) -> dict[str, object]:
    """What tips-status says (bot/tips/status.py), as page data."""
    if status is None:
        return {"stored": None}
    stored, schedule, last = status.stored, status.schedule, status.last
    last_when = ""
    if last is not None:
        last_when = moment_label(last.posted_at, schedule, lang) if schedule else f"{last.posted_at:%Y-%m-%d %H:%M} UTC"
    return {
        "stored": stored,
        "days": days_label(schedule.days, lang) if schedule else stored.days,
        "next": moment_label(status.next_due, schedule, lang) if status.next_due and schedule else "",
        "last": (last, last_when) if last is not None else None,
        "error": error_label(stored.last_error, lang) if stored.last_error else "",
        "error_at": f"{stored.last_error_at:%Y-%m-%d %H:%M} UTC" if stored.last_error_at else "",
    }


async def _current(request: web.Request, viewer: Viewer) -> TipStatus | None:
    services = context_of(request).services
    return await tip_status(services.tip_schedules, viewer.guild_id, services.clock.now())


async def _preview(request: web.Request, viewer: Viewer, post_lang: Lang):
    services = context_of(request).services
    picked = await services.planner.next_pick(viewer.guild_id)
    if picked is None:
        return None
    tip = picked[1]
    return embed_html(tip_embed(tip, services.store.current.topic(tip.topic), post_lang))


async def _page(
    request: web.Request, viewer: Viewer, current: TipStatus | None, *, values: dict[str, str], error: str = "",
    status: int = 200,
):  # fmt: skip
    context = context_of(request)
    post_lang = as_lang(current.stored.lang if current else None, viewer.lang)
    return context.pages.response(
        request,
        "tips.html",
        viewer.lang,
        status=status,
        viewer=viewer,
        section="tips",
        state=_labels(current, viewer.lang),
        channels=await context.directory.text_channels(viewer.guild_id),
        values=values,
        error=error,
        zones=zone_names(),
        popular_zones=POPULAR_ZONES,
        preview=await _preview(request, viewer, post_lang),
        done=request.query.get("done", ""),
    )


@routes.get("/g/{guild_id}/tips")
async def tips_page(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    current = await _current(request, viewer)
    stored = current.stored if current else None
    values = {"channel": "", "time": "09:00", "days": "mon-fri", "timezone": POPULAR_ZONES[0], "language": viewer.lang}
    if stored is not None:
        values = {
            "channel": str(stored.channel_id), "time": stored.local_time, "days": stored.days,
            "timezone": stored.timezone, "language": stored.lang,
        }  # fmt: skip
    return await _page(request, viewer, current, values=values)


@routes.post("/g/{guild_id}/tips")
async def set_tips(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    context = context_of(request)
    form = await request.post()
    values = {key: str(form.get(key, "")).strip() for key in ("channel", "time", "days", "timezone", "language")}
    channels = {str(channel.id) for channel in await context.directory.text_channels(viewer.guild_id)}
    if values["channel"] not in channels:
        error = t("web_tips_pick_channel", viewer.lang)
        return await _page(request, viewer, await _current(request, viewer), values=values, error=error, status=422)
    try:
        schedule = Schedule.parse(values["time"], values["days"], values["timezone"])
    except ScheduleError as exc:
        message = t(f"tips_invalid_{exc.code}", viewer.lang, value=exc.value[:64])
        return await _page(request, viewer, await _current(request, viewer), values=values, error=message, status=422)
    services = context.services
    post_lang = "en" if values["language"] == "en" else "nl"
    await services.tip_schedules.save(
        viewer.guild_id, int(values["channel"]), *schedule.as_stored(), post_lang, services.clock.now()
    )
    context.schedule_changed(viewer.guild_id)
    log.info("web: %s set the tip schedule of guild %s", viewer.actor, viewer.guild_id)
    raise web.HTTPSeeOther(f"/g/{viewer.guild_id}/tips?done=set")


@routes.post("/g/{guild_id}/tips/off")
async def tips_off(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    context = context_of(request)
    if await context.services.tip_schedules.disable(viewer.guild_id, context.services.clock.now()):
        context.schedule_changed(viewer.guild_id)
        log.info("web: %s turned the tips of guild %s off", viewer.actor, viewer.guild_id)
    raise web.HTTPSeeOther(f"/g/{viewer.guild_id}/tips?done=off")
