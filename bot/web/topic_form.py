"""The web editor's form of a whole topic: what it shows, and how a submit becomes a Topic.

A moderator edits every field of a topic at once, Dutch and English side by side. The page
posts flat field names, and the templates and pages rely on exactly these:

    id, category, title.nl/.en, summary.nl/.en, body.nl/.en,
    sections.N.heading.nl/.en, sections.N.kind ("text" | "items"), sections.N.text.nl/.en,
    sections.N.items.nl/.en (one item per line), sections.N.remove ("on"),
    tables.N.title.nl/.en, tables.N.columns.nl/.en (one per line),
    tables.N.rows.nl/.en (one row per line, cells separated by " | "), tables.N.remove,
    aliases.nl/.en, keywords.nl/.en (one per line), related (repeated: one topic id each),
    sources.N.title, .publisher, .date, .date_basis ("published" | "accessed"), .url, .remove

Interface:

    form_from_topic(topic | None, topic_id="") -> TopicForm        what the page shows first
    read_topic_form(post_data, topic_id | None) -> TopicForm        what was submitted, to show again
    parse_topic_form(form, topic_id=None) -> (Topic | None, {field name: Message})
    error_texts(errors, lang) -> {field name: text}                 for the template

A slot (section, table, source) whose text fields are all empty is ignored, and one with
`remove` is dropped, so the page can always offer one blank slot for adding. The submit is
validated by the content schema itself, so the web can never store what `content check`
would refuse; pydantic's errors are mapped back to the field that caused them (a form-level
error has the key "") and to sentences a marketer can read, in either language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any, Protocol

from pydantic import ValidationError

from bot.knowledge.model import BODY_MAX, FIELD_TEXT_MAX, HEADING_MAX, LANGS, SUMMARY_MAX, TITLE_MAX, Lang, Topic
from bot.web.form_errors import Errors, Message, error_texts, mapped_errors

__all__ = ["Errors", "Message", "TopicForm", "error_texts", "form_from_topic", "parse_topic_form", "read_topic_form"]


def _schema_max(name: str) -> int:
    """A list's max_length in the schema, so the form never offers a slot the schema refuses."""
    return next(rule.max_length for rule in Topic.model_fields[name].metadata if hasattr(rule, "max_length"))


SECTION_SLOTS = _schema_max("sections")
TABLE_SLOTS = _schema_max("tables")
# Sources are unbounded in the schema; the cap only stops a crafted post from asking for
# thousands of slots.
SOURCE_SLOTS = 40
RELATED_MAX_READ = 100
CELL_SEPARATOR = " | "
KINDS = ("text", "items")
DATE_BASES = ("published", "accessed")

_SLOT_TEXT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "sections": ("heading.nl", "heading.en", "text.nl", "text.en", "items.nl", "items.en"),
    "tables": ("title.nl", "title.en", "columns.nl", "columns.en", "rows.nl", "rows.en"),
    "sources": ("title", "publisher", "date", "url"),
}
_SLOT_OTHER_FIELDS: Mapping[str, tuple[str, ...]] = {
    "sections": ("kind", "remove"),
    "tables": ("remove",),
    "sources": ("date_basis", "remove"),
}
_SLOT_LIMITS: Mapping[str, int] = {"sections": SECTION_SLOTS, "tables": TABLE_SLOTS, "sources": SOURCE_SLOTS}
_TEXT_LIMITS: Mapping[str, int] = {
    "title": TITLE_MAX,
    "summary": SUMMARY_MAX,
    "body": BODY_MAX,
    "heading": HEADING_MAX,
    "text": FIELD_TEXT_MAX,
}
_SINGLE_FIELDS = ("id", "category", *(f"{name}.{lang}" for name in ("title", "summary", "body") for lang in LANGS))
_TERM_FIELDS = tuple(f"{name}.{lang}" for name in ("aliases", "keywords") for lang in LANGS)


@dataclass(frozen=True)
class TopicForm:
    """What the form shows: field name -> text, the related topic ids in order (the order of
    the related menu under an answer), and how many slots of each list to render."""

    values: Mapping[str, str]
    related: tuple[str, ...]
    sections: int
    tables: int
    sources: int

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def slots(self, kind: str) -> range:
        return range(getattr(self, kind))

    def is_blank(self, kind: str, index: int) -> bool:
        """A slot with no text yet: the one offered for adding (its legend says so)."""
        return _blank(self.values, kind, index)

    def limit(self, name: str) -> int | None:
        """The schema's character limit of a text field, for the hint beside it."""
        parts = name.split(".")
        if parts[0] == "tables":
            return HEADING_MAX if parts[-2] == "title" else None  # a table's title is a heading
        return _TEXT_LIMITS.get(parts[-2] if parts[0] == "sections" else parts[0])


