"""The blind evaluation set: questions written from the source texts only, labelled later.

Writers saw only the two seed texts and a description of the users (never `content/`, the
aliases or the code); a separate labeller then named the topics that answer each question.
The set is split by a hash of each question's id into a tuning part (about 60%) and a held-out
part. Every decision (features, weights, thresholds) is made on the tuning part; the held-out
part is only scored, never read question by question and never used to pick anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

BLIND_DIR = Path(__file__).with_name("blind")
TUNING_SHARE = 60  # percent

Part = Literal["tuning", "held-out"]


@dataclass(frozen=True)
class BlindQuestion:
    id: str
    q: str
    lang: str
    kind: str  # in_scope | near_scope | off_topic
    style: str
    topics: tuple[str, ...]
    must_contain: tuple[str, ...]

    @property
    def off_topic(self) -> bool:
        return self.kind == "off_topic"

    @property
    def part(self) -> Part:
        return part_of(self.id)


def part_of(question_id: str) -> Part:
    """Fixed forever by the id alone, so no one can move a question between the parts."""
    bucket = int(hashlib.sha256(question_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "tuning" if bucket < TUNING_SHARE else "held-out"


def load_blind_set(directory: Path = BLIND_DIR) -> list[BlindQuestion]:
    labels = yaml.safe_load((directory / "labels.yaml").read_text(encoding="utf-8"))
    questions: list[BlindQuestion] = []
    for path in sorted(directory.glob("writer*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            label = labels[item["id"]]
            kind = label.get("kind", item["kind"])
            questions.append(
                BlindQuestion(
                    id=item["id"],
                    q=item["q"],
                    lang=item["lang"],
                    kind=kind,
                    style=item.get("style", "plain"),
                    topics=tuple(label.get("topics") or ()) if kind != "off_topic" else (),
                    must_contain=tuple(label.get("must_contain") or ()) if kind != "off_topic" else (),
                )
            )
    return questions


def split(questions: list[BlindQuestion], part: Part) -> list[BlindQuestion]:
    return [question for question in questions if question.part == part]
