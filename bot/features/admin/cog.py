"""/cmo-admin (nl /cmo-beheer): the moderator commands, in one group.

Thin on purpose: every command says by decoration who may use it (`moderator_only()`, and
`home_guild_only()` for content editing) and hands over to the panel of its feature
(insights, tip schedule, content editing), where the work and the replies live.
Replies are ephemeral: moderators' tools should not fill a team channel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.features.admin import aliases, editing, insights, tip_schedule
from bot.features.admin.aliases import AliasesPanel
from bot.features.admin.editing import EditingPanel
from bot.features.admin.insights import InsightsPanel
from bot.features.admin.permissions import home_guild_only, moderator_only
from bot.features.admin.tip_schedule import TipSchedulePanel

if TYPE_CHECKING:
    from bot.app import CmoBot

LANGUAGE_CHOICES = [app_commands.Choice(name="nl", value="nl"), app_commands.Choice(name="en", value="en")]


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class AdminCog(commands.GroupCog, group_name="cmo-admin", group_description="Moderator tools for cmo-bot"):
    def __init__(self, bot: CmoBot):
        services = bot.services
        self.insights = InsightsPanel(services)
        self.aliases = AliasesPanel(services)
        self.tips = TipSchedulePanel(services, bot)
        self.editing = EditingPanel(services)
        super().__init__()

    # -- insights (the improvement loop) ---------------------------------------------------

    @moderator_only()
    @app_commands.command(
        name="stats", description="Questions per day, answered share, top and unanswered questions, ratings"
    )
    @app_commands.describe(days="How many days back")
    async def stats(self, interaction: discord.Interaction[CmoBot], days: app_commands.Range[int, 1, 365] = 7) -> None:
        await self.insights.stats(interaction, days)

    @moderator_only()
    @app_commands.command(name="unanswered", description="Open unanswered questions, to attach as an alias or dismiss")
    async def unanswered(self, interaction: discord.Interaction[CmoBot]) -> None:
        await self.insights.unanswered(interaction)

    @moderator_only()
    @app_commands.command(
        name="suggestions", description="Aliases the bot proposes from what users opened after a miss"
    )
    async def suggestions(self, interaction: discord.Interaction[CmoBot]) -> None:
        await self.insights.suggestions(interaction)

    @moderator_only()
    @app_commands.command(name="aliases", description="Learned aliases that count in this server, to review or detach")
    async def aliases_list(self, interaction: discord.Interaction[CmoBot]) -> None:
        await self.aliases.show(interaction)

    @moderator_only()
    @app_commands.command(
        name="export-questions", description="The question log as a CSV file, without user identifiers"
    )
    @app_commands.describe(days="How many days back")
    async def export_questions(
        self, interaction: discord.Interaction[CmoBot], days: app_commands.Range[int, 1, 3650] = 30
    ) -> None:
        await self.insights.export_questions(interaction, days)

    # -- scheduled tips --------------------------------------------------------------------

    # The channel arrives as Discord sent it (AppCommandChannel): the bot keeps no guild cache,
    # so discord.TextChannel could not be resolved. The panel checks that it is a text channel.
    @moderator_only()
    @app_commands.command(name="tips-set", description="Post a tip in a channel at a set local time")
    @app_commands.describe(
        channel="The text channel for the tips",
        time="Local time as HH:MM, e.g. 09:00",
        days="mon-fri (default), daily, or a list like mon,wed,fri",
        timezone="IANA time zone, e.g. Europe/Amsterdam",
        language="Language of the tips",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def tips_set(
        self,
        interaction: discord.Interaction[CmoBot],
        channel: app_commands.Transform[app_commands.AppCommandChannel, tip_schedule.TipChannel],
        time: app_commands.Range[str, 1, 5],
        days: app_commands.Range[str, 1, 40] = "mon-fri",
        timezone: app_commands.Range[str, 1, 64] = "Europe/Amsterdam",
        language: app_commands.Choice[str] | None = None,
    ) -> None:
        await self.tips.set(interaction, channel, time, days, timezone, language.value if language else "nl")

    @tips_set.autocomplete("timezone")
    async def tips_set_timezone(
        self, interaction: discord.Interaction[CmoBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return self.tips.timezone_choices(current)

    @moderator_only()
    @app_commands.command(name="tips-off", description="Stop the scheduled tips in this server")
    async def tips_off(self, interaction: discord.Interaction[CmoBot]) -> None:
        await self.tips.off(interaction)

    @moderator_only()
    @app_commands.command(
        name="tips-status", description="The tip schedule, the next and last post, and the last error"
    )
    async def tips_status(self, interaction: discord.Interaction[CmoBot]) -> None:
        await self.tips.status(interaction)

    @moderator_only()
    @app_commands.command(name="tips-preview", description="The tip that would be posted next")
    async def tips_preview(self, interaction: discord.Interaction[CmoBot]) -> None:
        await self.tips.preview(interaction)

    # -- content editing (home guild only) -------------------------------------------------

    @home_guild_only()
    @moderator_only()
    @app_commands.command(name="reload", description="Re-read the content files and make them live")
    async def reload(self, interaction: discord.Interaction[CmoBot]) -> None:
        await self.editing.reload(interaction)

    @home_guild_only()
    @moderator_only()
    @app_commands.command(name="edit", description="Edit a topic live in a form")
    @app_commands.describe(topic="The topic", language="Which language to edit")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction[CmoBot],
        topic: app_commands.Range[str, 1, 100],
        language: app_commands.Choice[str] | None = None,
    ) -> None:
        await self.editing.edit(interaction, topic, language.value if language else "nl")

    @home_guild_only()
    @moderator_only()
    @app_commands.command(name="history", description="The revisions of a topic")
    @app_commands.describe(topic="The topic")
    async def history(self, interaction: discord.Interaction[CmoBot], topic: app_commands.Range[str, 1, 100]) -> None:
        await self.editing.history(interaction, topic)

    @home_guild_only()
    @moderator_only()
    @app_commands.command(name="revert", description="Make an earlier revision of a topic live again")
    @app_commands.describe(topic="The topic", revision="Revision number; 0 is the version in the files")
    async def revert(
        self,
        interaction: discord.Interaction[CmoBot],
        topic: app_commands.Range[str, 1, 100],
        revision: app_commands.Range[int, 0, 100_000],
    ) -> None:
        await self.editing.revert(interaction, topic, revision)

    @edit.autocomplete("topic")
    @history.autocomplete("topic")
    @revert.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction[CmoBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return self.editing.topic_choices(interaction, current)


async def setup(bot: CmoBot) -> None:
    bot.add_dynamic_items(*insights.DYNAMIC_ITEMS, *aliases.DYNAMIC_ITEMS)
    editing.register(bot)  # routes edit forms submitted after a restart
    await bot.add_cog(AdminCog(bot))
