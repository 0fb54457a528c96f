"""What a reload of the content files changed, for the moderator who asked for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.knowledge.loader import ContentSet
from bot.knowledge.model import Topic


@dataclass(frozen=True)
class ReloadReport:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    topics: int
    tips: int
    # Topics whose file changed while a live edit overrides them: the file change is not live.
    shadowed: tuple[str, ...]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)


def reload_report(before: ContentSet, after: ContentSet, overrides: Mapping[str, Topic]) -> ReloadReport:
    added = sorted(set(after.topics) - set(before.topics))
    removed = sorted(set(before.topics) - set(after.topics))
    changed = sorted(
        topic_id
        for topic_id in set(before.topics) & set(after.topics)
        if before.topics[topic_id] != after.topics[topic_id]
    )
    return ReloadReport(
        added=tuple(added),
        changed=tuple(changed),
        removed=tuple(removed),
        topics=len(after.topics),
        tips=len(after.tips),
        shadowed=tuple(topic_id for topic_id in changed if topic_id in overrides),
    )
