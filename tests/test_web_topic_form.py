"""The web editor's topic form: what a moderator sees, what a browser posts back, and the errors
shown at the field that caused them, in Dutch and English.

A submit is simulated as a browser makes it: the rendered fields are read with an HTML parser
(text inputs, textareas, the selected option, checked boxes only) into the multidict aiohttp
hands a page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from multidict import MultiDict

from bot.i18n import t
from bot.knowledge.loader import load_content
from bot.knowledge.model import CATEGORIES, SUMMARY_MAX, Topic
from bot.web.topic_form import (
    TopicForm,
    error_texts,
    form_from_topic,
    parse_topic_form,
    read_topic_form,
)

CONTENT = load_content(Path(__file__).resolve().parents[1] / "content")
TOPICS = [(topic_id, topic.title.nl) for topic_id, topic in CONTENT.topics.items()]
ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(form: TopicForm, errors: dict[str, str] | None = None, lang: str = "nl", is_new: bool = False) -> str:
    return ENV.get_template("_topic_fields.html").render(
        form=form,
        errors=errors or {},
        t=lambda key, **values: t(key, lang, **values),
        topics=TOPICS,
        categories=CATEGORIES,
        is_new=is_new,
    )


class _Controls(HTMLParser):
    """Every form control with its attributes, labels by their `for`, and what a browser would post."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.posted: MultiDict[str] = MultiDict()
        self.all_attrs: list[tuple[str, dict[str, str | None]]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.all_attrs.append((tag, attributes))
        if tag == "label":
            self.labels.add(attributes.get("for") or "")
        elif tag == "input":
            self.controls.append(attributes)
            if attributes.get("type") != "checkbox" or "checked" in attributes:
                self.posted.add(attributes["name"], attributes.get("value") or "")
        elif tag in ("textarea", "select"):
            self.controls.append(attributes)
            self._open, self._text, self._options = (tag, attributes), [], []
        elif tag == "option":
            self._options.append((attributes["value"], "selected" in attributes))

    def handle_data(self, data):
        if self._open and self._open[0] == "textarea":
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            name = self._open[1]["name"]
            if tag == "textarea":
                self.posted.add(name, "".join(self._text))
            else:
                chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
                self.posted.add(name, chosen[0])
            self._open = None


def controls(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


def submitted(form: TopicForm, topic_id: str | None, **changes: str) -> TopicForm:
    """The form as the browser posts it after the moderator changed `changes` (dots as __)."""
    posted = controls(render(form, is_new=topic_id is None)).posted
    for name, value in changes.items():
        posted[name.replace("__", ".")] = value
    return read_topic_form(posted, topic_id)


def edited(topic_id: str, **changes: str) -> tuple[Topic | None, dict[str, str], dict[str, str]]:
    """The edit of a shipped topic: the parsed topic, and the errors in Dutch and in English."""
    form = submitted(form_from_topic(CONTENT.topics[topic_id]), topic_id, **changes)
    topic, errors = parse_topic_form(form, topic_id)
    return topic, error_texts(errors, "nl"), error_texts(errors, "en")


@pytest.mark.parametrize("topic_id", sorted(CONTENT.topics))
def test_every_shipped_topic_comes_back_unchanged_through_the_browser_form(topic_id):
    topic, errors_nl, _ = edited(topic_id)
    assert errors_nl == {}
    assert topic == CONTENT.topics[topic_id]


def test_a_new_topic_from_the_empty_form_ignores_the_blank_slots():
    form = submitted(
        form_from_topic(None),
        None,
        id="brand-voice",
        category="cmo-role",
        title__nl="Merkstem",
        title__en="Brand voice",
        summary__nl="Hoe een merk klinkt.",
        summary__en="How a brand sounds.",
        body__nl="Uitleg.",
        body__en="Explanation.",
        sources__0__title="Gids",
        sources__0__publisher="Uitgever",
        sources__0__date="2025-03",
    )
    topic, errors = parse_topic_form(form)
    assert errors == {}
    assert topic is not None and topic.id == "brand-voice"
    assert topic.sections == [] and topic.tables == [] and len(topic.sources) == 1


def test_the_form_offers_one_blank_slot_after_the_last_filled_one():
    topic = CONTENT.topics["c-level-comparison"]
    form = form_from_topic(topic)
    assert (form.sections, form.tables, form.sources) == (len(topic.sections) + 1, 2, len(topic.sources) + 1)
    refilled = submitted(form, topic.id, sections__1__heading__nl="Nieuw")
    assert refilled.sections == len(topic.sections) + 2  # the filled-in blank slot, and a new blank one


def test_a_removed_section_and_source_are_dropped():
    topic_id = "gartner-genai-cmo-study"
    original = CONTENT.topics[topic_id]
    assert len(original.sections) >= 2 and len(original.sources) >= 1
    extra_source = {"sources__1__title": "Extra", "sources__1__publisher": "X", "sources__1__date": "2024"}
    topic, errors, _ = edited(topic_id, sections__0__remove="on", sources__0__remove="on", **extra_source)
    assert errors == {}
    assert topic is not None
    assert topic.sections == original.sections[1:]
    assert [source.title for source in topic.sources] == ["Extra"]


def test_the_related_topics_keep_their_order_and_the_topic_is_not_offered_to_itself():
    topic = CONTENT.topics["c-level-comparison"]
    form = form_from_topic(topic.model_copy(update={"related": ["role-cio", "role-ceo"]}))
    html = render(form)
    boxes = [c for c in controls(html).controls if c.get("name") == "related"]
    assert [c["value"] for c in boxes if "checked" in c] == ["role-cio", "role-ceo"]
    assert topic.id not in {c["value"] for c in boxes}
    parsed, errors = parse_topic_form(read_topic_form(controls(html).posted, topic.id), topic.id)
    assert errors == {} and parsed is not None and parsed.related == ["role-cio", "role-ceo"]


def test_a_too_long_summary_says_how_long_it_is_and_what_fits():
    topic, nl, en = edited("cmo-skills", summary__nl="x" * (SUMMARY_MAX + 31))
    assert topic is None
    assert nl == {"summary.nl": f"Dit is {SUMMARY_MAX + 31} tekens; er passen er hoogstens {SUMMARY_MAX}."}
    assert en == {"summary.nl": f"This is {SUMMARY_MAX + 31} characters; at most {SUMMARY_MAX} fit."}


def test_an_empty_title_is_required():
    _, nl, en = edited("cmo-skills", title__en="   ")
    assert nl == {"title.en": "Vul dit veld in."}
    assert en == {"title.en": "Please fill in this field."}


def test_a_bullet_section_without_items_is_named_at_its_items():
    _, nl, en = edited("cmo-skills", sections__0__kind="items", sections__0__items__nl="", sections__0__items__en="")
    assert nl == {"sections.0.items.nl": t("editor_error_items_empty", "nl")}
    assert en == {"sections.0.items.nl": t("editor_error_items_empty", "en")}


def test_a_list_with_fewer_english_items_is_named_at_the_english_items():
    _, nl, _ = edited("c-level-comparison", sections__0__items__en="CEO: Chief Executive Officer")
    assert list(nl) == ["sections.0.items.en"]
    assert "5 punten" in nl["sections.0.items.en"] and "1" in nl["sections.0.items.en"]


def test_a_table_row_with_the_wrong_number_of_cells_is_named_with_its_row_number():
    rows = CONTENT.topics["c-level-comparison"].tables[0].rows
    lines = [" | ".join(cell.nl for cell in row) for row in rows]
    lines[1] = "CFO | alleen twee"
    _, nl, en = edited("c-level-comparison", tables__0__rows__nl="\n".join(lines))
    assert nl == {"tables.0.rows.nl": "Rij 2 heeft 2 cellen, maar de tabel heeft 3 kolommen."}
    assert en == {"tables.0.rows.nl": "Row 2 has 2 cells, but the table has 3 columns."}


@pytest.mark.parametrize(
    ("date", "key"), [("maart 2025", "editor_error_date"), ("2025-02-30", "editor_error_date_unreal")]
)
def test_a_bad_source_date_is_named_at_the_date(date, key):
    _, nl, en = edited("cmo-skills", sources__0__date=date)
    assert nl == {"sources.0.date": t(key, "nl")}
    assert en == {"sources.0.date": t(key, "en")}


def test_a_source_link_must_be_a_web_address():
    _, nl, _ = edited("cmo-skills", sources__0__url="javascript:alert(1)")
    assert nl == {"sources.0.url": t("editor_error_url", "nl")}


@pytest.mark.parametrize("bad_id", ["Brand Voice", "merk_stem", "-start"])
def test_a_bad_new_id_is_named_at_the_id(bad_id):
    form = submitted(form_from_topic(CONTENT.topics["cmo-skills"]), None, id=bad_id)
    topic, errors = parse_topic_form(form)
    assert topic is None
    assert error_texts(errors, "en") == {"id": t("editor_error_id_pattern", "en")}


def test_editing_ignores_a_posted_id():
    form = submitted(form_from_topic(CONTENT.topics["cmo-skills"]), "cmo-skills", id="hijack")
    topic, errors = parse_topic_form(form, "cmo-skills")
    assert errors == {} and topic is not None and topic.id == "cmo-skills"


def test_a_crafted_post_cannot_ask_for_thousands_of_slots():
    posted = MultiDict({"sections.999.heading.nl": "x", "tables.7.title.nl": "y", "sources.999.title": "z"})
    form = read_topic_form(posted, "cmo-skills")
    assert (form.sections, form.tables) == (8, 2)
    assert form.sources <= 40


def test_every_control_has_a_label_and_no_inline_script_or_style():
    form = form_from_topic(CONTENT.topics["c-level-comparison"])
    found = controls(render(form, is_new=True))
    assert found.controls
    for control in found.controls:
        assert control.get("id") in found.labels, control
    for _, attributes in found.all_attrs:
        assert "style" not in attributes
        assert not any(name.startswith("on") for name in attributes)
    assert not any(tag in ("script", "style") for tag, _ in found.all_attrs)


def test_the_id_field_shows_only_for_a_new_topic():
    form = form_from_topic(CONTENT.topics["cmo-skills"])
    assert "id" in {c.get("name") for c in controls(render(form, is_new=True)).controls}
    assert "id" not in {c.get("name") for c in controls(render(form, is_new=False)).controls}


def test_an_error_is_shown_under_its_field_and_announced_for_that_field():
    form = submitted(form_from_topic(CONTENT.topics["cmo-skills"]), "cmo-skills", summary__en="")
    _, errors = parse_topic_form(form, "cmo-skills")
    html = render(form, error_texts(errors, "en"), lang="en")
    found = controls(html)
    invalid = [c for c in found.controls if c.get("aria-invalid") == "true"]
    assert [c["name"] for c in invalid] == ["summary.en"]
    error_id = next(i for i in invalid[0]["aria-describedby"].split() if i.endswith("-error"))
    assert f'<p class="field-error" id="{error_id}">Please fill in this field.</p>' in html


def test_text_typed_into_the_form_is_shown_escaped():
    form = submitted(form_from_topic(CONTENT.topics["cmo-skills"]), "cmo-skills", title__nl='"><script>x</script>')
    html = render(form)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert controls(html).posted["title.nl"] == '"><script>x</script>'
