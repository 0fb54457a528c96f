"""Export: the live content (edits and learned aliases applied) written back as content files."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from bot.__main__ import main
from bot.editing.export import export_content
from bot.editing.form import apply_form, form_values
from bot.knowledge.loader import load_content
from bot.knowledge.store import ContentStore

REPO_CONTENT = Path(__file__).resolve().parents[1] / "content"


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def _live_store(tmp_path: Path) -> ContentStore:
    """The repository's content with a live edit (with a line break and a comma alias) and
    learned aliases, one of which repeats an existing alias in other case."""
    store = ContentStore.from_dir(Path(shutil.copytree(REPO_CONTENT, tmp_path / "content")))
    skills = store.current.topic("cmo-skills")
    values = form_values(skills, "nl") | {
        "body": "Eerste alinea.\n\nTweede alinea: met een dubbele punt.",
        "aliases": form_values(skills, "nl")["aliases"] + ', "ja, nee"',
    }
    edited = apply_form(skills, "nl", values)
    learned = {
        "cmo-skills": {"nl": ("CMO SKILLS", "wat moet een cmo kunnen"), "en": ("cmo abilities",)},
        "role-cfo": {"en": ("money chief",)},
    }
    store.rebuild(overlay=replace(store.overlay, topic_overrides={"cmo-skills": edited}, learned_aliases=learned))
    return store


def test_export_writes_the_live_content_that_content_check_accepts(tmp_path: Path) -> None:
    store = _live_store(tmp_path)
    out = tmp_path / "does" / "not" / "exist"
    result = export_content(store, out)
    assert (result.topics, result.tips) == (len(store.current.topics), len(store.current.tips))
    assert main(["content", "check", str(out)]) == 0

    loaded = load_content(out)
    skills = loaded.topics["cmo-skills"]
    assert skills.body.nl == "Eerste alinea.\n\nTweede alinea: met een dubbele punt."
    assert skills.aliases.nl[-2:] == ["ja, nee", "wat moet een cmo kunnen"]  # the edit's, then the learned one
    assert "CMO SKILLS" not in skills.aliases.nl  # "cmo skills" was there already
    assert skills.aliases.en[-1] == "cmo abilities"
    assert loaded.topics["role-cfo"].aliases.en[-1] == "money chief"
    # Everything else is exactly what the files held.
    for topic_id, topic in load_content(REPO_CONTENT).topics.items():
        if topic_id not in ("cmo-skills", "role-cfo"):
            assert loaded.topics[topic_id] == topic, topic_id
    assert loaded.tips == store.current.tips
    text = (out / "topics" / "cmo-skills.yaml").read_text(encoding="utf-8")
    assert "  nl: |-\n    Eerste alinea.\n\n    Tweede alinea" in text  # a literal block, not escapes
    assert "Creativiteit én analytisch vermogen" in text  # unicode as is


def test_export_load_export_gives_identical_files(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    export_content(_live_store(tmp_path), first)
    export_content(ContentStore.from_dir(first), second)
    assert _files(first) == _files(second)
    # And exporting the same store twice into one folder changes nothing.
    before = _files(first)
    export_content(ContentStore.from_dir(first), first)
    assert _files(first) == before


def _folder_with_strangers(out: Path) -> None:
    (out / "topics").mkdir(parents=True)
    (out / "topics" / "gone.yaml").write_text("id: gone\n", encoding="utf-8")
    (out / "topics" / "cmo-skills.yml").write_text("id: cmo-skills\n", encoding="utf-8")
    (out / "topics" / "README.md").write_text("mine", encoding="utf-8")
    (out / "notes.txt").write_text("kept", encoding="utf-8")


def test_export_deletes_nothing_it_did_not_write_and_lists_the_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _folder_with_strangers(out)
    result = export_content(ContentStore.from_dir(REPO_CONTENT), out)
    assert result.removed == ()
    assert result.stale == ("cmo-skills.yml", "gone.yaml")
    assert (out / "topics" / "gone.yaml").read_text(encoding="utf-8") == "id: gone\n"
    assert (out / "topics" / "cmo-skills.yml").exists()
    assert (out / "topics" / "README.md").read_text(encoding="utf-8") == "mine"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "kept"
    assert not list(out.rglob("*.partial"))


def test_export_with_prune_removes_only_stale_yaml_topic_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _folder_with_strangers(out)
    result = export_content(ContentStore.from_dir(REPO_CONTENT), out, prune=True)
    assert result.removed == ("gone.yaml",)
    assert result.stale == ("cmo-skills.yml",)  # not *.yaml: left, and still listed
    assert not (out / "topics" / "gone.yaml").exists()
    assert (out / "topics" / "README.md").exists() and (out / "notes.txt").exists()
    (out / "topics" / "cmo-skills.yml").unlink()
    load_content(out)


def test_an_export_of_the_file_content_reproduces_it(tmp_path: Path) -> None:
    export_content(ContentStore.from_dir(REPO_CONTENT), tmp_path / "out")
    assert load_content(tmp_path / "out") == load_content(REPO_CONTENT)
