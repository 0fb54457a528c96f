"""The overview's "questions per day" chart as inline SVG, and the same numbers for its table.

Drawn on the server, so it needs no script (the content security policy allows none inline)
and no style attribute: colours are presentation attributes (`fill`), with classes
(`bar-answered`, `bar-guessed`, `bar-unanswered`, `chart-*`) that the stylesheet may override.
A `viewBox` and no fixed size let it scale to the width of a phone.

Every day of the period has a slot, zero days included, so the x axis reads as time. With
many days the date labels thin out to at most `MAX_X_LABELS`, a week or two apart, always
keeping the latest day. Each day's bar carries a <title> that the browser shows as a tooltip,
and the table beside the chart gives screen readers and exact readers the same numbers.

Dates are formatted from our own short month and weekday names (bot/strings/web.toml), not
from the locale module, which depends on the locales the machine happens to have installed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from bot.i18n import t
from bot.insights.chart import ANSWERED_COLOUR, GUESSED_COLOUR, UNANSWERED_COLOUR
from bot.insights.queries import DayCount
from bot.knowledge.model import Lang

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 34, 24, 34, 26  # room for the y ticks, the last label, the legend, the dates
FONT_SIZE = 12
MAX_X_LABELS = 8
MAX_Y_TICKS = 5
BAR_SHARE = 0.72  # of a day's slot; the rest is the gap between bars

# Bottom to top in each bar: (outcome field, css class, colour, legend key).
SEGMENTS = (
    ("answered", "bar-answered", ANSWERED_COLOUR, "chart_legend_answered"),
    ("guessed", "bar-guessed", GUESSED_COLOUR, "chart_legend_guessed"),
    ("unanswered", "bar-unanswered", UNANSWERED_COLOUR, "chart_legend_unanswered"),
)


@dataclass(frozen=True)
class DayRow:
    """One line of the table beside the chart."""

    day: date
    label: str  # "ma 12 mrt"
    answered: int
    guessed: int
    unanswered: int

    @property
    def total(self) -> int:
        return self.answered + self.guessed + self.unanswered


def fill_days(counts: Sequence[DayCount], days: int, last_day: date | None = None) -> list[DayCount]:
    """Exactly `days` DayCounts, oldest first, ending at `last_day` (default: the latest counted
    day), a zero count for every day without questions. Counts outside the period are left out:
    the period is what the page says it shows. Empty when there is no day to end at."""
    by_day = {count.day: count for count in counts}
    if last_day is None:
        if not by_day:
            return []
        last_day = max(date.fromisoformat(day) for day in by_day)
    first_day = last_day - timedelta(days=days - 1)
    filled = []
    for offset in range(days):
        day = (first_day + timedelta(days=offset)).isoformat()
        filled.append(by_day.get(day, DayCount(day, 0, 0, 0)))
    return filled


def date_label(day: date, lang: Lang, weekday: bool = False) -> str:
    """ "12 mrt" (or "ma 12 mrt" with the weekday) in `lang`."""
    month = t("chart_months", lang).split()[day.month - 1]
    if not weekday:
        return t("chart_date", lang, day=day.day, month=month)
    name = t("chart_weekdays", lang).split()[day.weekday()]
    return t("chart_date_weekday", lang, weekday=name, day=day.day, month=month)


def day_table_rows(counts: Sequence[DayCount], days: int, lang: Lang, last_day: date | None = None) -> list[DayRow]:
    """The chart's numbers, one row per day of the period, oldest first."""
    return [
        DayRow(parsed, date_label(parsed, lang, weekday=True), count.answered, count.guessed, count.unanswered)
        for count in fill_days(counts, days, last_day)
        for parsed in (date.fromisoformat(count.day),)
    ]


