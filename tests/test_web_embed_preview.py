"""The editor's preview draws the embed a team member will see: the same texts, Discord's small
Markdown subset, inline fields side by side, and every typed text shown as text."""

from __future__ import annotations

from pathlib import Path

import discord

from bot.knowledge.loader import load_content
from bot.topic_embeds import CATEGORY_COLOURS
from bot.web.embed_preview import embed_html, markdown, topic_preview

CONTENT = load_content(Path(__file__).resolve().parents[1] / "content")


def with_section_text(topic_id: str, text: str):
    topic = CONTENT.topics[topic_id]
    section = topic.sections[0].model_copy(
        update={"text": topic.sections[0].heading.model_copy(update={"nl": text, "en": text}), "items": None}
    )
    return topic.model_copy(update={"sections": [section, *topic.sections[1:]]})


def test_a_script_in_a_section_shows_as_text():
    html = topic_preview(with_section_text("cmo-skills", "<script>alert('x')</script> **echt**"), "nl")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <strong>echt</strong>" in html


def test_the_preview_shows_the_topic_as_the_answer_embed_does():
    topic = CONTENT.topics["c-level-comparison"]
    html = topic_preview(topic, "en")
    assert html.startswith('<div class="discord-embed" role="figure" aria-label="Preview of the message in Discord')
    assert f'fill="#{CATEGORY_COLOURS[topic.category]:06x}"' in html  # the colour bar, as an SVG rect
    assert topic.title.en in html
    assert f"<strong>{topic.summary.en}</strong>" in html
    assert "<li>CEO: Chief Executive Officer</li>" in html  # bullet items as a list
    assert '<div class="embed-footer">Sources: ' in html
    assert "style=" not in html and "<script" not in html


def test_discords_markdown_subset():
    html = markdown("**vet**, *schuin*, _ook schuin_, snake_case_name, `<code> **niet vet**`\n- één\n• twee\nklaar")
    assert html == (
        "<strong>vet</strong>, <em>schuin</em>, <em>ook schuin</em>, snake_case_name, "
        '<code class="md-code">&lt;code&gt; **niet vet**</code>'
        '<ul class="md-list"><li>één</li><li>twee</li></ul>klaar'
    )


def test_only_web_links_become_links():
    html = markdown('[gids](https://example.com/a?b=1&c="2") and [kwaad](javascript:alert(1))')
    assert '<a href="https://example.com/a?b=1&amp;c=&#34;2&#34;" rel="noopener noreferrer nofollow">gids</a>' in html
    assert "[kwaad](javascript:alert(1))" in html
    assert html.count("<a ") == 1


def test_new_lines_break_and_blank_lines_separate():
    assert markdown("een\n\ntwee") == "een<br><br>twee"


def test_inline_fields_sit_side_by_side_three_to_a_row():
    fields = [{"name": f"f{i}", "value": "v", "inline": True} for i in range(4)]
    fields.append({"name": "wide", "value": "v", "inline": False})
    html = embed_html({"title": "t", "fields": fields})
    rows = html.split('<div class="embed-field-row">')[1:]
    assert [row.count('class="embed-field embed-field-inline"') for row in rows] == [3, 1, 0]
    assert "wide" in rows[2]


def test_a_discord_embed_object_renders_with_author_and_plain_footer():
    embed = discord.Embed(title="Titel", description="*hallo*", colour=0x17BEBB)
    embed.set_author(name="<cmo-bot>")
    embed.set_footer(text="**geen opmaak**")
    html = embed_html(embed, label="Voorbeeld")
    assert 'aria-label="Voorbeeld"' in html and 'data-colour="#17bebb"' in html
    assert '<div class="embed-author">&lt;cmo-bot&gt;</div>' in html
    assert "<em>hallo</em>" in html
    assert '<div class="embed-footer">**geen opmaak**</div>' in html


def test_a_title_link_only_for_web_addresses():
    assert "<a " not in embed_html({"title": "x", "url": "javascript:alert(1)"})
    assert '<a href="https://example.com"' in embed_html({"title": "x", "url": "https://example.com"})
