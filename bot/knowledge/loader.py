"""Reads content/ into validated models, collecting every error before giving up.

A moderator fixing content wants the whole list at once, each line naming the file and the
field, rather than one error per attempt. Loading never half-succeeds: either a complete
`ContentSet` comes back or `ContentError` with all problems.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.knowledge.model import Tip, TipsFile, Topic

log = logging.getLogger(__name__)

TOPICS_DIR = "topics"
TIPS_FILE = "tips.yaml"


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


def _read_yaml(path: Path, root: Path, issues: list[ContentIssue]) -> object | None:
    shown = _display_path(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(ContentIssue(shown, "", f"cannot read file: {exc}"))
        return None
    if not text.strip():
        issues.append(ContentIssue(shown, "", "file is empty"))
        return None
    try:
        data = yaml.safe_load(text)
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


def _load_topics(root: Path, issues: list[ContentIssue]) -> dict[str, Topic]:
    topics_dir = root / TOPICS_DIR
    topics: dict[str, Topic] = {}
    if not topics_dir.is_dir():
        issues.append(ContentIssue(_display_path(topics_dir, root), "", "folder not found"))
        return topics
    files = sorted(topics_dir.glob("*.yaml")) + sorted(topics_dir.glob("*.yml"))
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
    if not path.is_file():
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
    if not root.is_dir():
        raise ContentError([ContentIssue(str(root), "", "content folder not found")])
    topics = _load_topics(root, issues)
    tips = _load_tips(root, issues)
    file_ids = {path.stem for path in (root / TOPICS_DIR).glob("*.y*ml")}
    issues.extend(cross_check(topics, tips, root, known_ids=file_ids))
    if issues:
        raise ContentError(issues)
    log.debug("loaded %d topics and %d tips from %s", len(topics), len(tips), root)
    return ContentSet(topics=dict(sorted(topics.items())), tips=tips)
