"""Buttons and selects that keep working after a restart.

Each is a `DynamicItem`: everything its callback needs (a question id, a topic id) is in the
custom id itself, matched by a template, so no view has to survive in memory. Services are
reached through `services_of(interaction)`, set once when the bot is built.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.asking import AskService
from bot.features.common import NO_MENTIONS, asker_of, interaction_lang, send_ephemeral, services_of, to_embed
from bot.features.cooldown import component_cooldown
from bot.features.error_reply import reply_error
from bot.i18n import t
from bot.knowledge.model import CATEGORIES, Lang, Tip, Topic
from bot.knowledge.snapshot import ContentSnapshot
from bot.render import category_embed, tip_embed, topic_embed
from bot.storage.questions import UnknownQuestionError

log = logging.getLogger(__name__)

SELECT_OPTION_LIMIT = 25
LABEL_LIMIT = 80


def guarded(callback: Callable[[Any, discord.Interaction], Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """For component callbacks: discord.py only logs an exception raised in a dynamic item,
    leaving the user with "This interaction failed"; this answers through `reply_error`
    instead, as the command tree's handler does for commands."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as error:
            custom_id = (interaction.data or {}).get("custom_id")
            await reply_error(interaction, error, f"component {custom_id}")

    return wrapper


def rate_limited(callback: Callable[[Any, discord.Interaction], Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """For user-facing component callbacks: one shared per-user budget for every button and
    select. Over it the user gets the localised cooldown note (ephemeral) and the callback,
    with the log row it would write, does not run. Put it under ``@guarded``."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction) -> None:
        error = component_cooldown(interaction)
        if error is not None:
            seconds = max(1, math.ceil(error.retry_after))
            await send_ephemeral(interaction, t("error_cooldown", _lang(interaction), seconds=seconds))
            return
        await callback(self, interaction)

    return wrapper


def _asking(interaction: discord.Interaction) -> AskService:
    return services_of(interaction).asking


def _lang(interaction: discord.Interaction) -> Lang:
    return interaction_lang(interaction, services_of(interaction).settings.default_lang)


def button_label(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def static_view(*items: discord.ui.Item) -> discord.ui.View:
    """A view that is only sent, never kept: every item is a DynamicItem that the bot routes
    by custom id, so storing the view per message would only grow memory without bound."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


def topic_view(topic: Topic, snapshot: ContentSnapshot, lang: Lang, question_id: str | None = None) -> discord.ui.View:
    """An answer's components: the related-topic select and, for a logged question, 👍/👎."""
    items: list[discord.ui.Item] = []
    related = [snapshot.topics[topic_id] for topic_id in topic.related if topic_id in snapshot.topics]
    if related:
        items.append(RelatedSelect(related, lang))
    if question_id is not None:
        items.append(FeedbackButton(1, question_id, t("feedback_up", lang)))
        items.append(FeedbackButton(-1, question_id, t("feedback_down", lang)))
    return static_view(*items)


def guess_view(alternatives: list[Topic], lang: Lang, question_id: str) -> discord.ui.View:
    """A best guess's components: 👍/👎 (a 👎 sends the question to the moderators' queue) and
    the next candidates as buttons."""
    feedback = [
        FeedbackButton(1, question_id, t("feedback_up", lang)),
        FeedbackButton(-1, question_id, t("feedback_down", lang)),
    ]
    return static_view(*feedback, *(open_topic_button(topic, lang) for topic in alternatives[:3]))


def suggestion_view(topics: list[Topic], lang: Lang) -> discord.ui.View:
    return static_view(*(open_topic_button(topic, lang) for topic in topics[:5]))


def open_topic_button(topic: Topic, lang: Lang) -> OpenTopicButton:
    return OpenTopicButton(topic.id, button_label(t("open_topic", lang, title=topic.title.get(lang))))


def tip_message(tip: Tip, snapshot: ContentSnapshot, lang: Lang) -> tuple[discord.Embed, discord.ui.View]:
    """A tip embed with a button to the topic it comes from: /tip and the scheduled posts."""
    topic = snapshot.topic(tip.topic)
    items = [] if topic is None else [open_topic_button(topic, lang)]
    return to_embed(tip_embed(tip, topic, lang)), static_view(*items)


async def send_topic(interaction: discord.Interaction, topic_id: str, via: str, *, ephemeral: bool) -> None:
    """Answers an interaction with one topic (or a localised 'gone' note) and logs the lookup."""
    lang = _lang(interaction)
    snapshot = _asking(interaction).snapshot
    topic = snapshot.topic(topic_id)
    if topic is None:
        await interaction.response.send_message(t("topic_gone", lang), ephemeral=True, allowed_mentions=NO_MENTIONS)
        return
    _asking(interaction).log_lookup(via, topic_id, lang, asker_of(interaction), topic_id)
    await interaction.response.send_message(
        embed=to_embed(topic_embed(topic, lang)),
        view=topic_view(topic, snapshot, lang),
        ephemeral=ephemeral,
        allowed_mentions=NO_MENTIONS,
    )


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"cmo:fb:(?P<rating>up|down):(?P<qid>[0-9a-f]{32})"
):
    def __init__(self, rating: int, question_id: str, label: str | None = None):
        self.rating, self.question_id = rating, question_id
        name = "up" if rating > 0 else "down"
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji="👍" if rating > 0 else "👎",
                label=label,
                custom_id=f"cmo:fb:{name}:{question_id}",
            )
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str]) -> FeedbackButton:
        return cls(1 if match["rating"] == "up" else -1, match["qid"])

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction) -> None:
        lang = _lang(interaction)
        try:
            await _asking(interaction).record_feedback(self.question_id, interaction.user.id, self.rating)
            message = t("feedback_thanks_up" if self.rating > 0 else "feedback_thanks_down", lang)
        except UnknownQuestionError:
            message = t("feedback_gone", lang)
        await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_MENTIONS)


