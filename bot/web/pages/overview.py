"""A server's overview: questions per day as a chart with the same numbers in a table,
the topics read most and the topics rated lowest, over 7, 30 or 90 days."""

from __future__ import annotations

from aiohttp import web

from bot.insights.embeds import topic_title
from bot.insights.stats import collect_stats
from bot.web.context import context_of
from bot.web.day_chart import day_chart_svg, day_table_rows
from bot.web.guard import moderator

routes = web.RouteTableDef()
PERIODS = (7, 30, 90)


def chosen_days(request: web.Request) -> int:
    text = request.query.get("days", "")
    return int(text) if text.isdigit() and int(text) in PERIODS else 30


@routes.get("/g/{guild_id}")
async def overview(request: web.Request) -> web.Response:
    viewer = await moderator(request)
    context = context_of(request)
    days = chosen_days(request)
    services = context.services
    stats = await collect_stats(services.improvements.queries, viewer.guild_id, services.clock.now(), days)
    topics = services.store.current.topics
    lang = viewer.lang
    return context.pages.response(
        request,
        "overview.html",
        lang,
        viewer=viewer,
        section="overview",
        days=days,
        periods=PERIODS,
        stats=stats,
        chart=day_chart_svg(list(stats.days), days, lang),
        table=day_table_rows(list(stats.days), days, lang),
        top_topics=[(topic_title(topics, tid, lang), count) for tid, count in stats.top_topics],
        lowest=[(topic_title(topics, r.topic_id, lang), r.up, r.down) for r in stats.lowest_rated],
        open_count=len(await services.improvements.open_groups(viewer.guild_id)),
    )
