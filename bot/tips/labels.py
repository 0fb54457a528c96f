"""Plain words for a tip schedule's days and for the reason a post failed, in the reader's
language: shared by tips-status in Discord and the dashboard's tips page, so both say the same."""

from __future__ import annotations

from bot.i18n import t
from bot.knowledge.model import Lang
from bot.tips.schedule import EVERY_DAY, WORKDAYS


def days_label(days: frozenset[int], lang: Lang) -> str:
    if days == EVERY_DAY:
        return t("tips_days_daily", lang)
    if days == WORKDAYS:
        return t("tips_days_workdays", lang)
    return ", ".join(t(f"tips_day_{day}", lang) for day in sorted(days))


def error_label(code: str, lang: Lang) -> str:
    if code in ("not_found", "forbidden", "no_tips"):
        return t(f"tips_error_{code}", lang)
    if code.startswith("schedule "):
        return t("tips_error_schedule", lang, detail=code.removeprefix("schedule "))
    return t("tips_error_other", lang, detail=code)
