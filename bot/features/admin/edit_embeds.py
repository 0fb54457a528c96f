"""What the editing panel shows as embeds: the reload report, a refused reload, and a
topic's history of revisions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from discord.utils import escape_markdown

from bot.editing.diff import describe
from bot.editing.reload import ReloadReport
from bot.features.common import quote_user_text
from bot.i18n import t
from bot.knowledge.loader import ContentError, ContentIssue
from bot.knowledge.model import Lang
from bot.limits import DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, TITLE_LIMIT
from bot.storage.revisions import Revision
from bot.storage.timestamps import from_utc_iso
from bot.text_fit import clip, pack_lines
from bot.topic_embeds import COLOUR, GREY

ERROR_COLOUR = 0xC0392B


def lines_within(lines: Sequence[str], limit: int, more_key: str, lang: Lang, head: str = "") -> str:
    """`head` plus as many lines as fit in `limit`, then a count of the lines left out."""

    def more(count: int) -> str:
        return t(more_key, lang, count=count)

    if not head:
        return "\n".join(pack_lines(lines, limit, more))
    return "\n".join([head, *pack_lines(lines, limit - len(head) - 1, more)])


def issue_lines(issues: Sequence[ContentIssue]) -> list[str]:
    return [f"• {escape_markdown(clip(str(issue), 300))}" for issue in issues]


def _ids(topic_ids: Sequence[str]) -> str:
    return clip(", ".join(topic_ids), FIELD_VALUE_LIMIT)


def reload_embed(report: ReloadReport, lang: Lang) -> dict[str, Any]:
    description = t("edit_reload_summary", lang, topics=report.topics, tips=report.tips)
    if report.unchanged:
        description += "\n" + t("edit_reload_unchanged", lang)
    fields = [
        {"name": t(key, lang, count=len(ids)), "value": _ids(ids), "inline": False}
        for key, ids in (
            ("edit_reload_added", report.added),
            ("edit_reload_changed", report.changed),
            ("edit_reload_removed", report.removed),
        )
        if ids
    ]
    if report.shadowed:
        fields.append(
            {
                "name": t("edit_reload_shadowed", lang, count=len(report.shadowed)),
                "value": clip(
                    t("edit_reload_shadowed_hint", lang) + "\n" + ", ".join(report.shadowed), FIELD_VALUE_LIMIT
                ),
                "inline": False,
            }
        )
    return {"title": t("edit_reload_title", lang), "description": description, "color": COLOUR, "fields": fields}


def reload_failed_embed(error: ContentError, lang: Lang) -> dict[str, Any]:
    head = t("edit_reload_failed", lang, count=len(error.issues))
    return {
        "title": t("edit_reload_failed_title", lang),
        "description": lines_within(
            issue_lines(error.issues), DESCRIPTION_LIMIT, "edit_more_issues", lang, head + "\n"
        ),
        "color": ERROR_COLOUR,
    }


def _timestamp(stored: str) -> str:
    """A stored UTC time as a Discord timestamp: every reader sees it in their own zone."""
    return f"<t:{int(from_utc_iso(stored).timestamp())}:f>"


def _history_line(revision: Revision, lang: Lang, live: bool) -> str:
    if revision.action == "revert":
        action = t("edit_history_revert", lang, target=revision.reverted_to)
    elif revision.action in ("create", "retire") or revision.lang is None:
        # Made on the web dashboard: a whole topic, both languages at once.
        action = t(f"edit_history_{'edit_both' if revision.action == 'edit' else revision.action}", lang)
    else:
        action = t("edit_history_edit", lang, language=revision.lang)
    who = quote_user_text(revision.editor_name, 100) if revision.editor_name else t("edit_history_unknown_editor", lang)
    marker = f" · **{t('edit_history_live', lang)}**" if live else ""
    changes = (
        t("edit_history_changed", lang, changes=describe(revision.changes))
        if revision.changes
        else t("edit_history_no_change", lang)
    )
    line = f"**{revision.n}** · {_timestamp(revision.created_at)} · {who} · {action}{marker}\n{changes}"
    if revision.reason:
        line += f"\n> {quote_user_text(revision.reason, 300)}"
    return line


def history_embed(title: str, revisions: list[Revision], total: int, lang: Lang) -> dict[str, Any]:
    """Newest first, as many revisions as fit, then how many older ones are not shown, then 0."""
    live = f" · **{t('edit_history_live', lang)}**"
    file_line = f"**0** · {t('edit_history_file', lang)}" + (live if not revisions or revisions[0].follows_file else "")
    if not revisions:
        description = t("edit_history_empty", lang)
    else:
        lines = pack_lines(
            [_history_line(revision, lang, live=index == 0) for index, revision in enumerate(revisions)],
            DESCRIPTION_LIMIT - len(file_line) - 1,
            lambda count: t("edit_history_more", lang, count=count),
            total=total,
        )
        description = "\n".join([*lines, file_line])
    return {
        "title": clip(t("edit_history_title", lang, title=title), TITLE_LIMIT),
        "description": description,
        "color": GREY,
        "footer": {"text": t("edit_history_footer", lang)},
    }
