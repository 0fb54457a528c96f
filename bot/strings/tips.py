"""User-facing strings of the tips feature, in Dutch and English (merged into bot.i18n)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
