"""Commands used in a direct message (no server): answered, logged without a guild, and the
moderator commands are not offered there."""

from __future__ import annotations

import sqlite3


async def test_ask_in_a_direct_message_is_answered_and_logged_without_guild(harness):
    interaction = await harness.fake.slash_command(
        "ask", options={"question": "what does a CFO do"}, locale="en-GB", guild_id=None
    )
    response = await interaction.response()
    assert response["data"]["embeds"][0]["title"] == harness.services.store.current.topics["role-cfo"].title.en
    await harness.services.writer.flush()
    with sqlite3.connect(harness.settings.db_path) as connection:
        rows = connection.execute("SELECT guild_id, topic_id, lang FROM questions").fetchall()
    assert rows == [(None, "role-cfo", "en")]


async def test_privacy_info_works_in_a_direct_message(harness):
    interaction = await harness.fake.slash_command("privacy info", locale="nl", guild_id=None)
    response = await interaction.response()
    assert response["data"]["flags"] & 64
    assert response["data"].get("embeds") or response["data"].get("content")


async def test_moderator_commands_are_registered_for_servers_only_and_for_manage_server(harness):
    command = harness.fake.find_command("cmo-admin")
    assert command["contexts"] == [0]  # guild only: not offered in direct messages
    assert command["dm_permission"] is False
    assert command["default_member_permissions"] == "32" or command["default_member_permissions"] == 32
