"""What the moderators' insights tests share: phrasings the content only guesses at, a logged
question to seed the database with, and the stats embed's lines as a moderator reads them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.clock import utc
from bot.i18n import t
from bot.knowledge.snapshot import ContentSnapshot
from bot.storage.questions import QuestionRecord

NOW = utc(2026, 3, 10, 15, 0)
GUILD, OTHER = 1, 2
# Phrasings the search may answer with a best guess; the tests use whichever one does now.
GUESS_CANDIDATES = (
    "wat is branding",
    "waarom loyaliteit",
    "cmo en ceo",
    "ai agenten kopen",
    "social media",
    "personalisatie",
    "wat is een klantreis",
)


def a_guess(content: ContentSnapshot) -> tuple[str, str]:
    """(question, guessed topic) for a phrasing the live content answers with a best guess."""
    for question in GUESS_CANDIDATES:
        answer = content.answer(question, "nl")
        if answer.outcome == "guess" and answer.topic_id:
            return question, answer.topic_id
    pytest.fail(f"none of {GUESS_CANDIDATES} gets a best guess from the content any more; add one that does")


def record(
    question: str,
    topic: str | None,
    outcome: str | None = None,
    days_ago: float = 0,
    guild: int = GUILD,
    command: str = "ask",
) -> QuestionRecord:
    """A question as the bot logs it, asked `days_ago` before NOW by one reader."""
    return QuestionRecord.new(
        command=command,
        question=question,
        topic_id=topic,
        guild_id=guild,
        user_hash="asker",
        lang="nl",
        asked_at=NOW - timedelta(days=days_ago),
        outcome=outcome,
    )


def stats_summary(lang: str, asked: int, **outcomes: tuple[int, str]) -> str:
    """The summary line of the stats embed; `answered`, `guessed` and `unanswered` each as
    (count, share as shown)."""
    counts = {name: count for name, (count, _) in outcomes.items()}
    shares = {f"{name}_share": share for name, (_, share) in outcomes.items()}
    return t("ins_stats_summary", lang, asked=asked, **counts, **shares)


def stats_fields(embed: dict[str, Any]) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed["fields"]}


def guess_lines(lang: str, title: str, count: int, up: int, down: int) -> list[str]:
    """The guesses field with one guessed topic: the total, then that topic."""
    return [
        t("ins_stats_guesses_total", lang, count=count, up=up, down=down),
        t("ins_stats_guess_line", lang, topic=title, count=count, up=up, down=down),
    ]
