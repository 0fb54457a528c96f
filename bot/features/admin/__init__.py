"""The moderator commands: one group, a panel per feature."""

from __future__ import annotations

from discord.ext import commands

from bot.features.admin import editing, insights, tip_schedule
from bot.features.admin.cog import AdminCog


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(*insights.DYNAMIC_ITEMS, *tip_schedule.DYNAMIC_ITEMS, *editing.DYNAMIC_ITEMS)
    await bot.add_cog(AdminCog(bot))
