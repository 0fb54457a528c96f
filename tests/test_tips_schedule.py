"""Parsing a tip schedule and finding its slots: weekdays, daily, lists, the days the
clocks change in Europe/Amsterdam, and the grace window. Pure functions, no clock needed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.tips.schedule import (
    EVERY_DAY,
    WORKDAYS,
    Schedule,
    ScheduleError,
    days_spec,
    due_instant,
    owed_slots,
    parse_days,
    parse_time,
    parse_zone,
)

AMS = parse_zone("Europe/Amsterdam")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)  # type: ignore[misc]


# -- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("09:00", time(9)), ("9:00", time(9)), (" 17:45 ", time(17, 45)), ("9.30", time(9, 30)), ("00:00", time(0))],
)
def test_times_in_hh_mm(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "9", "09:60", "9:5", "nine", "", "09:00:00", "-1:00"])
def test_bad_times_are_refused_with_their_code(text):
    with pytest.raises(ScheduleError) as info:
        parse_time(text)
    assert info.value.code == "time"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri", WORKDAYS),
        ("", WORKDAYS),
        ("daily", EVERY_DAY),
        ("Dagelijks", EVERY_DAY),
        ("mon,wed,fri", {0, 2, 4}),
        ("mon, wed ,fri", {0, 2, 4}),
        ("ma,wo,vr", {0, 2, 4}),
        ("ma-vr", WORKDAYS),
        ("di,do", {1, 3}),
        ("za,zo", {5, 6}),
        ("fri-mon", {4, 5, 6, 0}),
        ("Sunday", {6}),
    ],
)
def test_day_specs_in_english_and_dutch(text, expected):
    assert parse_days(text) == frozenset(expected)


@pytest.mark.parametrize("text", ["weekend!", "mon,funday", "mon-", ",", "1,2,3"])
def test_bad_day_specs_are_refused(text):
    with pytest.raises(ScheduleError) as info:
        parse_days(text)
    assert info.value.code == "days"


def test_days_are_stored_in_one_canonical_form():
    assert days_spec(parse_days("vr,ma,wo")) == "mon,wed,fri"
    assert parse_days(days_spec(WORKDAYS)) == WORKDAYS


@pytest.mark.parametrize("name", ["Europe/Amsterdam", "europe/amsterdam", "America/New York", "UTC"])
def test_zones_by_iana_name_case_forgiven(name):
    assert parse_zone(name).key.casefold() == name.replace(" ", "_").casefold()


@pytest.mark.parametrize("name", ["Amsterdam", "CET+1", "../../etc/passwd", "/etc/localtime", "Mars/Olympus", ""])
def test_unknown_zones_are_refused(name):
    with pytest.raises(ScheduleError) as info:
        parse_zone(name)
    assert info.value.code == "timezone"


# -- slots -----------------------------------------------------------------------------------


def test_weekdays_skip_the_weekend():
    schedule = Schedule.parse("09:00", "mon-fri", "Europe/Amsterdam")
    friday_after = local(2026, 6, 5, 9, 1)
    assert schedule.next_slot(friday_after).due == local(2026, 6, 8, 9, 0)  # Monday
    slots = list(schedule.slots_between(local(2026, 6, 1), local(2026, 6, 14, 23, 59)))
    assert [slot.local_date.weekday() for slot in slots] == [0, 1, 2, 3, 4] * 2
    assert all(slot.due.astimezone(AMS).time() == time(9) for slot in slots)
    assert slots[0].due == utc(2026, 6, 1, 7, 0)  # summer time: UTC+2


def test_next_slot_is_strictly_after_and_the_same_day_when_still_ahead():
    schedule = Schedule.parse("09:00", "daily", "Europe/Amsterdam")
    assert schedule.next_slot(local(2026, 1, 7, 8, 59)).due == local(2026, 1, 7, 9, 0)
    assert schedule.next_slot(local(2026, 1, 7, 9, 0)).due == local(2026, 1, 8, 9, 0)
    assert schedule.next_slot(local(2026, 1, 7, 9, 0)).due == utc(2026, 1, 8, 8, 0)  # winter time: UTC+1


def test_daily_has_one_slot_every_day():
    schedule = Schedule.parse("07:15", "daily", "Europe/Amsterdam")
    slots = list(schedule.slots_between(local(2026, 2, 1), local(2026, 2, 28, 23, 59)))
    assert [slot.local_date for slot in slots] == [date(2026, 2, d) for d in range(1, 29)]


def test_comma_lists_pick_exactly_those_days():
    schedule = Schedule.parse("12:00", "mon,wed,fri", "Europe/Amsterdam")
    slots = list(schedule.slots_between(local(2026, 6, 1), local(2026, 6, 14, 23, 59)))
    assert [slot.local_date.day for slot in slots] == [1, 3, 5, 8, 10, 12]


def test_spring_forward_nonexistent_time_is_posted_at_the_next_valid_minute():
    # 2026-03-29: in Europe/Amsterdam 02:00 CET jumps to 03:00 CEST; 02:30 never happens.
    schedule = Schedule.parse("02:30", "daily", "Europe/Amsterdam")
    slots = list(schedule.slots_between(utc(2026, 3, 27), utc(2026, 3, 31)))
    assert [slot.key for slot in slots] == [
        ("2026-03-27", "02:30"),
        ("2026-03-28", "02:30"),
        ("2026-03-29", "02:30"),
        ("2026-03-30", "02:30"),
    ]
    assert [slot.due for slot in slots] == [
        utc(2026, 3, 27, 1, 30),
        utc(2026, 3, 28, 1, 30),
        utc(2026, 3, 29, 1, 0),  # 03:00 CEST, the first minute that exists
        utc(2026, 3, 30, 0, 30),
    ]
    assert slots[2].due.astimezone(AMS).strftime("%H:%M %Z") == "03:00 CEST"


def test_spring_forward_day_keeps_ordinary_times_right():
    schedule = Schedule.parse("09:00", "daily", "Europe/Amsterdam")
    assert schedule.slot_on(date(2026, 3, 28)).due == utc(2026, 3, 28, 8, 0)
    assert schedule.slot_on(date(2026, 3, 29)).due == utc(2026, 3, 29, 7, 0)
    assert due_instant(date(2026, 3, 29), time(1, 59), AMS) == utc(2026, 3, 29, 0, 59)
    assert due_instant(date(2026, 3, 29), time(2, 0), AMS) == utc(2026, 3, 29, 1, 0)
    assert due_instant(date(2026, 3, 29), time(3, 0), AMS) == utc(2026, 3, 29, 1, 0)


def test_fall_back_repeated_time_is_one_slot_at_its_first_occurrence():
    # 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
    schedule = Schedule.parse("02:30", "daily", "Europe/Amsterdam")
    slots = list(schedule.slots_between(utc(2026, 10, 24), utc(2026, 10, 27)))
    assert [slot.due for slot in slots] == [
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),  # 02:30 CEST; the second 02:30 (01:30 UTC) is the same slot
        utc(2026, 10, 26, 1, 30),
    ]
    second_occurrence = utc(2026, 10, 25, 1, 30)
    assert second_occurrence.astimezone(AMS).strftime("%H:%M") == "02:30"
    assert schedule.next_slot(utc(2026, 10, 25, 0, 30)).due == utc(2026, 10, 26, 1, 30)
    assert list(schedule.slots_between(utc(2026, 10, 25, 0, 31), utc(2026, 10, 25, 23, 59))) == []


def test_fall_back_day_keeps_ordinary_times_right():
    schedule = Schedule.parse("09:00", "daily", "Europe/Amsterdam")
    assert schedule.slot_on(date(2026, 10, 24)).due == utc(2026, 10, 24, 7, 0)
    assert schedule.slot_on(date(2026, 10, 25)).due == utc(2026, 10, 25, 8, 0)


# -- the grace window ------------------------------------------------------------------------

GRACE = timedelta(minutes=120)


def test_a_slot_within_the_grace_window_is_owed_late():
    schedule = Schedule.parse("09:00", "daily", "Europe/Amsterdam")
    active = local(2026, 6, 1, 8, 0)
    [decision] = owed_slots(schedule, active, local(2026, 6, 1, 10, 59), GRACE)
    assert decision.post and decision.slot.key == ("2026-06-01", "09:00")
    [decision] = owed_slots(schedule, active, local(2026, 6, 1, 11, 0), GRACE)
    assert decision.post  # exactly at the edge still counts


def test_a_slot_beyond_the_grace_window_is_skipped():
    schedule = Schedule.parse("09:00", "daily", "Europe/Amsterdam")
    [decision] = owed_slots(schedule, local(2026, 6, 1, 8, 0), local(2026, 6, 1, 11, 1), GRACE)
    assert not decision.post


def test_after_a_long_outage_only_recent_slots_are_looked_at():
    schedule = Schedule.parse("09:00", "daily", "Europe/Amsterdam")
    decisions = owed_slots(schedule, local(2026, 6, 1, 8, 0), local(2026, 6, 20, 10, 0), GRACE)
    assert [(d.slot.local_date.day, d.post) for d in decisions] == [(19, False), (20, True)]


def test_slots_from_before_the_schedule_existed_are_not_owed():
    schedule = Schedule.parse("09:00", "daily", "Europe/Amsterdam")
    assert owed_slots(schedule, local(2026, 6, 1, 9, 5), local(2026, 6, 1, 9, 6), GRACE) == []


def test_zero_grace_posts_only_on_time():
    schedule = Schedule.parse("09:00", "daily", "Europe/Amsterdam")
    [on_time] = owed_slots(schedule, local(2026, 6, 1), local(2026, 6, 1, 9, 0), timedelta(0))
    [late] = owed_slots(schedule, local(2026, 6, 1), local(2026, 6, 1, 9, 1), timedelta(0))
    assert on_time.post and not late.post


# -- properties over many zones and dates ----------------------------------------------------

ZONES = ["Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "UTC"]


@given(
    zone=st.sampled_from(ZONES),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    days=st.frozensets(st.integers(0, 6), min_size=1),
    after=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)),
)
def test_next_slot_is_the_first_owed_slot_on_a_scheduled_day(zone, hour, minute, days, after):
    schedule = Schedule(time(hour, minute), days, parse_zone(zone))
    moment = after.replace(tzinfo=UTC)
    slot = schedule.next_slot(moment)
    assert slot.due > moment
    assert slot.due - moment <= timedelta(days=8)
    assert slot.local_date.weekday() in days
    wall = slot.due.astimezone(schedule.zone)
    assert wall.date() == slot.local_date or wall.time() < time(hour, minute)  # only across a gap
    assert wall.replace(tzinfo=None) >= datetime.combine(slot.local_date, time(hour, minute))
    assert list(schedule.slots_between(moment + timedelta(microseconds=1), slot.due - timedelta(microseconds=1))) == []
