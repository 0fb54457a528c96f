"""An answer to /ask as an embed: the passage that answers first, then the topic.

A confident answer is the topic's embed, led by the sentence that answers what was asked
(when the question asked one thing). A best guess says so in its title ("Bedoel je …?") and
first line, so nobody mistakes it for an answer; the next candidates go on buttons beside it.
"""

from __future__ import annotations

from bot.i18n import t
from bot.knowledge.model import Lang, Topic
from bot.knowledge.search import Answer
from bot.limits import DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT, TITLE_LIMIT
from bot.text_fit import clip
from bot.topic_embeds import Embed, embed_length, topic_embed


def answer_embed(topic: Topic, answer: Answer, lang: Lang) -> Embed:
    embed = topic_embed(topic, lang)
    lead: list[str] = []
    if answer.outcome == "guess":
        embed["title"] = clip(t("guess_title", lang, title=topic.title.get(lang).rstrip("?")), TITLE_LIMIT)
        lead.append(f"*{t('guess_intro', lang)}*")
    if answer.passage:
        lead.append(f"**{t('answer_lead', lang)}:** {answer.passage}")
    if lead:
        embed["description"] = clip("\n\n".join([*lead, embed["description"]]), DESCRIPTION_LIMIT)
        while embed_length(embed) > EMBED_TOTAL_LIMIT and embed["fields"]:
            embed["fields"].pop()
    return embed
