"""Writes the live content back to files: the way a live edit returns to version control.

The export holds what users see now: the files with every live edit and every learned alias
applied, in the layout `content check` reads (topics/<id>.yaml, tips.yaml). The output is
deterministic (field order of the schema, no line folding), so export -> load -> export gives
identical files and a diff against the checkout shows exactly what moderators changed.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.loader import TIPS_FILE, TOPICS_DIR
from bot.knowledge.model import ALIAS_MAX, LANGS, Lang, Topic
from bot.knowledge.snapshot import ContentSnapshot
from bot.knowledge.store import ContentStore

log = logging.getLogger(__name__)

# Wide enough that no text is folded over lines (a body holds at most 2000 characters).
YAML_WIDTH = 10_000
_OPTIONAL_LISTS = ("sections", "tables", "related")


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    topics: int
    tips: int
    # Topic files that were in the folder but are not in the content (removed, so the folder
    # holds exactly what is live).
    removed: tuple[str, ...]


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, and texts with line breaks as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=YAML_WIDTH)


def _merged_aliases(topic: Topic, learned: Mapping[Lang, tuple[str, ...]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for lang in LANGS:
        aliases = list(topic.aliases.get(lang))
        seen = {alias.casefold() for alias in aliases}
        for alias in learned.get(lang, ()):
            alias = " ".join(alias.split())
            if not alias or alias.casefold() in seen:
                continue
            if len(alias) > ALIAS_MAX:
                log.warning("learned alias of %s is longer than %d characters; not exported", topic.id, ALIAS_MAX)
                continue
            seen.add(alias.casefold())
            aliases.append(alias)
        merged[lang] = aliases
    return merged


def _cell(value: dict[str, str]) -> dict[str, str] | str:
    """A cell with the same text in both languages is written as one string, as in the files."""
    return value["nl"] if value["nl"] == value["en"] else value


def topic_document(topic: Topic, learned: Mapping[Lang, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """One topic as the mapping its file holds, in the schema's field order."""
    data = topic.model_dump(mode="json", exclude_none=True)
    data["aliases"] = _merged_aliases(topic, learned or {})
    for table in data.get("tables", []):
        table["columns"] = [_cell(cell) for cell in table["columns"]]
        table["rows"] = [[_cell(cell) for cell in row] for row in table["rows"]]
    for key in _OPTIONAL_LISTS:
        if not data.get(key):
            data.pop(key, None)
    return data


def _write(path: Path, text: str) -> None:
    """Next to the target, then renamed: a failed export never leaves half a file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_content(source: ContentStore | ContentSnapshot, directory: Path | str) -> ExportResult:
    """Writes every live topic and tip to `directory` (created when missing)."""
    snapshot = source.current if isinstance(source, ContentStore) else source
    root = Path(directory)
    topics_dir = root / TOPICS_DIR
    topics_dir.mkdir(parents=True, exist_ok=True)
    for topic_id, topic in sorted(snapshot.topics.items()):
        document = topic_document(topic, snapshot.learned_aliases.get(topic_id))
        _write(topics_dir / f"{topic_id}.yaml", dump_yaml(document))
    stale = sorted(
        path
        for path in [*topics_dir.glob("*.yaml"), *topics_dir.glob("*.yml")]
        if not (path.suffix == ".yaml" and path.stem in snapshot.topics)
    )
    for path in stale:
        path.unlink()
    tips = {"tips": [tip.model_dump(mode="json") for tip in snapshot.tips]}
    _write(root / TIPS_FILE, dump_yaml(tips))
    log.info("exported %d topics and %d tips to %s", len(snapshot.topics), len(snapshot.tips), root)
    return ExportResult(root, len(snapshot.topics), len(snapshot.tips), tuple(path.name for path in stale))
