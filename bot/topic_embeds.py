"""Content -> embeds, as plain data in Discord's embed JSON shape. Pure functions.

Discord rejects a whole message when one embed limit is exceeded, so every text passes
through `clip` (bot/text_fit.py) and the total is checked before returning: a long topic loses its last
fields and gains a "more" hint rather than failing to send. The result is a dict so that
this module (and its tests) need no Discord library; the Discord layer wraps it with
`discord.Embed.from_dict`.
"""

from __future__ import annotations

import re
from typing import Any

from bot import limits
from bot.cli_text import source_line
from bot.i18n import t
from bot.knowledge.model import Lang, Tip, Topic
from bot.text_fit import clip, pack_lines

COLOUR = 0xE4572E
GREY = 0x95A5A6
CATEGORY_COLOURS = {"cmo-role": 0xE4572E, "c-suite": 0x17BEBB, "ai-trends": 0x76B041}

Embed = dict[str, Any]


# What Discord turns into a link needs a scheme followed by "://" (also in <https://...> and
# in the target of a masked link [text](https://...)).
_LINK_SEPARATOR = re.compile(r"(?<=[A-Za-z0-9+.\-]):(?=//)")


def unlinked(text: str) -> str:
    """User text in which no URL is clickable: a zero-width space goes between a scheme's ":"
    and "//". The text reads the same, but a public reply that quotes a question no longer
    carries someone's link, whatever markdown (backticks, angle brackets, masked links)
    surrounds it."""
    return _LINK_SEPARATOR.sub(":\u200b", text)


def embed_length(embed: Embed) -> int:
    """What Discord counts towards the 6,000 character total."""
    fields = embed.get("fields", [])
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(field["name"]) + len(field["value"]) for field in fields)
        + len(embed.get("footer", {}).get("text", ""))
        + len(embed.get("author", {}).get("name", ""))
    )


def topic_embed(topic: Topic, lang: Lang) -> Embed:
    """The full answer for one topic: summary and body, sections as fields, tables as rows,
    sources in the footer."""
    embed: Embed = {
        "title": clip(topic.title.get(lang), limits.TITLE_LIMIT),
        "description": clip(f"**{topic.summary.get(lang)}**\n\n{topic.body.get(lang)}", limits.DESCRIPTION_LIMIT),
        "color": CATEGORY_COLOURS.get(topic.category, COLOUR),
        "fields": [],
    }
    footer = t("sources", lang) + ": " + "; ".join(source_line(source, lang) for source in topic.sources)
    embed["footer"] = {"text": clip(footer, limits.FOOTER_LIMIT)}
    _add_fields_within_limits(embed, topic_fields(topic, lang), more=t("more_hint", lang, topic=topic.id))
    return embed


def topic_fields(topic: Topic, lang: Lang) -> list[tuple[str, str]]:
    """Sections and tables as (name, value) pairs, before any clipping."""
    fields: list[tuple[str, str]] = []
    for section in topic.sections:
        if section.text is not None:
            value = section.text.get(lang)
        else:
            value = "\n".join(f"• {item.get(lang)}" for item in section.items or ())
        fields.append((section.heading.get(lang), value))
    for table in topic.tables:
        header, *rows = [[cell.get(lang) for cell in row] for row in [table.columns, *table.rows]]
        lines = [f"**{row[0]}** — " + " · ".join(row[1:]) for row in rows]
        fields.append((f"{table.title.get(lang)} ({' · '.join(header[1:])})", "\n".join(lines)))
    return fields


def _add_fields_within_limits(embed: Embed, fields: list[tuple[str, str]], more: str) -> None:
    for index, (name, value) in enumerate(fields):
        name, value = clip(name, limits.FIELD_NAME_LIMIT), clip(value, limits.FIELD_VALUE_LIMIT)
        room = limits.EMBED_TOTAL_LIMIT - embed_length(embed) - len(more) - 2
        if index >= limits.FIELD_COUNT_LIMIT - 1 or len(name) + len(value) > room:
            embed["description"] = clip(embed["description"] + "\n\n" + more, limits.DESCRIPTION_LIMIT)
            break
        embed["fields"].append({"name": name, "value": value, "inline": False})
    overflow = embed_length(embed) - limits.EMBED_TOTAL_LIMIT
    if overflow > 0:  # only with extreme descriptions: shorten the text itself
        embed["description"] = clip(embed["description"], max(1, len(embed["description"]) - overflow))


