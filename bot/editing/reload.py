"""Reading the content files for a reload, and what it changed, for the moderator who asked.

Reading, parsing and validating the files happens in a worker thread: the event loop must
keep answering interactions (Discord's 3 s deadline) however slow the disk or large the
files. The loader caps each file (MAX_FILE_BYTES), so a thread never holds much either.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import loader
from bot.knowledge.loader import ContentSet
from bot.knowledge.model import Topic


async def read_content_files(content_dir: Path) -> ContentSet:
    """load_content off the event loop; raises ContentError naming every problem."""
    return await asyncio.to_thread(loader.load_content, content_dir)


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
