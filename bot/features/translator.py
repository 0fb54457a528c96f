"""Dutch localisations of slash command names, descriptions and options for Discord."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.i18n import COMMAND_NL


class CommandTranslator(app_commands.Translator):
    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        if locale is discord.Locale.dutch:
            return COMMAND_NL.get(string.message)
        return None
