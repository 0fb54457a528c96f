"""The overview's questions-per-day chart: what a moderator reads in its tooltips, its labels and
its table, read back from the SVG as XML."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest

from bot.insights.queries import DayCount
from bot.web.day_chart import MAX_X_LABELS, day_chart_svg, day_table_rows

SVG = "{http://www.w3.org/2000/svg}"
LAST = date(2026, 3, 15)


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def tooltips(svg: ElementTree.Element) -> list[str]:
    return [group.find(f"{SVG}title").text for group in svg.iter(f"{SVG}g") if group.get("class") == "chart-day"]


def labels(svg: ElementTree.Element) -> list[str]:
    return [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "chart-label"]


def test_each_days_tooltip_gives_its_numbers_and_missing_days_are_zero():
    counts = [DayCount("2026-03-12", answered=5, unanswered=1, guessed=2), DayCount("2026-03-14", 3, 0)]
    svg = parse(day_chart_svg(counts, 7, "nl", last_day=LAST))
    assert tooltips(svg) == [
        "9 mrt: 0 beantwoord, 0 beste gokken, 0 onbeantwoord",
        "10 mrt: 0 beantwoord, 0 beste gokken, 0 onbeantwoord",
        "11 mrt: 0 beantwoord, 0 beste gokken, 0 onbeantwoord",
        "12 mrt: 5 beantwoord, 2 beste gokken, 1 onbeantwoord",
        "13 mrt: 0 beantwoord, 0 beste gokken, 0 onbeantwoord",
        "14 mrt: 3 beantwoord, 0 beste gokken, 0 onbeantwoord",
        "15 mrt: 0 beantwoord, 0 beste gokken, 0 onbeantwoord",
    ]
    assert labels(svg) == ["15 mrt", "14 mrt", "13 mrt", "12 mrt", "11 mrt", "10 mrt", "9 mrt"]


def test_the_bars_are_stacked_in_proportion_to_the_counts():
    svg = parse(day_chart_svg([DayCount("2026-03-15", answered=6, unanswered=2, guessed=4)], 1, "en", last_day=LAST))
    (day,) = [group for group in svg.iter(f"{SVG}g") if group.get("class") == "chart-day"]
    heights = {rect.get("class"): float(rect.get("height")) for rect in day.iter(f"{SVG}rect")
               if rect.get("class").startswith("bar-")}
    assert heights["bar-answered"] == pytest.approx(1.5 * heights["bar-guessed"], abs=0.2)
    assert heights["bar-guessed"] == pytest.approx(2 * heights["bar-unanswered"], abs=0.2)


def test_the_chart_names_itself_and_sums_up_the_period_for_screen_readers():
    counts = [DayCount("2026-03-12", 5, 1, 2), DayCount("2026-03-14", 3, 0, 1)]
    svg = parse(day_chart_svg(counts, 7, "en", last_day=LAST))
    assert svg.get("role") == "img" and svg.get("viewBox")
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}title").text == "Questions per day"
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == desc_id
    assert desc.text == "7 days, from 9 Mar to 15 Mar: 12 questions, 8 answered, 3 best guesses and 1 unanswered."
    legend = [group.find(f"{SVG}text").text for group in svg.iter(f"{SVG}g") if group.get("class") == "chart-legend"]
    assert legend == ["Answered", "Best guess", "Unanswered"]


def test_the_y_axis_has_a_few_round_ticks_above_the_highest_day():
    svg = parse(day_chart_svg([DayCount("2026-03-15", 37, 4, 2)], 7, "nl", last_day=LAST))
    ticks = [int(text.text) for text in svg.iter(f"{SVG}text") if text.get("class") == "chart-tick"]
    assert ticks == [0, 10, 20, 30, 40, 50]


@pytest.mark.parametrize("days", [7, 30, 90])
def test_date_labels_stay_readable_however_long_the_period(days):
    counts = [DayCount((LAST - timedelta(days=offset)).isoformat(), offset % 4, offset % 3, offset % 2)
              for offset in range(days)]
    svg = parse(day_chart_svg(counts, days, "nl", last_day=LAST))
    assert len(tooltips(svg)) == days  # every day still has its bar and tooltip
    shown = labels(svg)
    assert 2 <= len(shown) <= MAX_X_LABELS
    assert shown[0] == "15 mrt"  # the latest day is always labelled
    positions = sorted(float(text.get("x")) for text in svg.iter(f"{SVG}text") if text.get("class") == "chart-label")
    width = float(svg.get("viewBox").split()[2])
    assert min(b - a for a, b in itertools.pairwise(positions)) >= 50 or len(positions) == 1
    assert all(25 <= x <= width - 25 for x in positions)  # room for half a label at either edge


def test_an_empty_period_says_there_are_no_questions_yet():
    svg = parse(day_chart_svg([DayCount("2026-03-14", 0, 0)], 30, "nl", last_day=LAST))
    assert svg.find(f"{SVG}desc").text == "Nog geen vragen in de afgelopen 30 dagen."
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["Nog geen vragen in de afgelopen 30 dagen."]
    assert tooltips(svg) == []
    assert parse(day_chart_svg([], 7, "en")).find(f"{SVG}desc").text == "No questions yet in the last 7 days."


def test_text_in_the_chart_is_escaped():
    markup = day_chart_svg([DayCount("2026-03-15", 1, 0)], 7, "en", last_day=LAST, title="<script>alert(1)</script> & co",
                           chart_id='x" onload="alert(1)')
    assert "<script>" not in markup and 'onload="' not in markup
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text == "<script>alert(1)</script> & co"
    assert svg.get("onload") is None


def test_the_table_gives_the_same_numbers_per_day_with_the_weekday():
    counts = [DayCount("2026-03-12", 5, 1, 2), DayCount("2026-03-14", 3, 0)]
    rows = day_table_rows(counts, 4, "nl", last_day=LAST)
    assert [(r.label, r.answered, r.guessed, r.unanswered, r.total) for r in rows] == [
        ("do 12 mrt", 5, 2, 1, 8),
        ("vr 13 mrt", 0, 0, 0, 0),
        ("za 14 mrt", 3, 0, 0, 3),
        ("zo 15 mrt", 0, 0, 0, 0),
    ]
    assert [r.label for r in day_table_rows(counts, 2, "en", last_day=LAST)] == ["Sat 14 Mar", "Sun 15 Mar"]


def test_without_a_last_day_the_period_ends_at_the_latest_counted_day():
    counts = [DayCount("2026-01-30", 1, 0), DayCount("2026-02-02", 2, 1)]
    rows = day_table_rows(counts, 5, "nl")
    assert [r.label for r in rows] == ["do 29 jan", "vr 30 jan", "za 31 jan", "zo 1 feb", "ma 2 feb"]
    assert [r.total for r in rows] == [0, 1, 0, 0, 3]
