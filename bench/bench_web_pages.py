"""What the dashboard's heaviest pages cost the bot process, with a full question log.

The overview and the unanswered queue run on the bot's event loop, beside /ask. This fills
a real SQLite log through the real ask path (AskService, the writer) with about 2,000
distinct questions asked `--repeat` times each (all today, by the system clock), then times
the core work of each page as its handler does it, best of `--runs`. Each step is what an
/ask arriving at that moment would wait at most.

    python -m bench.bench_web_pages [--repeat 5] [--runs 5]
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.command_line import counts_parser, parse_quietly
from bench.questions import distinct_questions
from bot.asking import Asker
from bot.config import load_settings
from bot.insights.embeds import topic_options
from bot.insights.stats import collect_stats
from bot.knowledge.model import as_lang
from bot.services import Services
from bot.web.day_chart import day_chart_svg, day_table_rows

GUILD = 424_242_424_242_424_242


async def best_of(runs: int, work: Callable[[], Awaitable[object]]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        best = min(best, time.perf_counter() - started)
    return best


async def fill_log(services: Services, repeat: int) -> int:
    questions = distinct_questions()
    for round_ in range(repeat):
        for index, question in enumerate(questions):
            lang = "en" if question.isascii() and " the " in f" {question.lower()} " else "nl"
            await services.asking.ask(question, as_lang(lang), Asker(guild_id=GUILD, user_id=index + round_))
    await services.writer.flush()
    return await services.questions.count()


async def measure(repeat: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            {"CMO_DB_PATH": str(Path(folder) / "bench.sqlite3"), "CMO_HASH_SECRET": "bench", "CMO_SEMANTIC": "off"}
        )
        services = await Services.open(settings)
        try:
            rows = await fill_log(services, repeat)
            improvements = services.improvements
            snapshot = services.store.current

            async def overview() -> None:
                stats = await collect_stats(improvements.queries, GUILD, services.clock.now(), 90)
                day_chart_svg(list(stats.days), 90, "nl")
                day_table_rows(list(stats.days), 90, "nl")

            async def queue_groups() -> None:
                await improvements.open_groups(GUILD)

            async def queue_likely() -> None:
                for group in (await improvements.open_groups(GUILD))[:50]:
                    likely = snapshot.answer(group.text, as_lang(group.lang)).suggestions
                    topic_options(snapshot.topics, likely, "nl", limit=200)

            async def suggestions() -> None:
                await improvements.open_suggestions(GUILD)

            groups = len(await improvements.open_groups(GUILD))
            print(f"question log: {rows} rows, {groups} open question groups (SQLite, semantic off)")
            print(f"{'page step':<44} {'best of ' + str(runs):>12}")
            for name, work in (
                ("overview: stats, chart and table (90 days)", overview),
                ("queue: open groups", queue_groups),
                ("queue: open groups + likely topics of 50", queue_likely),
                ("queue: suggestions", suggestions),
            ):
                print(f"{name:<44} {await best_of(runs, work) * 1000:>9.0f} ms")
        finally:
            await services.close()


def main() -> None:
    args = parse_quietly(counts_parser(__doc__ or "", repeat=5, runs=5))
    asyncio.run(measure(args.repeat, args.runs))


if __name__ == "__main__":
    main()
