"""Content editing for moderators: reload, edit in a form, history, revert.

The cog's checks have already let only an editor in the home guild through; this panel turns
the core (bot/editing) into ephemeral replies. The edit form is a modal whose custom id holds
everything the submit needs (`cmo:edit:<topic>:<lang>:<base revision>`), so the submit is
handled by an `on_interaction` listener rather than by a Modal object kept in memory: it then
works after a restart too, once `register(bot)` runs at setup.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import escape_markdown

from bot.editing.diff import describe
from bot.editing.form import INPUT_LIMITS, REASON_MAX, EditRejected
from bot.editing.reload import ReloadReport
from bot.editing.service import Editor, NothingChanged, UnknownRevision, UnknownTopic
from bot.features.admin.permissions import ensure_home_guild, ensure_moderator
from bot.features.common import NO_MENTIONS, interaction_lang, quote_user_text, services_of, to_embed
from bot.features.error_reply import reply_error
from bot.i18n import t
from bot.knowledge.loader import ContentError, ContentIssue
from bot.knowledge.model import Lang
from bot.limits import (
    CHOICE_NAME_LIMIT,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    MODAL_TITLE_LIMIT,
    TITLE_LIMIT,
)
from bot.render import COLOUR, GREY
from bot.services import Services
from bot.storage.revisions import Revision
from bot.storage.timestamps import from_utc_iso
from bot.text_fit import clip, pack_lines

log = logging.getLogger(__name__)

DYNAMIC_ITEMS: tuple = ()

EDIT_ID = re.compile(r"cmo:edit:(?P<topic>[a-z0-9-]{1,64}):(?P<lang>nl|en):(?P<base>\d{1,9})")
HISTORY_SHOWN = 50
ERROR_COLOUR = 0xC0392B


def _who(services: Services, interaction: discord.Interaction) -> Editor:
    return Editor(services.asking.user_hash(interaction.user.id), interaction.user.display_name)


def _lines_within(lines: Sequence[str], limit: int, more_key: str, lang: Lang, head: str = "") -> str:
    """`head` plus as many lines as fit in `limit`, then a count of the lines left out."""
    def more(count: int) -> str:
        return t(more_key, lang, count=count)

    if not head:
        return "\n".join(pack_lines(lines, limit, more))
    return "\n".join([head, *pack_lines(lines, limit - len(head) - 1, more)])


def _issue_lines(issues: Sequence[ContentIssue]) -> list[str]:
    return [f"• {escape_markdown(clip(str(issue), 300))}" for issue in issues]


def _ids(topic_ids: Sequence[str]) -> str:
    return clip(", ".join(topic_ids), FIELD_VALUE_LIMIT)


def _reload_embed(report: ReloadReport, lang: Lang) -> dict[str, Any]:
    description = t("edit_reload_summary", lang, topics=report.topics, tips=report.tips)
    if report.unchanged:
        description += "\n" + t("edit_reload_unchanged", lang)
    fields = [
        {"name": t(key, lang, count=len(ids)), "value": _ids(ids), "inline": False}
        for key, ids in (
            ("edit_reload_added", report.added),
            ("edit_reload_changed", report.changed),
            ("edit_reload_removed", report.removed),
        )
        if ids
    ]
    if report.shadowed:
        fields.append(
            {
                "name": t("edit_reload_shadowed", lang, count=len(report.shadowed)),
                "value": clip(
                    t("edit_reload_shadowed_hint", lang) + "\n" + ", ".join(report.shadowed), FIELD_VALUE_LIMIT
                ),
                "inline": False,
            }
        )
    return {"title": t("edit_reload_title", lang), "description": description, "color": COLOUR, "fields": fields}


def _reload_failed_embed(error: ContentError, lang: Lang) -> dict[str, Any]:
    head = t("edit_reload_failed", lang, count=len(error.issues))
    return {
        "title": t("edit_reload_failed_title", lang),
        "description": _lines_within(
            _issue_lines(error.issues), DESCRIPTION_LIMIT, "edit_more_issues", lang, head + "\n"
        ),
        "color": ERROR_COLOUR,
    }


def _timestamp(stored: str) -> str:
    """A stored UTC time as a Discord timestamp: every reader sees it in their own zone."""
    return f"<t:{int(from_utc_iso(stored).timestamp())}:f>"


def _history_line(revision: Revision, lang: Lang, live: bool) -> str:
    if revision.action == "revert":
        action = t("edit_history_revert", lang, target=revision.reverted_to)
    else:
        action = t("edit_history_edit", lang, language=revision.lang)
    who = quote_user_text(revision.editor_name, 100) if revision.editor_name else t("edit_history_unknown_editor", lang)
    marker = f" · **{t('edit_history_live', lang)}**" if live else ""
    changes = (
        t("edit_history_changed", lang, changes=describe(revision.changes))
        if revision.changes
        else t("edit_history_no_change", lang)
    )
    line = f"**{revision.n}** · {_timestamp(revision.created_at)} · {who} · {action}{marker}\n{changes}"
    if revision.reason:
        line += f"\n> {quote_user_text(revision.reason, 300)}"
    return line


def _history_embed(title: str, revisions: list[Revision], total: int, lang: Lang) -> dict[str, Any]:
    """Newest first, as many revisions as fit, then how many older ones are not shown, then 0."""
    live = f" · **{t('edit_history_live', lang)}**"
    file_line = f"**0** · {t('edit_history_file', lang)}" + (live if not revisions or revisions[0].follows_file else "")
    if not revisions:
        description = t("edit_history_empty", lang)
    else:
        lines = pack_lines(
            [_history_line(revision, lang, live=index == 0) for index, revision in enumerate(revisions)],
            DESCRIPTION_LIMIT - len(file_line) - 1,
            lambda count: t("edit_history_more", lang, count=count),
            total=total,
        )
        description = "\n".join([*lines, file_line])
    return {
        "title": clip(t("edit_history_title", lang, title=title), TITLE_LIMIT),
        "description": description,
        "color": GREY,
        "footer": {"text": t("edit_history_footer", lang)},
    }


def _edit_modal(topic_title: str, topic_id: str, edit_lang: Lang, base: int, values: Mapping[str, str], lang: Lang):
    modal = discord.ui.Modal(
        title=clip(t("edit_modal_title", lang, title=topic_title), MODAL_TITLE_LIMIT),
        custom_id=f"cmo:edit:{topic_id}:{edit_lang}:{base}",
        timeout=None,
    )
    paragraph, short = discord.TextStyle.paragraph, discord.TextStyle.short
    for field, style, required in (
        ("title", short, True),
        ("summary", paragraph, True),
        ("body", paragraph, True),
        ("aliases", paragraph, False),
    ):
        modal.add_item(
            discord.ui.TextInput(
                label=t(f"edit_label_{field}", lang, language=edit_lang),
                custom_id=field,
                style=style,
                default=values[field],
                required=required,
                max_length=INPUT_LIMITS[field],
            )
        )
    modal.add_item(
        discord.ui.TextInput(
            label=t("edit_label_reason", lang),
            custom_id="reason",
            style=short,
            required=False,
            max_length=REASON_MAX,
            placeholder=t("edit_reason_placeholder", lang)[:100],
        )
    )
    # Never kept in memory: the submit is routed by custom id (see register()).
    modal.stop()
    return modal


def _submitted(components: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Text input values by custom id, from action rows (type 1) or labels (type 18)."""
    values: dict[str, str] = {}
    for component in components:
        if component.get("type") == 1:
            values.update(_submitted(component.get("components") or []))
        elif component.get("type") == 18 and isinstance(component.get("component"), Mapping):
            values.update(_submitted([component["component"]]))
        elif "custom_id" in component and isinstance(component.get("value"), str):
            values[str(component["custom_id"])] = component["value"]
    return values


