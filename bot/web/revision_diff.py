"""A readable difference between two versions of a topic: both written out as the YAML a
content file holds, compared line by line, so a moderator reads it like the file itself."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bot.editing.export import dump_yaml, topic_document
from bot.knowledge.model import Topic

CONTEXT_LINES = 2


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same" or "gap"
    text: str


def topic_yaml(topic: Topic | None) -> list[str]:
    return dump_yaml(topic_document(topic)).splitlines() if topic is not None else []


def diff_lines(old: Topic | None, new: Topic | None) -> list[DiffLine]:
    """Changed lines with a little context; an unchanged stretch shows as one gap."""
    lines: list[DiffLine] = []
    old_lines, new_lines = topic_yaml(old), topic_yaml(new)
    for group in difflib.SequenceMatcher(None, old_lines, new_lines).get_grouped_opcodes(CONTEXT_LINES):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            before, after = old_lines[i1:i2], new_lines[j1:j2]
            if tag == "equal":
                lines.extend(DiffLine("same", text) for text in before)
                continue
            lines.extend(DiffLine("removed", text) for text in before)
            lines.extend(DiffLine("added", text) for text in after)
    return lines
