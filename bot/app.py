"""Builds the Discord bot around the core services and runs it.

Only what slash commands need: no gateway intents, so no guild, member or message cache;
no mentions ever. Services come in through the constructor; cogs get them in
their extension's setup, never from module globals.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from typing import cast

import aiohttp
import discord
import discord.gateway
import yarl
from discord.ext import commands

from bot.config import CommandSync, Settings
from bot.features.components import DYNAMIC_ITEMS
from bot.features.tip_scheduler import SCHEDULE_CHANGED_EVENT
from bot.features.translator import CommandTranslator
from bot.features.tree import CmoTree
from bot.identify_gate import IdentifyGate
from bot.ops.health import HealthServer
from bot.ops.metrics import Metrics
from bot.runtime import settle_heap
from bot.services import Services
from bot.storage.meta import HEALTH_MARK, set_meta
from bot.storage.timestamps import utc_now_iso
from bot.web.server import WebDashboard

log = logging.getLogger(__name__)

# Of the 10 s a container gets between SIGTERM and SIGKILL: commands finishing, then the rest.
SHUTDOWN_DRAIN_SECONDS = 4.0

EXTENSIONS = (
    "bot.features.ask",
    "bot.features.browse",
    "bot.features.tips",
    "bot.features.help",
    "bot.features.admin.cog",
    "bot.features.privacy",
    "bot.features.retention_job",
    "bot.features.tip_scheduler",
)


def point_at_api(api_base: str) -> None:
    """Sends REST and webhook calls to `api_base` (Discord's own, or a compatible server)."""
    discord.http.Route.BASE = api_base


async def use_gateway_of(http: discord.http.HTTPClient) -> str:
    """Asks the configured API for its gateway address and makes it the default.

    A plain (unsharded) discord.py client connects to a built-in gateway address; asking
    `GET /gateway/bot` makes the gateway follow CMO_DISCORD_API_BASE, as Discord documents.
    """
    _, url, _ = await http.get_bot_gateway()
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
    return url


class StartupError(Exception):
    """A problem at start that the operator must fix; the message names the setting."""


class CmoBot(commands.AutoShardedBot):
    """The bot: every shard of CMO_SHARD_IDS in this process (all of them when unset).

    AutoShardedBot with one shard behaves as a plain bot; with a range, several processes
    share the bot over one PostgreSQL database, and each IDENTIFY waits its turn in that
    database so that together they keep Discord's max_concurrency (bot/identify_gate.py).
    """

    services: Services

    def __init__(self, services: Services, *, guild_ready_timeout: float = 2.0):
        self.metrics = Metrics()
        self.health: HealthServer | None = None
        self.web: WebDashboard | None = None
        self.gateway_connected = False
        # No intents at all: interactions arrive without any, and carry what a command needs
        # (guild id, channel, the member's permissions and role ids). Without the guilds
        # intent Discord sends no GUILD_CREATE, so no guild, channel or role cache is built:
        # at 10,000 guilds that is most of a bot's memory (bench/bench_scale.py).
        intents = discord.Intents.none()
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            member_cache_flags=discord.MemberCacheFlags.none(),
            max_messages=None,
            chunk_guilds_at_startup=False,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=CmoTree,
            guild_ready_timeout=guild_ready_timeout,
            shard_count=services.settings.shards.count,
            shard_ids=list(services.settings.shards.ids) if services.settings.shards.ids is not None else None,
        )
        self.identify_gate: IdentifyGate | None = None
        self.services = services
        self.tree.configure(services.settings.default_lang, self.metrics)
        self.metrics.watch_writer(services.writer)
        self.metrics.watch_content(services.content_sync)
        self.metrics.watch_semantic(services.semantic_pool)
        services.asking.add_observer(self.metrics.observe_answer)

    @property
    def tree(self) -> CmoTree:
        """The command tree, as the `tree_cls` given to discord.py builds it."""
        return cast(CmoTree, super().tree)

    async def setup_hook(self) -> None:
        log.info("gateway: %s", await use_gateway_of(self.http))
        if self.services.db.dialect == "postgresql":
            limits = await self.fetch_session_start_limits()
            self.identify_gate = IdentifyGate(self.services.db, limits.max_concurrency)
        log.info("running %s", self.services.settings.shards.describe())
        await self.tree.set_translator(CommandTranslator())
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await sync_commands(self.tree, self.services.settings.sync_commands)
        host, port = self.services.settings.health_addr
        self.health = HealthServer(host, port, self.health_problems, self.metrics)
        try:
            await self.health.start()
        except OSError as exc:
            raise StartupError(
                f"cannot listen on {host}:{port} for /healthz and /metrics (CMO_HEALTH_ADDR): {exc.strerror or exc}"
            ) from exc
        await self._start_web()
        settle_heap()

    def _schedule_changed(self, guild_id: int) -> None:
        """Wakes the tip scheduler, as tips-set does, after the dashboard changed a schedule."""
        self.dispatch(SCHEDULE_CHANGED_EVENT, guild_id)

    async def _start_web(self) -> None:
        """The moderators' dashboard, when CMO_WEB_ADDR is set."""
        settings = self.services.settings
        if settings.web_addr is None:
            return
        if settings.web_missing:
            log.warning(
                "web dashboard off: CMO_WEB_ADDR is set, but %s %s not (see README, Web dashboard)",
                ", ".join(settings.web_missing), "is" if len(settings.web_missing) == 1 else "are",
            )
            return
        self.web = WebDashboard(self.services, self.http, self._schedule_changed)
        try:
            await self.web.start()
        except OSError as exc:
            host, port = self.services.settings.web_addr
            raise StartupError(
                f"cannot listen on {host}:{port} for the web dashboard (CMO_WEB_ADDR): {exc.strerror or exc}"
            ) from exc

    async def close(self) -> None:
        """Stops taking new commands, lets the running ones finish (their questions reach the
        log's queue), then closes the gateway, the HTTP session and the health server."""
        await self.tree.drain(timeout=SHUTDOWN_DRAIN_SECONDS)
        self.gateway_connected = False
        await super().close()
        if self.health is not None:
            await self.health.stop()
        if self.web is not None:
            await self.web.stop()

    async def health_problems(self) -> list[str]:
        problems = []
        if not self.gateway_connected or self.is_closed():
            problems.append("gateway not connected")
        try:
            await set_meta(self.services.db, HEALTH_MARK, utc_now_iso())
        except Exception as exc:
            problems.append(f"database does not accept writes: {exc}")
        if self.services.writer.last_error:
            problems.append(f"question log cannot be written: {self.services.writer.last_error}")
        return problems

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Other processes may IDENTIFY too: take this shard's turn in the shared database."""
        if self.identify_gate is None:
            await super().before_identify_hook(shard_id, initial=initial)
            return
        await self.identify_gate.wait_turn(shard_id or 0)

    async def on_connect(self) -> None:
        self.gateway_connected = True

    async def on_resumed(self) -> None:
        self.gateway_connected = True

    async def on_disconnect(self) -> None:
        self.gateway_connected = False

    async def on_app_command_completion(
        self, interaction: discord.Interaction[CmoBot], command: discord.app_commands.Command
    ) -> None:
        self.tree.record(interaction, "ok")


