"""/cmo-admin tips-*: set up, inspect, preview and stop the scheduled tips of a guild.

The scheduling itself lives in bot/tips (no Discord) and bot/features/tip_scheduler.py (the
posting task); this panel validates what a moderator typed, stores it, wakes the scheduler
and explains in plain words when the next tip will come, in local time and in UTC.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from rapidfuzz import fuzz, process

from bot.features.admin.panel import PanelBase
from bot.features.admin.tip_labels import error_label, schedule_label, when_label
from bot.features.common import NO_MENTIONS, quote_user_text, to_embed
from bot.features.messages import tip_message
from bot.features.tip_scheduler import SCHEDULE_CHANGED_EVENT
from bot.i18n import t
from bot.knowledge.model import Lang, as_lang
from bot.limits import AUTOCOMPLETE_LIMIT, FIELD_VALUE_LIMIT
from bot.services import Services
from bot.text_fit import clip
from bot.tips.schedule import POPULAR_ZONES, Schedule, ScheduleError, zone_names
from bot.tips.status import tip_status
from bot.topic_embeds import COLOUR, GREY

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

TEXT_CHANNEL_TYPES = (discord.ChannelType.text, discord.ChannelType.news)


class TipChannel(app_commands.Transformer):
    """The tips-set channel option: Discord's picker offers text and announcement channels
    only (``channel_types`` on the option). The value stays the AppCommandChannel Discord
    sent, since the bot keeps no guild cache; ``TipSchedulePanel.set`` still refuses any
    other type with a clear message (a client may send what an older registration allowed)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return list(TEXT_CHANNEL_TYPES)

    async def transform(self, interaction: discord.Interaction[CmoBot], value: object, /) -> object:
        return value


PERMISSION_LOOKUP_SECONDS = 10
NEEDED_PERMISSIONS = (
    ("view_channel", "tips_perm_view"),
    ("send_messages", "tips_perm_send"),
    ("embed_links", "tips_perm_embed"),
)


