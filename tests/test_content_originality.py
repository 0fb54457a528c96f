"""Content is written in our own words: no run of eight words from the source texts, except
names, titles and figures that must carry over exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge.loader import default_content_dir

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RUN = 8
# Facts that carry over word for word: a person and her title, the survey's respondents,
# the tools the source names, and what the abbreviation stands for.
FACTS = (
    "sharon cantor ceurvorst vp research bij de gartner marketing practice",
    "402 senior marketingleiders en 426 zakelijke leiders",
    "crm systemen dashboards en trackingsoftware",
    "cmo staat voor chief marketing officer",
)


def words(text: str) -> list[str]:
    """The words, with each fact replaced by one placeholder, so a fact alone is no run."""
    text = " ".join(re.findall(r"\w+", text.lower()))
    for number, fact in enumerate(FACTS):
        text = text.replace(fact, f"fact{number}")
    return text.split()


def runs(text: str) -> set[str]:
    tokens = words(text)
    return {" ".join(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source texts live in ../shared/seeds beside the repository")
def test_no_eight_word_run_is_copied_from_the_source_texts():
    seed_runs = set().union(*(runs(path.read_text(encoding="utf-8")) for path in SEEDS.glob("*.txt")))
    source_titles = {" ".join(words(line)) for path in SEEDS.glob("*.txt") for line in path.read_text().splitlines()[:1]}
    copied = []
    root = default_content_dir()
    for path in sorted([*root.glob("topics/*.yaml"), root / "tips.yaml"]):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "title:" not in line]
        for run in runs("\n".join(lines)) & seed_runs:
            if not any(run in title for title in source_titles):
                copied.append(f"{path.name}: {run}")
    assert copied == []