async def _reply(interaction: discord.Interaction, text: str) -> None:
    await interaction.response.send_message(clip(text, CONTENT_LIMIT), ephemeral=True, allowed_mentions=NO_MENTIONS)


async def on_edit_submit(interaction: discord.Interaction) -> None:
    """Handles a submitted edit form; every other interaction is left alone. Runs as a
    listener, where discord.py would only log an error: refusals and failures are answered
    through `reply_error`."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return
    match = EDIT_ID.fullmatch(str((interaction.data or {}).get("custom_id", "")))
    if match is None:
        return
    try:
        await _handle_edit_submit(interaction, match)
    except Exception as error:
        await reply_error(interaction, error, f"edit form {match.group(0)}")


async def _handle_edit_submit(interaction: discord.Interaction, match: re.Match[str]) -> None:
    # The custom id alone proves nothing: the same checks as the /cmo-admin edit command.
    ensure_moderator(interaction)
    ensure_home_guild(interaction)
    services = services_of(interaction)
    lang = interaction_lang(interaction, services.settings.default_lang)
    topic_id, edit_lang, base = match["topic"], match["lang"], int(match["base"])
    values = _submitted((interaction.data or {}).get("components") or [])
    reason = values.pop("reason", "")
    editor = _who(services, interaction)
    try:
        result = await services.editor.submit(topic_id, edit_lang, base, values, editor, reason)  # type: ignore[arg-type]
    except EditRejected as exc:
        log.info("edit of %s (%s) refused: %s", topic_id, edit_lang, exc)
        text = _lines_within(
            _issue_lines(exc.issues), CONTENT_LIMIT, "edit_more_issues", lang, t("edit_rejected", lang)
        )
        await _reply(interaction, text)
        return
    except NothingChanged:
        await _reply(interaction, t("edit_nothing_changed", lang))
        return
    except UnknownTopic:
        await _reply(interaction, t("edit_unknown_topic", lang, value=topic_id))
        return
    revision = result.revision
    title = quote_user_text(revision.topic.title.get(lang), 100)
    text = t("edit_saved", lang, n=revision.n, title=title, changes=describe(revision.changes))
    if result.overwritten:
        text += "\n" + t("edit_overwritten", lang, fields=", ".join(f"{f} ({edit_lang})" for f in result.overwritten))
    log.info("topic %s edited (%s) by %s: revision %d", topic_id, edit_lang, editor.user_hash[:12], revision.n)
    await _reply(interaction, text)


def register(bot: commands.Bot) -> None:
    """Routes submitted edit forms to `on_edit_submit`; idempotent. Call it at setup so forms
    opened before a restart can still be submitted after it."""
    listeners = bot.extra_events.get("on_interaction", [])
    if on_edit_submit not in listeners:
        bot.add_listener(on_edit_submit, "on_interaction")


class EditingPanel:
    def __init__(self, services: Services):
        self._services = services
        self._editor = services.editor

    def _lang(self, interaction: discord.Interaction) -> Lang:
        return interaction_lang(interaction, self._services.settings.default_lang)

    def _topic_id(self, value: str) -> str | None:
        """Only a topic id (what autocomplete sends) that has a file: editing is precise work."""
        value = value.strip()
        return value if value in self._services.store.files.topics else None

    async def _unknown(self, interaction: discord.Interaction, value: str) -> None:
        await _reply(interaction, t("edit_unknown_topic", self._lang(interaction), value=quote_user_text(value, 100)))

    def _title(self, topic_id: str, lang: Lang) -> str:
        topic = self._services.store.current.topic(topic_id)
        return topic.title.get(lang) if topic is not None else topic_id

    async def reload(self, interaction: discord.Interaction) -> None:
        lang = self._lang(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            report = await self._editor.reload()
        except ContentError as exc:
            log.warning("reload refused: %d content error(s)", len(exc.issues))
            embed = _reload_failed_embed(exc, lang)
        else:
            log.info("content reloaded: +%d ~%d -%d", len(report.added), len(report.changed), len(report.removed))
            embed = _reload_embed(report, lang)
        await interaction.edit_original_response(embed=to_embed(embed), allowed_mentions=NO_MENTIONS)

    async def edit(self, interaction: discord.Interaction, topic: str, language: str) -> None:
        lang = self._lang(interaction)
        topic_id = self._topic_id(topic)
        if topic_id is None:
            await self._unknown(interaction, topic)
            return
        edit_lang: Lang = "en" if language == "en" else "nl"
        try:
            form = await self._editor.form(topic_id, edit_lang)
        except UnknownTopic:
            await self._unknown(interaction, topic)
            return
        register(interaction.client)
        modal = _edit_modal(self._title(topic_id, lang), topic_id, edit_lang, form.base, form.values, lang)
        await interaction.response.send_modal(modal)

    async def history(self, interaction: discord.Interaction, topic: str) -> None:
        lang = self._lang(interaction)
        topic_id = self._topic_id(topic)
        if topic_id is None:
            await self._unknown(interaction, topic)
            return
        repository = self._services.revisions
        revisions = await repository.history(topic_id, HISTORY_SHOWN)
        total = await repository.count(topic_id) if len(revisions) == HISTORY_SHOWN else len(revisions)
        embed = _history_embed(self._title(topic_id, lang), revisions, total, lang)
        await interaction.response.send_message(embed=to_embed(embed), ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def revert(self, interaction: discord.Interaction, topic: str, revision: int) -> None:
        lang = self._lang(interaction)
        topic_id = self._topic_id(topic)
        if topic_id is None:
            await self._unknown(interaction, topic)
            return
        title = quote_user_text(self._title(topic_id, lang), 100)
        try:
            made = await self._editor.revert(topic_id, revision, _who(self._services, interaction))
        except UnknownRevision:
            await _reply(interaction, t("edit_unknown_revision", lang, title=title, n=revision))
            return
        except NothingChanged:
            await _reply(interaction, t("edit_revert_nothing", lang, title=title))
            return
        except UnknownTopic:
            await self._unknown(interaction, topic)
            return
        changes = describe(made.changes) or t("edit_no_changes", lang)
        key = "edit_reverted_file" if revision == 0 else "edit_reverted"
        log.info("topic %s reverted to %d: revision %d", topic_id, revision, made.n)
        await _reply(interaction, t(key, lang, target=revision, title=title, n=made.n, changes=changes))

    def topic_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        lang = self._lang(interaction)
        return [
            app_commands.Choice(name=clip(title, CHOICE_NAME_LIMIT), value=topic_id)
            for topic_id, title in self._services.store.current.complete(current[:100], lang)
        ]
