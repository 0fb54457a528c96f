"""/privacy (info, forget-me) and the retention job: the user's side of the question log.

Every reply is ephemeral: what is stored about someone is nobody else's business. Erasing
asks for a confirmation first; the confirm button carries no state and erases only the rows
of whoever clicks it, so a forwarded or replayed click can never erase someone else.

The retention job deletes old questions once at start and then once a day, sleeping on the
injected clock so tests can move time instead of waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock
from bot.features.common import NO_MENTIONS, interaction_lang, services_of, to_embed
from bot.features.components import guarded, rate_limited, static_view
from bot.features.cooldown import PRIVACY_RATE, PRIVACY_SECONDS, per_user_cooldown
from bot.i18n import t
from bot.insights.retention import apply_retention
from bot.render import COLOUR
from bot.storage.erasure import count_user_data, erase_user_data
from bot.storage.questions import QuestionRepository

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

RETENTION_INTERVAL = timedelta(days=1)


class RetentionJob:
    """Deletes expired questions now and every `interval` after; a failed run is logged and
    retried at the next one (the rows are still there, nothing is lost by waiting a day)."""

    def __init__(
        self, questions: QuestionRepository, clock: Clock, retention_days: int, interval: timedelta = RETENTION_INTERVAL
    ):
        self._questions = questions
        self._clock = clock
        self._days = retention_days
        self._interval = interval
        self._task: asyncio.Task[None] | None = None
        self.runs = 0
        self.ran = asyncio.Event()  # set after every run (tests clear it and wait)

    async def run_once(self) -> int:
        return await apply_retention(self._questions, self._clock.now(), self._days)

    async def _run_forever(self) -> None:
        while True:
            started = self._clock.now()
            try:
                await self.run_once()
            except Exception:
                log.exception("retention run failed; retrying at the next one")
            self.runs += 1
            self.ran.set()
            await self._clock.sleep_until(started + self._interval)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run_forever(), name="cmo-retention")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


class PrivacyCog(
    commands.GroupCog, group_name="privacy", group_description="What cmo-bot stores about you, and erasing it"
):
    def __init__(self, bot: CmoBot):
        self.services = bot.services
        settings = self.services.settings
        self.retention = RetentionJob(self.services.questions, self.services.clock, settings.retention_days)
        super().__init__()

    async def cog_load(self) -> None:
        # Learned aliases into the live snapshot. Services.open is the better home for this;
        # doing it here too is harmless (the same overlay is built again).
        await self.services.loop.refresh()
        self.retention.start()

    async def cog_unload(self) -> None:
        await self.retention.stop()

    @app_commands.command(name="info", description="What is stored, why and for how long")
    @per_user_cooldown(PRIVACY_RATE, PRIVACY_SECONDS)
    async def info(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction, self.services.settings.default_lang)
        days = self.services.settings.retention_days
        user_hash = self.services.hasher.hash(interaction.user.id)
        yours = await count_user_data(self.services.db, self.services.writer, user_hash)
        embed = {
            "title": t("privacy_info_title", lang),
            "color": COLOUR,
            "fields": [
                {"name": t("privacy_info_what_name", lang), "value": t("privacy_info_what", lang)},
                {"name": t("privacy_info_why_name", lang), "value": t("privacy_info_why", lang)},
                {"name": t("privacy_info_how_long_name", lang), "value": t("privacy_info_how_long", lang, days=days)},
                {"name": t("privacy_info_erase_name", lang), "value": t("privacy_info_erase", lang)},
                {
                    "name": t("privacy_info_yours_name", lang),
                    "value": t("privacy_info_yours", lang, questions=yours.questions, ratings=yours.ratings,
                               edits=yours.edits),
                },
            ],
        }
        await interaction.response.send_message(embed=to_embed(embed), ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="forget-me", description="Erase the questions and ratings stored for you")
    @per_user_cooldown(PRIVACY_RATE, PRIVACY_SECONDS)
    async def forget_me(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction, self.services.settings.default_lang)
        user_hash = self.services.hasher.hash(interaction.user.id)
        stored = await count_user_data(self.services.db, self.services.writer, user_hash)
        if stored.empty:
            await interaction.response.send_message(
                t("privacy_forget_nothing", lang), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        view = static_view(
            EraseButton(t("privacy_confirm_button", lang)), CancelEraseButton(t("privacy_cancel_button", lang))
        )
        await interaction.response.send_message(
            t("privacy_forget_count", lang, questions=stored.questions, ratings=stored.ratings, edits=stored.edits),
            view=view,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )


class EraseButton(discord.ui.DynamicItem[discord.ui.Button], template=r"cmo:privacy:erase"):
    def __init__(self, label: str | None = None):
        super().__init__(
            discord.ui.Button(style=discord.ButtonStyle.danger, label=label, custom_id="cmo:privacy:erase")
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str]) -> EraseButton:
        return cls()

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction) -> None:
        services = services_of(interaction)
        lang = interaction_lang(interaction, services.settings.default_lang)
        user_hash = services.hasher.hash(interaction.user.id)
        try:
            erased = await erase_user_data(services.db, services.questions, services.writer, user_hash)
            message = t("privacy_erased", lang, questions=erased.questions, ratings=erased.ratings, edits=erased.edits)
            if erased.aliases:
                message += " " + t("privacy_erased_aliases", lang, aliases=erased.aliases)
        except Exception:
            log.exception("erasure on request failed")
            message = t("privacy_erase_failed", lang)
        else:
            if erased.aliases:  # the erased aliases leave the live content (and content export) too
                try:
                    await services.loop.refresh()
                except Exception:
                    log.exception("learned aliases were erased but the live content could not be rebuilt")
        await interaction.response.edit_message(content=message, view=static_view(), allowed_mentions=NO_MENTIONS)


class CancelEraseButton(discord.ui.DynamicItem[discord.ui.Button], template=r"cmo:privacy:cancel"):
    def __init__(self, label: str | None = None):
        super().__init__(
            discord.ui.Button(style=discord.ButtonStyle.secondary, label=label, custom_id="cmo:privacy:cancel")
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: Any, match: re.Match[str]
    ) -> CancelEraseButton:
        return cls()

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction, services_of(interaction).settings.default_lang)
        await interaction.response.edit_message(
            content=t("privacy_cancelled", lang), view=static_view(), allowed_mentions=NO_MENTIONS
        )


DYNAMIC_ITEMS = (EraseButton, CancelEraseButton)


async def setup(bot: CmoBot) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(PrivacyCog(bot))
