"""The wheel carries the content and the migrations, and `cmo-bot ask` works from it: the
README's first quick-start command, outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_answers_from_its_bundled_content(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = (tmp_path / "dist").glob("cmo_bot-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "bot/_content/tips.yaml" in names
    assert any(name.startswith("bot/_content/topics/") for name in names)
    assert "bot/_migrations/0001_initial.sql" in names

    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMO_")}
    env["PYTHONPATH"] = str(site)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "Wat doet een CMO?"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answer = json.loads(result.stdout)
    assert answer["matched"] is True
    assert answer["topic"] == "cmo-responsibilities"
    assert (workdir / "data" / "cmo-bot.sqlite3").is_file()
    import bot

    assert not Path(bot.__file__).is_relative_to(site)  # this process used the checkout; the child the wheel
