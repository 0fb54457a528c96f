"""Reads content/ into validated models, collecting every error before giving up.

A moderator fixing content wants the whole list at once, each line naming the file and the
field, rather than one error per attempt. Loading never half-succeeds: either a complete
`ContentSet` comes back or `ContentError` with all problems.
"""

from __future__ import annotations

import importlib
import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.knowledge.model import Tip, TipsFile, Topic

log = logging.getLogger(__name__)

TOPICS_DIR = "topics"
TIPS_FILE = "tips.yaml"
# The largest content file read. The biggest shipped topic is a few KiB; the cap keeps a
# stray or hostile file (a log, a dump) from stalling a reload and filling memory.
MAX_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ContentIssue:
    """One problem: the file (as given, relative to the content dir's parent when possible),
    the dotted field path (empty for file-level problems) and the message."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}" if self.field else f"{self.file}: {self.message}"


class ContentError(Exception):
    """Raised with every issue found; the content that was live stays live."""

    def __init__(self, issues: list[ContentIssue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


@dataclass(frozen=True)
class ContentSet:
    """Validated content as read from files, before live edits are applied."""

    topics: Mapping[str, Topic]
    tips: tuple[Tip, ...]


def default_content_dir() -> Path:
    """The bundled content: the checkout's content/ when run from source, else the copy
    that the wheel carries as the package `bot._content`."""
    checkout = Path(__file__).resolve().parents[2] / "content"
    if (checkout / TIPS_FILE).is_file():
        return checkout
    # content/ has no __init__.py, so bot._content is a namespace package: its folder is
    # the first entry of __path__ (resources.files() would give a MultiplexedPath).
    bundled = importlib.import_module("bot._content")
    return Path(next(iter(bundled.__path__)))


def _display_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _field_path(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc)


# libyaml's parser when PyYAML was built with it (several times faster); the same safe
# constructor either way.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses a key written twice in one mapping.

    PyYAML silently keeps the last value, so a field pasted twice would hide the first
    version from whoever reads the file; the error names the line of both."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[object, object]:
        if isinstance(node, yaml.MappingNode):
            first_lines: dict[object, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # `<<: *base` merges are overridden on purpose
                key = self.construct_object(key_node, deep=deep)
                try:
                    hash(key)
                except TypeError:
                    continue  # PyYAML reports unhashable keys itself
                line = key_node.start_mark.line + 1
                if key in first_lines:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key '{key}' (first on line {first_lines[key]})",
                        key_node.start_mark,
                    )
                first_lines[key] = line
        return super().construct_mapping(node, deep=deep)


class _Unreadable(Exception):
    """A content file that is not read: too large, or not a regular file."""


def _read_text(path: Path) -> str:
    """Reads at most MAX_FILE_BYTES + 1 bytes, so an oversized file is never read whole; a
    FIFO or device under a .yaml name would block or never end, so only regular files."""
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise _Unreadable("not a regular file")
    with path.open("rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _Unreadable(
            f"file is {max(status.st_size, len(data)) / 1024 / 1024:.1f} MiB, larger than the "
            f"{MAX_FILE_BYTES / 1024 / 1024:g} MiB limit for a content file"
        )
    return data.decode("utf-8")


def _read_yaml(path: Path, root: Path, issues: list[ContentIssue]) -> object | None:
    shown = _display_path(path, root)
    try:
        text = _read_text(path)
    except _Unreadable as exc:
        issues.append(ContentIssue(shown, "", str(exc)))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(ContentIssue(shown, "", f"cannot read file: {exc}"))
        return None
    if not text.strip():
        issues.append(ContentIssue(shown, "", "file is empty"))
        return None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a safe loader: no arbitrary objects
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        problem = getattr(exc, "problem", None) or str(exc)
        issues.append(ContentIssue(shown, "", f"invalid YAML{line}: {problem}"))
        return None
    if data is None:
        issues.append(ContentIssue(shown, "", "file holds only comments"))
    return data


def _validation_issues(shown: str, exc: ValidationError, prefix: tuple[object, ...] = ()) -> list[ContentIssue]:
    return [
        ContentIssue(shown, _field_path(prefix + tuple(error["loc"])), error["msg"].removeprefix("Value error, "))
        for error in exc.errors()
    ]


def parse_topic(data: object, shown: str, expected_id: str | None = None) -> tuple[Topic | None, list[ContentIssue]]:
    """Validates one topic mapping; used for files and for live edits alike."""
    if not isinstance(data, dict):
        return None, [ContentIssue(shown, "", "a topic file must hold a mapping of fields")]
    try:
        topic = Topic.model_validate(data)
    except ValidationError as exc:
        return None, _validation_issues(shown, exc)
    if expected_id is not None and topic.id != expected_id:
        return None, [ContentIssue(shown, "id", f"'{topic.id}' must match the file name '{expected_id}'")]
    return topic, []


def _folder_problem(folder: Path) -> str | None:
    """Why `folder` cannot be read as a folder, or None. Path.is_dir() would raise on a
    permission error, and glob() would quietly find nothing in an unreadable folder."""
    try:
        if not folder.exists():
            return "folder not found"
        if not folder.is_dir():
            return "is a file, not a folder"
    except OSError as exc:
        return f"cannot read folder: {exc.strerror or exc}"
    return None


def _topic_files(topics_dir: Path) -> list[Path]:
    """*.yaml then *.yml, each sorted; raises OSError when the folder cannot be listed."""
    names = [entry.name for entry in os.scandir(topics_dir)]
    return [topics_dir / name for suffix in (".yaml", ".yml") for name in sorted(names) if name.endswith(suffix)]


def _load_topics(root: Path, issues: list[ContentIssue]) -> dict[str, Topic]:
    topics_dir = root / TOPICS_DIR
    topics: dict[str, Topic] = {}
    problem = _folder_problem(topics_dir)
    if problem:
        issues.append(ContentIssue(_display_path(topics_dir, root), "", problem))
        return topics
    try:
        files = _topic_files(topics_dir)
    except OSError as exc:
        issues.append(ContentIssue(_display_path(topics_dir, root), "", f"cannot read folder: {exc.strerror or exc}"))
        return topics
    if not files:
        issues.append(ContentIssue(_display_path(topics_dir, root), "", "holds no topic files"))
    seen: dict[str, str] = {}
    for path in files:
        shown = _display_path(path, root)
        if path.stem in seen:
            issues.append(ContentIssue(shown, "", f"the topic '{path.stem}' is also defined in {seen[path.stem]}"))
            continue
        seen[path.stem] = shown
        data = _read_yaml(path, root, issues)
        if data is None:
            continue
        topic, found = parse_topic(data, shown, expected_id=path.stem)
        issues.extend(found)
        if topic is not None:
            topics[topic.id] = topic
    return topics


def _load_tips(root: Path, issues: list[ContentIssue]) -> tuple[Tip, ...]:
    path = root / TIPS_FILE
    shown = _display_path(path, root)
    if not os.path.lexists(path):
        issues.append(ContentIssue(shown, "", "file not found"))
        return ()
    data = _read_yaml(path, root, issues)
    if data is None:
        return ()
    try:
        tips_file = TipsFile.model_validate(data)
    except ValidationError as exc:
        issues.extend(_validation_issues(shown, exc))
        return ()
    seen: set[str] = set()
    for index, tip in enumerate(tips_file.tips):
        if tip.id in seen:
            issues.append(ContentIssue(shown, f"tips.{index}.id", f"duplicate tip id '{tip.id}'"))
        seen.add(tip.id)
    return tuple(tips_file.tips)


def cross_check(
    topics: Mapping[str, Topic], tips: tuple[Tip, ...], root: Path, known_ids: set[str] | None = None
) -> list[ContentIssue]:
    """References between files: related topics and tip topics must exist. `known_ids` may add
    the ids of topic files that failed validation, so that one broken file does not also show
    up as a dangling reference everywhere else."""
    issues: list[ContentIssue] = []
    known = set(topics) | (known_ids or set())
    for topic in topics.values():
        shown = _display_path(root / TOPICS_DIR / f"{topic.id}.yaml", root)
        for index, related in enumerate(topic.related):
            if related not in known:
                issues.append(ContentIssue(shown, f"related.{index}", f"unknown topic id '{related}'"))
    tips_shown = _display_path(root / TIPS_FILE, root)
    for index, tip in enumerate(tips):
        if tip.topic not in known:
            issues.append(ContentIssue(tips_shown, f"tips.{index}.topic", f"unknown topic id '{tip.topic}'"))
    return issues


def load_content(root: Path | str) -> ContentSet:
    """Loads and validates a content directory; raises ContentError listing every issue."""
    root = Path(root)
    issues: list[ContentIssue] = []
    problem = _folder_problem(root)
    if problem:
        message = "content folder not found" if problem == "folder not found" else problem
        raise ContentError([ContentIssue(str(root), "", message)])
    topics = _load_topics(root, issues)
    tips = _load_tips(root, issues)
    file_ids = {path.stem for path in (root / TOPICS_DIR).glob("*.y*ml")}
    issues.extend(cross_check(topics, tips, root, known_ids=file_ids))
    if issues:
        raise ContentError(issues)
    log.debug("loaded %d topics and %d tips from %s", len(topics), len(tips), root)
    return ContentSet(topics=dict(sorted(topics.items())), tips=tips)
