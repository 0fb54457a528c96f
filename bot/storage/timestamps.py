"""One text format for every stored time, so that text order is time order.

SQLite has no datetime type; we store ISO-8601 UTC with exactly three fractional digits and a
``Z`` (``2026-11-24T18:06:25.123Z``). Fixed width means ``asked_at < ?`` compares correctly as
text and can use the index.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

log = logging.getLogger(__name__)


def to_utc_iso(moment: datetime) -> str:
    """Format an aware datetime in the stored format.

    Naive datetimes are refused: guessing their zone is how retention deletes the wrong hour.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required, got a naive one")
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def from_utc_iso(stored: str) -> datetime:
    """A stored time back as an aware datetime in UTC. Stored times carry their ``Z``; one
    without a zone (written by hand) is read as UTC, never as the host's local time."""
    moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_now_iso() -> str:
    """The current time in the stored format."""
    return to_utc_iso(datetime.now(UTC))
