"""The review panel of the improvement loop: unanswered questions and suggestions.

They are worked through one at a time in a single message that edits itself: pick a topic
(the select rewrites the attach button's custom id to carry it), attach or dismiss, and the
next open question slides in. All state lives in custom ids (a 16-hex group key, a topic id,
a position), so the buttons keep working after a restart; each click re-reads the log, so two
moderators working at once never act on a stale list.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.features.admin.aliases import closed_fields
from bot.features.admin.panel import ModeratorPanelItem, redraw
from bot.features.common import NO_MENTIONS, lang_of, quote_user_text, to_embed
from bot.features.component_guards import guarded
from bot.features.views import NOTHING_CHOSEN, picked_value, select, static_view
from bot.i18n import t
from bot.insights.embeds import group_embed, suggestion_embed, topic_options, topic_title
from bot.insights.grouping import QuestionGroup
from bot.insights.loop import ImprovementLoop
from bot.insights.suggestions import Suggestion
from bot.knowledge.model import Lang, as_lang
from bot.limits import LABEL_LIMIT
from bot.text_fit import clip

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

KEY = r"(?P<key>[0-9a-f]{16})"

# What a DecisionButton does, as its custom id says it: on an unanswered question group...
ATTACH, DISMISS = "att", "dis"
# ...and on a suggestion.
ACCEPT, REJECT = "acc", "rej"
ON_SUGGESTION = (ACCEPT, REJECT)
ADDS_ALIAS = (ATTACH, ACCEPT)
# Which queue a NextButton moves through.
UNANSWERED, SUGGESTIONS = "u", "s"


# ---------------------------------------------------------------------------------------- messages


async def unanswered_message(
    improvements: ImprovementLoop,
    guild_id: int,
    lang: Lang,
    position: int,
    chosen: str | None = None,
    status: str | None = None,
) -> tuple[discord.Embed, discord.ui.View]:
    groups = await improvements.open_groups(guild_id)
    position = min(position, len(groups) - 1) if groups else 0
    data = group_embed(groups, position, lang, quote_user_text, status, improvements.store.current.topics)
    data["fields"] = [*data.get("fields", []), *await closed_fields(improvements, guild_id, lang)]
    embed = to_embed(data)
    if not groups:
        return embed, static_view()
    return embed, group_view(improvements, groups, position, lang, chosen)


def group_view(
    improvements: ImprovementLoop, groups: list[QuestionGroup], position: int, lang: Lang, chosen: str | None
) -> discord.ui.View:
    group = groups[position]
    snapshot = improvements.store.current
    likely = snapshot.answer(group.text, as_lang(group.lang)).suggestions
    options = topic_options(snapshot.topics, likely, lang)
    items: list[discord.ui.Item] = [
        TopicSelect(group.key, options, chosen, lang),
        DecisionButton(ATTACH, group.key, chosen or NOTHING_CHOSEN, t("ins_attach_button", lang)),
        DecisionButton(DISMISS, group.key, None, t("ins_dismiss_button", lang)),
    ]
    if len(groups) > 1:
        items.append(NextButton(UNANSWERED, (position + 1) % len(groups), t("ins_next_button", lang)))
    return static_view(*items)


async def suggestions_message(
    improvements: ImprovementLoop, guild_id: int, lang: Lang, position: int, status: str | None = None
) -> tuple[discord.Embed, discord.ui.View]:
    found = await improvements.open_suggestions(guild_id)
    position = min(position, len(found) - 1) if found else 0
    topics = improvements.store.current.topics
    embed = to_embed(suggestion_embed(found, position, topics, lang, quote_user_text, status))
    if not found:
        return embed, static_view()
    item = found[position]
    items: list[discord.ui.Item] = [
        DecisionButton(ACCEPT, item.key, item.topic_id, t("ins_accept_button", lang)),
        DecisionButton(REJECT, item.key, item.topic_id, t("ins_reject_button", lang)),
    ]
    if len(found) > 1:
        items.append(NextButton(SUGGESTIONS, (position + 1) % len(found), t("ins_next_button", lang)))
    return embed, static_view(*items)


def _title(improvements: ImprovementLoop, topic_id: str, lang: Lang) -> str:
    return topic_title(improvements.store.current.topics, topic_id, lang)


# ---------------------------------------------------------------------------------------- components


def _find(items: list[Any], key: str, topic: str | None = None) -> int | None:
    for index, item in enumerate(items):
        if item.key == key and (topic is None or item.topic_id == topic):
            return index
    return None


class TopicSelect(ModeratorPanelItem, discord.ui.DynamicItem[discord.ui.Select], template=rf"cmo:ins:pick:{KEY}"):
    def __init__(
        self, key: str, options: list[tuple[str, str, bool]] | None = None, chosen: str | None = None, lang: Lang = "nl"
    ):
        self.key = key
        select_options = [
            discord.SelectOption(
                label=clip(label, LABEL_LIMIT),
                value=topic_id,
                description=t("ins_likely", lang) if likely else None,
                default=topic_id == chosen,
            )
            for topic_id, label, likely in (options or [])
        ]
        super().__init__(select(f"cmo:ins:pick:{key}", t("ins_pick_topic", lang), select_options))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[CmoBot], item: Any, match: re.Match[str]
    ) -> TopicSelect:
        return cls(match["key"])

    @guarded
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        improvements, lang = interaction.client.services.improvements, lang_of(interaction)
        chosen = picked_value(interaction)
        groups = await improvements.open_groups(interaction.guild_id)
        position = _find(groups, self.key)
        if position is None or chosen not in improvements.store.current.topics:
            await redraw(
                interaction,
                await unanswered_message(improvements, interaction.guild_id, lang, 0, status=t("ins_gone", lang)),
            )
            return
        embed = to_embed(group_embed(groups, position, lang, quote_user_text, topics=improvements.store.current.topics))
        await redraw(interaction, (embed, group_view(improvements, groups, position, lang, chosen)))


class DecisionButton(
    ModeratorPanelItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"cmo:ins:(?P<action>{ATTACH}|{DISMISS}|{ACCEPT}|{REJECT}):{KEY}(?::(?P<topic>[a-z0-9-]{{1,64}}|{NOTHING_CHOSEN}))?",
):
    """Attach or dismiss an unanswered question (ATTACH, DISMISS); accept or reject a
    suggestion (ACCEPT, REJECT). The topic rides along in the custom id where one is needed."""

    def __init__(self, action: str, key: str, topic_id: str | None = None, label: str | None = None):
        self.action, self.key, self.topic_id = action, key, topic_id
        custom_id = f"cmo:ins:{action}:{key}" + (f":{topic_id}" if topic_id else "")
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.success if action in ADDS_ALIAS else discord.ButtonStyle.secondary,
                label=label,
                custom_id=custom_id,
                disabled=topic_id == NOTHING_CHOSEN,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[CmoBot], item: Any, match: re.Match[str]
    ) -> DecisionButton:
        return cls(match["action"], match["key"], match["topic"])

    @guarded
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        improvements, lang = interaction.client.services.improvements, lang_of(interaction)
        guild_id = interaction.guild_id
        on_suggestion = self.action in ON_SUGGESTION
        items: list[Any] = await (
            improvements.open_suggestions(guild_id) if on_suggestion else improvements.open_groups(guild_id)
        )
        position = _find(items, self.key, self.topic_id if on_suggestion else None)
        attaching = self.action in ADDS_ALIAS
        if attaching and not improvements.may_attach(guild_id):
            # With a home server, a learned alias is shared content: only its moderators attach.
            await interaction.response.send_message(
                t("als_not_home_guild", lang), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        if position is None or (attaching and self.topic_id not in improvements.store.current.topics):
            status, position = t("ins_gone", lang), 0
        elif attaching:
            source = "suggestion" if on_suggestion else "unanswered"
            status = await _attach(improvements, guild_id, items[position], self.topic_id or "", source, lang)
        elif on_suggestion:
            await improvements.dismiss(guild_id, self.key, self.topic_id or "")
            question = quote_user_text(items[position].text, 200)
            status = t("ins_rejected", lang, question=question, topic=_title(improvements, self.topic_id or "", lang))
        else:
            await improvements.dismiss(guild_id, self.key)
            status = t("ins_dismissed", lang, question=quote_user_text(items[position].text, 200))
        build = suggestions_message if on_suggestion else unanswered_message
        await redraw(interaction, await build(improvements, guild_id, lang, position, status=status))


class NextButton(
    ModeratorPanelItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"cmo:ins:next:(?P<kind>{UNANSWERED}|{SUGGESTIONS}):(?P<pos>\d{{1,4}})",
):
    def __init__(self, kind: str, position: int, label: str | None = None):
        self.kind, self.position = kind, position
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary, label=label, custom_id=f"cmo:ins:next:{kind}:{position}"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[CmoBot], item: Any, match: re.Match[str]
    ) -> NextButton:
        return cls(match["kind"], int(match["pos"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        improvements, lang = interaction.client.services.improvements, lang_of(interaction)
        build = unanswered_message if self.kind == UNANSWERED else suggestions_message
        await redraw(interaction, await build(improvements, interaction.guild_id, lang, self.position))


async def _attach(
    improvements: ImprovementLoop,
    guild_id: int,
    group: QuestionGroup | Suggestion,
    topic_id: str,
    source: Any,
    lang: Lang,
) -> str:
    """Attaches and says how it went, in a line for the top of the panel."""
    try:
        attached = await improvements.attach(guild_id, group, topic_id, source)
    except Exception:
        log.exception("attaching a learned alias to %s failed in guild %s", topic_id, guild_id)
        return t("ins_failed", lang)
    key = "ins_attached" if attached.answers_now else "ins_attached_weak"
    scope = t("als_scope_shared" if attached.shared else "als_scope_guild", lang)
    return (
        t(key, lang, alias=quote_user_text(attached.alias, 200), topic=_title(improvements, topic_id, lang))
        + "\n"
        + scope
    )


DYNAMIC_ITEMS = (TopicSelect, DecisionButton, NextButton)
