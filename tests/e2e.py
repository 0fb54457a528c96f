"""Helpers shared by the end-to-end tests: reading what the bot sent and what it stored."""

from __future__ import annotations

import sqlite3
from typing import Any

NO_MENTIONS = {"parse": []}
MESSAGE_CALLBACKS = {4, 7}  # a new message, or an edit of the component's message


def sent_messages(fake) -> list[tuple[str, dict]]:
    """Every message the bot created or edited, as sent (interaction callbacks, webhooks,
    channel posts)."""
    bodies = []
    for request in fake.requests:
        body = request.json
        if not isinstance(body, dict) or request.method not in ("POST", "PATCH"):
            continue
        if request.path.endswith("/callback"):
            data = body.get("data") or {}
            if (body.get("type") in MESSAGE_CALLBACKS and data) or "allowed_mentions" in data:
                bodies.append((request.path, data))
        elif "/webhooks/" in request.path or request.path.endswith("/messages"):
            bodies.append((request.path, body))
    return bodies


def assert_no_pings(fake) -> None:
    pinging = [path for path, body in sent_messages(fake) if body.get("allowed_mentions") != NO_MENTIONS]
    assert pinging == [], f"messages sent without mentions disabled: {pinging}"


def assert_clean_traffic(fake) -> None:
    """No mention is ever allowed, and the bot made no request Discord would refuse."""
    assert_no_pings(fake)
    assert fake.unexpected_requests == []
    assert [(r, r.response) for r in fake.client_errors] == []


def rows(harness, sql: str, *params: Any) -> list[sqlite3.Row]:
    """Rows from the bot's real SQLite file, read the way an operator would."""
    connection = sqlite3.connect(harness.settings.db_path)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def components(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The buttons and selects of a message, action rows left out."""
    out: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            out.append(item)
            walk(item.get("components") or [])

    walk(data.get("components") or [])
    return [c for c in out if c.get("type") != 1]


def custom_ids(data: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for c in components(data) if "custom_id" in c]


def component(data: dict[str, Any], custom_id_prefix: str) -> dict[str, Any]:
    found = [c for c in components(data) if c.get("custom_id", "").startswith(custom_id_prefix)]
    assert found, f"no component {custom_id_prefix!r} in {custom_ids(data)}"
    return found[0]


async def answered(interaction, expected_type: int = 4) -> dict[str, Any]:
    body = await interaction.response(timeout=5)
    assert body["type"] == expected_type, body
    return body["data"]
