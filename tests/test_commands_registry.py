"""Every extension loads, no two commands share a name, and every name, description, option
and choice a user sees has its Dutch localisation."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.app import EXTENSIONS, CmoBot
from bot.config import load_settings
from bot.features.translator import CommandTranslator
from bot.i18n import COMMAND_NL
from bot.services import Services


@pytest.fixture
async def loaded_bot(tmp_path):
    services = await Services.open(load_settings({"CMO_DB_PATH": str(tmp_path / "db.sqlite3")}))
    bot = CmoBot(services)
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    try:
        yield bot
    finally:
        for extension in EXTENSIONS:
            await bot.unload_extension(extension)
        await services.close()


def user_visible_strings(bot: CmoBot) -> list[str]:
    strings: list[str] = []
    for command in bot.tree.walk_commands():
        strings += [command.name, command.description]
        if isinstance(command, app_commands.Command):
            for parameter in command.parameters:
                strings += [parameter.name, parameter.description]
                # role names (CEO) and language codes (nl, en) read the same in both languages
                strings += [c.name for c in parameter.choices if not (c.name.isupper() or c.name in ("nl", "en"))]
    return [text for text in strings if text and text != "…"]


async def test_all_extensions_load_without_duplicate_command_names(loaded_bot):
    names = [command.qualified_name for command in loaded_bot.tree.walk_commands()]
    assert len(names) == len(set(names))
    top_level = {command.name for command in loaded_bot.tree.get_commands()}
    assert {"ask", "explain", "compare", "topics", "tip", "help", "cmo-admin", "privacy"} <= top_level


async def test_every_user_visible_command_string_has_a_dutch_localisation(loaded_bot):
    missing = sorted({text for text in user_visible_strings(loaded_bot) if text not in COMMAND_NL})
    assert missing == []


async def test_the_translator_gives_dutch_for_nl_and_nothing_for_english(loaded_bot):
    translator = CommandTranslator()
    context = app_commands.TranslationContext(app_commands.TranslationContextLocation.other, None)
    dutch = await translator.translate(app_commands.locale_str("ask"), discord.Locale.dutch, context)
    english = await translator.translate(app_commands.locale_str("ask"), discord.Locale.british_english, context)
    assert (dutch, english) == ("vraag", None)
