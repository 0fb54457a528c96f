"""A tip schedule and its slots: which local minutes, on which days, in which zone.

A slot is identified by its *local* date and time, not by a UTC instant. That is what makes
the days the clocks change come out right: on the spring-forward day a nonexistent 02:30 is
still one slot (due at the first minute that exists, 03:00), and on the fall-back day the
repeated 02:30 is still one slot (due at its first occurrence), so it can be claimed once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))

# English and Dutch abbreviations (and full names), so "ma,wo,vr" works as well as "mon,wed,fri".
_DAY_ALIASES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "ma", "maandag"),
        ("tue", "tues", "tuesday", "di", "dinsdag"),
        ("wed", "wednesday", "wo", "woensdag"),
        ("thu", "thur", "thurs", "thursday", "do", "donderdag"),
        ("fri", "friday", "vr", "vrijdag"),
        ("sat", "saturday", "za", "zaterdag"),
        ("sun", "sunday", "zo", "zondag"),
    )
):
    for _name in _names:
        _DAY_ALIASES[_name] = _index

_DAILY = {"daily", "dagelijks", "every day", "elke dag", "all", "alle"}
_WORKDAY_WORDS = {"weekdays", "workdays", "werkdagen", "doordeweeks"}
_TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


DEFAULT_ZONE = "Europe/Amsterdam"
# Shown for an empty box: where Dutch-speaking teams are, then the usual neighbours.
POPULAR_ZONES = (
    DEFAULT_ZONE,
    "Europe/Brussels",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "UTC",
    "America/Paramaribo",
    "America/Curacao",
    "America/Aruba",
    "America/Kralendijk",
    "America/New_York",
    "Asia/Singapore",
)


class ScheduleError(ValueError):
    """Input a moderator typed that is not a valid schedule; `code` picks the localised message."""

    def __init__(self, code: str, value: str):
        super().__init__(f"{code}: {value!r}")
        self.code = code
        self.value = value


def parse_time(text: str) -> time:
    """'09:00', '9:00', '9.00' or '9h00' -> 09:00."""
    match = _TIME.match(text)
    if match is None:
        raise ScheduleError("time", text)
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ScheduleError("time", text)
    return time(hour, minute)


def parse_days(text: str) -> frozenset[int]:
    """'mon-fri', 'daily', 'mon,wed,fri', ranges like 'ma-do', in English or Dutch.

    Returns weekday numbers (Monday 0). An empty text means the default, working days.
    """
    cleaned = text.strip().lower()
    if not cleaned:
        return WORKDAYS
    if cleaned in _DAILY:
        return EVERY_DAY
    if cleaned in _WORKDAY_WORDS:
        return WORKDAYS
    days: set[int] = set()
    for part in re.split(r"[,;\s]+", cleaned):
        if not part:
            continue
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = _day(first, text), _day(last, text)
            days.update((start + step) % 7 for step in range((end - start) % 7 + 1))
        else:
            days.add(_day(part, text))
    if not days:
        raise ScheduleError("days", text)
    return frozenset(days)


def _day(name: str, original: str) -> int:
    day = _DAY_ALIASES.get(name.strip().rstrip("."))
    if day is None:
        raise ScheduleError("days", original)
    return day


def days_spec(days: frozenset[int]) -> str:
    """The canonical stored form: 'mon,tue,wed,thu,fri'."""
    return ",".join(DAY_NAMES[day] for day in sorted(days))


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this system knows (read once, on first use, not at import)."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


@functools.cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zone_names()}


def parse_zone(name: str) -> ZoneInfo:
    """An IANA zone by name, case and spaces forgiven ('europe/amsterdam', 'America/New York');
    only names in the zone list are accepted, so no path ever reaches the file system."""
    canonical = _zones_by_folded_name().get(name.strip().replace(" ", "_").casefold())
    if canonical is None:
        raise ScheduleError("timezone", name)
    try:
        return ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError("timezone", name) from None


@dataclass(frozen=True, slots=True)
class Slot:
    """One local minute on one local date, and the UTC instant it is due."""

    local_date: date
    local_time: time
    due: datetime

    @property
    def key(self) -> tuple[str, str]:
        return self.local_date.isoformat(), self.local_time.strftime("%H:%M")


@dataclass(frozen=True, slots=True)
class Schedule:
    local_time: time
    days: frozenset[int]
    zone: ZoneInfo

    @classmethod
    def parse(cls, time_text: str, days_text: str, zone_name: str) -> Schedule:
        return cls(parse_time(time_text), parse_days(days_text), parse_zone(zone_name))

    def as_stored(self) -> tuple[str, str, str]:
        """(local time, days, zone) as the tip_schedules table keeps them, and parse reads back."""
        return self.local_time.strftime("%H:%M"), days_spec(self.days), self.zone.key

    def slot_on(self, day: date) -> Slot:
        return Slot(day, self.local_time, due_instant(day, self.local_time, self.zone))

    def slots_between(self, start: datetime, end: datetime) -> Iterator[Slot]:
        """Slots due in [start, end], in order."""
        first = start.astimezone(self.zone).date() - timedelta(days=1)
        last = end.astimezone(self.zone).date() + timedelta(days=1)
        day = first
        while day <= last:
            if day.weekday() in self.days:
                slot = self.slot_on(day)
                if start <= slot.due <= end:
                    yield slot
            day += timedelta(days=1)

    def next_slot(self, after: datetime) -> Slot:
        """The first slot due strictly after `after`."""
        day = after.astimezone(self.zone).date() - timedelta(days=1)
        for _ in range(10):
            if day.weekday() in self.days:
                slot = self.slot_on(day)
                if slot.due > after:
                    return slot
            day += timedelta(days=1)
        raise AssertionError("a schedule with at least one day has a slot within a week")


def due_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local `day` `at` in `zone`.

    A repeated local time (fall back) is taken at its first occurrence (fold=0). A local
    time that does not exist (spring forward) is moved to the first minute that does, which
    is the moment of the transition itself (02:30 on a 02:00->03:00 day is due at 03:00).
    """
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall(first, zone) == wall:
        return first
    # Nonexistent: fold=1 maps it before the gap, fold=0 after it; the first minute whose
    # wall clock reads at or past `wall` is where the gap ends.
    candidate = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = min(candidate, first), max(candidate, first)
    low = low.replace(second=0, microsecond=0)
    while low < high and _wall(low, zone) < wall:
        low += timedelta(minutes=1)
    return low


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class Decision:
    """What a pass owes for one slot: post it now, or skip it because it is too late."""

    slot: Slot
    post: bool


def owed_slots(schedule: Schedule, active_from: datetime, now: datetime, grace: timedelta) -> list[Decision]:
    """Slots due by `now` that are owed since the schedule became active: each is posted if
    it is at most `grace` late, otherwise skipped. Slots further back than a day beyond the
    grace window are not looked at at all (after a long outage only the recent ones are
    reported). The caller drops the ones already claimed."""
    start = max(active_from, now - grace - timedelta(days=1))
    return [Decision(slot, now - slot.due <= grace) for slot in schedule.slots_between(start, now)]
