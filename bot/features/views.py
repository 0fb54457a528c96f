"""Views that are only sent, never kept, and the topic select they share.

The building blocks under `components` (the dynamic items) and `messages` (what commands
send); they know no item of their own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.knowledge.model import Lang, Topic
from bot.limits import LABEL_LIMIT, SELECT_OPTION_LIMIT
from bot.text_fit import clip

if TYPE_CHECKING:
    from bot.app import CmoBot

# In a custom id: "nothing picked yet" (a select's placeholder option, a button without a target).
NOTHING_CHOSEN = "_"


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
    return select(custom_id, placeholder, options, empty_value="-")


def select(
    custom_id: str, placeholder: str, options: list[discord.SelectOption], empty_value: str = NOTHING_CHOSEN
) -> discord.ui.Select:
    """A select Discord accepts even with nothing to offer (it refuses one without options):
    then it holds a single "-" option whose value is `empty_value`."""
    return discord.ui.Select(
        custom_id=custom_id,
        placeholder=placeholder,
        options=options or [discord.SelectOption(label="-", value=empty_value)],
    )


def picked_value(interaction: discord.Interaction[CmoBot], default: str = NOTHING_CHOSEN) -> str:
    """The value a user picked in a select; `default` when the payload carries none."""
    return str(((interaction.data or {}).get("values") or [default])[0])


class Stateless:
    """Mixin, listed before `discord.ui.DynamicItem`: an item whose custom id carries no
    state, so discord.py rebuilds it bare for every click."""

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[CmoBot], item: Any, match: re.Match[str]) -> Self:
        return cls()
