"""CMO_SYNC_COMMANDS decides where the slash commands are registered at start."""

from __future__ import annotations

from tests.harness import BotHarness


async def test_guild_sync_registers_the_commands_in_that_server_only(fake_discord, tmp_path):
    guild_id = fake_discord.guild().id
    harness = BotHarness(fake_discord, tmp_path / "db.sqlite3", CMO_SYNC_COMMANDS=f"guild:{guild_id}")
    await harness.start()
    try:
        names = {command["name"] for command in await fake_discord.wait_for_commands(guild_id=guild_id)}
        assert {"ask", "explain", "compare", "topics", "tip", "help", "cmo-admin", "privacy"} <= names
        assert fake_discord.global_commands == []
        interaction = await fake_discord.slash_command("ask", options={"question": "wat doet een cio"}, guild_id=guild_id)
        assert (await interaction.response())["data"]["embeds"]
    finally:
        await harness.stop()


async def test_sync_off_registers_nothing(fake_discord, tmp_path):
    harness = BotHarness(fake_discord, tmp_path / "db.sqlite3", CMO_SYNC_COMMANDS="off")
    await harness.start()
    try:
        assert fake_discord.command_syncs == 0
        assert fake_discord.requests_matching("PUT", "/applications/*/commands") == []
    finally:
        await harness.stop()
