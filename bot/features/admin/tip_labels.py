"""Plain words for a tip schedule: its days, its next or last moment (local time and UTC),
the one-line summary, and the reason the last post failed."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.i18n import t
from bot.knowledge.model import Lang
from bot.storage.tip_schedules import StoredSchedule
from bot.tips.schedule import EVERY_DAY, WORKDAYS, Schedule


def days_label(days: frozenset[int], lang: Lang) -> str:
    if days == EVERY_DAY:
        return t("tips_days_daily", lang)
    if days == WORKDAYS:
        return t("tips_days_workdays", lang)
    return ", ".join(t(f"tips_day_{day}", lang) for day in sorted(days))


def when_label(moment: datetime, schedule: Schedule, lang: Lang) -> str:
    local = moment.astimezone(schedule.zone)
    return t(
        "tips_when",
        lang,
        local=f"{t(f'tips_day_{local.weekday()}', lang)} {local:%Y-%m-%d %H:%M}",
        zone=schedule.zone.key,
        utc=f"{moment:%Y-%m-%d %H:%M}",
        relative=discord.utils.format_dt(moment, "R"),
    )


def schedule_label(stored: StoredSchedule, schedule: Schedule, lang: Lang) -> str:
    return t(
        "tips_schedule_line",
        lang,
        days=days_label(schedule.days, lang),
        time=stored.local_time,
        zone=stored.timezone,
        channel=f"<#{stored.channel_id}>",
        language=t(f"tips_lang_{stored.lang}", lang),
    )


def error_label(code: str, lang: Lang) -> str:
    if code in ("not_found", "forbidden", "no_tips"):
        return t(f"tips_error_{code}", lang)
    if code.startswith("schedule "):
        return t("tips_error_schedule", lang, detail=code.removeprefix("schedule "))
    return t("tips_error_other", lang, detail=code)
