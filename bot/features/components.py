"""Buttons and selects that keep working after a restart, and the topic answer they send.

Each is a `DynamicItem`: everything its callback needs (a question id, a topic id) is in the
custom id itself, matched by a template, so no view has to survive in memory. Services are
reached through `interaction.client.services`, set once when the bot is built. The messages
commands build from these items are in `messages`; the decorators their callbacks wear are in
`component_guards`.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.asking import AskService
from bot.features.common import NO_MENTIONS, asker_of, lang_of, to_embed
from bot.features.component_guards import guarded, rate_limited
from bot.features.views import Stateless, picked_value, select, static_view, topic_select
from bot.i18n import t
from bot.knowledge.model import CATEGORIES, Lang, Topic, as_category
from bot.knowledge.snapshot import ContentSnapshot
from bot.storage.questions import UnknownQuestionError
from bot.topic_embeds import category_embed, topic_embed

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

# The rating a feedback button's custom id carries.
THUMBS_UP, THUMBS_DOWN = "up", "down"


def _asking(interaction: discord.Interaction[CmoBot]) -> AskService:
    return interaction.client.services.asking


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


async def send_topic(interaction: discord.Interaction[CmoBot], topic_id: str, via: str, *, ephemeral: bool) -> None:
    """Answers an interaction with one topic (or a localised 'gone' note) and logs the lookup."""
    lang = lang_of(interaction)
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
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"cmo:fb:(?P<rating>{THUMBS_UP}|{THUMBS_DOWN}):(?P<qid>[0-9a-f]{{32}})",
):
    def __init__(self, rating: int, question_id: str, label: str | None = None):
        self.rating, self.question_id = rating, question_id
        code = THUMBS_UP if rating > 0 else THUMBS_DOWN
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji="👍" if rating > 0 else "👎",
                label=label,
                custom_id=f"cmo:fb:{code}:{question_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[CmoBot], item: Any, match: re.Match[str]
    ) -> FeedbackButton:
        return cls(1 if match["rating"] == THUMBS_UP else -1, match["qid"])

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = lang_of(interaction)
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
    async def from_custom_id(
        cls, interaction: discord.Interaction[CmoBot], item: Any, match: re.Match[str]
    ) -> OpenTopicButton:
        return cls(match["topic"])

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        await send_topic(interaction, self.topic_id, "open-button", ephemeral=True)


class TopicListSelect(Stateless, discord.ui.DynamicItem[discord.ui.Select], template=r"(?!)"):
    """A select of topics whose pick is answered with that topic. Subclasses give their own
    template and name their custom id, placeholder string and the `via` the question log records;
    this base is never registered (its template matches nothing)."""

    select_id: ClassVar[str]
    placeholder_key: ClassVar[str]
    via: ClassVar[str]

    def __init__(self, topics: list[Topic] | None = None, lang: Lang = "nl"):
        super().__init__(topic_select(self.select_id, t(self.placeholder_key, lang), topics, lang))

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        await send_topic(interaction, picked_value(interaction, "-"), self.via, ephemeral=True)


class RelatedSelect(TopicListSelect, template=r"cmo:related"):
    select_id, placeholder_key, via = "cmo:related", "related_placeholder", "related-select"


class TopicPickSelect(TopicListSelect, template=r"cmo:pick"):
    select_id, placeholder_key, via = "cmo:pick", "pick_topic", "topics-select"


class CategorySelect(Stateless, discord.ui.DynamicItem[discord.ui.Select], template=r"cmo:category"):
    def __init__(self, lang: Lang = "nl"):
        options = [
            discord.SelectOption(label=t(f"category_{category}", lang), value=category) for category in CATEGORIES
        ]
        super().__init__(select("cmo:category", t("pick_category", lang), options))

    @guarded
    @rate_limited
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = lang_of(interaction)
        category = as_category(picked_value(interaction, ""))
        if category is None:
            await interaction.response.send_message(t("topic_gone", lang), ephemeral=True)
            return
        topics = _asking(interaction).snapshot.in_category(category)
        view = static_view(CategorySelect(lang), *([TopicPickSelect(topics, lang)] if topics else []))
        await interaction.response.edit_message(embed=to_embed(category_embed(category, topics, lang)), view=view)


DYNAMIC_ITEMS = (FeedbackButton, OpenTopicButton, RelatedSelect, CategorySelect, TopicPickSelect)
