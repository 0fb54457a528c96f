"""Content editing for moderators: reload, edit in a form, history, revert.

The cog's checks have already let only an editor in the home guild through; this panel turns
the core (bot/editing) into ephemeral replies. The embeds it shows are built in
edit_embeds.py; the edit form and the listener that handles its submit live in edit_form.py
(`register` and `on_edit_submit` are re-exported here for the cog and the tests).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.editing.diff import describe
from bot.editing.service import NothingChanged, UnknownRevision, UnknownTopic
from bot.features.admin.edit_embeds import history_embed, reload_embed, reload_failed_embed
from bot.features.admin.edit_form import EDIT_ID, edit_modal, editor_of, on_edit_submit, register, reply
from bot.features.admin.panel import PanelBase
from bot.features.common import NO_MENTIONS, quote_user_text, to_embed
from bot.i18n import t
from bot.knowledge.loader import ContentError
from bot.knowledge.model import Lang
from bot.limits import CHOICE_NAME_LIMIT
from bot.services import Services
from bot.text_fit import clip

if TYPE_CHECKING:
    from bot.app import CmoBot

__all__ = ["EDIT_ID", "HISTORY_SHOWN", "EditingPanel", "on_edit_submit", "register"]

log = logging.getLogger(__name__)

HISTORY_SHOWN = 50


class EditingPanel(PanelBase):
    def __init__(self, services: Services):
        super().__init__(services)
        self._editor = services.editor

    async def _editable_topic(self, interaction: discord.Interaction[CmoBot], value: str) -> str | None:
        """Only a topic id (what autocomplete sends) that has a file or was created on the
        dashboard: editing is precise work. For anything else the moderator is told so, and
        it is None."""
        topic_id = value.strip()
        store = self._services.store
        if topic_id in store.files.topics or store.current.topic(topic_id) is not None:
            return topic_id
        await self._unknown(interaction, value)
        return None

    async def _unknown(self, interaction: discord.Interaction[CmoBot], value: str) -> None:
        await reply(interaction, t("edit_unknown_topic", self._lang(interaction), value=quote_user_text(value, 100)))

    def _title(self, topic_id: str, lang: Lang) -> str:
        topic = self._services.store.current.topic(topic_id)
        return topic.title.get(lang) if topic is not None else topic_id

    async def reload(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = self._lang(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            report = await self._editor.reload()
        except ContentError as exc:
            log.warning("reload refused: %d content error(s)", len(exc.issues))
            embed = reload_failed_embed(exc, lang)
        else:
            log.info("content reloaded: +%d ~%d -%d", len(report.added), len(report.changed), len(report.removed))
            embed = reload_embed(report, lang)
        await interaction.edit_original_response(embed=to_embed(embed), allowed_mentions=NO_MENTIONS)

    async def edit(self, interaction: discord.Interaction[CmoBot], topic: str, language: str) -> None:
        lang = self._lang(interaction)
        topic_id = await self._editable_topic(interaction, topic)
        if topic_id is None:
            return
        edit_lang: Lang = "en" if language == "en" else "nl"
        try:
            form = await self._editor.form(topic_id, edit_lang)
        except UnknownTopic:
            await self._unknown(interaction, topic)
            return
        register(interaction.client)
        modal = edit_modal(self._title(topic_id, lang), topic_id, edit_lang, form.base, form.values, lang)
        await interaction.response.send_modal(modal)

    async def history(self, interaction: discord.Interaction[CmoBot], topic: str) -> None:
        lang = self._lang(interaction)
        topic_id = await self._editable_topic(interaction, topic)
        if topic_id is None:
            return
        repository = self._services.revisions
        revisions = await repository.history(topic_id, HISTORY_SHOWN)
        total = await repository.count(topic_id) if len(revisions) == HISTORY_SHOWN else len(revisions)
        embed = history_embed(self._title(topic_id, lang), revisions, total, lang)
        await interaction.response.send_message(embed=to_embed(embed), ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def revert(self, interaction: discord.Interaction[CmoBot], topic: str, revision: int) -> None:
        lang = self._lang(interaction)
        topic_id = await self._editable_topic(interaction, topic)
        if topic_id is None:
            return
        title = quote_user_text(self._title(topic_id, lang), 100)
        try:
            made = await self._editor.revert(topic_id, revision, editor_of(self._services, interaction))
        except UnknownRevision:
            await reply(interaction, t("edit_unknown_revision", lang, title=title, n=revision))
            return
        except NothingChanged:
            await reply(interaction, t("edit_revert_nothing", lang, title=title))
            return
        except UnknownTopic:
            await self._unknown(interaction, topic)
            return
        changes = describe(made.changes) or t("edit_no_changes", lang)
        key = "edit_reverted_file" if revision == 0 else "edit_reverted"
        log.info("topic %s reverted to %d: revision %d", topic_id, revision, made.n)
        await reply(interaction, t(key, lang, target=revision, title=title, n=made.n, changes=changes))

    def topic_choices(self, interaction: discord.Interaction[CmoBot], current: str) -> list[app_commands.Choice[str]]:
        lang = self._lang(interaction)
        return [
            app_commands.Choice(name=clip(title, CHOICE_NAME_LIMIT), value=topic_id)
            for topic_id, title in self._services.store.current.complete(current[:100], lang)
        ]
