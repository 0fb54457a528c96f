"""Shared fixtures: the fake Discord server and the real bot running against it."""

from __future__ import annotations

import pytest_asyncio

from tests.fake_discord.fixtures import fake_discord, restore_discord_routes  # noqa: F401
from tests.harness import BotHarness

MESSAGE_CALLBACKS = {4, 7}  # a new message, or an edit of the component's message


def message_bodies(fake) -> list[tuple[str, dict]]:
    """Every message the bot created or edited, as sent (interaction callbacks, webhooks,
    channel posts)."""
    bodies = []
    for request in fake.requests:
        body = request.json
        if not isinstance(body, dict) or request.method not in ("POST", "PATCH"):
            continue
        if request.path.endswith("/callback"):
            if body.get("type") in MESSAGE_CALLBACKS and body.get("data"):
                bodies.append((request.path, body["data"]))
        elif "/webhooks/" in request.path or request.path.endswith("/messages"):
            bodies.append((request.path, body))
    return bodies


@pytest_asyncio.fixture
async def harness(fake_discord, tmp_path):  # noqa: F811
    running = BotHarness(fake_discord, tmp_path / "cmo-bot.sqlite3")
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
    # Whatever the test did: no message the bot sent may ping anyone.
    pinging = [path for path, body in message_bodies(fake_discord) if body.get("allowed_mentions") != {"parse": []}]
    assert pinging == [], f"messages sent without mentions disabled: {pinging}"