class _Localized(Protocol):
    def get(self, lang: Lang) -> str: ...


def _pair(values: dict[str, str], name: str, texts: _Localized) -> None:
    for lang in LANGS:
        values[f"{name}.{lang}"] = texts.get(lang)


def form_from_topic(topic: Topic | None, topic_id: str = "") -> TopicForm:
    """The form of `topic` with one blank slot per list (within the schema's limits); None
    gives the empty form of a new topic."""
    if topic is None:
        return TopicForm({"id": topic_id}, (), 1, 1, 1)
    values = {"id": topic.id, "category": topic.category}
    for name in ("title", "summary", "body"):
        _pair(values, name, getattr(topic, name))
    for index, section in enumerate(topic.sections):
        prefix = f"sections.{index}"
        _pair(values, f"{prefix}.heading", section.heading)
        values[f"{prefix}.kind"] = "text" if section.text is not None else "items"
        if section.text is not None:
            _pair(values, f"{prefix}.text", section.text)
        for lang in LANGS:
            values[f"{prefix}.items.{lang}"] = "\n".join(item.get(lang) for item in section.items or ())
    for index, table in enumerate(topic.tables):
        prefix = f"tables.{index}"
        _pair(values, f"{prefix}.title", table.title)
        for lang in LANGS:
            values[f"{prefix}.columns.{lang}"] = "\n".join(cell.get(lang) for cell in table.columns)
            values[f"{prefix}.rows.{lang}"] = "\n".join(
                CELL_SEPARATOR.join(cell.get(lang) for cell in row) for row in table.rows
            )
    for name in ("aliases", "keywords"):
        for lang in LANGS:
            values[f"{name}.{lang}"] = "\n".join(getattr(topic, name).get(lang))
    for index, source in enumerate(topic.sources):
        prefix = f"sources.{index}"
        values |= {f"{prefix}.title": source.title, f"{prefix}.publisher": source.publisher}
        values |= {f"{prefix}.date": source.date, f"{prefix}.date_basis": source.date_basis}
        values[f"{prefix}.url"] = source.url or ""
    sections = min(len(topic.sections) + 1, SECTION_SLOTS)
    tables = min(len(topic.tables) + 1, TABLE_SLOTS)
    return TopicForm(values, tuple(topic.related), sections, tables, len(topic.sources) + 1)


def _all(data: Any, name: str) -> list[object]:
    if hasattr(data, "getall"):
        return list(data.getall(name, []))
    value = data.get(name)
    return list(value) if isinstance(value, list | tuple) else [] if value is None else [value]


def _text(data: Any, name: str) -> str:
    """The first submitted text of `name`; browsers send new lines as CRLF, a file upload is no text."""
    found = _all(data, name)
    return found[0].replace("\r\n", "\n") if found and isinstance(found[0], str) else ""


def _blank(values: Mapping[str, str], kind: str, index: int) -> bool:
    return not any(values.get(f"{kind}.{index}.{name}", "").strip() for name in _SLOT_TEXT_FIELDS[kind])


def _submitted_slots(data: Any, kind: str) -> int:
    indices = [int(match.group(1)) for key in data if (match := re.fullmatch(rf"{kind}\.(\d{{1,3}})\..+", key))]
    return min(max(indices, default=-1) + 1, _SLOT_LIMITS[kind])


def read_topic_form(data: Any, topic_id: str | None) -> TopicForm:
    """The submitted form (a Mapping, or aiohttp's MultiDict with getall) as it should be shown
    again. `topic_id` given (editing): it stands in for the id field. A blank slot is added
    when the last one was filled in."""
    values = {name: _text(data, name) for name in _SINGLE_FIELDS + _TERM_FIELDS}
    if topic_id is not None:
        values["id"] = topic_id
    counts: dict[str, int] = {}
    for kind in _SLOT_LIMITS:
        count = _submitted_slots(data, kind)
        for index in range(count):
            for name in _SLOT_TEXT_FIELDS[kind] + _SLOT_OTHER_FIELDS[kind]:
                values[f"{kind}.{index}.{name}"] = _text(data, f"{kind}.{index}.{name}")
        if (count == 0 or not _blank(values, kind, count - 1)) and count < _SLOT_LIMITS[kind]:
            count += 1
        counts[kind] = count
    related = [value.strip() for value in _all(data, "related") if isinstance(value, str) and value.strip()]
    return TopicForm(values, tuple(dict.fromkeys(related))[:RELATED_MAX_READ], **counts)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _terms(text: str) -> list[str]:
    """One term per line; blanks and repeats (ignoring case) dropped, the order kept."""
    return list({line.casefold(): line for line in reversed(_lines(text))}.values())[::-1]


