"""The baselines for bench_ask: a bare discord.py bot with the library's default settings that
answers /ask with a fixed embed, pointed at a Discord-compatible server the same way cmo-bot is
(CMO_DISCORD_API_BASE and its GET /gateway/bot).

BENCH_BASELINE=tiny answers with a two-line embed. BENCH_BASELINE=answer answers with a fixed
copy of a typical cmo-bot answer (the same embed and the same components, built once at
start): the library's own cost of sending a message of that shape, so that the difference to
cmo-bot is what answering and logging add."""

from __future__ import annotations

import asyncio
import os

import discord
from discord.ext import commands

from bot.app import point_at_api, use_gateway_of


def _fixed_reply(baseline: str) -> dict:
    if baseline == "tiny":
        return {"embed": discord.Embed(title="CMO", description="Chief Marketing Officer")}
    from bot.knowledge.loader import default_content_dir, load_content
    from bot.topic_embeds import topic_embed

    topic = load_content(default_content_dir()).topics["cmo-responsibilities"]
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Select(
            custom_id="related",
            options=[discord.SelectOption(label=related, value=related) for related in topic.related],
        )
    )
    view.add_item(discord.ui.Button(label="Nuttig", emoji="👍", custom_id="fb:up:" + "0" * 32))
    view.add_item(discord.ui.Button(label="Niet nuttig", emoji="👎", custom_id="fb:down:" + "0" * 32))
    view.stop()
    return {"embed": discord.Embed.from_dict(topic_embed(topic, "nl")), "view": view}


class MinimalBot(commands.Bot):
    def __init__(self) -> None:
        super().__init__(command_prefix="!", intents=discord.Intents.default())

        reply = _fixed_reply(os.environ.get("BENCH_BASELINE", "tiny"))

        @self.tree.command(name="ask", description="Ask a question")
        async def ask(interaction: discord.Interaction, question: str) -> None:
            await interaction.response.send_message(**reply)

    async def setup_hook(self) -> None:
        await use_gateway_of(self.http)
        await self.tree.sync()


async def main() -> None:
    point_at_api(os.environ["CMO_DISCORD_API_BASE"])
    async with MinimalBot() as bot:
        await bot.start(os.environ["DISCORD_TOKEN"])


if __name__ == "__main__":
    asyncio.run(main())
