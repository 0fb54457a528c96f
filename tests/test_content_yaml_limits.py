"""Content files that PyYAML alone would accept or that would stall a load: a key written
twice, a file over the size cap, something that is not a regular file. Each is refused with
the file (and the line) named, through `content check` as an operator runs it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.knowledge.loader import MAX_FILE_BYTES, ContentError, load_content
from tests.cli_helpers import run_merged

REPO_CONTENT = Path(__file__).resolve().parents[1] / "content"

pytestmark = pytest.mark.usefixtures("restore_root_logging")


@pytest.fixture
def content(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.delenv("CMO_CONTENT_DIR", raising=False)
    return Path(shutil.copytree(REPO_CONTENT, tmp_path / "content"))


def check(capsys, directory: Path) -> tuple[int, str]:
    return run_merged(capsys, "content", "check", str(directory))


def issues(directory: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(directory)
    return [str(issue) for issue in caught.value.issues]


def test_a_key_written_twice_in_a_topic_is_refused_with_file_and_line(content: Path, capsys) -> None:
    path = content / "topics" / "role-cfo.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    category = next(n for n, line in enumerate(lines, 1) if line.startswith("category:"))
    path.write_text("\n".join(lines) + "\ncategory: c-suite\n", encoding="utf-8")
    duplicate_line = len(lines) + 1

    code, output = check(capsys, content)

    assert code == 1
    assert (
        f"content/topics/role-cfo.yaml: invalid YAML (line {duplicate_line}, column 1): "
        f"duplicate key 'category' (first on line {category})"
    ) in output
    assert "Traceback" not in output


def test_a_duplicate_key_inside_a_nested_mapping_is_refused_too(content: Path) -> None:
    path = content / "topics" / "role-cfo.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\ntitle:\n  nl: " in text
    path.write_text(text.replace("\ntitle:\n  nl: ", "\ntitle:\n  nl: Dubbel\n  nl: ", 1), encoding="utf-8")
    [issue] = issues(content)
    assert issue.startswith("content/topics/role-cfo.yaml: invalid YAML (line ")
    assert "duplicate key 'nl' (first on line" in issue


def test_a_key_written_twice_in_tips_is_refused(content: Path) -> None:
    path = content / "tips.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "tips: []\n", encoding="utf-8")
    [issue] = issues(content)
    assert issue.startswith("content/tips.yaml: invalid YAML (line ")
    assert "duplicate key 'tips' (first on line 1)" in issue


def test_yaml_merge_keys_may_still_be_overridden(content: Path) -> None:
    # `<<:` merges exist to be overridden; that is not a duplicate.
    path = content / "topics" / "role-cfo.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle:\n", "\ntitle:\n  <<: {nl: Basis}\n", 1), encoding="utf-8")
    assert load_content(content).topics["role-cfo"].title.nl != "Basis"


def test_a_file_over_the_size_cap_is_refused_with_file_and_cap(content: Path, capsys) -> None:
    path = content / "topics" / "role-cfo.yaml"
    with path.open("a", encoding="utf-8") as file:
        file.write("# " + "x" * (3 * MAX_FILE_BYTES) + "\n")

    code, output = check(capsys, content)

    assert code == 1
    assert "content/topics/role-cfo.yaml: file is 3.0 MiB, larger than the 1 MiB limit for a content file" in output


def test_a_file_just_under_the_cap_loads(content: Path) -> None:
    path = content / "topics" / "role-cfo.yaml"
    text = path.read_text(encoding="utf-8")
    padding = MAX_FILE_BYTES - len(text.encode("utf-8")) - 3
    path.write_text(text + "#" + "x" * padding + "\n", encoding="utf-8")
    assert path.stat().st_size < MAX_FILE_BYTES
    assert "role-cfo" in load_content(content).topics


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_under_a_topic_name_is_refused_without_blocking(content: Path) -> None:
    os.mkfifo(content / "topics" / "pipe.yaml")
    assert "content/topics/pipe.yaml: not a regular file" in issues(content)
