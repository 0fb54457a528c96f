"""End to end, issue 14: two `python -m bot run` processes, shards 0 and 1 of 2, one
PostgreSQL database, one fake Discord.

What an operator who runs more than one process relies on: each process answers the guilds
on its own shards; a tip slot is posted once however many processes look at it; a moderator's
edit through one process is answered by the other within a second or two; and killing a
process outright loses nothing the other did, while the killed one comes back on its own
shard. The question rows carry no process, only the guild: the shard of the guild tells
which process wrote them, so the counts are checked per shard.
"""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.storage.database import Database, open_database
from bot.storage.tip_schedules import TipScheduleRepository
from tests.engines import create_database, drop_database, require_postgres
from tests.fake_discord.models import GuildSpec
from tests.fake_discord.server import FakeDiscord
from tests.harness import REPO_CONTENT
from tests.shard_processes import BotProcess, bot_env, eventually, guilds_on_shards, shard_of, stopped_at_exit
from tests.test_e2e_editing import CB_MESSAGE, CB_MODAL, MANAGE_GUILD, TOPIC, inputs

SHARDS = 2
PER_SHARD = 3
TIP_ZONE = "Europe/Amsterdam"
QUESTION = "Wat doet een CMO?"
NEW_ALIAS, NEW_TITLE = "kan een cmo jongleren", "Wat een goede CMO kan"
_users = itertools.count(830_000_000_000_000_001)


def tip_channel(guild: GuildSpec) -> int:
    """The guild's second text channel: /ask answers in the first, so the two never mix."""
    return guild.id + 3


async def schedule_due_tips(db: Database, guilds: list[GuildSpec]) -> None:
    """A daily tip, a few minutes ago in Amsterdam, for every guild: the schedules became
    active an hour ago, so that one slot is owed at start, well within the grace window."""
    now = datetime.now(UTC)
    local = (now - timedelta(minutes=3)).astimezone(ZoneInfo(TIP_ZONE))
    repo = TipScheduleRepository(db)
    for guild in guilds:
        started = now - timedelta(hours=1)
        await repo.save(guild.id, tip_channel(guild), local.strftime("%H:%M"), "daily", TIP_ZONE, "nl", started)


async def ask(fake: FakeDiscord, guild: GuildSpec, question: str = QUESTION) -> dict:
    """/ask in `guild` as a new user; the embed of the answer."""
    handle = await fake.slash_command("ask", options={"question": question}, guild_id=guild.id, user=next(_users))
    body = await handle.response(timeout=10)
    assert body["type"] == CB_MESSAGE and body["data"].get("embeds"), body
    return body["data"]["embeds"][0]


async def edit_topic_through(fake: FakeDiscord, home: GuildSpec) -> None:
    """A moderator in the home guild opens the edit form of a topic and saves a new Dutch
    title and an extra alias (as tests/test_e2e_editing.py does it)."""
    moderator = {"guild_id": home.id, "member_permissions": MANAGE_GUILD}
    opened = await fake.slash_command("cmo-admin edit", options={"topic": TOPIC, "language": "nl"}, **moderator)
    body = await opened.response(timeout=10)
    assert body["type"] == CB_MODAL, body
    modal = body["data"]
    aliases = inputs(modal)["aliases"]["value"]
    saved = await fake.modal_submit(
        modal["custom_id"], {"title": NEW_TITLE, "aliases": f"{aliases}, {NEW_ALIAS}"}, **moderator
    )
    reply = await saved.response(timeout=10)
    assert reply["type"] == CB_MESSAGE and reply["data"]["content"].startswith("Opgeslagen als versie 1"), reply


async def asks_per_shard(db: Database) -> Counter[int]:
    rows = await db.fetchall("SELECT guild_id, COUNT(*) AS n FROM questions WHERE command = 'ask' GROUP BY guild_id")
    counts: Counter[int] = Counter()
    for row in rows:
        counts[shard_of(int(row["guild_id"]), SHARDS)] += int(row["n"])
    return counts


@dataclass
class TwoProcesses:
    """The processes of shards 0 and 1, the fake they share, the database, and how many
    /ask answers each shard's guilds got (the rows the database must end up with)."""

    fake: FakeDiscord
    db: Database
    processes: list[BotProcess]
    on_shard: dict[int, list[GuildSpec]]
    answered: Counter[int] = field(default_factory=Counter)

    async def ask(self, guild: GuildSpec, question: str = QUESTION) -> dict:
        embed = await ask(self.fake, guild, question)
        self.answered[shard_of(guild.id, SHARDS)] += 1
        return embed

    async def rows_in_database(self) -> None:
        """Every answered question is a row, per shard; the writer batches, so wait for it."""

        async def all_there() -> bool:
            return await asks_per_shard(self.db) == self.answered

        await eventually(all_there, timeout=10, what=f"{dict(self.answered)} questions (per shard) in the database")


