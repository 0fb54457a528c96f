"""Messages that commands send with components: a best guess, suggestions, a tip.

Built from the dynamic items in `components` (an answer's own view, `topic_view`, is there,
since a click on a topic answers with it).
"""

from __future__ import annotations

import discord

from bot.features.common import to_embed
from bot.features.components import FeedbackButton, OpenTopicButton
from bot.features.views import static_view
from bot.i18n import t
from bot.knowledge.model import Lang, Tip, Topic
from bot.knowledge.snapshot import ContentSnapshot
from bot.limits import LABEL_LIMIT
from bot.text_fit import clip
from bot.topic_embeds import tip_embed


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
    return OpenTopicButton(topic.id, clip(t("open_topic", lang, title=topic.title.get(lang)), LABEL_LIMIT))


def tip_message(tip: Tip, snapshot: ContentSnapshot, lang: Lang) -> tuple[discord.Embed, discord.ui.View]:
    """A tip embed with a button to the topic it comes from: /tip and the scheduled posts."""
    topic = snapshot.topic(tip.topic)
    items = [] if topic is None else [open_topic_button(topic, lang)]
    return to_embed(tip_embed(tip, topic, lang)), static_view(*items)