def y_ticks(highest: int) -> list[int]:
    """Round tick values from 0 to at least `highest`: steps of 1, 2 or 5 times a power of ten,
    at most MAX_Y_TICKS steps."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(highest / step) <= MAX_Y_TICKS:
                return list(range(0, step * max(1, math.ceil(highest / step)) + 1, step))
        magnitude *= 10


def x_label_step(days: int) -> int:
    """Every day, every other day, or a whole number of weeks: at most MAX_X_LABELS labels."""
    for step in (1, 2, *range(7, days + 7, 7)):
        if math.ceil(days / step) <= MAX_X_LABELS:
            return step
    return days


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _frame(chart_id: str, title: str, desc: str, body: list[Markup]) -> Markup:
    labelled_by = f"{chart_id}-title {chart_id}-desc"
    head = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="day-chart" role="img" aria-labelledby="{}" '
        'viewBox="0 0 {} {}" font-size="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
    ).format(labelled_by, WIDTH, HEIGHT, FONT_SIZE, chart_id, title, chart_id, desc)
    return head + Markup("").join(body) + Markup("</svg>")


def _legend(lang: Lang) -> list[Markup]:
    parts = []
    for index, (_, css_class, colour, key) in enumerate(SEGMENTS):
        x = LEFT + index * 130
        parts.append(
            Markup(
                '<g class="chart-legend"><rect class="{}" fill="{}" x="{}" y="6" width="12" height="12"/>'
                '<text fill="currentColor" x="{}" y="16">{}</text></g>'
            ).format(css_class, colour, x, x + 17, t(key, lang))
        )
    return parts


def _y_axis(ticks: list[int], plot_height: float) -> list[Markup]:
    parts = []
    for value in ticks:
        y = TOP + plot_height - plot_height * value / ticks[-1]
        parts.append(
            Markup(
                '<line class="chart-grid" stroke="currentColor" stroke-opacity="0.15" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-tick" fill="currentColor" text-anchor="end" x="{}" y="{}">{}</text>'
            ).format(LEFT, WIDTH - RIGHT, _num(y), _num(y), LEFT - 5, _num(y + 4), value)
        )
    return parts


def _bar(count: DayCount, x: float, slot: float, scale: float, plot_bottom: float, lang: Lang) -> Markup:
    """One day: a transparent slot-high target (so a thin or empty bar still shows its tooltip)
    and the stacked segments, under one <title>."""
    label = date_label(date.fromisoformat(count.day), lang)
    tooltip = t("chart_bar_title", lang, day=label, answered=count.answered, guessed=count.guessed,
                unanswered=count.unanswered)
    parts = [
        Markup('<g class="chart-day"><title>{}</title>').format(tooltip),
        Markup('<rect class="chart-hit" fill="#000" fill-opacity="0" x="{}" y="{}" width="{}" height="{}"/>').format(
            _num(x), TOP, _num(slot), _num(plot_bottom - TOP)
        ),
    ]
    width = slot * BAR_SHARE
    bottom = plot_bottom
    for field, css_class, colour, _ in SEGMENTS:
        value = getattr(count, field)
        if value:
            height = value * scale
            bottom -= height
            parts.append(
                Markup('<rect class="{}" fill="{}" x="{}" y="{}" width="{}" height="{}"/>').format(
                    css_class, colour, _num(x + (slot - width) / 2), _num(bottom), _num(width), _num(height)
                )
            )
    parts.append(Markup("</g>"))
    return Markup("").join(parts)


def day_chart_svg(
    counts: Sequence[DayCount],
    days: int,
    lang: Lang,
    last_day: date | None = None,
    title: str | None = None,
    chart_id: str = "questions-per-day",
) -> Markup:
    """The chart as an <svg> element, ready to put in a page. `counts` are
    `InsightsQueries.per_day` rows (or `Stats.days`); `days` is the period's length, ending at
    `last_day` (default: the latest counted day). `title` replaces the default title and may
    hold user text (a server's name): it is escaped like everything else."""
    filled = fill_days(counts, days, last_day)
    title = title or t("chart_title", lang)
    totals = {field: sum(getattr(count, field) for count in filled) for field, *_ in SEGMENTS}
    total = sum(totals.values())
    plot_bottom = HEIGHT - BOTTOM
    if not total:
        message = t("chart_empty", lang, days=days)
        return _frame(chart_id, title, message, [
            Markup('<line class="chart-axis" stroke="currentColor" x1="{}" x2="{}" y1="{}" y2="{}"/>').format(
                LEFT, WIDTH - RIGHT, plot_bottom, plot_bottom
            ),
            Markup('<text class="chart-empty" fill="currentColor" text-anchor="middle" x="{}" y="{}">{}</text>').format(
                WIDTH // 2, (TOP + plot_bottom) // 2, message
            ),
        ])
    first, last = (date_label(date.fromisoformat(filled[index].day), lang) for index in (0, -1))
    desc = t("chart_desc", lang, days=len(filled), first=first, last=last, total=total, **totals)
    plot_height = plot_bottom - TOP
    ticks = y_ticks(max(count.answered + count.guessed + count.unanswered for count in filled))
    scale = plot_height / ticks[-1]
    slot = (WIDTH - LEFT - RIGHT) / len(filled)
    body = _legend(lang) + _y_axis(ticks, plot_height)
    body += [_bar(count, LEFT + index * slot, slot, scale, plot_bottom, lang) for index, count in enumerate(filled)]
    body.append(
        Markup('<line class="chart-axis" stroke="currentColor" x1="{}" x2="{}" y1="{}" y2="{}"/>').format(
            LEFT, WIDTH - RIGHT, plot_bottom, plot_bottom
        )
    )
    step = x_label_step(len(filled))
    for index in range(len(filled) - 1, -1, -step):  # from the latest day back, so today is labelled
        label = date_label(date.fromisoformat(filled[index].day), lang)
        body.append(
            Markup('<text class="chart-label" fill="currentColor" text-anchor="middle" x="{}" y="{}">{}</text>').format(
                _num(LEFT + (index + 0.5) * slot), plot_bottom + 16, label
            )
        )
    return _frame(chart_id, title, desc, body)