def tip_embed(tip: Tip, topic: Topic | None, lang: Lang) -> Embed:
    embed: Embed = {
        "title": clip("💡 " + t("tip_title", lang), limits.TITLE_LIMIT),
        "description": clip(tip.text.get(lang), limits.DESCRIPTION_LIMIT),
        "color": COLOUR,
    }
    if topic is not None:
        embed["footer"] = {"text": clip(t("tip_footer", lang, title=topic.title.get(lang)), limits.FOOTER_LIMIT)}
    return embed


def no_match_embed(quoted_question: str, suggestions: list[Topic], lang: Lang) -> Embed:
    """`quoted_question` must already be escaped for display by the caller; links in it are
    made unclickable here."""
    embed: Embed = {
        "title": clip(t("no_match_title", lang), limits.TITLE_LIMIT),
        "description": clip(f"> {unlinked(quoted_question)}\n\n{t('no_match', lang)}", limits.DESCRIPTION_LIMIT),
        "color": GREY,
        "fields": [],
    }
    if suggestions:
        value = "\n".join(f"• {topic.title.get(lang)}" for topic in suggestions)
        embed["fields"].append(
            {"name": t("suggestions", lang), "value": clip(value, limits.FIELD_VALUE_LIMIT), "inline": False}
        )
    return embed


COMPARISON_TOPIC = "c-level-comparison"


def comparison_rows(topic: Topic, lang: Lang) -> tuple[list[str], dict[str, list[str]]]:
    """The comparison table as (column names, rows keyed by the role's English name)."""
    table = topic.tables[0]
    columns = [cell.get(lang) for cell in table.columns]
    rows = {row[0].get("en").upper(): [cell.get(lang) for cell in row] for row in table.rows}
    return columns, rows


def compare_embed(topic: Topic, role: str | None, lang: Lang) -> Embed:
    """One role beside the CMO (`role`), or the whole table (`role` None)."""
    columns, rows = comparison_rows(topic, lang)
    roles = list(rows) if role is None else [role.upper(), "CMO"]
    title = t("compare_all_title", lang) if role is None else t("compare_title", lang, role=role.upper())
    embed: Embed = {"title": clip(title, limits.TITLE_LIMIT), "color": CATEGORY_COLOURS["c-suite"], "fields": []}
    for name in dict.fromkeys(roles):
        if name not in rows:
            continue
        cells = rows[name]
        value = "\n".join(f"**{column}:** {cell}" for column, cell in zip(columns[1:], cells[1:], strict=True))
        embed["fields"].append(
            {"name": clip(cells[0], limits.FIELD_NAME_LIMIT), "value": clip(value, limits.FIELD_VALUE_LIMIT)}
        )
    footer = t("sources", lang) + ": " + "; ".join(source_line(source, lang) for source in topic.sources)
    embed["footer"] = {"text": clip(footer, limits.FOOTER_LIMIT)}
    return embed


def topics_overview_embed(counts: dict[str, int], lang: Lang) -> Embed:
    fields = [
        {"name": t(f"category_{category}", lang), "value": t("topics_count", lang, count=count), "inline": True}
        for category, count in counts.items()
    ]
    return {"title": t("topics_title", lang), "description": t("topics_intro", lang), "color": COLOUR, "fields": fields}


def category_embed(category: str, topics: list[Topic], lang: Lang) -> Embed:
    lines = [f"• **{topic.title.get(lang)}** — {topic.summary.get(lang)}" for topic in topics]
    return {
        "title": clip(t(f"category_{category}", lang), limits.TITLE_LIMIT),
        "description": "\n".join(pack_lines(lines, limits.DESCRIPTION_LIMIT)).strip(),
        "color": CATEGORY_COLOURS.get(category, COLOUR),
    }
