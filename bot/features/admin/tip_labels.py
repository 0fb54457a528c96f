"""Plain words for a tip schedule: its days, its next or last moment (local time and UTC),
the one-line summary, and the reason the last post failed. The plain-text labels the web
dashboard shows too live in bot/tips/labels.py."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.i18n import t
from bot.knowledge.model import Lang
from bot.storage.tip_schedules import StoredSchedule
from bot.tips.labels import days_label, error_label
from bot.tips.schedule import Schedule

__all__ = ["days_label", "error_label", "schedule_label", "when_label"]


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