class OpenTopicButton(discord.ui.DynamicItem[discord.ui.Button], template=r"cmo:open:(?P<topic>[a-z0-9-]{1,64})"):
    def __init__(self, topic_id: str, label: str | None = None):
        self.topic_id = topic_id
        super().__init__(
            discord.ui.Button(style=discord.ButtonStyle.primary, label=label, custom_id=f"cmo:open:{topic_id}")
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str]) -> OpenTopicButton:
        return cls(match["topic"])

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction) -> None:
        await send_topic(interaction, self.topic_id, "open-button", ephemeral=True)


def topic_select(custom_id: str, placeholder: str, topics: list[Topic] | None, lang: Lang) -> discord.ui.Select:
    """A select whose values are topic ids (the related topics, or one category's topics)."""
    options = [
        discord.SelectOption(label=button_label(topic.title.get(lang)), value=topic.id)
        for topic in (topics or [])[:SELECT_OPTION_LIMIT]
    ]
    return discord.ui.Select(
        custom_id=custom_id, placeholder=placeholder, options=options or [discord.SelectOption(label="-", value="-")]
    )


async def open_selected_topic(interaction: discord.Interaction, via: str) -> None:
    values = (interaction.data or {}).get("values") or ["-"]
    await send_topic(interaction, str(values[0]), via, ephemeral=True)


class RelatedSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"cmo:related"):
    def __init__(self, topics: list[Topic] | None = None, lang: Lang = "nl"):
        super().__init__(topic_select("cmo:related", t("related_placeholder", lang), topics, lang))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str]) -> RelatedSelect:
        return cls()

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction) -> None:
        await open_selected_topic(interaction, "related-select")


class CategorySelect(discord.ui.DynamicItem[discord.ui.Select], template=r"cmo:category"):
    def __init__(self, lang: Lang = "nl"):
        super().__init__(
            discord.ui.Select(
                custom_id="cmo:category",
                placeholder=t("pick_category", lang),
                options=[
                    discord.SelectOption(label=t(f"category_{category}", lang), value=category)
                    for category in CATEGORIES
                ],
            )
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str]) -> CategorySelect:
        return cls()

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction) -> None:
        lang = _lang(interaction)
        category = str(((interaction.data or {}).get("values") or [""])[0])
        if category not in CATEGORIES:
            await interaction.response.send_message(t("topic_gone", lang), ephemeral=True)
            return
        topics = _asking(interaction).snapshot.in_category(category)  # type: ignore[arg-type]
        view = static_view(CategorySelect(lang), *([TopicPickSelect(topics, lang)] if topics else []))
        await interaction.response.edit_message(embed=to_embed(category_embed(category, topics, lang)), view=view)


class TopicPickSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"cmo:pick"):
    def __init__(self, topics: list[Topic] | None = None, lang: Lang = "nl"):
        super().__init__(topic_select("cmo:pick", t("pick_topic", lang), topics, lang))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str]) -> TopicPickSelect:
        return cls()

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction) -> None:
        await open_selected_topic(interaction, "topics-select")


DYNAMIC_ITEMS = (FeedbackButton, OpenTopicButton, RelatedSelect, CategorySelect, TopicPickSelect)
