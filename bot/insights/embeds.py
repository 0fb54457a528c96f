"""Insights -> embeds, as plain dicts (like bot/topic_embeds.py): pure functions within Discord's limits.

User text (questions) arrives here already made safe by the Discord layer's quoting function,
passed in as `quote`, so this module needs no Discord library.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.i18n import t
from bot.insights.grouping import QuestionGroup
from bot.insights.stats import Stats
from bot.insights.suggestions import Suggestion
from bot.knowledge.model import Lang, Topic
from bot.limits import DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT
from bot.text_fit import clip, pack_lines
from bot.topic_embeds import COLOUR, GREY, Embed

PER_DAY_LINES = 14
QUEUE_PREVIEW = 5
TOP_GUESSES = 5
CHART_NAME = "questions.png"

Quote = Callable[..., str]


def field_value(lines: Sequence[str], lang: Lang) -> str:
    """A field value from lines, cut at a line so it stays within the limit."""
    return "\n".join(pack_lines(lines, FIELD_VALUE_LIMIT)) or t("ins_stats_none", lang)


def topic_title(topics: Mapping[str, Topic], topic_id: str, lang: Lang) -> str:
    topic = topics.get(topic_id)
    return topic.title.get(lang) if topic else topic_id


def _percent(share: float) -> str:
    return f"{share:.0%}"


def stats_embed(stats: Stats, days: int, topics: Mapping[str, Topic], lang: Lang, quote: Quote) -> Embed:
    if stats.asked:
        description = t(
            "ins_stats_summary",
            lang,
            asked=stats.asked,
            answered=stats.answered,
            answered_share=_percent(stats.share(stats.answered)),
            guessed=stats.guessed,
            guessed_share=_percent(stats.share(stats.guessed)),
            unanswered=stats.unanswered,
            unanswered_share=_percent(stats.share(stats.unanswered)),
        )
    else:
        description = t("ins_stats_empty", lang)
    per_day = [f"`{day.day}`  {day.answered} / {day.guessed} / {day.unanswered}" for day in stats.days[-PER_DAY_LINES:]]
    top = [f"{n}× {topic_title(topics, topic_id, lang)}" for topic_id, n in stats.top_topics]
    unanswered = [f'{group.count}× "{quote(group.text, 120)}"' for group in stats.top_unanswered]
    rated = [f"{topic_title(topics, r.topic_id, lang)}: 👍 {r.up} · 👎 {r.down}" for r in stats.lowest_rated]
    guesses = _guess_lines(stats, topics, lang)
    embed: Embed = {
        "title": t("ins_stats_title", lang, days=days),
        "description": description,
        "color": COLOUR,
        "fields": [
            {"name": t("ins_stats_per_day", lang), "value": field_value(per_day, lang), "inline": True},
            {"name": t("ins_stats_top_topics", lang), "value": field_value(top, lang), "inline": True},
            {"name": t("ins_stats_guesses", lang), "value": field_value(guesses, lang), "inline": False},
            {"name": t("ins_stats_top_unanswered", lang), "value": field_value(unanswered, lang), "inline": False},
            {"name": t("ins_stats_lowest_rated", lang), "value": field_value(rated, lang), "inline": False},
        ],
        "image": {"url": f"attachment://{CHART_NAME}"},
        "footer": {"text": t("ins_stats_footer", lang)},
    }
    return embed


def _guess_lines(stats: Stats, topics: Mapping[str, Topic], lang: Lang) -> list[str]:
    """The best guesses apart from answers: a total with its 👍/👎, then the guessed topics
    that were rated down most (a candidate for a better alias or topic)."""
    if not stats.guessed:
        return []
    lines = [t("ins_stats_guesses_total", lang, count=stats.guessed, up=stats.guesses_up, down=stats.guesses_down)]
    for guess in stats.guesses[:TOP_GUESSES]:
        title = topic_title(topics, guess.topic_id, lang)
        lines.append(t("ins_stats_guess_line", lang, topic=title, count=guess.guesses, up=guess.up, down=guess.down))
    return lines


def _guess_mark(group: QuestionGroup, topics: Mapping[str, Topic] | None, lang: Lang) -> str:
    """ " (best guess: <topic>, 👎)" for a group in the queue because a guess was rated down."""
    if group.rejected_guess is None:
        return ""
    return " " + t("ins_rejected_guess", lang, topic=topic_title(topics or {}, group.rejected_guess, lang))


def group_embed(
    groups: Sequence[QuestionGroup],
    position: int,
    lang: Lang,
    quote: Quote,
    status: str | None = None,
    topics: Mapping[str, Topic] | None = None,
) -> Embed:
    """One open question group in detail, the next few as a preview; `status` reports the last
    action. A group there because a best guess got a 👎 says so, with the guessed topic."""
    head = f"{status}\n\n" if status else ""
    if not groups:
        return {"description": head + t("ins_unanswered_none", lang), "color": GREY}
    group = groups[position]
    body = t("ins_unanswered_body", lang, count=group.count, date=group.last_asked[:10], language=group.lang)
    mark = _guess_mark(group, topics, lang).strip() + "\n" if group.rejected_guess else ""
    embed: Embed = {
        "title": t("ins_unanswered_title", lang, index=position + 1, total=len(groups)),
        "description": clip(head + f"> {quote(group.text, 1000)}\n{mark}\n" + body, DESCRIPTION_LIMIT),
        "color": COLOUR,
        "fields": [],
    }
    following = [*groups[position + 1 :], *groups[:position]][:QUEUE_PREVIEW]
    if following:
        lines = [f'{other.count}× "{quote(other.text, 100)}"{_guess_mark(other, topics, lang)}' for other in following]
        embed["fields"].append({"name": t("ins_also_open", lang), "value": field_value(lines, lang)})
    return embed


def suggestion_embed(
    suggestions: Sequence[Suggestion],
    position: int,
    topics: Mapping[str, Topic],
    lang: Lang,
    quote: Quote,
    status: str | None = None,
) -> Embed:
    head = f"{status}\n\n" if status else ""
    if not suggestions:
        return {"description": head + t("ins_suggestions_none", lang), "color": GREY}
    item = suggestions[position]
    body = t(
        "ins_suggestion_body",
        lang,
        users=item.users,
        topic=topic_title(topics, item.topic_id, lang),
        language=item.lang,
    )
    return {
        "title": t("ins_suggestion_title", lang, index=position + 1, total=len(suggestions)),
        "description": clip(head + f"> {quote(item.text, 1000)}\n\n" + body, DESCRIPTION_LIMIT),
        "color": COLOUR,
    }


def topic_options(
    topics: Mapping[str, Topic], likely: Sequence[str], lang: Lang, limit: int = 25
) -> list[tuple[str, str, bool]]:
    """(topic id, label, likely?) for a topic select: search's likely topics first, then the rest
    alphabetically, at most `limit`."""
    first = [topic_id for topic_id in likely if topic_id in topics]
    rest = sorted((tid for tid in topics if tid not in first), key=lambda tid: topics[tid].title.get(lang).casefold())
    return [(tid, topics[tid].title.get(lang), tid in first) for tid in [*first, *rest][:limit]]
