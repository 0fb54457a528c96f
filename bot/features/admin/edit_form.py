"""The edit form: a modal whose custom id (`cmo:edit:<topic>:<lang>:<base revision>`) holds
everything the submit needs, and the `on_interaction` listener that handles the submit. No
Modal object is kept in memory, so a form opened before a restart can be submitted after it,
once `register(bot)` runs at setup.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.editing.diff import describe
from bot.editing.form import INPUT_LIMITS, REASON_MAX, EditRejected
from bot.editing.service import Editor, NothingChanged, UnknownTopic
from bot.features.admin.edit_embeds import issue_lines, lines_within
from bot.features.admin.permissions import ensure_home_guild, ensure_moderator
from bot.features.common import NO_MENTIONS, interaction_lang, quote_user_text
from bot.features.error_reply import reply_error
from bot.i18n import t
from bot.knowledge.model import Lang
from bot.limits import CONTENT_LIMIT, MODAL_TITLE_LIMIT
from bot.services import Services
from bot.text_fit import clip

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

EDIT_ID = re.compile(r"cmo:edit:(?P<topic>[a-z0-9-]{1,64}):(?P<lang>nl|en):(?P<base>\d{1,9})")


def editor_of(services: Services, interaction: discord.Interaction[CmoBot]) -> Editor:
    return Editor(services.asking.user_hash(interaction.user.id), interaction.user.display_name)


def edit_modal(topic_title: str, topic_id: str, edit_lang: Lang, base: int, values: Mapping[str, str], lang: Lang):
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


async def reply(interaction: discord.Interaction[CmoBot], text: str) -> None:
    await interaction.response.send_message(clip(text, CONTENT_LIMIT), ephemeral=True, allowed_mentions=NO_MENTIONS)


async def on_edit_submit(interaction: discord.Interaction[CmoBot]) -> None:
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


async def _handle_edit_submit(interaction: discord.Interaction[CmoBot], match: re.Match[str]) -> None:
    # The custom id alone proves nothing: the same checks as the /cmo-admin edit command.
    ensure_moderator(interaction)
    ensure_home_guild(interaction)
    services = interaction.client.services
    lang = interaction_lang(interaction, services.settings.default_lang)
    topic_id, base = match["topic"], int(match["base"])
    edit_lang: Lang = "en" if match["lang"] == "en" else "nl"  # EDIT_ID admits only nl and en
    values = _submitted((interaction.data or {}).get("components") or [])
    reason = values.pop("reason", "")
    editor = editor_of(services, interaction)
    try:
        result = await services.editor.submit(topic_id, edit_lang, base, values, editor, reason)
    except EditRejected as exc:
        log.info("edit of %s (%s) refused: %s", topic_id, edit_lang, exc)
        text = lines_within(issue_lines(exc.issues), CONTENT_LIMIT, "edit_more_issues", lang, t("edit_rejected", lang))
        await reply(interaction, text)
        return
    except NothingChanged:
        await reply(interaction, t("edit_nothing_changed", lang))
        return
    except UnknownTopic:
        await reply(interaction, t("edit_unknown_topic", lang, value=topic_id))
        return
    revision = result.revision
    title = quote_user_text(revision.topic.title.get(lang), 100)
    text = t("edit_saved", lang, n=revision.n, title=title, changes=describe(revision.changes))
    if result.overwritten:
        text += "\n" + t("edit_overwritten", lang, fields=", ".join(f"{f} ({edit_lang})" for f in result.overwritten))
    log.info("topic %s edited (%s) by %s: revision %d", topic_id, edit_lang, editor.user_hash[:12], revision.n)
    await reply(interaction, text)


def register(bot: commands.Bot) -> None:
    """Routes submitted edit forms to `on_edit_submit`; idempotent. Call it at setup so forms
    opened before a restart can still be submitted after it."""
    listeners = bot.extra_events.get("on_interaction", [])
    if on_edit_submit not in listeners:
        bot.add_listener(on_edit_submit, "on_interaction")
