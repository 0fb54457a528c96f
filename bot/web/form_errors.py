"""pydantic's validation errors of a topic as the web form's field names and readable messages.

pydantic says "String should have at most 400 characters" at ('summary', 'nl'); a marketer
needs "This is 431 characters; at most 400 fit." under the Dutch summary, in the page's
language. A message is kept as a key of bot/strings/web_editor.toml with its values, so the
page renders it in the request's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.i18n import t
from bot.knowledge.model import LANGS, Lang


@dataclass(frozen=True)
class Message:
    """A validation message as a key of bot/strings/web_editor.toml and its values, so the page
    renders it in the request's language."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        return t(self.key, lang, **self.values)


Errors = dict[str, Message]


def error_texts(errors: Mapping[str, Message], lang: Lang) -> dict[str, str]:
    return {name: message.text(lang) for name, message in errors.items()}


def mapped_errors(exc: ValidationError, slots: Mapping[str, list[int]]) -> Iterator[tuple[str, Message]]:
    """Every error of `exc`; `slots` maps a list index in the validated data to the form slot it
    came from (blank and removed slots are skipped, so they differ)."""
    for error in exc.errors():
        yield _mapped(error, slots)


def _mapped(error: Any, slots: Mapping[str, list[int]]) -> tuple[str, Message]:
    """A pydantic error as (field name, message)."""
    loc = tuple(error["loc"])
    name = _field_name(loc, slots)
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("missing", "string_too_short"):
        return name, Message("editor_error_required")
    if kind == "string_too_long":
        length = len(str(error["input"]).strip())
        return name, Message("editor_error_too_long", {"length": length, "limit": ctx["max_length"]})
    if kind == "string_pattern_mismatch":
        return name, Message("editor_error_id_pattern")
    if kind == "literal_error":
        return name, Message("editor_error_choice")
    if kind == "too_long":
        return name, Message("editor_error_too_many", {"count": ctx["actual_length"], "limit": ctx["max_length"]})
    if kind == "too_short":
        if loc == ("sources",):
            return name, Message("editor_error_sources_needed")
        return name, Message("editor_error_too_few", {"count": ctx["actual_length"], "limit": ctx["min_length"]})
    if kind == "value_error":
        return _value_error(str(ctx.get("error", error["msg"])), name)
    return name, Message("editor_error_other", {"detail": error["msg"]})


def _value_error(text: str, name: str) -> tuple[str, Message]:
    """The model validators' messages (bot/knowledge/model.py), matched by their wording."""
    if match := re.match(r"the (nl|en) items together are (\d+) characters; one embed field holds (\d+)", text):
        lang, length, limit = match.groups()
        return f"{name}.items.{lang}", Message("editor_error_items_total", {"length": int(length), "limit": int(limit)})
    if text.startswith("'items' must not be empty"):
        return f"{name}.items.nl", Message("editor_error_items_empty")
    if match := re.match(r"row (\d+) has (\d+) cells but the table has (\d+) columns", text):
        row, cells, columns = (int(part) for part in match.groups())
        return name, Message("editor_error_row_cells", {"row": row + 1, "cells": cells, "columns": columns})
    if text.startswith("date must be"):
        return f"{name}.date", Message("editor_error_date")
    if text.startswith("date is not a real date"):
        return f"{name}.date", Message("editor_error_date_unreal")
    if text.startswith("a topic cannot list itself"):
        return "related", Message("editor_error_related_self")
    return name, Message("editor_error_other", {"detail": text})


def _field_name(loc: tuple[Any, ...], slots: Mapping[str, list[int]]) -> str:
    """pydantic's location as the form's field name: ('sections', 0, 'heading', 'nl') ->
    'sections.S.heading.nl' with S the slot that section came from; a cell of a table row ->
    'tables.S.rows.nl'; a model-level error of a section -> 'sections.S'; else ''."""
    if not loc:
        return ""
    head, lang = loc[0], next((part for part in reversed(loc) if part in LANGS), "nl")
    if head in ("id", "category", "related"):
        return str(head)
    if head in ("title", "summary", "body", "aliases", "keywords"):
        return f"{head}.{lang}"
    if head not in slots or len(loc) == 1:
        return "sources.0.title" if head == "sources" else ""
    prefix = f"{head}.{slots[head][loc[1]]}"
    if len(loc) == 2:
        return f"{prefix}.rows.nl" if head == "tables" else prefix
    if head == "sources":
        return f"{prefix}.{loc[2]}"
    return f"{prefix}.{loc[2]}.{lang}"
