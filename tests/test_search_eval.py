"""The search answers real phrasings well enough and stays quiet on off-topic questions."""

from bot.knowledge.loader import default_content_dir, load_content
from bot.knowledge.snapshot import build_snapshot
from tests.eval.evaluate import evaluate


def test_accuracy_and_off_topic_floors():
    report = evaluate(build_snapshot(load_content(default_content_dir())))
    assert report.in_scope >= 60 and report.off_topic >= 15
    assert report.accuracy >= 0.90, report.summary() + "\n" + "\n".join(report.misses)
    assert report.off_topic_answered_share <= 0.05, report.summary() + "\n" + "\n".join(report.misses)
