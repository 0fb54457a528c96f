"""A reload builds the new index in a thread; a change made meanwhile is not lost."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace

from bot.knowledge.loader import default_content_dir, load_content
from bot.knowledge.store import ContentStore, TopicLayer


async def test_an_alias_attached_during_a_reload_stays_live():
    store = ContentStore.from_dir(default_content_dir())
    files = load_content(default_content_dir())
    started, release = threading.Event(), threading.Event()
    build = store._build
    in_thread = {"first": True}

    def slow_build(files_, overlay):
        if in_thread["first"] and threading.current_thread() is not threading.main_thread():
            in_thread["first"] = False
            started.set()
            release.wait(timeout=10)
        return build(files_, overlay)

    store._build = slow_build  # type: ignore[method-assign]
    reload = asyncio.ensure_future(store.rebuild_off_loop(files))
    while not started.is_set():
        await asyncio.sleep(0.001)
    # Meanwhile, on the event loop, a moderator attaches an alias; answering goes on.
    learned = {"role-cfo": {"nl": ("wie bewaakt het geld",)}}
    store.rebuild(overlay=replace(store.overlay, learned_aliases=learned))
    assert store.current.answer("wat doet een cmo", "nl").matched
    release.set()
    await reload
    assert store.files is files
    assert store.current.learned_aliases == learned
    assert store.current.answer("wie bewaakt het geld", "nl").topic_id == "role-cfo"


async def test_topics_created_and_retired_live_stay_so_over_a_reload_of_the_files():
    store = ContentStore.from_dir(default_content_dir())
    created = store.files.topics["cmo-agility"].model_copy(update={"id": "agility-playbook", "related": ["role-cfo"]})
    store.set_topic_layer("agility-playbook", TopicLayer(created))
    store.set_topic_layer("role-cfo", TopicLayer(retired=True))
    await store.rebuild_off_loop(load_content(default_content_dir()))
    assert store.current.topic("agility-playbook") is not None
    assert store.current.topic("agility-playbook").related == []  # the retired topic is no link
    assert store.layered_topic("agility-playbook").related == ["role-cfo"]  # but stays in the topic
    assert store.current.topic("role-cfo") is None
    previous = store.set_topic_layer("role-cfo", TopicLayer())
    assert previous == TopicLayer(retired=True)
    assert store.current.topic("agility-playbook").related == ["role-cfo"]
