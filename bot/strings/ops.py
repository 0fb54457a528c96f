"""User-facing strings of the ops feature, in Dutch and English (merged into bot.i18n)."""

from __future__ import annotations

from bot.knowledge.model import Lang

STRINGS: dict[str, dict[Lang, str]] = {}
