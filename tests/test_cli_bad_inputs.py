"""Bad inputs an operator can give the command line: each ends in a message naming the path
or the variable and exit code 1, never a traceback. `content export` leaves alone what it
did not write.

Permission cases need a user that permissions apply to: as root (CI containers) the command
runs without the capabilities that let root ignore them (setpriv)."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.knowledge.loader import MAX_FILE_BYTES
from tests.cli_helpers import REPO, python_m_bot, run_merged, run_until_exit, taken_port, without_settings
from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def env(cli_db: Path) -> dict[str, str]:
    """The same clean settings as main() gets in-process, for subprocesses."""
    return without_settings() | {"CMO_DB_PATH": str(cli_db), "PYTHONPATH": str(REPO)}


def process(env: dict[str, str], *argv: str, cwd: Path, prefix: Sequence[str] = ()) -> tuple[int, str]:
    result = python_m_bot(*argv, env=env, cwd=cwd, prefix=prefix)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def unprivileged() -> list[str]:
    """A command prefix under which file permissions apply. Root (CI containers) ignores
    them through two capabilities; setpriv drops those for the child, so root is held to
    the owner bits like anyone else. Skips where neither applies."""
    if not hasattr(os, "geteuid"):
        pytest.skip("POSIX permissions")
    if not IS_ROOT:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be shown")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def assert_clean_failure(code: int, output: str, *needles: str) -> None:
    assert code == 1, output
    assert "Traceback" not in output
    for needle in needles:
        assert needle in output, output


# ------------------------------------------------------------------------------ content export


def test_export_leaves_files_it_did_not_write_and_lists_them(env, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    (out / "topics").mkdir(parents=True)
    (out / "topics" / "old-topic.yaml").write_text("id: old-topic\n", encoding="utf-8")
    (out / "topics" / "notes.md").write_text("mine\n", encoding="utf-8")

    code, output = run_merged(capsys, "content", "export", str(out))

    assert code == 0, output
    assert (out / "topics" / "old-topic.yaml").exists() and (out / "topics" / "notes.md").exists()
    assert "left 1 topic file(s) that are not in the live content" in output
    assert str(out / "topics" / "old-topic.yaml") in output
    assert "--prune" in output


def test_export_with_prune_removes_stale_topic_files_and_says_which(env, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    (out / "topics").mkdir(parents=True)
    (out / "topics" / "old-topic.yaml").write_text("id: old-topic\n", encoding="utf-8")
    (out / "topics" / "notes.md").write_text("mine\n", encoding="utf-8")

    code, output = run_merged(capsys, "content", "export", str(out), "--prune")

    assert code == 0, output
    assert f"removed {out / 'topics' / 'old-topic.yaml'}" in output
    assert not (out / "topics" / "old-topic.yaml").exists()
    assert (out / "topics" / "notes.md").read_text(encoding="utf-8") == "mine\n"
    assert run_merged(capsys, "content", "check", str(out))[0] == 0


def test_export_onto_a_file_names_it(env, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "export.txt"
    blocker.write_text("x", encoding="utf-8")
    code, output = run_merged(capsys, "content", "export", str(blocker))
    assert_clean_failure(code, output, f"cannot write {blocker}: a file is in the way")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_export_below_a_file_names_the_file_in_the_way(env, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "export.txt"
    blocker.write_text("x", encoding="utf-8")
    code, output = run_merged(capsys, "content", "export", str(blocker / "a" / "b"))
    assert_clean_failure(code, output, f"cannot write {blocker}: a file is in the way")


def test_export_with_a_folder_where_tips_yaml_goes_names_it(env, tmp_path: Path, capsys) -> None:
    (tmp_path / "out" / "tips.yaml").mkdir(parents=True)
    code, output = run_merged(capsys, "content", "export", str(tmp_path / "out"))
    assert_clean_failure(code, output, f"cannot write {tmp_path / 'out' / 'tips.yaml'}: a folder is in the way")


def test_export_into_a_read_only_folder_names_the_file(env, tmp_path: Path, unprivileged) -> None:
    out = tmp_path / "out"
    assert process(env, "content", "export", str(out), cwd=tmp_path, prefix=unprivileged)[0] == 0
    before = {path: path.read_bytes() for path in out.rglob("*.yaml")}
    (out / "topics").chmod(0o555)
    try:
        code, output = process(env, "content", "export", str(out), cwd=tmp_path, prefix=unprivileged)
    finally:
        (out / "topics").chmod(0o755)
    assert_clean_failure(code, output, f"cannot write {out / 'topics'}/", "Permission denied")
    assert not list(out.rglob("*.partial"))
    assert {path: path.read_bytes() for path in out.rglob("*.yaml")} == before


def test_export_below_a_read_only_folder_names_the_folder_it_cannot_create(env, tmp_path: Path, unprivileged) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        code, output = process(
            env, "content", "export", str(locked / "new" / "deeper"), cwd=tmp_path, prefix=unprivileged
        )
    finally:
        locked.chmod(0o755)
    assert_clean_failure(code, output, f"cannot write {locked / 'new'}: cannot create this folder: Permission denied")


def test_export_below_a_folder_that_cannot_be_entered_names_the_path(env, tmp_path: Path, unprivileged) -> None:
    closed = tmp_path / "closed"
    (closed / "sub").mkdir(parents=True)
    closed.chmod(0)
    try:
        code, output = process(env, "content", "export", str(closed / "sub" / "out"), cwd=tmp_path, prefix=unprivileged)
    finally:
        closed.chmod(0o755)
    assert_clean_failure(code, output, f"cannot write {closed / 'sub' / 'out'}", "Permission denied")


def test_export_that_the_os_refuses_names_the_file_and_reason(env, tmp_path: Path, monkeypatch, capsys) -> None:
    """The read-only case for any user, root included: the OS refuses the write."""
    import bot.editing.export as export

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(export.tempfile, "mkstemp", refuse)
    code, output = run_merged(capsys, "content", "export", str(tmp_path / "out"))
    first = sorted(path.name for path in (REPO / "content" / "topics").glob("*.yaml"))[0]
    assert_clean_failure(code, output, f"cannot write {tmp_path / 'out' / 'topics' / first}: Permission denied")


def test_export_that_cannot_create_its_folder_names_it(env, tmp_path: Path, monkeypatch, capsys) -> None:
    real_mkdir = Path.mkdir

    def refuse(self, *args, **kwargs):
        if self.is_relative_to(tmp_path / "new"):
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    code, output = run_merged(capsys, "content", "export", str(tmp_path / "new" / "deeper"))
    assert_clean_failure(code, output, f"cannot write {tmp_path / 'new'}: cannot create this folder: Permission denied")


# ------------------------------------------------------------------------------ content check and ask


def test_content_check_on_a_file_says_it_is_not_a_folder(env, tmp_path: Path, capsys) -> None:
    path = tmp_path / "content.yaml"
    path.write_text("x", encoding="utf-8")
    code, output = run_merged(capsys, "content", "check", str(path))
    assert_clean_failure(code, output, f"{path}: is a file, not a folder")


def test_content_check_with_topics_as_a_file_names_it(env, tmp_path: Path, capsys) -> None:
    content = Path(shutil.copytree(REPO / "content", tmp_path / "content"))
    shutil.rmtree(content / "topics")
    (content / "topics").write_text("x", encoding="utf-8")
    code, output = run_merged(capsys, "content", "check", str(content))
    assert_clean_failure(code, output, "content/topics: is a file, not a folder")


def test_content_check_with_an_unreadable_topics_folder_names_it(env, tmp_path: Path, unprivileged) -> None:
    content = Path(shutil.copytree(REPO / "content", tmp_path / "content"))
    (content / "topics").chmod(0o311)  # can be entered, not listed
    try:
        code, output = process(env, "content", "check", str(content), cwd=tmp_path, prefix=unprivileged)
    finally:
        (content / "topics").chmod(0o755)
    assert_clean_failure(code, output, "content/topics: cannot read folder: Permission denied")


def test_content_check_with_an_unreadable_file_names_it(env, tmp_path: Path, unprivileged) -> None:
    content = Path(shutil.copytree(REPO / "content", tmp_path / "content"))
    (content / "topics" / "role-cfo.yaml").chmod(0)
    code, output = process(env, "content", "check", str(content), cwd=tmp_path, prefix=unprivileged)
    assert_clean_failure(code, output, "content/topics/role-cfo.yaml: cannot read file", "Permission denied")


def test_ask_with_an_oversized_content_file_names_it_and_writes_nothing(cli_db, tmp_path: Path, monkeypatch, capsys):
    content = Path(shutil.copytree(REPO / "content", tmp_path / "content"))
    with (content / "tips.yaml").open("a", encoding="utf-8") as file:
        file.write("#" * (MAX_FILE_BYTES + 1) + "\n")
    monkeypatch.setenv("CMO_CONTENT_DIR", str(content))
    code, output = run_merged(capsys, "ask", "Wat doet een CMO?")
    assert_clean_failure(code, output, "content/tips.yaml: file is 1.0 MiB, larger than the 1 MiB limit")
    assert not cli_db.exists()


# ------------------------------------------------------------------------------ run


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_with_the_api_unreachable_names_the_variable_and_address(env, tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{closed_port()}/api/v10"
    run_env = env | {"DISCORD_TOKEN": "MTIz.not-a-real-token.XYZ", "CMO_DISCORD_API_BASE": api}
    run_env |= {"CMO_HEALTH_ADDR": "127.0.0.1:0"}
    code, output = process(run_env, "run", cwd=tmp_path)
    assert_clean_failure(code, output, f"cannot reach the Discord API at {api} (CMO_DISCORD_API_BASE)")
    assert "Connection refused" in output
    assert "not-a-real-token" not in output


async def test_run_with_the_health_port_taken_names_the_variable(env, tmp_path: Path, restore_discord_routes):
    with taken_port() as port:
        async with FakeDiscord(guilds=make_guilds(1), patch_discord=False) as fake:
            run_env = env | {
                "DISCORD_TOKEN": fake.token,
                "CMO_DISCORD_API_BASE": fake.api_base,
                "CMO_HEALTH_ADDR": f"127.0.0.1:{port}",
            }
            code, text = await run_until_exit(run_env, tmp_path)
    assert_clean_failure(code, text, f"cannot listen on 127.0.0.1:{port}", "(CMO_HEALTH_ADDR)")
