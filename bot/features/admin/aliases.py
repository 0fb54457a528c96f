"""/cmo-admin aliases: the learned aliases that count in this server, and detaching one.

Learned aliases change answers, so they stay visible and reversible. The list shows this
server's own aliases and, with a home server, the shared ones (marked as such). A moderator
picks one in the select (which rewrites the detach button's custom id to carry its row id)
and detaches it; the live content is rebuilt at once, so the next /ask answers as before.
Only aliases attached in this server can be picked: the home server owns the shared ones.
As in the insights panel, all state is in custom ids and every click checks again.

The unanswered panel also shows, from here, which alias closed which question group.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.features.admin.panel import ModeratorPanelItem, PanelBase, redraw
from bot.features.common import NO_MENTIONS, lang_of, quote_user_text, to_embed
from bot.features.component_guards import guarded
from bot.features.views import NOTHING_CHOSEN, picked_value, select, static_view
from bot.i18n import t
from bot.insights.embeds import field_value, topic_title
from bot.insights.loop import ImprovementLoop, NotYoursError
from bot.knowledge.model import Lang
from bot.limits import LABEL_LIMIT
from bot.storage.aliases import LearnedAlias
from bot.text_fit import clip
from bot.topic_embeds import COLOUR, GREY, Embed

if TYPE_CHECKING:
    from bot.app import CmoBot

log = logging.getLogger(__name__)

PAGE_SIZE = 10
CLOSED_PREVIEW = 5


def _scope(improvements: ImprovementLoop, alias: LearnedAlias, lang: Lang) -> str:
    return t("als_mark_shared" if alias.shared(improvements.home_guild_id) else "als_mark_guild", lang)


def _title(improvements: ImprovementLoop, topic_id: str, lang: Lang) -> str:
    return topic_title(improvements.store.current.topics, topic_id, lang)


class AliasesPanel(PanelBase):
    async def show(self, interaction: discord.Interaction[CmoBot]) -> None:
        lang = self._lang(interaction)
        embed, view = await aliases_message(self._services.improvements, interaction.guild_id, lang, 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def aliases_message(
    improvements: ImprovementLoop,
    guild_id: int,
    lang: Lang,
    page: int,
    chosen: int | None = None,
    status: str | None = None,
) -> tuple[discord.Embed, discord.ui.View]:
    aliases = await improvements.visible_aliases(guild_id)
    head = f"{status}\n\n" if status else ""
    if not aliases:
        return to_embed({"description": head + t("als_none", lang), "color": GREY}), static_view()
    pages = (len(aliases) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = aliases[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [
        t(
            "als_line",
            lang,
            alias=quote_user_text(alias.alias, 100),
            topic=_title(improvements, alias.topic_id, lang),
            language=alias.lang,
            scope=_scope(improvements, alias, lang),
        )
        for alias in shown
    ]
    footer = t("als_footer_home" if improvements.home_guild_id is not None else "als_footer_guild", lang)
    embed: Embed = {
        "title": t("als_title", lang, total=len(aliases)),
        "description": head + "\n".join(f"{page * PAGE_SIZE + n}. {line}" for n, line in enumerate(lines, 1)),
        "color": COLOUR,
        "footer": {"text": footer + " · " + t("als_page", lang, page=page + 1, pages=pages)},
    }
    items: list[discord.ui.Item] = []
    removable = [alias for alias in shown if alias.removable_by(guild_id)]
    if removable:
        options = [
            (alias.id, clip(" ".join(alias.alias.split()), LABEL_LIMIT), _title(improvements, alias.topic_id, lang))
            for alias in removable
        ]
        items.append(AliasSelect(page, options, chosen, lang))
        picked = chosen if chosen in {alias.id for alias in removable} else None
        items.append(DetachButton(page, picked, t("als_detach_button", lang)))
    if pages > 1:
        items.append(PageButton((page + 1) % pages, t("als_next_button", lang)))
    return to_embed(embed), static_view(*items)


async def closed_fields(improvements: ImprovementLoop, guild_id: int, lang: Lang) -> list[dict[str, Any]]:
    """For the unanswered panel: the question groups a learned alias closed in this server."""
    closed = await improvements.closed_groups(guild_id)
    if not closed:
        return []
    lines = [
        t(
            "als_closed_line",
            lang,
            count=item.group.count,
            question=quote_user_text(item.group.text, 60),
            topic=_title(improvements, item.alias.topic_id, lang),
            alias=quote_user_text(item.alias.alias, 60),
            scope=_scope(improvements, item.alias, lang),
        )
        for item in closed[:CLOSED_PREVIEW]
    ]
    if len(closed) > CLOSED_PREVIEW:
        lines.append(t("als_closed_more", lang, more=len(closed) - CLOSED_PREVIEW))
    return [{"name": t("als_closed_by", lang), "value": field_value(lines, lang), "inline": False}]


async def _redraw(
    interaction: discord.Interaction[CmoBot], page: int, chosen: int | None = None, status: str | None = None
) -> None:
    """Shows the list again, at `page`, after a click."""
    improvements = interaction.client.services.improvements
    await redraw(
        interaction,
        await aliases_message(improvements, interaction.guild_id, lang_of(interaction), page, chosen, status),
    )


class AliasSelect(
    ModeratorPanelItem, discord.ui.DynamicItem[discord.ui.Select], template=r"cmo:als:pick:(?P<page>\d{1,4})"
):
    def __init__(
        self,
        page: int,
        options: list[tuple[int, str, str]] | None = None,
        chosen: int | None = None,
        lang: Lang = "nl",
    ):
        self.page = page
        select_options = [
            discord.SelectOption(
                label=label, value=str(alias_id), description=clip(topic, LABEL_LIMIT), default=alias_id == chosen
            )
            for alias_id, label, topic in (options or [])
        ]
        super().__init__(select(f"cmo:als:pick:{page}", t("als_pick", lang), select_options))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[CmoBot], item: Any, match: re.Match[str]) -> Self:
        return cls(int(match["page"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        value = picked_value(interaction)
        await _redraw(interaction, self.page, int(value) if value.isdigit() else None)


class DetachButton(
    ModeratorPanelItem,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"cmo:als:det:(?P<page>\d{{1,4}}):(?P<id>\d{{1,18}}|{NOTHING_CHOSEN})",
):
    def __init__(self, page: int, alias_id: int | None, label: str | None = None):
        self.page, self.alias_id = page, alias_id
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.danger,
                label=label,
                custom_id=f"cmo:als:det:{page}:{NOTHING_CHOSEN if alias_id is None else alias_id}",
                disabled=alias_id is None,
            )
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[CmoBot], item: Any, match: re.Match[str]) -> Self:
        return cls(int(match["page"]), None if match["id"] == NOTHING_CHOSEN else int(match["id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        improvements, lang = interaction.client.services.improvements, lang_of(interaction)
        try:
            alias = None if self.alias_id is None else await improvements.detach(interaction.guild_id, self.alias_id)
        except NotYoursError:
            status = t("als_not_yours", lang)
        else:
            if alias is None:
                status = t("als_gone", lang)
            else:
                topic = _title(improvements, alias.topic_id, lang)
                status = t("als_detached", lang, alias=quote_user_text(alias.alias, 200), topic=topic)
        await _redraw(interaction, self.page, status=status)


class PageButton(
    ModeratorPanelItem, discord.ui.DynamicItem[discord.ui.Button], template=r"cmo:als:page:(?P<page>\d{1,4})"
):
    def __init__(self, page: int, label: str | None = None):
        self.page = page
        super().__init__(
            discord.ui.Button(style=discord.ButtonStyle.secondary, label=label, custom_id=f"cmo:als:page:{page}")
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[CmoBot], item: Any, match: re.Match[str]) -> Self:
        return cls(int(match["page"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[CmoBot]) -> None:
        await _redraw(interaction, self.page)


DYNAMIC_ITEMS = (AliasSelect, DetachButton, PageButton)
