"""Writes the live content back to files: the way a live edit returns to version control.

The export holds what users see now: the files with every live edit and every learned alias
applied, in the layout `content check` reads (topics/<id>.yaml, tips.yaml). Topics created
live are written like the others; a retired topic is not, nor a tip or related link to one,
so the export passes `content check` on its own. The output is deterministic (field order of
the schema, no line folding), so export -> load -> export gives identical files and a diff
against the checkout shows exactly what moderators changed.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
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
    # Topic files (*.yaml) that were in the folder, are not live, and were removed (--prune).
    removed: tuple[str, ...] = ()
    # Topic files that are not live and were left in place: `content check` still reads them.
    stale: tuple[str, ...] = ()


class ExportError(Exception):
    """The export could not write to `path`; names the path and the reason. Files written
    before the failure are complete (each is renamed into place whole)."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")


def _reason(exc: OSError) -> str:
    """The OS's words without the errno prefix and file name that str(OSError) adds."""
    return exc.strerror or str(exc)


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


def _prepare(topics_dir: Path) -> None:
    """Creates the folders, naming the exact part of the path that is in the way: a file
    somewhere up the path, or the first folder that cannot be created (read-only parent)."""
    try:
        missing: Path | None = None
        existing = topics_dir
        while not existing.exists() and existing != existing.parent:
            missing, existing = existing, existing.parent
        if not existing.is_dir():
            raise ExportError(existing, "a file is in the way (expected a folder)")
    except OSError as exc:  # a folder up the path that may not be entered
        raise ExportError(Path(exc.filename or topics_dir), _reason(exc)) from exc
    if missing is None:
        return
    try:
        topics_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(missing, f"cannot create this folder: {_reason(exc)}") from exc


def _write_file(path: Path, text: str) -> None:
    try:
        if path.is_dir():
            raise ExportError(path, "a folder is in the way (expected a file)")
        _write(path, text)
    except OSError as exc:
        raise ExportError(path, _reason(exc)) from exc


def _stale_files(topics_dir: Path, live: set[str]) -> list[Path]:
    """Topic files `content check` would read that the export did not write."""
    return sorted(
        path
        for path in [*topics_dir.glob("*.yaml"), *topics_dir.glob("*.yml")]
        if not (path.suffix == ".yaml" and path.stem in live)
    )


def content_documents(snapshot: ContentSnapshot) -> Iterator[tuple[str, str]]:
    """Every live topic and the tips as (path inside the content folder, YAML text): what
    `export_content` writes to a folder and the dashboard packs into a zip."""
    for topic_id, topic in sorted(snapshot.topics.items()):
        document = topic_document(topic, snapshot.learned_aliases.get(topic_id))
        yield f"{TOPICS_DIR}/{topic_id}.yaml", dump_yaml(document)
    yield TIPS_FILE, dump_yaml({"tips": [tip.model_dump(mode="json") for tip in snapshot.tips]})


def export_content(
    source: ContentStore | ContentSnapshot, directory: Path | str, *, prune: bool = False
) -> ExportResult:
    """Writes every live topic and tip to `directory` (created when missing).

    Deletes nothing it did not write: other topic files are only listed (`stale`), unless
    `prune` is set, which removes the stale *.yaml topic files (never anything else). Raises
    ExportError naming the path when a folder or file cannot be written."""
    snapshot = source.current if isinstance(source, ContentStore) else source
    root = Path(directory)
    topics_dir = root / TOPICS_DIR
    _prepare(topics_dir)
    for relative, text in content_documents(snapshot):
        _write_file(root / relative, text)
    removed: list[str] = []
    stale: list[str] = []
    for path in _stale_files(topics_dir, set(snapshot.topics)):
        if prune and path.suffix == ".yaml" and path.is_file():
            try:
                path.unlink()
            except OSError as exc:
                raise ExportError(path, f"cannot remove: {_reason(exc)}") from exc
            removed.append(path.name)
        else:
            stale.append(path.name)
    log.info("exported %d topics and %d tips to %s", len(snapshot.topics), len(snapshot.tips), root)
    return ExportResult(root, len(snapshot.topics), len(snapshot.tips), tuple(removed), tuple(stale))