def timezone_matches(current: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[str]:
    """Zone names for what was typed: exact, then prefix (of the name or its city), then
    substring, then close spellings ('amsterdm', 'new york'). Popular zones for an empty box."""
    zones = zone_names()
    query = current.strip().replace(" ", "_").casefold()
    if not query:
        return [zone for zone in POPULAR_ZONES if zone in zones][:limit]
    folded = [(zone, zone.casefold()) for zone in zones]
    ranked: list[str] = [zone for zone, key in folded if key == query]
    ranked += [zone for zone, key in folded if key.startswith(query) or key.rsplit("/", 1)[-1].startswith(query)]
    ranked += [zone for zone, key in folded if query in key]
    fuzzy = process.extract(
        query.replace("_", " "),
        [key.replace("_", " ") for _, key in folded],
        scorer=fuzz.WRatio,
        limit=limit,
        score_cutoff=70,
    )
    ranked += [zones[index] for _, _, index in fuzzy]
    return list(dict.fromkeys(ranked))[:limit]


class TipSchedulePanel(PanelBase):
    def __init__(self, services: Services, bot: discord.Client):
        super().__init__(services)
        self._bot = bot
        self._repo = services.tip_schedules
        self._planner = services.planner

    async def set(
        self,
        interaction: discord.Interaction[CmoBot],
        channel: app_commands.AppCommandChannel,
        time: str,
        days: str,
        timezone: str,
        language: str,
    ) -> None:
        lang = self._lang(interaction)
        guild_id = interaction.guild_id or channel.guild_id
        if channel.type not in TEXT_CHANNEL_TYPES:
            await _reply(interaction, t("tips_invalid_channel", lang, channel=channel.mention))
            return
        try:
            schedule = Schedule.parse(time, days, timezone)
        except ScheduleError as exc:
            log.info("tips-set refused in guild %s: invalid %s", guild_id, exc.code)
            await _reply(interaction, t(f"tips_invalid_{exc.code}", lang, value=quote_user_text(exc.value, 64)))
            return
        permissions = await self._bot_permissions(interaction, channel)
        now = self._services.clock.now()
        post_lang = "en" if language == "en" else "nl"
        await self._repo.save(guild_id, channel.id, *schedule.as_stored(), post_lang, now)
        self._bot.dispatch(SCHEDULE_CHANGED_EVENT, guild_id)
        stored = await self._repo.get(guild_id)
        assert stored is not None
        log.info(
            "tips set: guild=%s channel=%s time=%s days=%s zone=%s lang=%s",
            stored.guild_id, stored.channel_id, stored.local_time, stored.days, stored.timezone, stored.lang,
        )  # fmt: skip
        lines = [
            t(
                "tips_set_done",
                lang,
                schedule=schedule_label(stored, schedule, lang),
                next=when_label(schedule.next_slot(now).due, schedule, lang),
            )
        ]
        if permissions is None:
            lines.append(t("tips_perm_unknown", lang, channel=channel.mention))
        else:
            missing = [t(key, lang) for name, key in NEEDED_PERMISSIONS if not getattr(permissions, name)]
            if missing:
                log.info("tips set in guild %s on channel %s without %s", stored.guild_id, channel.id, missing)
                lines.append(t("tips_perm_missing", lang, channel=channel.mention, permissions=", ".join(missing)))
        await _reply(interaction, "\n\n".join(lines))

    async def _bot_permissions(
        self, interaction: discord.Interaction[CmoBot], channel: app_commands.AppCommandChannel
    ) -> discord.Permissions | None:
        """The bot's permissions in `channel`, or None when they cannot be known.

        The bot keeps no guild cache (no gateway intents), so `channel.permissions_for(me)`
        has nothing to work from. For the channel the command is used in, Discord sends the
        answer with the interaction: `app_permissions`, fresh, overwrites included. For
        another channel the same computation is done from three REST reads (the guild's
        roles, the bot's own member, the channel's overwrites; none needs a privileged
        intent), deferred first because they may take longer than the 3 s reply window. If
        any read fails the schedule is still saved with a note: a failed post shows up in
        tips-status, with the reason.
        """
        if channel.id == interaction.channel_id:
            return interaction.app_permissions
        if self._bot.user is None:
            return None
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            async with asyncio.timeout(PERMISSION_LOOKUP_SECONDS):
                guild = await self._bot.fetch_guild(channel.guild_id, with_counts=False)
                me = await guild.fetch_member(self._bot.user.id)
                full = await guild.fetch_channel(channel.id)
        except (discord.HTTPException, TimeoutError) as exc:
            log.info("could not compute the bot's permissions in channel %s: %r", channel.id, exc)
            return None
        return full.permissions_for(me)

    async def off(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = self._lang(interaction)
        guild_id = interaction.guild_id or 0
        stopped = await self._repo.disable(guild_id, self._services.clock.now())
        if stopped:
            log.info("tips off: guild=%s", guild_id)
            self._bot.dispatch(SCHEDULE_CHANGED_EVENT, guild_id)
        await _reply(interaction, t("tips_off_done" if stopped else "tips_off_none", lang))

    async def status(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = self._lang(interaction)
        status = await tip_status(self._repo, interaction.guild_id or 0, self._services.clock.now())
        if status is None:
            await _reply(interaction, t("tips_status_none", lang))
            return
        stored, schedule = status.stored, status.schedule
        fields: list[tuple[str, str]] = []
        line = schedule_label(stored, schedule, lang) if schedule else f"{stored.local_time} {stored.timezone}"
        if not stored.enabled:
            line = f"**{t('tips_status_off', lang)}** — {line}"
        fields.append((t("tips_field_schedule", lang), line))
        if status.next_due is not None and schedule is not None:
            fields.append((t("tips_field_next", lang), when_label(status.next_due, schedule, lang)))
        last = status.last
        last_text = t("tips_none_yet", lang)
        if last is not None:
            when = when_label(last.posted_at, schedule, lang) if schedule else f"{last.posted_at:%Y-%m-%d %H:%M} UTC"
            last_text = t("tips_last_line", lang, tip=last.tip_id, channel=f"<#{last.channel_id}>", when=when)
        fields.append((t("tips_field_last", lang), last_text))
        error_text = t("tips_no_error", lang)
        if stored.last_error:
            at = stored.last_error_at
            when = f"{at:%Y-%m-%d %H:%M} UTC" if at else "?"
            error_text = t("tips_error_at", lang, error=error_label(stored.last_error, lang), when=when)
        fields.append((t("tips_field_error", lang), error_text))
        embed = {
            "title": t("tips_status_title", lang),
            "color": COLOUR if stored.enabled else GREY,
            "fields": [
                {"name": name, "value": clip(value, FIELD_VALUE_LIMIT), "inline": False} for name, value in fields
            ],
        }
        await _reply(interaction, embed=to_embed(embed))

    async def preview(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = self._lang(interaction)
        guild_id = interaction.guild_id or 0
        stored = await self._repo.get(guild_id)
        post_lang: Lang = as_lang(stored.lang) if stored is not None else lang
        picked = await self._planner.next_pick(guild_id)
        if picked is None:
            await _reply(interaction, t("tips_error_no_tips", lang))
            return
        embed, view = tip_message(picked[1], self._services.store.current, post_lang)
        intro = t("tips_preview_intro", lang, language=t(f"tips_lang_{post_lang}", lang))
        await _reply(interaction, intro, embed=embed, view=view)

    def timezone_choices(self, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=zone, value=zone) for zone in timezone_matches(current)]


async def _reply(
    interaction: discord.Interaction[CmoBot],
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Ephemeral, whether or not the interaction was already answered (a slow REST lookup)."""
    kwargs: dict = {"ephemeral": True, "allowed_mentions": NO_MENTIONS}
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(content, **kwargs)
    else:
        await interaction.response.send_message(content, **kwargs)
