"""Prometheus metrics for an operator: what is asked, how it goes, how fast, and the backlog.

One registry per bot (not the library's global one), so several bots in one process (tests,
benchmarks) do not mix their numbers.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.content_sync import ContentSync
from bot.knowledge.search import Answer
from bot.knowledge.semantic_pool import SemanticPool
from bot.storage.writer import QuestionWriter

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.interactions = Counter(
            "cmo_interactions",
            "Interactions handled, by command and outcome",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "cmo_interaction_latency_seconds",
            "Time from receiving an interaction to answering it",
            ["command"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Counter(
            "cmo_answers",
            "Questions answered from the content, by whether a topic matched",
            ["matched"],
            registry=self.registry,
        )
        self.unanswered_share = Gauge(
            "cmo_unanswered_share", "Share of questions since start that matched no topic", registry=self.registry
        )
        self.unanswered_share.set_function(self._unanswered_share)
        self.tips_posted = Counter("cmo_tips_posted", "Scheduled tips posted", registry=self.registry)
        self.tips_failed = Counter("cmo_tips_failed", "Scheduled tips that could not be posted", registry=self.registry)
        self.questions_logged = Gauge(
            "cmo_questions_logged", "Questions written to the log since start", registry=self.registry
        )
        self.writer_queue = Gauge(
            "cmo_question_writer_queue", "Questions waiting to be written to the log", registry=self.registry
        )
        self.outcomes = Counter(
            "cmo_answer_outcomes", "Questions by outcome: answer, guess or none", ["outcome"], registry=self.registry
        )
        self.semantic_skipped = Gauge(
            "cmo_semantic_skipped",
            "Questions decided without the semantic model because its worker was busy, since start",
            registry=self.registry,
        )
        self.content_version = Gauge(
            "cmo_content_version",
            "The content version this process has loaded; every process over one database should agree",
            registry=self.registry,
        )
        self.content_reloads = Gauge(
            "cmo_content_sync_reloads", "Reloads after another process changed the content", registry=self.registry
        )
        self._matched = 0
        self._unmatched = 0

    def watch_content(self, sync: ContentSync) -> None:
        self.content_version.set_function(lambda: sync.loaded_version)
        self.content_reloads.set_function(lambda: sync.reloads)

    def watch_semantic(self, pool: SemanticPool | None) -> None:
        if pool is not None:
            self.semantic_skipped.set_function(lambda: pool.skipped)

    def watch_writer(self, writer: QuestionWriter) -> None:
        self.questions_logged.set_function(lambda: writer.written)
        self.writer_queue.set_function(lambda: writer.pending)

    def observe_answer(self, answer: Answer) -> None:
        if answer.matched:
            self._matched += 1
        else:
            self._unmatched += 1
        self.answers.labels(matched="yes" if answer.matched else "no").inc()
        self.outcomes.labels(outcome=answer.outcome).inc()

    def _unanswered_share(self) -> float:
        total = self._matched + self._unmatched
        return self._unmatched / total if total else 0.0

    def observe_interaction(self, command: str, outcome: str, seconds: float) -> None:
        self.interactions.labels(command=command, outcome=outcome).inc()
        self.latency.labels(command=command).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
