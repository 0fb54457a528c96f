"""/help lists the commands of the command tree itself, so a new command needs no second list."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.i18n import command_text, t
from tests.e2e import answered

# Not listed: /help itself, and the groups (cmo-admin is for moderators, /privacy is in the footer).
NOT_LISTED = {"help", "cmo-admin", "privacy"}


async def help_fields(harness, locale: str) -> list[tuple[str, str]]:
    data = await answered(await harness.fake.slash_command("help", locale=locale))
    (embed,) = data["embeds"]
    return [(field["name"], field["value"]) for field in embed["fields"]]


@pytest.mark.parametrize(("locale", "lang"), [("nl", "nl"), ("en-US", "en")])
async def test_help_lists_the_commands_of_the_tree(harness, locale, lang):
    in_tree = [command.name for command in harness.bot.tree.get_commands() if command.name not in NOT_LISTED]
    assert in_tree  # the tree is loaded

    shown = [name for name, _ in await help_fields(harness, locale)]

    assert shown == [f"/{command_text(name, lang)}" for name in in_tree]


@pytest.mark.parametrize(
    ("permissions", "listed"), [(None, True), (discord.Permissions(manage_guild=True), False)]
)
async def test_a_new_command_shows_up_in_help_unless_it_is_for_moderators(harness, permissions, listed):
    @app_commands.command(name="quiz", description="Test what you know about the CMO role")
    async def quiz(interaction: discord.Interaction) -> None:
        raise AssertionError("never invoked")

    quiz.default_permissions = permissions
    harness.bot.tree.add_command(quiz)

    fields = await help_fields(harness, "en-US")

    assert (("/quiz", "Test what you know about the CMO role") in fields) is listed
    assert fields[0] == ("/ask", t("help_ask", "en"))  # a written help text still wins over the description
