"""The one decision about a question: answer, best guess, or an honest "not covered yet".

Similarity alone cannot make it: a question about the CSO, a salary or Gartner's CEO shares
words with topics that do not answer it. So the decision is a small model (gradient-boosted
trees, which beat a logistic regression by 10 points in cross-validation) over several
signals (how much of the question the first topic explains, how clearly it leads,
whether the question names a role or words no topic knows, what the semantic model thinks),
fitted on the tuning part of the blind evaluation set by `python -m tests.eval.train_decision`.
Its weights and the two cut-offs live in decision_model.json beside this module.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Outcome = Literal["answer", "guess", "none"]
ModelKind = Literal["lexical", "semantic"]

MODEL_FILE = Path(__file__).with_name("decision_model.json")

FEATURES = (
    "coverage",  # share of the question's IDF weight the first topic explains
    "unit_coverage",  # the same, by the topic's best single sentence, item or alias
    "missing",  # weight of the most informative question word the topic lacks entirely
    "rarest",  # weight of the rarest question word the first topic contains
    "resemblance",  # how closely the question reads like one of its titles or aliases
    "lead",  # first topic's rank score minus the second's
    "unknown_share",  # share of the question's weight in words no topic uses
    "passage",  # the first topic has a sentence or item that answers what kind of fact was asked
    "unknown_both",  # share of the question's weight in words neither language's text knows
    "clause_coverage",  # coverage of the sentence that asks, in a message of several
    "clause_unknown_share",  # its share of unknown words
    "unknown_role",  # names a C-level role no topic covers (cso, cto, ...)
    "content_words",  # how many content words the question has (log)
    "other_language",  # the first topic was found through the other language's text
    "semantic",  # cosine of the question and the first topic (0 without a model)
    "semantic_lead",  # that cosine minus the best other topic's
    "agreement",  # lexical and semantic first choices agree
)


# One tree node: (feature index, threshold, left child, right child, leaf value); a leaf has
# feature index -1. A question goes left when its feature is at most the threshold.
Node = tuple[int, float, int, int, float]


@dataclass(frozen=True)
class DecisionModel:
    """Gradient-boosted trees over FEATURES (fitted with scikit-learn's
    HistGradientBoostingClassifier, evaluated here in plain Python: a few hundred small
    comparisons, and no scikit-learn at run time), turned into a probability."""

    baseline: float
    trees: tuple[tuple[Node, ...], ...]
    answer_cut: float  # probability at or above which we answer
    guess_cut: float  # at or above which (and below answer_cut) we offer a best guess

    @classmethod
    def load(cls, kind: ModelKind, path: Path = MODEL_FILE) -> DecisionModel:
        """`kind`: "semantic" when the e5 model's signals are there, else "lexical"."""
        data = json.loads(path.read_text(encoding="utf-8"))[kind]
        if list(data["features"]) != list(FEATURES):
            raise ValueError(f"{path}: {kind} was fitted on other features; run python -m tests.eval.train_decision")
        trees = tuple(
            tuple((int(f), float(t), int(a), int(b), float(v)) for f, t, a, b, v in tree) for tree in data["trees"]
        )
        return cls(float(data["baseline"]), trees, float(data["answer_cut"]), float(data["guess_cut"]))

    def raw(self, values: list[float]) -> float:
        total = self.baseline
        for tree in self.trees:
            node = tree[0]
            while node[0] >= 0:
                node = tree[node[2]] if values[node[0]] <= node[1] else tree[node[3]]
            total += node[4]
        return total

    def probability(self, features: dict[str, float]) -> float:
        z = self.raw([features[name] for name in FEATURES])
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def outcome(self, probability: float) -> Outcome:
        if probability >= self.answer_cut:
            return "answer"
        if probability >= self.guess_cut:
            return "guess"
        return "none"
