"""/privacy (info, forget-me): the user's side of the question log.

Every reply is ephemeral: what is stored about someone is nobody else's business. Erasing
asks for a confirmation first; the confirm button carries no state and erases only the rows
of whoever clicks it, so a forwarded or replayed click can never erase someone else.

Old questions go by themselves: that is the retention job (bot/features/retention_job.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.features.common import NO_MENTIONS, interaction_lang, lang_of, to_embed
from bot.features.component_guards import guarded, rate_limited
from bot.features.cooldown import PRIVACY_RATE, PRIVACY_SECONDS, per_user_cooldown
from bot.features.views import Stateless, static_view
from bot.i18n import t
from bot.knowledge.model import Lang
from bot.services import reload_overlay
from bot.storage.erasure import count_user_data, erase_user_data
from bot.topic_embeds import COLOUR

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
    async def info(self, interaction: discord.Interaction[CmoBot]) -> None:
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
    async def forget_me(self, interaction: discord.Interaction[CmoBot]) -> None:
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


class _AnswerButton(Stateless, discord.ui.DynamicItem[discord.ui.Button], template=r"(?!)"):
    """One of the two answers to "erase?": no state, only its own custom id and style.
    Subclasses give their template and answer; this base is never registered."""

    button_id: ClassVar[str]
    style: ClassVar[discord.ButtonStyle]

    def __init__(self, label: str | None = None):
        super().__init__(discord.ui.Button(style=self.style, label=label, custom_id=self.button_id))

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        message = await self.answer(interaction, lang_of(interaction))
        await interaction.response.edit_message(content=message, view=static_view(), allowed_mentions=NO_MENTIONS)

    async def answer(self, interaction: discord.Interaction[CmoBot], lang: Lang) -> str:
        raise NotImplementedError


class EraseButton(_AnswerButton, template=r"cmo:privacy:erase"):
    button_id, style = "cmo:privacy:erase", discord.ButtonStyle.danger

    async def answer(self, interaction: discord.Interaction[CmoBot], lang: Lang) -> str:
        services = interaction.client.services
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
        return message


class CancelEraseButton(_AnswerButton, template=r"cmo:privacy:cancel"):
    button_id, style = "cmo:privacy:cancel", discord.ButtonStyle.secondary

    async def answer(self, interaction: discord.Interaction[CmoBot], lang: Lang) -> str:
        return t("privacy_cancelled", lang)


DYNAMIC_ITEMS = (EraseButton, CancelEraseButton)


async def setup(bot: CmoBot) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(PrivacyCog(bot))
