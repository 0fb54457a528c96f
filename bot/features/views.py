"""Views that are only sent, never kept, and the topic select they share.

The building blocks under `components` (the dynamic items) and `messages` (what commands
send); they know no item of their own.
"""

from __future__ import annotations

import discord

from bot.knowledge.model import Lang, Topic
from bot.limits import LABEL_LIMIT, SELECT_OPTION_LIMIT
from bot.text_fit import clip


def static_view(*items: discord.ui.Item) -> discord.ui.View:
    """A view that is only sent, never kept: every item is a DynamicItem that the bot routes
    by custom id, so storing the view per message would only grow memory without bound."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


def topic_select(custom_id: str, placeholder: str, topics: list[Topic] | None, lang: Lang) -> discord.ui.Select:
    """A select whose values are topic ids (the related topics, or one category's topics)."""
    options = [
        discord.SelectOption(label=clip(topic.title.get(lang), LABEL_LIMIT), value=topic.id)
        for topic in (topics or [])[:SELECT_OPTION_LIMIT]
    ]
    return discord.ui.Select(
        custom_id=custom_id, placeholder=placeholder, options=options or [discord.SelectOption(label="-", value="-")]
    )
