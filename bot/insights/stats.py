"""The numbers behind /cmo-admin stats, for one guild over the last N days (UTC).

An /ask ends in one of three outcomes: answered, a best guess (said as such), or not answered.
Guesses are counted apart from answers, with their own 👍/👎, so a moderator can see how often
the bot was unsure and how often it was right when it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from bot.insights.grouping import QuestionGroup, group_questions
from bot.insights.queries import DayCount, GuessRating, InsightsQueries, TopicRating
from bot.storage.timestamps import to_utc_iso

TOP = 5


@dataclass(frozen=True)
class Stats:
    days: tuple[DayCount, ...]  # every day of the period, oldest first, zeros included
    top_topics: tuple[tuple[str, int], ...]
    top_unanswered: tuple[QuestionGroup, ...]
    lowest_rated: tuple[TopicRating, ...]  # answers only
    guesses: tuple[GuessRating, ...] = ()  # every guessed topic, most 👎 first

    @property
    def asked(self) -> int:
        return self.answered + self.guessed + self.unanswered

    @property
    def answered(self) -> int:
        return sum(day.answered for day in self.days)

    @property
    def guessed(self) -> int:
        return sum(day.guessed for day in self.days)

    @property
    def unanswered(self) -> int:
        return sum(day.unanswered for day in self.days)

    @property
    def guesses_up(self) -> int:
        return sum(guess.up for guess in self.guesses)

    @property
    def guesses_down(self) -> int:
        return sum(guess.down for guess in self.guesses)

    def share(self, count: int) -> float:
        """`count` (answered, guessed, unanswered) as a share of every question asked; 0 for none."""
        return count / self.asked if self.asked else 0.0


def period_start(now: datetime, days: int) -> datetime:
    """Midnight UTC at the start of a period of `days` calendar days that ends today."""
    return datetime.combine(now.astimezone(UTC).date() - timedelta(days=days - 1), time(), tzinfo=UTC)


async def collect_stats(queries: InsightsQueries, guild_id: int, now: datetime, days: int) -> Stats:
    start = period_start(now, days)
    since = to_utc_iso(start)
    counted = {day.day: day for day in await queries.per_day(guild_id, since)}
    all_days = []
    for offset in range(days):
        day = (start + timedelta(days=offset)).date().isoformat()
        all_days.append(counted.get(day, DayCount(day, 0, 0)))
    ratings = [rating for rating in await queries.ratings(guild_id, since) if rating.down > 0]
    ratings.sort(key=lambda r: (r.up / (r.up + r.down), -r.down, r.topic_id))
    guesses = await queries.guess_ratings(guild_id, since)
    guesses.sort(key=lambda g: (-g.down, -g.guesses, g.topic_id))
    return Stats(
        days=tuple(all_days),
        top_topics=tuple(await queries.top_topics(guild_id, since, TOP)),
        top_unanswered=tuple(group_questions(await queries.unanswered(guild_id, since))[:TOP]),
        lowest_rated=tuple(ratings[:TOP]),
        guesses=tuple(guesses),
    )
