"""The edit form of one topic in one language: what it shows, and how a submit becomes a topic.

A moderator edits four texts of one language (title, summary, body, aliases); everything else
of the topic stays as it is. A submit is validated by the same schema as the files, so a live
edit can never make content that `content check` would refuse. Two moderators may have the
form of one topic open at once: a submit only applies the fields its author changed compared
with what the form showed, so edits of different fields both survive, and where both changed
one field the later submit wins and says so.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass

from bot.knowledge.loader import ContentIssue, parse_topic
from bot.knowledge.model import BODY_MAX, SUMMARY_MAX, TITLE_MAX, Lang, Topic

# A modal text input holds at most 4000 characters (Discord's limit).
INPUT_MAX = 4000
REASON_MAX = 500
FIELDS: tuple[str, ...] = ("title", "summary", "body", "aliases")
# What an input may hold: the schema's limit where it is stricter than Discord's.
INPUT_LIMITS: Mapping[str, int] = {"title": TITLE_MAX, "summary": SUMMARY_MAX, "body": BODY_MAX, "aliases": INPUT_MAX}


class EditRejected(Exception):
    """The submitted form does not make a valid topic; nothing was stored."""

    def __init__(self, issues: list[ContentIssue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


def shown_name(topic_id: str) -> str:
    """How a live edit is named in error messages: the file it overrides, marked as live."""
    return f"topics/{topic_id}.yaml (live edit)"


def format_aliases(aliases: list[str] | tuple[str, ...]) -> str:
    """Comma separated; an alias that itself holds a comma or a quote is quoted, CSV style."""
    return ", ".join(
        '"' + alias.replace('"', '""') + '"' if ("," in alias or '"' in alias) else alias for alias in aliases
    )


def parse_aliases(text: str) -> list[str]:
    """The inverse of format_aliases; new lines separate too. Blanks and repeats (ignoring
    case) are dropped, the order is kept."""
    aliases: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        if not line.strip():
            continue
        for cell in next(csv.reader([line], skipinitialspace=True)):
            alias = " ".join(cell.split())
            if alias and alias.casefold() not in seen:
                seen.add(alias.casefold())
                aliases.append(alias)
    return aliases


def form_values(topic: Topic, lang: Lang) -> dict[str, str]:
    """What the form shows for `topic` in `lang`."""
    return {
        "title": topic.title.get(lang),
        "summary": topic.summary.get(lang),
        "body": topic.body.get(lang),
        "aliases": format_aliases(topic.aliases.get(lang)),
    }


def _normal(field: str, value: str) -> object:
    """The comparable form of an input: reformatting the alias list, or spaces around a text,
    is no change."""
    if field == "aliases":
        return tuple(parse_aliases(value))
    return value.replace("\r\n", "\n").strip()


@dataclass(frozen=True)
class Merged:
    values: dict[str, str]
    # Fields this submit changed that another revision had also changed since the form opened.
    overwritten: tuple[str, ...]
    # Fields this submit changed at all.
    touched: tuple[str, ...]


def merge(base: Mapping[str, str], current: Mapping[str, str], submitted: Mapping[str, str]) -> Merged:
    """Three-way merge of form values: `base` is what the form showed, `current` what is live
    now, `submitted` what came back. Untouched fields take the live value."""
    values: dict[str, str] = {}
    overwritten: list[str] = []
    touched: list[str] = []
    for field in FIELDS:
        mine = submitted.get(field, base[field])
        if _normal(field, mine) == _normal(field, base[field]):
            values[field] = current[field]
            continue
        touched.append(field)
        values[field] = mine
        if _normal(field, current[field]) not in (_normal(field, base[field]), _normal(field, mine)):
            overwritten.append(field)
    return Merged(values, tuple(overwritten), tuple(touched))


def apply_form(topic: Topic, lang: Lang, values: Mapping[str, str]) -> Topic:
    """The topic with the form's texts in `lang`, validated by the content schema; raises
    EditRejected naming every field that is wrong."""
    shown = shown_name(topic.id)
    # Discord's own limit first; the schema then checks its stricter ones, all at once.
    issues = [
        ContentIssue(shown, f"{field}.{lang}", f"is {len(values[field])} characters; a form field holds {INPUT_MAX}")
        for field in FIELDS
        if field in values and len(values[field]) > INPUT_MAX
    ]
    if issues:
        raise EditRejected(issues)
    data = topic.model_dump(mode="json")
    for field in ("title", "summary", "body"):
        if field in values:
            data[field][lang] = values[field].strip()
    if "aliases" in values:
        data["aliases"][lang] = parse_aliases(values["aliases"])
    edited, issues = parse_topic(data, shown, expected_id=topic.id)
    if edited is None:
        raise EditRejected(issues)
    return edited