def _paired(nl: Iterable[str], en: Iterable[str]) -> list[dict[str, str]]:
    return [{"nl": a, "en": b} for a, b in zip_longest(nl, en, fillvalue="")]


def _count_mismatch(errors: Errors, name: str, key: str, nl: list[Any], en: list[Any]) -> None:
    if len(nl) != len(en):
        shorter = "nl" if len(nl) < len(en) else "en"
        errors.setdefault(f"{name}.{shorter}", Message(key, {"nl": len(nl), "en": len(en)}))


def _live_slots(form: TopicForm, kind: str) -> list[int]:
    return [
        index
        for index in form.slots(kind)
        if not _blank(form.values, kind, index) and form.get(f"{kind}.{index}.remove") != "on"
    ]


def _section(form: TopicForm, index: int, errors: Errors) -> dict[str, Any]:
    prefix = f"sections.{index}"
    kind = form.get(f"{prefix}.kind") or "text"
    if kind not in KINDS:
        errors.setdefault(f"{prefix}.kind", Message("editor_error_choice"))
        kind = "text"
    section: dict[str, Any] = {"heading": {lang: form.get(f"{prefix}.heading.{lang}") for lang in LANGS}}
    if kind == "text":
        section["text"] = {lang: form.get(f"{prefix}.text.{lang}") for lang in LANGS}
        return section
    nl, en = (_lines(form.get(f"{prefix}.items.{lang}")) for lang in LANGS)
    _count_mismatch(errors, f"{prefix}.items", "editor_error_items_count", nl, en)
    section["items"] = _paired(nl, en)
    return section


def _table(form: TopicForm, index: int, errors: Errors) -> dict[str, Any]:
    prefix = f"tables.{index}"
    columns = {lang: _lines(form.get(f"{prefix}.columns.{lang}")) for lang in LANGS}
    rows = {
        lang: [[cell.strip() for cell in line.split("|")] for line in _lines(form.get(f"{prefix}.rows.{lang}"))]
        for lang in LANGS
    }
    _count_mismatch(errors, f"{prefix}.columns", "editor_error_columns_count", columns["nl"], columns["en"])
    _count_mismatch(errors, f"{prefix}.rows", "editor_error_rows_count", rows["nl"], rows["en"])
    for lang in LANGS:
        for number, row in enumerate(rows[lang], start=1):
            if len(row) != len(columns[lang]) and columns[lang]:
                values = {"row": number, "cells": len(row), "columns": len(columns[lang])}
                errors.setdefault(f"{prefix}.rows.{lang}", Message("editor_error_row_cells", values))
            elif not all(row):
                errors.setdefault(f"{prefix}.rows.{lang}", Message("editor_error_empty_cell", {"row": number}))
    return {
        "title": {lang: form.get(f"{prefix}.title.{lang}") for lang in LANGS},
        "columns": _paired(columns["nl"], columns["en"]),
        "rows": [_paired(nl, en) for nl, en in zip_longest(rows["nl"], rows["en"], fillvalue=[])],
    }


def _source(form: TopicForm, index: int, errors: Errors) -> dict[str, Any]:
    prefix = f"sources.{index}"
    url = form.get(f"{prefix}.url").strip()
    if url and not re.match(r"https?://\S", url, re.IGNORECASE):
        errors.setdefault(f"{prefix}.url", Message("editor_error_url"))
    source = {name: form.get(f"{prefix}.{name}").strip() for name in ("title", "publisher", "date", "date_basis")}
    return source | {"url": url or None}


def parse_topic_form(form: TopicForm, topic_id: str | None = None) -> tuple[Topic | None, Errors]:
    """The validated Topic, or None and every error keyed by field name. `topic_id` given:
    an edit of that topic, the id field is ignored; None: a new topic with the form's id."""
    errors: Errors = {}
    slots = {kind: _live_slots(form, kind) for kind in _SLOT_LIMITS}
    data: dict[str, Any] = {
        "id": topic_id if topic_id is not None else form.get("id").strip(),
        "category": form.get("category"),
        "sections": [_section(form, index, errors) for index in slots["sections"]],
        "tables": [_table(form, index, errors) for index in slots["tables"]],
        "related": list(form.related),
        "sources": [_source(form, index, errors) for index in slots["sources"]],
    }
    for name in ("title", "summary", "body"):
        data[name] = {lang: form.get(f"{name}.{lang}") for lang in LANGS}
    for name in ("aliases", "keywords"):
        data[name] = {lang: _terms(form.get(f"{name}.{lang}")) for lang in LANGS}
    try:
        topic = Topic.model_validate(data)
    except ValidationError as exc:
        for name, message in mapped_errors(exc, slots):
            errors.setdefault(name, message)
        return None, errors
    return (None, errors) if errors else (topic, {})
