"""Measures how well the search answers: top-1 accuracy on in-scope questions and the share
of off-topic questions that wrongly got an answer.

Run it from the repository root: `python -m tests.eval.evaluate [--verbose]`. The test in
tests/test_search_eval.py guards the floors (accuracy >= 90%, off-topic answered <= 5%).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.knowledge.loader import default_content_dir, load_content
from bot.knowledge.snapshot import ContentSnapshot, build_snapshot

QUESTIONS = Path(__file__).with_name("questions.yaml")


@dataclass
class Report:
    in_scope: int = 0
    correct: int = 0
    off_topic: int = 0
    off_topic_answered: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 0.0

    @property
    def off_topic_answered_share(self) -> float:
        return self.off_topic_answered / self.off_topic if self.off_topic else 0.0

    def summary(self) -> str:
        return (
            f"top-1 accuracy (in scope): {self.accuracy:.1%} ({self.correct}/{self.in_scope})\n"
            f"off-topic answered: {self.off_topic_answered_share:.1%} ({self.off_topic_answered}/{self.off_topic})"
        )


def evaluate(snapshot: ContentSnapshot, questions_file: Path = QUESTIONS) -> Report:
    data = yaml.safe_load(questions_file.read_text(encoding="utf-8"))
    report = Report()
    for item in data["in_scope"]:
        answer = snapshot.answer(item["q"], item["lang"])
        report.in_scope += 1
        if answer.topic_id == item["topic"]:
            report.correct += 1
        else:
            report.misses.append(
                f"MISS  [{item['lang']}] {item['q']!r}: expected {item['topic']}, got {answer.topic_id} "
                f"({answer.score:.2f}; suggestions {list(answer.suggestions)})"
            )
    for item in data["off_topic"]:
        answer = snapshot.answer(item["q"], item["lang"])
        report.off_topic += 1
        if answer.matched:
            report.off_topic_answered += 1
            report.misses.append(f"OFF   [{item['lang']}] {item['q']!r}: answered {answer.topic_id} ({answer.score:.2f})")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=default_content_dir())
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    report = evaluate(build_snapshot(load_content(args.content)))
    if args.verbose:
        print("\n".join(report.misses))
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
