"""What changed between two versions of a topic, field by field and language by language.

History shows this rather than the texts themselves: a moderator scanning revisions wants to
know "the Dutch summary and the English aliases", and can open the topic for the wording.
"""

from __future__ import annotations

from bot.knowledge.model import LANGS, Topic
from bot.storage.revisions import Change


def _per_language(value: object) -> bool:
    return isinstance(value, dict) and set(value) == set(LANGS)


def topic_changes(old: Topic | None, new: Topic) -> tuple[Change, ...]:
    """(field, lang) for texts in both languages (title, summary, body, aliases, keywords),
    (field, None) for the rest; in the schema's field order."""
    if old is None:
        return tuple((field, None) for field in Topic.model_fields if field != "id")
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    changes: list[Change] = []
    for field in Topic.model_fields:
        if before.get(field) == after.get(field):
            continue
        if _per_language(before.get(field)) and _per_language(after.get(field)):
            changes.extend((field, lang) for lang in LANGS if before[field][lang] != after[field][lang])
        else:
            changes.append((field, None))
    return tuple(changes)


def describe(changes: tuple[Change, ...] | list[Change]) -> str:
    """`title (nl), aliases (en), sections`: field names as in the files, so they read the same
    in Dutch and English."""
    return ", ".join(f"{field} ({lang})" if lang else field for field, lang in changes)
