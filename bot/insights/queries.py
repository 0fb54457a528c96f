"""The SQL the insights read: always one guild, always from a point in time onwards.

A moderator sees their own guild's questions only, so every query here takes the guild id;
there is deliberately no query across guilds. Times are the stored ISO-8601 UTC strings,
which compare correctly as text.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.database import Database, Row

# Commands that open a topic the user chose (as opposed to a question they typed).
OPEN_COMMANDS = ("explain", "open-button", "related-select", "topics-select")


# How an /ask went: 'answer', 'guess' or 'none'. Rows logged before migration 0007 have no
# outcome: an answer where a topic was shown, else none (what the bot then meant by it).
OUTCOME = "COALESCE({p}outcome, CASE WHEN {p}topic_id IS NULL THEN 'none' ELSE 'answer' END)"


def outcome_sql(table: str = "") -> str:
    """The outcome of an /ask row as SQL, optionally for a table alias (``q``)."""
    return OUTCOME.format(p=f"{table}." if table else "")


@dataclass(frozen=True)
class DayCount:
    day: str  # YYYY-MM-DD, UTC
    answered: int
    unanswered: int
    guessed: int = 0  # a best guess, said as such: neither answered nor unanswered


@dataclass(frozen=True)
class GuessRating:
    """The best guesses that named one topic, and how their readers rated them."""

    topic_id: str
    guesses: int
    up: int
    down: int


@dataclass(frozen=True)
class TopicRating:
    topic_id: str
    up: int
    down: int


class InsightsQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def unanswered(self, guild_id: int, since: str) -> list[tuple[str, str, str]]:
        """(question, lang, asked_at) of every /ask the bot said it could not answer."""
        rows = await self._db.fetchall(
            "SELECT question, lang, asked_at FROM questions "
            f"WHERE guild_id = ? AND asked_at >= ? AND command = 'ask' AND {outcome_sql()} = 'none'",
            (guild_id, since),
        )
        return [(row["question"], row["lang"] or "nl", row["asked_at"]) for row in rows]

    async def rejected_guesses(self, guild_id: int, since: str) -> list[tuple[str, str, str, str]]:
        """(question, lang, asked_at, guessed topic) of every best guess that someone rated 👎:
        the bot was unsure and a reader confirmed it missed, so it belongs in the unanswered queue."""
        rows = await self._db.fetchall(
            "SELECT q.question, q.lang, q.asked_at, q.topic_id FROM questions q "
            "WHERE q.guild_id = ? AND q.asked_at >= ? AND q.command = 'ask' AND q.outcome = 'guess' "
            "AND q.topic_id IS NOT NULL "
            "AND EXISTS (SELECT 1 FROM feedback f WHERE f.question_id = q.id AND f.rating < 0)",
            (guild_id, since),
        )
        return [(row["question"], row["lang"] or "nl", row["asked_at"], row["topic_id"]) for row in rows]

    async def per_day(self, guild_id: int, since: str) -> list[DayCount]:
        rows = await self._db.fetchall(
            "SELECT day, COUNT(CASE WHEN outcome = 'answer' THEN 1 END) AS answered, "
            "COUNT(CASE WHEN outcome = 'guess' THEN 1 END) AS guessed, "
            "COUNT(CASE WHEN outcome = 'none' THEN 1 END) AS unanswered FROM ("
            f"SELECT substr(asked_at, 1, 10) AS day, {outcome_sql()} AS outcome "
            "FROM questions WHERE guild_id = ? AND asked_at >= ? AND command = 'ask'"
            ") AS asked GROUP BY day ORDER BY day",
            (guild_id, since),
        )
        return [DayCount(row["day"], int(row["answered"]), int(row["unanswered"]), int(row["guessed"])) for row in rows]

    async def top_topics(self, guild_id: int, since: str, limit: int) -> list[tuple[str, int]]:
        """Topics read most, whether answered to a question or opened by choice."""
        rows = await self._db.fetchall(
            "SELECT topic_id, COUNT(*) AS n FROM questions "
            "WHERE guild_id = ? AND asked_at >= ? AND topic_id IS NOT NULL "
            "GROUP BY topic_id ORDER BY n DESC, topic_id LIMIT ?",
            (guild_id, since, int(limit)),
        )
        return [(row["topic_id"], int(row["n"])) for row in rows]

    async def ratings(self, guild_id: int, since: str) -> list[TopicRating]:
        """👍 and 👎 per topic on answers (not best guesses: a 👎 on a guess says the guess was
        wrong, not that the topic is bad); every user's rating of every answer counts once."""
        rows = await self._db.fetchall(
            "SELECT q.topic_id, COUNT(CASE WHEN f.rating > 0 THEN 1 END) AS up, "
            "COUNT(CASE WHEN f.rating < 0 THEN 1 END) AS down "
            "FROM feedback f JOIN questions q ON q.id = f.question_id "
            "WHERE q.guild_id = ? AND q.asked_at >= ? AND q.topic_id IS NOT NULL "
            "AND (q.outcome IS NULL OR q.outcome = 'answer') GROUP BY q.topic_id",
            (guild_id, since),
        )
        return [TopicRating(row["topic_id"], int(row["up"]), int(row["down"])) for row in rows]

    async def guess_ratings(self, guild_id: int, since: str) -> list[GuessRating]:
        """Per guessed topic: how many /ask got it as a best guess, and their 👍 and 👎."""
        rows = await self._db.fetchall(
            "SELECT q.topic_id, COUNT(*) AS guesses, COALESCE(SUM(f.up), 0) AS up, COALESCE(SUM(f.down), 0) AS down "
            "FROM questions q LEFT JOIN ("
            "SELECT question_id, COUNT(CASE WHEN rating > 0 THEN 1 END) AS up, "
            "COUNT(CASE WHEN rating < 0 THEN 1 END) AS down FROM feedback GROUP BY question_id"
            ") f ON f.question_id = q.id "
            "WHERE q.guild_id = ? AND q.asked_at >= ? AND q.command = 'ask' AND q.outcome = 'guess' "
            "AND q.topic_id IS NOT NULL GROUP BY q.topic_id",
            (guild_id, since),
        )
        return [GuessRating(row["topic_id"], int(row["guesses"]), int(row["up"]), int(row["down"])) for row in rows]

    async def user_events(self, guild_id: int, since: str) -> list[Row]:
        """Asks and opens per user, in time order: the raw material for suggestions."""
        placeholders = ", ".join("?" for _ in OPEN_COMMANDS)
        return await self._db.fetchall(
            "SELECT user_hash, asked_at, command, question, lang, topic_id, outcome FROM questions "
            f"WHERE guild_id = ? AND asked_at >= ? AND user_hash IS NOT NULL "
            f"AND command IN ('ask', {placeholders}) ORDER BY user_hash, asked_at, id",
            (guild_id, since, *OPEN_COMMANDS),
        )

    async def export_rows(self, guild_id: int, since: str) -> list[Row]:
        """What the CSV export holds, one row per question; user_hash is not selected, so it
        cannot leak. ``up``/``down`` count every user's rating; ``rating`` is the majority
        (1, -1, or None when there is none or a tie); ``outcome`` is how an /ask went (answer,
        guess, none), None for a topic opened by choice."""
        return await self._db.fetchall(
            "SELECT q.asked_at, q.command, q.locale, q.question, q.topic_id, q.score, "
            f"CASE WHEN q.command = 'ask' THEN {outcome_sql('q')} ELSE q.outcome END AS outcome, "
            "COALESCE(f.up, 0) AS up, COALESCE(f.down, 0) AS down, "
            "CASE WHEN f.up > f.down THEN 1 WHEN f.down > f.up THEN -1 END AS rating "
            "FROM questions q LEFT JOIN ("
            "SELECT question_id, COUNT(CASE WHEN rating > 0 THEN 1 END) AS up, "
            "COUNT(CASE WHEN rating < 0 THEN 1 END) AS down FROM feedback GROUP BY question_id"
            ") f ON f.question_id = q.id "
            "WHERE q.guild_id = ? AND q.asked_at >= ? ORDER BY q.asked_at, q.id",
            (guild_id, since),
        )

    async def ratings_given_by(self, user_hash: str) -> int:
        """Ratings a user gave (on anyone's question): what an erasure deletes besides questions."""
        row = await self._db.fetchone("SELECT COUNT(*) FROM feedback WHERE user_hash = ?", (user_hash,))
        return int(row[0]) if row else 0
