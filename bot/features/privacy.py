"""/privacy (info, forget-me): the user's side of the question log.

Every reply is ephemeral: what is stored about someone is nobody else's business. Erasing
asks for a confirmation first; the confirm button carries no state and erases only the rows
of whoever clicks it, so a forwarded or replayed click can never erase someone else.

Old questions go by themselves: that is the retention job (bot/features/retention_job.py).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.features.common import NO_MENTIONS, interaction_lang, services_of, to_embed
from bot.features.components import guarded, rate_limited, static_view
from bot.features.cooldown import PRIVACY_RATE, PRIVACY_SECONDS, per_user_cooldown
from bot.i18n import t
from bot.render import COLOUR
from bot.services import reload_overlay
from bot.storage.erasure import count_user_data, erase_user_data

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)


class PrivacyCog(
    commands.GroupCog, group_name="privacy", group_description="What cmo-bot stores about you, and erasing it"
):
    def __init__(self, bot: CmoBot):
        self.services = bot.services
        super().__init__()

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
                    "value": t(
                        "privacy_info_yours", lang, questions=yours.questions, ratings=yours.ratings, edits=yours.edits
                    ),
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
                    await reload_overlay(services.store, services.db)
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
