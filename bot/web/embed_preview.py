"""A Discord embed drawn in HTML, as a team member will see the answer, for the editor's preview.

Every text is escaped first and only then given the small Markdown subset Discord renders in
embeds (bold, italic, underline, strike-through, `code`, bullet lines, quotes, line breaks,
[text](url) links), so whatever a moderator types, `<script>` included, shows as text: the
markup added is ours alone, and a link only ever points to http(s). The colour bar is an SVG
rect (a presentation attribute, which the CSP allows, where an inline style is refused).

Class names for the stylesheet: discord-embed, embed-bar, embed-content, embed-author,
embed-title, embed-description, embed-fields, embed-field-row, embed-field (plus
embed-field-inline), embed-field-name, embed-field-value, embed-footer, md-list, md-quote,
md-code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from itertools import groupby
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from bot.i18n import t
from bot.knowledge.model import Lang, Topic
from bot.topic_embeds import topic_embed

if TYPE_CHECKING:
    import discord

# Discord puts at most three inline fields on one row.
INLINE_PER_ROW = 3
DEFAULT_COLOUR = 0x1E1F22
_PLACEHOLDER = "\x00{}\x00"

_CODE = re.compile(r"`([^`\n]+)`")
# Applied to text that is escaped already: "&quot;" etc. cannot end the href's quotes.
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s()<>\x00]+)\)")
# Content without "<" can only lie wholly inside or outside a tag added before: well nested.
_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\*\*(?!\s)([^<*]+?)(?<!\s)\*\*"), "strong"),
    (re.compile(r"__(?!\s)([^<_]+?)(?<!\s)__"), "u"),
    (re.compile(r"\*(?![\s*])([^<*]+?)(?<![\s*])\*"), "em"),
    (re.compile(r"(?<![\w])_(?![\s_])([^<_]+?)(?<![\s_])_(?![\w])"), "em"),
    (re.compile(r"~~(?!\s)([^<~]+?)(?<!\s)~~"), "s"),
)
_BULLET = re.compile(r"^\s*(?:[-*•])\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")


def inline_markdown(text: str) -> Markup:
    """One line: escaped, then code spans, links and emphasis as HTML."""
    kept: list[str] = []

    def keep(html: str) -> str:
        kept.append(html)
        return _PLACEHOLDER.format(len(kept) - 1)

    line = str(escape(text.replace("\x00", "")))
    line = _CODE.sub(lambda m: keep(f'<code class="md-code">{m.group(1)}</code>'), line)
    line = _LINK.sub(
        lambda m: keep(f'<a href="{m.group(2)}" rel="noopener noreferrer nofollow">{_emphasis(m.group(1))}</a>'),
        line,
    )
    line = _emphasis(line)
    return Markup(re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], line))


def _emphasis(escaped: str) -> str:
    for pattern, tag in _INLINE:
        escaped = pattern.sub(rf"<{tag}>\1</{tag}>", escaped)
    return escaped


def markdown(text: str) -> Markup:
    """A block of Discord Markdown: bullet lines become a list, "> " lines a quote, other new
    lines <br>."""
    lines: list[tuple[str, str]] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if bullet := _BULLET.match(raw):
            lines.append(("list", f"<li>{inline_markdown(bullet.group(1))}</li>"))
        elif quote := _QUOTE.match(raw):
            lines.append(("quote", str(inline_markdown(quote.group(1)))))
        else:
            lines.append(("plain", str(inline_markdown(raw))))
    blocks: list[str] = []
    for kind, group in groupby(lines, key=lambda line: line[0]):
        htmls = [html for _, html in group]
        if kind == "list":
            blocks.append('<ul class="md-list">' + "".join(htmls) + "</ul>")
        elif kind == "quote":
            blocks.append('<blockquote class="md-quote">' + "<br>".join(htmls) + "</blockquote>")
        else:
            blocks.append("<br>".join(htmls))
    return Markup("".join(blocks))


def _http_url(value: object) -> str | None:
    return value if isinstance(value, str) and re.match(r"https?://", value, re.IGNORECASE) else None


def _colour_bar(colour: object) -> Markup:
    return Markup(
        '<svg class="embed-bar" width="4" height="100%" viewBox="0 0 4 100" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false"><rect width="4" height="100" fill="#{:06x}"/></svg>'
    ).format(_colour_value(colour))


def _title(embed: Mapping[str, Any]) -> Markup:
    title = inline_markdown(embed["title"])
    url = _http_url(embed.get("url"))
    if url:
        title = Markup('<a href="{}" rel="noopener noreferrer nofollow">{}</a>').format(url, title)
    return Markup('<div class="embed-title">{}</div>').format(title)


def _fields(fields: list[Mapping[str, Any]]) -> Markup:
    """Inline fields side by side, three to a row at most; any other field on its own row."""
    rows: list[list[Mapping[str, Any]]] = []
    for field in fields:
        inline = bool(field.get("inline"))
        if inline and rows and rows[-1][-1].get("inline") and len(rows[-1]) < INLINE_PER_ROW:
            rows[-1].append(field)
        else:
            rows.append([field])
    html = Markup("")
    for row in rows:
        cells = Markup("").join(
            Markup(
                '<div class="embed-field{}"><div class="embed-field-name">{}</div>'
                '<div class="embed-field-value">{}</div></div>'
            ).format(
                " embed-field-inline" if field.get("inline") else "",
                inline_markdown(str(field.get("name", ""))),
                markdown(str(field.get("value", ""))),
            )
            for field in row
        )
        html += Markup('<div class="embed-field-row">{}</div>').format(cells)
    return Markup('<div class="embed-fields">{}</div>').format(html)


_PARTS: tuple[tuple[str, Callable[[Mapping[str, Any]], Markup]], ...] = (
    ("author", lambda e: Markup('<div class="embed-author">{}</div>').format(e["author"].get("name", ""))),
    ("title", _title),
    ("description", lambda e: Markup('<div class="embed-description">{}</div>').format(markdown(e["description"]))),
    ("fields", lambda e: _fields(e["fields"])),
    ("footer", lambda e: Markup('<div class="embed-footer">{}</div>').format(e["footer"].get("text", ""))),
)


def embed_html(embed: discord.Embed | Mapping[str, Any], label: str = "Discord") -> Markup:
    """The embed (discord.Embed, or the dict of bot.topic_embeds) as HTML; `label` names it for
    screen readers. Author and footer are plain text, as Discord shows them."""
    data: Mapping[str, Any] = embed.to_dict() if hasattr(embed, "to_dict") else embed
    body = Markup("").join(render(data) for key, render in _PARTS if data.get(key))
    return Markup(
        '<div class="discord-embed" role="figure" aria-label="{}" data-colour="#{:06x}">{}'
        '<div class="embed-content">{}</div></div>'
    ).format(label, _colour_value(data.get("color")), _colour_bar(data.get("color")), body)


def _colour_value(colour: object) -> int:
    return colour if isinstance(colour, int) and 0 <= colour <= 0xFFFFFF else DEFAULT_COLOUR


def topic_preview(topic: Topic, lang: Lang) -> Markup:
    """The answer /explain and /ask give for `topic` in `lang`, drawn as the embed."""
    language = t(f"editor_lang_{lang}", lang)
    return embed_html(topic_embed(topic, lang), label=t("editor_preview_label", lang, language=language))