async def sync_commands(tree: discord.app_commands.CommandTree, sync: CommandSync) -> None:
    if sync.mode == "off":
        log.info("command sync is off")
        return
    if sync.mode == "guild":
        guild = discord.Object(id=sync.guild_id)
        tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
        log.info("synced %d commands to guild %s", len(synced), sync.guild_id)
        return
    synced = await tree.sync()
    log.info("synced %d global commands", len(synced))


def stop_on_signals(bot: commands.Bot) -> None:
    """SIGTERM (docker stop) and SIGINT (Ctrl-C) close the bot; the caller then drains the
    question log and closes the database, so a stop loses nothing."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda name=signum.name: _close_for(bot, name))


def _close_for(bot: commands.Bot, reason: str) -> None:
    log.info("%s received: stopping", reason)
    asyncio.get_running_loop().create_task(bot.close())


def _reason(exc: BaseException) -> str:
    """The cause in a few words: aiohttp wraps the OS error (refused, DNS) it got."""
    cause = getattr(exc, "os_error", None) or exc
    errno = getattr(cause, "errno", None)
    if isinstance(errno, int) and errno > 0:
        return os.strerror(errno)  # "Connection refused", not asyncio's "Connect call failed"
    return getattr(cause, "strerror", None) or str(cause) or type(cause).__name__


def _http_reason(exc: discord.HTTPException) -> str:
    """Status and Discord's message; an HTML error page (a wrong address) is left out."""
    text = " ".join((exc.text or "").split())
    detail = f": {text}" if text and not text.startswith("<") and len(text) <= 200 else ""
    return f"HTTP {exc.status} {getattr(exc.response, 'reason', '') or ''}".rstrip() + detail


async def run_bot(settings: Settings) -> int:
    """Runs until stopped; returns the process exit code. Problems at start (token refused,
    API unreachable, port taken) end with one log line naming the setting, and exit code 1."""
    assert settings.discord_token is not None
    point_at_api(settings.discord_api_base)
    api = settings.discord_api_base
    services = await Services.open(settings)
    try:
        async with CmoBot(services) as bot:
            stop_on_signals(bot)
            await bot.start(settings.discord_token.get_secret_value())
    except discord.LoginFailure:
        log.error("Discord refused the token in DISCORD_TOKEN; check it in the developer portal")
        return 1
    except StartupError as exc:
        log.error("%s", exc)
        return 1
    except (TimeoutError, aiohttp.ClientConnectionError) as exc:
        log.error(
            "cannot reach the Discord API at %s (CMO_DISCORD_API_BASE): %s. Check the address, "
            "or unset CMO_DISCORD_API_BASE to use Discord's own API",
            api,
            _reason(exc),
        )
        return 1
    except discord.HTTPException as exc:
        log.error("the Discord API at %s (CMO_DISCORD_API_BASE) answered an error at start: %s", api, _http_reason(exc))
        return 1
    finally:
        await services.close()
    return 0
