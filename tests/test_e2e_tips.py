"""End to end: scheduled tips through the fake Discord, with a ManualClock for time.

The real bot sets up a schedule from /cmo-admin tips-set, and its scheduler task posts into
the fake's channel when the test moves the clock; a restarted bot (same database, same
clock) does not post the same slot again; a deleted channel shows up in tips-status.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest_asyncio

from bot.clock import ManualClock
from bot.i18n import t
from tests.e2e import NO_MENTIONS
from tests.fake_discord.models import ALL_PERMISSIONS, P_EMBED_LINKS, P_SEND_MESSAGES
from tests.harness import BotHarness, running_bot

EPHEMERAL = 1 << 6
DEFERRED = 5
MANAGE_SERVER = 0x20
START = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam (summer time)


@pytest_asyncio.fixture
async def clock() -> ManualClock:
    return ManualClock(START)


@pytest_asyncio.fixture
async def bot(fake_discord, tmp_path, clock) -> AsyncIterator[BotHarness]:
    async with running_bot(fake_discord, tmp_path / "tips.sqlite3", clock=clock, check=None) as running:
        yield running


def tips_channel(h: BotHarness) -> int:
    """A text channel other than the one commands are used in ('kanaal-2')."""
    guild = h.fake.guild()
    return next(c.id for c in guild.get_channels() if c.name == "kanaal-2")


async def idle(h: BotHarness) -> None:
    cog = h.bot.get_cog("TipScheduler")  # loaded as an extension: a fresh module, hence no isinstance
    assert cog is not None
    async with asyncio.timeout(5):
        await cog.wait_idle()


async def admin(h: BotHarness, command: str, options: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    interaction = await h.fake.slash_command(
        f"cmo-admin {command}", options=options, member_permissions=MANAGE_SERVER, **kw
    )
    response = await interaction.response()
    assert response["data"]["flags"] & EPHEMERAL, response
    if response["type"] == DEFERRED:
        [data] = await interaction.followups(1)
        assert data["flags"] & EPHEMERAL
        return data
    assert response["data"].get("allowed_mentions") == NO_MENTIONS
    return response["data"]


async def tips_set(h: BotHarness, channel: int, time: str, **options: Any) -> dict[str, Any]:
    """Used in the tips channel itself, as a moderator would: Discord then sends the bot's
    permissions there with the interaction."""
    data = await admin(h, "tips-set", {"channel": channel, "time": time, **options}, channel_id=channel)
    await idle(h)
    return data


def field(embed: dict[str, Any], name: str) -> str:
    return next(f["value"] for f in embed["fields"] if f["name"] == name)


async def test_a_schedule_one_minute_ahead_posts_exactly_one_tip(bot, clock):
    channel = tips_channel(bot)
    data = await tips_set(bot, channel, "09:01", days="mon-fri")
    assert "09:01 (Europe/Amsterdam)" in data["content"]
    assert "2026-06-01 07:01 UTC" in data["content"]  # the next post, local and UTC
    assert "⚠️" not in data["content"]  # the bot may post there

    assert bot.fake.channel_messages.get(channel) is None
    await clock.set(START + timedelta(minutes=1))
    message = await bot.fake.wait_for_message(channel)
    [embed] = message["embeds"]
    assert embed["title"] == "💡 " + t("tip_title", "nl")
    assert embed["description"] in {tip.text.nl for tip in bot.services.store.current.tips}
    [row] = message["components"]
    assert row["components"][0]["custom_id"].startswith("cmo:open:")
    [post] = bot.fake.requests_matching("POST", f"/channels/{channel}/messages")
    assert post.json["allowed_mentions"] == NO_MENTIONS
    await idle(bot)
    assert "cmo_tips_posted_total 1.0" in bot.bot.metrics.render().decode()

    await idle(bot)
    await clock.advance(timedelta(minutes=30))
    await idle(bot)
    assert len(bot.fake.channel_messages[channel]) == 1

    status = (await admin(bot, "tips-status"))["embeds"][0]
    last = field(status, t("tips_field_last", "nl"))
    tip_ids = {tip.id for tip in bot.services.store.current.tips if tip.text.nl == embed["description"]}
    assert any(f"`{tip_id}`" in last for tip_id in tip_ids)
    assert "2026-06-02 09:01" in field(status, t("tips_field_next", "nl"))
    assert field(status, t("tips_field_error", "nl")) == t("tips_no_error", "nl")


async def test_a_bot_restarted_right_after_posting_does_not_post_again(bot, clock, tmp_path):
    channel = tips_channel(bot)
    await tips_set(bot, channel, "09:01", days="daily")
    await clock.set(START + timedelta(minutes=1))
    await bot.fake.wait_for_message(channel)

    await bot.restart()  # same database, same clock, still 09:01 local
    await idle(bot)
    await clock.advance(timedelta(minutes=5))
    await idle(bot)
    assert len(bot.fake.channel_messages[channel]) == 1

    await clock.set(START + timedelta(days=1, minutes=1))  # the next day's slot does post
    await bot.fake.wait_for_message(channel)
    await idle(bot)
    assert len(bot.fake.channel_messages[channel]) == 2
    first, second = (m["embeds"][0]["description"] for m in bot.fake.channel_messages[channel])
    assert first != second  # rotation carried over the restart

    await bot.services.writer.flush()
    with sqlite3.connect(tmp_path / "tips.sqlite3") as conn:
        rows = conn.execute("SELECT local_date, status, message_id FROM tip_slots ORDER BY local_date").fetchall()
    ids = [int(m["id"]) for m in bot.fake.channel_messages[channel]]
    assert rows == [("2026-06-01", "posted", ids[0]), ("2026-06-02", "posted", ids[1])]


async def test_a_deleted_channel_is_reported_in_tips_status(bot, clock):
    guild = bot.fake.guild()
    channel = tips_channel(bot)
    await tips_set(bot, channel, "09:01", days="daily")

    # Deleted in Discord: the bot keeps no channel cache (no intents), so it learns of it only
    # from the answer to its post, POST /channels/{id}/messages -> 404 Unknown Channel.
    guild.get_channels().remove(guild.channel(channel))

    await clock.set(START + timedelta(minutes=1))
    await bot.fake.wait_for_request("POST", f"/channels/{channel}/messages")
    await idle(bot)
    assert bot.fake.channel_messages.get(channel) is None

    status = (await admin(bot, "tips-status", locale="en-US"))["embeds"][0]
    error = field(status, t("tips_field_error", "en"))
    assert t("tips_error_not_found", "en") in error
    assert "2026-06-01 07:01 UTC" in error
    assert field(status, t("tips_field_last", "en")) == t("tips_none_yet", "en")

    # the scheduler keeps going: a new channel works again and clears the error
    await tips_set(bot, guild.first_text_channel_id, "09:05", days="daily")  # a new channel
    await clock.set(START + timedelta(minutes=5))
    await bot.fake.wait_for_message(guild.first_text_channel_id)
    status = (await admin(bot, "tips-status", locale="en-US"))["embeds"][0]
    assert field(status, t("tips_field_error", "en")) == t("tips_no_error", "en")


async def test_invalid_input_gets_a_localised_message_and_stores_nothing(bot, tmp_path):
    channel = tips_channel(bot)
    cases = [
        ({"time": "25:00"}, "tips_invalid_time", "25:00"),
        ({"time": "09:00", "days": "funday"}, "tips_invalid_days", "funday"),
        ({"time": "09:00", "timezone": "Mars/Olympus"}, "tips_invalid_timezone", "Mars/Olympus"),
    ]
    for options, key, value in cases:
        for locale, lang in (("nl", "nl"), ("en-US", "en")):
            data = await admin(bot, "tips-set", {"channel": channel, **options}, locale=locale)
            assert data["content"] == t(key, lang, value=value)
    with sqlite3.connect(tmp_path / "tips.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM tip_schedules").fetchone()[0] == 0


async def test_missing_permissions_are_named(bot):
    here = bot.fake.guild().first_text_channel_id  # the command's own channel: app_permissions
    data = await admin(
        bot,
        "tips-set",
        {"channel": here, "time": "10:00"},
        channel_id=here,
        app_permissions=ALL_PERMISSIONS & ~P_EMBED_LINKS,
        locale="nl",
    )
    assert "⚠️" in data["content"] and t("tips_perm_embed", "nl") in data["content"]
    assert t("tips_perm_send", "nl") not in data["content"]


def deny_everyone(h: BotHarness, channel_id: int, permissions: int) -> None:
    """A channel overwrite that takes `permissions` away from @everyone (and so from the bot)."""
    guild = h.fake.guild()
    guild.channel(channel_id).permission_overwrites.append(
        {"id": str(guild.id), "type": 0, "allow": "0", "deny": str(permissions)}
    )


async def test_permissions_in_another_channel_are_computed_over_rest(bot):
    """The bot keeps no guild cache: for a channel other than the command's own, it reads the
    guild's roles, its own member and the channel's overwrites, after deferring."""
    elsewhere = tips_channel(bot)
    here = bot.fake.guild().first_text_channel_id
    data = await admin(bot, "tips-set", {"channel": elsewhere, "time": "10:00"}, channel_id=here, locale="en-US")
    assert "10:00 (Europe/Amsterdam)" in data["content"]
    assert "⚠️" not in data["content"] and "ℹ️" not in data["content"]  # allowed, and it knows it
    assert bot.fake.requests_matching("GET", f"/guilds/{bot.fake.guild().id}")

    deny_everyone(bot, elsewhere, P_SEND_MESSAGES)
    data = await admin(bot, "tips-set", {"channel": elsewhere, "time": "10:00"}, channel_id=here, locale="nl")
    assert "⚠️" in data["content"] and t("tips_perm_send", "nl") in data["content"]
    assert t("tips_perm_view", "nl") not in data["content"]


async def test_a_post_refused_for_missing_permission_is_reported_in_tips_status(bot, clock):
    channel = tips_channel(bot)
    await tips_set(bot, channel, "09:01", days="daily")
    deny_everyone(bot, channel, P_SEND_MESSAGES)  # taken away after the schedule was set

    await clock.set(START + timedelta(minutes=1))
    await bot.fake.wait_for_request("POST", f"/channels/{channel}/messages")
    await idle(bot)
    assert bot.fake.channel_messages.get(channel) is None
    status = (await admin(bot, "tips-status", locale="en-US"))["embeds"][0]
    assert t("tips_error_forbidden", "en") in field(status, t("tips_field_error", "en"))
    assert "cmo_tips_failed_total 1.0" in bot.bot.metrics.render().decode()


async def test_a_category_is_not_a_tip_channel(bot):
    category = next(c.id for c in bot.fake.guild().get_channels() if c.type == 4)
    data = await admin(bot, "tips-set", {"channel": category, "time": "10:00"}, locale="en-US")
    assert data["content"] == t("tips_invalid_channel", "en", channel=f"<#{category}>")


async def test_english_schedule_with_dutch_days_and_a_preview_of_the_next_tip(bot, clock):
    channel = tips_channel(bot)
    data = await tips_set(bot, channel, "9:30", days="ma,wo,vr", timezone="Europe/Amsterdam", language="en")
    assert t("tips_day_0", "nl") in data["content"] and "09:30" in data["content"]
    preview = await admin(bot, "tips-preview", locale="en-US")
    predicted = preview["embeds"][0]["description"]
    assert predicted in {tip.text.en for tip in bot.services.store.current.tips}

    await clock.set(START + timedelta(minutes=30))
    message = await bot.fake.wait_for_message(channel)
    assert message["embeds"][0]["description"] == predicted
    assert message["embeds"][0]["title"] == "💡 " + t("tip_title", "en")


async def test_tips_off_stops_the_posts(bot, clock):
    channel = tips_channel(bot)
    await tips_set(bot, channel, "09:01", days="daily")
    assert (await admin(bot, "tips-off"))["content"] == t("tips_off_done", "nl")
    await idle(bot)
    await clock.set(START + timedelta(minutes=1))
    await idle(bot)
    await clock.set(START + timedelta(hours=3))
    await idle(bot)
    assert bot.fake.channel_messages.get(channel) is None
    status = (await admin(bot, "tips-status"))["embeds"][0]
    assert field(status, t("tips_field_schedule", "nl")).startswith(f"**{t('tips_status_off', 'nl')}**")
    assert (await admin(bot, "tips-off"))["content"] == t("tips_off_none", "nl")


async def test_tips_status_without_a_schedule(bot):
    assert (await admin(bot, "tips-status"))["content"] == t("tips_status_none", "nl")


async def test_timezone_autocomplete_forgives_typos(bot):
    typo = await bot.fake.autocomplete("cmo-admin tips-set", {"timezone": "amsterdm"}, member_permissions=MANAGE_SERVER)
    choices = (await typo.response())["data"]["choices"]
    assert choices[0]["value"] == "Europe/Amsterdam" and len(choices) <= 25
    empty = await bot.fake.autocomplete("cmo-admin tips-set", {"timezone": ""}, member_permissions=MANAGE_SERVER)
    choices = (await empty.response())["data"]["choices"]
    assert choices[0]["value"] == "Europe/Amsterdam"