async def test_two_processes_share_the_bot_over_one_postgres_database(tmp_path: Path) -> None:
    require_postgres()
    url = await create_database()
    guilds = guilds_on_shards(PER_SHARD, SHARDS)
    on_shard = {shard: [g for g in guilds if shard_of(g.id, SHARDS) == shard] for shard in range(SHARDS)}
    home = on_shard[0][0]
    try:
        async with await open_database(url) as db:  # migrated once, before either process starts
            await schedule_due_tips(db, guilds)
            async with FakeDiscord(guilds=guilds, patch_discord=False) as fake:
                settings = {
                    "DISCORD_TOKEN": fake.token,
                    "CMO_DISCORD_API_BASE": fake.api_base,
                    "CMO_DATABASE_URL": url,
                    "CMO_DB_PATH": str(tmp_path / "cmo-bot.sqlite3"),  # only where each spill file goes
                    "CMO_HASH_SECRET": "test-secret",
                    "CMO_HEALTH_ADDR": "127.0.0.1:0",
                    "CMO_SEMANTIC": "off",
                    "CMO_CONTENT_SYNC_SECONDS": "5",
                    "CMO_CONTENT_DIR": str(shutil.copytree(REPO_CONTENT, tmp_path / "content")),
                    "CMO_HOME_GUILD_ID": str(home.id),
                }
                processes = [
                    BotProcess(f"shard{shard}", bot_env(str(shard), SHARDS, **settings), tmp_path)
                    for shard in range(SHARDS)
                ]
                bot = TwoProcesses(fake, db, processes, on_shard)
                async with stopped_at_exit(processes):
                    await each_answers_its_own_guilds(bot)
                    await each_tip_slot_is_posted_once(bot)
                    await an_edit_through_process_0_is_answered_by_process_1(bot, home)
                    await killing_process_1_loses_nothing_of_process_0(bot)
                    await process_1_comes_back_by_a_fresh_identify(bot)
                    for process in processes:
                        assert await process.stop() == 0, process.log()
                assert await asks_per_shard(db) == bot.answered
                await one_post_per_slot(bot)  # still once: the restarted process posted nothing
    finally:
        await drop_database(url)


async def each_answers_its_own_guilds(bot: TwoProcesses) -> None:
    for process in bot.processes:
        await process.start()
    # the second IDENTIFY waits its turn (Discord's 5 s per max_concurrency bucket)
    await bot.fake.wait_until_ready(timeout=40)
    await bot.fake.wait_for_commands(timeout=20)
    assert sorted(tuple(identify["shard"]) for identify in bot.fake.identifies) == [(0, SHARDS), (1, SHARDS)]
    for guilds in bot.on_shard.values():
        for guild in guilds:
            assert (await bot.ask(guild))["title"]
    assert bot.answered == {0: PER_SHARD, 1: PER_SHARD}
    await bot.rows_in_database()


async def each_tip_slot_is_posted_once(bot: TwoProcesses) -> None:
    """Each guild's tip channel gets the slot's tip, and a claimed slot is never posted again."""
    for guild in bot.fake.guilds.values():
        await bot.fake.wait_for_message(tip_channel(guild), timeout=20)
    await one_post_per_slot(bot)


async def one_post_per_slot(bot: TwoProcesses) -> None:
    posted = {guild.id: len(bot.fake.channel_messages[tip_channel(guild)]) for guild in bot.fake.guilds.values()}
    assert posted == dict.fromkeys(bot.fake.guilds, 1)

    async def all_recorded_as_posted() -> bool:  # the post is recorded just after Discord took it
        slots = await bot.db.fetchall("SELECT guild_id, status FROM tip_slots")
        return sorted((int(row["guild_id"]), row["status"]) for row in slots) == [(g, "posted") for g in sorted(posted)]

    await eventually(all_recorded_as_posted, timeout=10, what="one slot per guild, recorded as posted")


async def an_edit_through_process_0_is_answered_by_process_1(bot: TwoProcesses, home: GuildSpec) -> None:
    assert shard_of(home.id, SHARDS) == 0
    await edit_topic_through(bot.fake, home)
    other = bot.on_shard[1][0]

    async def answered_with_the_edit() -> bool:
        return (await bot.ask(other, NEW_ALIAS))["title"] == NEW_TITLE

    await eventually(answered_with_the_edit, timeout=2.0, what="process 1 answers with the edit")
    # PostgreSQL's NOTIFY brought it ("overlay"); the once-in-5-s poll would reload "files"
    assert "reloaded overlay" in bot.processes[1].log()
    await bot.rows_in_database()


async def killing_process_1_loses_nothing_of_process_0(bot: TwoProcesses) -> None:
    await bot.processes[1].kill()
    for guild in bot.on_shard[0] * 4:
        assert (await bot.ask(guild))["title"]
    await bot.rows_in_database()


async def process_1_comes_back_by_a_fresh_identify(bot: TwoProcesses) -> None:
    identifies = len(bot.fake.identifies)
    await bot.processes[1].start()
    await bot.fake.wait_for_identify(identifies + 1, timeout=30)
    assert bot.fake.identifies[-1]["shard"] == [1, SHARDS]
    assert bot.fake.resumes == 0
    await bot.fake.wait_until_ready(timeout=20)
    # its tip scheduler looks at the slots again: the claims keep it from posting twice
    await bot.processes[1].wait_for_log("tip scheduler started", timeout=20)
    for guild in bot.on_shard[1]:
        assert (await bot.ask(guild, NEW_ALIAS))["title"] == NEW_TITLE  # the edit, loaded at start
    await bot.rows_in_database()
