"""Plain-text rendering of answers for the command line (and logs of what was shown).

Pure functions of content: the same topic always renders the same text, which is what the
`--json` output's `text` field and the tests rely on.
"""

from __future__ import annotations

from bot.i18n import t
from bot.knowledge.model import Lang, Source, Topic
from bot.knowledge.search import Answer
from bot.knowledge.snapshot import ContentSnapshot


def is_blank(text: str) -> bool:
    """Whether a question has nothing to answer: only spaces or invisible characters (a
    zero-width space passes Discord's minimum length). Such a question is refused, not
    logged as a question nobody could answer."""
    return not any(ch.isprintable() and not ch.isspace() for ch in text)


def source_line(source: Source, lang: Lang) -> str:
    when = t("source_accessed", lang, date=source.date) if source.date_basis == "accessed" else source.date
    return f"{source.title} — {source.publisher} ({when})"


def table_lines(topic: Topic, lang: Lang) -> list[str]:
    lines: list[str] = []
    for table in topic.tables:
        lines.append(table.title.get(lang))
        for row in [table.columns, *table.rows]:
            lines.append(" | ".join(cell.get(lang) for cell in row))
    return lines


def topic_text(topic: Topic, lang: Lang) -> str:
    """The whole answer as shown: title, summary, body, sections, table rows, sources."""
    blocks = [topic.title.get(lang), topic.summary.get(lang), topic.body.get(lang)]
    for section in topic.sections:
        lines = [section.heading.get(lang)]
        if section.text is not None:
            lines.append(section.text.get(lang))
        lines.extend(f"• {item.get(lang)}" for item in section.items or ())
        blocks.append("\n".join(lines))
    if topic.tables:
        blocks.append("\n".join(table_lines(topic, lang)))
    blocks.append(t("sources", lang) + ":\n" + "\n".join(f"- {source_line(s, lang)}" for s in topic.sources))
    return "\n\n".join(blocks)


def answer_text(answer: Answer, snapshot: ContentSnapshot) -> str:
    lang = answer.lang
    titles = [snapshot.topics[topic_id].title.get(lang) for topic_id in answer.suggestions]
    if answer.topic_id is None:
        text = t("no_match", lang)
        if titles:
            text += "\n\n" + t("suggestions", lang) + "\n" + "\n".join(f"- {title}" for title in titles)
        return text
    text = topic_text(snapshot.topics[answer.topic_id], lang)
    if answer.passage:
        text = f"{t('answer_lead', lang)}: {answer.passage}\n\n{text}"
    if answer.outcome == "guess":
        text = t("guess_intro", lang) + "\n\n" + text
    if titles:
        text += "\n\n" + t("related", lang) + ": " + ", ".join(titles)
    return text
