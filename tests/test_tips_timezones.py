"""Time zone autocomplete for tips-set: IANA names only, typo tolerant, at most 25."""

from __future__ import annotations

import pytest

from bot.features.admin.tip_schedule import timezone_matches
from bot.tips.schedule import POPULAR_ZONES, parse_zone, zone_names


def test_an_empty_box_starts_with_amsterdam():
    choices = timezone_matches("")
    assert choices[0] == "Europe/Amsterdam"
    assert choices == [zone for zone in POPULAR_ZONES if zone in zone_names()]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("amsterdam", "Europe/Amsterdam"),
        ("Amsterdm", "Europe/Amsterdam"),
        ("europe/amst", "Europe/Amsterdam"),
        ("new york", "America/New_York"),
        ("paramaribo", "America/Paramaribo"),
        ("brusels", "Europe/Brussels"),
        ("utc", "UTC"),
    ],
)
def test_typed_names_and_typos_find_the_zone_first(typed, expected):
    assert timezone_matches(typed)[0] == expected


@pytest.mark.parametrize("typed", ["e", "america", "x" * 64, "🙂", "../"])
def test_never_more_than_25_and_every_choice_is_a_valid_zone(typed):
    choices = timezone_matches(typed)
    assert len(choices) <= 25
    assert len(set(choices)) == len(choices)
    for zone in choices:
        assert parse_zone(zone).key == zone
