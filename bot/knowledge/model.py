"""The content schema: what a topic and a tip are, validated with pydantic.

The limits here are Discord's limits seen from the content side: a title must fit an
autocomplete choice (100), a section must fit an embed field (256 / 1024). Checking them at
load time means a renderer never has to guess, and a moderator learns about a too-long text
from `content check` rather than from a failed reply.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")


def as_lang(value: object, default: Lang = "nl") -> Lang:
    """A language read back from storage or a custom id, checked: anything else is `default`."""
    return "en" if value == "en" else "nl" if value == "nl" else default
Category = Literal["cmo-role", "c-suite", "ai-trends"]
CATEGORIES: tuple[Category, ...] = ("cmo-role", "c-suite", "ai-trends")


def as_category(value: object) -> Category | None:
    """A category from user input (a select's value), checked against the known ones."""
    return next((category for category in CATEGORIES if category == value), None)

TOPIC_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TITLE_MAX = 100
SUMMARY_MAX = 400
BODY_MAX = 2000
HEADING_MAX = 256
FIELD_TEXT_MAX = 1024
ALIAS_MAX = 100
TIP_MAX = 400

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    """Unknown keys are errors: a typo in a key name must not silently drop content."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _localized(max_length: int) -> type[BaseModel]:
    bounded = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)]

    class _Localized(_Strict):
        nl: bounded  # type: ignore[valid-type]
        en: bounded  # type: ignore[valid-type]

        def get(self, lang: Lang) -> str:
            return getattr(self, lang)

    return _Localized


class Title(_localized(TITLE_MAX)):
    """A title in both languages; short enough for an autocomplete choice."""


class Summary(_localized(SUMMARY_MAX)):
    """One or two sentences that answer the question on their own."""


class Body(_localized(BODY_MAX)):
    """The explanation under the summary."""


class Heading(_localized(HEADING_MAX)):
    """A section heading (an embed field name)."""


class FieldText(_localized(FIELD_TEXT_MAX)):
    """Text that must fit one embed field value."""


class Cell(_localized(FIELD_TEXT_MAX)):
    """A table cell. A plain string stands for the same text in both languages (a role name)."""


class TipText(_localized(TIP_MAX)):
    """A tip: short enough to read in a channel without scrolling."""


def _same_in_both(value: object) -> object:
    if isinstance(value, str):
        return {"nl": value, "en": value}
    return value


CellValue = Annotated[Cell, BeforeValidator(_same_in_both)]

Alias = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=ALIAS_MAX)]


class Terms(_Strict):
    """Alternative phrasings per language (aliases, keywords). Either list may be empty."""

    nl: list[Alias] = Field(default_factory=list)
    en: list[Alias] = Field(default_factory=list)

    def get(self, lang: Lang) -> list[str]:
        return list(getattr(self, lang))


class Section(_Strict):
    """A titled part of a topic: running text or bullet items, not both."""

    heading: Heading
    text: FieldText | None = None
    items: list[FieldText] | None = None

    @model_validator(mode="after")
    def _text_or_items(self) -> Section:
        if (self.text is None) == (self.items is None):
            raise ValueError("a section has either 'text' or 'items', exactly one of them")
        if self.items is not None:
            if not self.items:
                raise ValueError("'items' must not be empty")
            for lang in LANGS:
                total = sum(len(item.get(lang)) + 3 for item in self.items)
                if total > FIELD_TEXT_MAX:
                    raise ValueError(
                        f"the {lang} items together are {total} characters; one embed field holds {FIELD_TEXT_MAX}"
                    )
        return self


class Table(_Strict):
    """A small comparison table; every row has one cell per column."""

    title: Heading
    columns: list[CellValue] = Field(min_length=2, max_length=5)
    rows: list[list[CellValue]] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _rows_match_columns(self) -> Table:
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"row {index} has {len(row)} cells but the table has {len(self.columns)} columns")
        return self


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Source(_Strict):
    """Where a fact comes from. `date` is the publication date, or when the text carries none,
    the date we consulted it (then `date_basis: accessed`)."""

    title: Line
    publisher: Line
    date: Annotated[str, BeforeValidator(lambda v: v.isoformat() if isinstance(v, date) else v)]
    date_basis: Literal["published", "accessed"] = "published"
    url: str | None = None

    @model_validator(mode="after")
    def _date_shape(self) -> Source:
        if not _DATE.match(self.date):
            raise ValueError("date must be YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(p) for p in self.date.split("-")]
        try:
            date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError as exc:
            raise ValueError(f"date is not a real date: {exc}") from None
        return self


class Topic(_Strict):
    """One explainable subject, in both languages, with the sources of its facts."""

    id: Annotated[str, StringConstraints(pattern=TOPIC_ID_PATTERN, max_length=64)]
    category: Category
    title: Title
    summary: Summary
    body: Body
    sections: list[Section] = Field(default_factory=list, max_length=8)
    tables: list[Table] = Field(default_factory=list, max_length=2)
    aliases: Terms = Field(default_factory=Terms)
    keywords: Terms = Field(default_factory=Terms)
    related: list[Annotated[str, StringConstraints(pattern=TOPIC_ID_PATTERN)]] = Field(
        default_factory=list, max_length=10
    )
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _not_related_to_itself(self) -> Topic:
        if self.id in self.related:
            raise ValueError("a topic cannot list itself in 'related'")
        return self


class Tip(_Strict):
    """A short tip that points to the topic where the full story is."""

    id: Annotated[str, StringConstraints(pattern=TOPIC_ID_PATTERN, max_length=64)]
    topic: Annotated[str, StringConstraints(pattern=TOPIC_ID_PATTERN)]
    text: TipText


class TipsFile(_Strict):
    """The layout of content/tips.yaml."""

    tips: list[Tip] = Field(min_length=1)
