"""The one place that shortens text: clipping with an ellipsis, packing whole lines."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.storage.timestamps import from_utc_iso, to_utc_iso
from bot.text_fit import clip, pack_lines


def test_clip_keeps_what_fits_and_ends_what_does_not_with_an_ellipsis():
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab…"
    assert clip("ab   cd", 4) == "ab…"  # no space left before the ellipsis
    assert len(clip("x" * 5000, 4096)) == 4096


def test_pack_lines_keeps_whole_lines_within_the_limit():
    lines = ["aaaa", "bbbb", "cccc"]
    assert pack_lines(lines, 14) == lines  # 4 + 1 + 4 + 1 + 4
    assert pack_lines(lines, 13) == ["aaaa", "bbbb"]
    assert pack_lines(lines, 3) == []


def test_pack_lines_counts_what_it_left_out_and_keeps_room_for_that():
    def more(n: int) -> str:
        return f"+{n}"

    lines = ["aaaa", "bbbb", "cccc"]
    assert pack_lines(lines, 14, more) == lines
    packed = pack_lines(lines, 12, more)
    assert packed == ["aaaa", "bbbb", "+1"] and len("\n".join(packed)) <= 12
    # Lines beyond those given (a page of a longer list) count as left out.
    assert pack_lines(lines, 100, more, total=5) == [*lines, "+2"]


def test_stored_times_read_back_as_aware_utc():
    moment = datetime(2026, 11, 24, 18, 6, 25, 123000, tzinfo=UTC)
    assert from_utc_iso(to_utc_iso(moment)) == moment
    assert from_utc_iso("2026-11-24T18:06:25").tzinfo is not None
