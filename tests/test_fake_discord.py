"""The fake Discord server works with the real, unmodified discord.py client."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fake_discord import FakeDiscord, make_guilds
from tests.fake_discord import fixtures as _fixtures

# fixtures (the lead may register these in conftest.py instead)
fake_discord = _fixtures.fake_discord
restore_discord_routes = _fixtures.restore_discord_routes

TOPICS = ["strategie", "merkbeleving", "data-gedreven marketing", "generatieve ai"]


class PanelView(discord.ui.View):
    """A persistent view (timeout=None, fixed custom_ids) registered with bot.add_view()."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Meer uitleg", style=discord.ButtonStyle.primary, custom_id="cmo:meer")
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message(f"uitleg voor {interaction.user.id}", ephemeral=True)

    @discord.ui.select(
        custom_id="cmo:onderwerp",
        placeholder="Kies een onderwerp",
        options=[discord.SelectOption(label=t, value=t) for t in TOPICS],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.edit_message(content=f"gekozen: {select.values[0]}")


class CounterView(discord.ui.View):
    """A non-persistent view (generated custom_id), bound to the message id from the callback response."""

    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.count = 0

    @discord.ui.button(label="+1")
    async def plus(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(content=str(self.count), view=self)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    tekst = discord.ui.TextInput(label="Wat vond je ervan?", custom_id="cmo:feedback:tekst")

    def __init__(self) -> None:
        super().__init__(custom_id="cmo:feedback")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"bedankt: {self.tekst.value}", ephemeral=True)


class NoIdentifyDelayBot(commands.Bot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py sleeps 5 s before every non-initial IDENTIFY


def make_bot() -> commands.Bot:
    intents = discord.Intents.none()
    intents.guilds = True
    bot = NoIdentifyDelayBot(
        command_prefix=commands.when_mentioned,
        intents=intents,
        member_cache_flags=discord.MemberCacheFlags.none(),
        help_command=None,
        guild_ready_timeout=0.05,
    )
    bot.command_errors = []  # type: ignore[attr-defined]
    bot.command_error_event = asyncio.Event()  # type: ignore[attr-defined]

    @bot.tree.error
    async def on_tree_error(interaction: discord.Interaction, error: Exception) -> None:
        bot.command_errors.append(error)  # type: ignore[attr-defined]
        bot.command_error_event.set()  # type: ignore[attr-defined]

    @bot.tree.command(name="ping", description="Controleer of de bot leeft")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"pong ({interaction.locale.value})")

    @bot.tree.command(name="onderwerp", description="Uitleg over een onderwerp")
    @app_commands.describe(naam="Het onderwerp")
    async def onderwerp(interaction: discord.Interaction, naam: str) -> None:
        await interaction.response.send_message(f"onderwerp: {naam}")

    @onderwerp.autocomplete("naam")
    async def onderwerp_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TOPICS if current.lower() in t][:25]

    @bot.tree.command(name="traag", description="Denkt even na")
    async def traag(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("klaar met nadenken")
        await interaction.followup.send("nog iets", file=discord.File(io.BytesIO(b"hallo"), filename="notitie.txt"))

    @bot.tree.command(name="bewerk", description="Defer en bewerk het origineel")
    async def bewerk(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(content="bewerkt", embed=discord.Embed(title="Titel"))

    @bot.tree.command(name="paneel", description="Toont het paneel")
    async def paneel(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Kies:", view=PanelView())

    @bot.tree.command(name="feedback", description="Geef feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @bot.tree.command(name="aankondig", description="Post in het kanaal")
    async def aankondig(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)
        assert interaction.channel is not None
        await interaction.channel.send("Aankondiging!", embed=discord.Embed(description="details"))

    @bot.tree.command(name="teveel", description="Stuurt een te lang bericht")
    async def teveel(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("x" * 2001)

    @bot.tree.command(name="teller", description="Een knop die telt")
    async def teller(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("0", view=CounterView())

    instellingen = app_commands.Group(name="instellingen", description="Instellingen")

    @instellingen.command(name="taal", description="Kies de taal")
    async def taal(interaction: discord.Interaction, code: str, herhaal: int = 1) -> None:
        await interaction.response.send_message(f"taal={code} x{herhaal}")

    bot.tree.add_command(instellingen)

    async def setup_hook() -> None:
        bot.add_view(PanelView())
        await bot.tree.sync()

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    return bot


@contextlib.asynccontextmanager
async def running(fake: FakeDiscord, bot: commands.Bot | None = None) -> AsyncIterator[commands.Bot]:
    bot = bot or make_bot()
    task = asyncio.create_task(bot.start(fake.token))
    try:
        ready = asyncio.ensure_future(asyncio.gather(fake.wait_until_ready(timeout=10), bot.wait_until_ready()))
        done, _ = await asyncio.wait({ready, task}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            ready.cancel()
            task.result()  # raises the bot's startup error
            raise AssertionError("bot stopped before it was ready")
        assert ready in done, "bot did not become ready"
        ready.result()
        yield bot
    finally:
        await bot.close()
        await asyncio.wait_for(task, 10)


async def test_connects_receives_guilds_and_syncs(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake) as bot:
        assert bot.user is not None and bot.user.id == fake.bot_user_id
        assert bot.application_id == fake.application_id
        assert sorted(g.id for g in bot.guilds) == sorted(fake.guilds)
        guild = bot.get_guild(fake.guild().id)
        assert guild is not None and guild.name == fake.guild().name
        assert len(guild.text_channels) == 2 and len(guild.roles) == 2
        assert guild.me is not None
        assert fake.intents == discord.Intents(guilds=True).value
        synced = await fake.wait_for_commands()
        assert {c["name"] for c in synced} >= {"ping", "onderwerp", "instellingen"}
        assert all(c["id"] and c["application_id"] == str(fake.application_id) for c in synced)
        assert fake.gateway_queries[0]["compress"] == "zlib-stream"
    assert fake.unexpected_requests == []
    assert fake.client_errors == []


async def test_ping_slash_command(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake) as bot:
        handle = await fake.slash_command("ping", locale="nl")
        body = await handle.response(timeout=5)
        assert body["type"] == 4
        assert body["data"]["content"] == "pong (nl)"
        original = await handle.original(timeout=5)
        assert original["content"] == "pong (nl)"
        assert original["interaction_metadata"]["id"] == str(handle.id)
        assert bot.command_errors == []  # type: ignore[attr-defined]
    assert fake.unexpected_requests == []


async def test_subcommand_options(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        handle = await fake.slash_command("instellingen taal", {"code": "en", "herhaal": 3})
        body = await handle.response(timeout=5)
        assert body["data"]["content"] == "taal=en x3"


async def test_autocomplete_returns_choices(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        handle = await fake.autocomplete("onderwerp", {"naam": "mer"}, focused="naam")
        body = await handle.response(timeout=5)
        assert body["type"] == 8
        assert body["data"]["choices"] == [{"name": "merkbeleving", "value": "merkbeleving"}]


async def test_deferred_response_then_followups(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        handle = await fake.slash_command("traag")
        body = await handle.response(timeout=5)
        assert body["type"] == 5
        first, second = await handle.followups(2, timeout=5)
        assert first["content"] == "klaar met nadenken"
        # Discord: the first followup after a thinking defer replaces the placeholder
        assert first["id"] == str(handle.original_message_id)
        assert second["attachments"][0]["filename"] == "notitie.txt"
        assert second["attachments"][0]["size"] == 5
        followup_req = fake.requests_matching("POST", "/webhooks/{app}/{token}")[-1]
        assert followup_req.files[0].data == b"hallo"

        handle = await fake.slash_command("bewerk")
        assert (await handle.response())["data"]["flags"] == 64
        original = await handle.original(timeout=5)
        assert original["content"] == "bewerkt"
        assert original["embeds"][0]["title"] == "Titel"
        assert original["flags"] & 64 and not original["flags"] & 128
    assert fake.client_errors == []


async def test_button_and_select_on_persistent_view(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        handle = await fake.slash_command("paneel")
        panel = await handle.original(timeout=5)
        assert panel["components"][0]["components"][0]["custom_id"] == "cmo:meer"

        click = await fake.button_click(panel, "cmo:meer", user=12345)
        body = await click.response(timeout=5)
        assert body["type"] == 4
        assert body["data"]["content"] == "uitleg voor 12345"
        assert body["data"]["flags"] == 64

        choice = await fake.select(panel, "cmo:onderwerp", ["data-gedreven marketing"])
        body = await choice.response(timeout=5)
        assert body["type"] == 7
        assert fake.messages[int(panel["id"])]["content"] == "gekozen: data-gedreven marketing"


async def test_modal_submit(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        handle = await fake.slash_command("feedback")
        body = await handle.response(timeout=5)
        assert body["type"] == 9 and body["data"]["custom_id"] == "cmo:feedback"
        submit = await fake.modal_submit("cmo:feedback", {"cmo:feedback:tekst": "heel nuttig"})
        body = await submit.response(timeout=5)
        assert body["data"]["content"] == "bedankt: heel nuttig"


async def test_channel_message(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        channel_id = fake.guild().first_text_channel_id
        handle = await fake.slash_command("aankondig", channel_id=channel_id)
        await handle.response(timeout=5)
        msg = await fake.wait_for_message(channel_id, timeout=5)
        assert msg["content"] == "Aankondiging!"
        assert msg["embeds"][0]["description"] == "details"
        assert msg["author"]["id"] == str(fake.bot_user_id)


async def test_resume_after_dropped_connection(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake) as bot:
        resumed = asyncio.Event()

        async def on_resumed() -> None:
            resumed.set()

        bot.add_listener(on_resumed)
        await fake.drop_connection(code=4000)
        # dispatched while the client may still be reconnecting: queued and replayed on RESUME if needed
        handle = await fake.slash_command("ping")
        await fake.wait_for_resume(timeout=10)
        assert fake.resumes == 1
        assert len(fake.identifies) == 1
        assert fake.gateway_paths[-1] == "/gateway/resume"
        assert (await handle.response(timeout=5))["data"]["content"] == "pong (nl)"
        await asyncio.wait_for(resumed.wait(), 5)

        handle = await fake.slash_command("ping", locale="en-US")
        assert (await handle.response(timeout=5))["data"]["content"] == "pong (en-US)"


async def test_events_while_disconnected_are_replayed(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        # TCP drop: no close frame at all
        await fake.drop_connection(mode="tcp")
        handles = [await fake.slash_command("ping") for _ in range(3)]
        await fake.wait_for_resume(timeout=10)
        assert fake.replayed_events == 3
        for h in handles:
            assert (await h.response(timeout=5))["type"] == 4
        assert fake.heartbeats >= 2  # discord.py heartbeats right after each HELLO


async def test_rate_limited_callback_is_retried(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        fake.rate_limit_next("POST", "/interactions/{id}/{token}/callback", retry_after=0.05)
        handle = await fake.slash_command("ping")
        body = await handle.response(timeout=5)
        assert body["data"]["content"] == "pong (nl)"
        assert [r.status for r in handle.callback_attempts] == [429, 200]
        assert len(fake.rate_limited_requests) == 1
        assert fake.unexpected_requests == []


async def test_rate_limited_channel_post_is_retried(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        channel_id = fake.guild().first_text_channel_id
        fake.rate_limit_next("POST", "/channels/*/messages", retry_after=0.05)
        handle = await fake.slash_command("aankondig", channel_id=channel_id)
        await handle.response(timeout=5)
        msg = await fake.wait_for_message(channel_id, timeout=5)
        assert msg["content"] == "Aankondiging!"
        statuses = [r.status for r in fake.requests_matching("POST", "/channels/*/messages")]
        assert statuses == [429, 200]
        assert len(fake.channel_messages[channel_id]) == 1


async def test_unknown_route_is_recorded(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake) as bot:
        with pytest.raises(discord.NotFound):
            await bot.fetch_guild(fake.guild().id, with_counts=False)  # served: no error here
            await bot.fetch_stage_instance(fake.guild().first_text_channel_id)  # not served
    assert [r.path for r in fake.unexpected_requests] == [f"/stage-instances/{fake.guild().first_text_channel_id}"]


async def test_wrong_token_is_rejected(restore_discord_routes: None) -> None:
    async with FakeDiscord(guilds=make_guilds(1)):
        bot = make_bot()
        with pytest.raises(discord.LoginFailure):
            await bot.start("not-the-token")
        await bot.close()


async def test_many_guilds_stream_lazily(restore_discord_routes: None) -> None:
    async with FakeDiscord(guilds=make_guilds(200, channels=20, roles=10)) as fake, running(fake) as bot:
        assert len(bot.guilds) == 200
        assert all(len(g.channels) == 20 and len(g.roles) == 10 for g in bot.guilds)


async def test_dm_interaction(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        handle = await fake.slash_command("ping", guild_id=None, locale="en-GB")
        assert "user" in handle.payload and "member" not in handle.payload
        body = await handle.response(timeout=5)
        assert body["data"]["content"] == "pong (en-GB)"


async def test_sharded_bot(restore_discord_routes: None) -> None:
    async with FakeDiscord(guilds=make_guilds(6)) as fake:
        intents = discord.Intents.none()
        intents.guilds = True

        class NoIdentifyDelayBot(commands.AutoShardedBot):
            async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
                return None  # discord.py sleeps 5 s before every non-initial IDENTIFY

        bot = NoIdentifyDelayBot(
            command_prefix="!",
            intents=intents,
            shard_count=2,
            member_cache_flags=discord.MemberCacheFlags.none(),
            guild_ready_timeout=0.05,
        )

        @bot.tree.command(name="ping", description="ping")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"shard {interaction.guild.shard_id}")  # type: ignore[union-attr]

        async with running(fake, bot):
            assert len(fake.sessions) == 2
            assert len(bot.guilds) == 6
            for guild in fake.guilds.values():
                handle = await fake.slash_command("ping", guild_id=guild.id)
                expected = (guild.id >> 22) % 2
                assert (await handle.response(timeout=5))["data"]["content"] == f"shard {expected}"


async def test_reconnect_opcode_and_invalid_session(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        await fake.send_reconnect()
        await fake.wait_for_resume(timeout=10)
        assert (await (await fake.slash_command("ping")).response(timeout=5))["type"] == 4

        await fake.invalidate_session(resumable=False)
        await fake.wait_for_identify(2, timeout=10)
        await fake.wait_until_ready(timeout=10)
        assert len(fake.sessions) == 1
        assert (await (await fake.slash_command("ping")).response(timeout=5))["type"] == 4


async def test_non_persistent_view_bound_to_message(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake):
        handle = await fake.slash_command("teller")
        message = await handle.original(timeout=5)
        custom_id = message["components"][0]["components"][0]["custom_id"]
        for expected in ("1", "2"):
            click = await fake.button_click(message, custom_id)
            assert (await click.response(timeout=5))["type"] == 7
            assert fake.messages[int(message["id"])]["content"] == expected


async def test_guild_sync_and_command_ids(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake) as bot:
        guild = discord.Object(fake.guild().id)
        bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
        stored = fake.guild_commands[guild.id]
        assert {c.id for c in synced} == {int(c["id"]) for c in stored}
        handle = await fake.slash_command("ping", guild_id=guild.id)
        assert handle.data["guild_id"] == str(guild.id)
        assert handle.data["id"] == fake.find_command("ping", guild.id)["id"]
        assert (await handle.response(timeout=5))["type"] == 4
        # re-syncing keeps the ids, as Discord does
        again = await bot.tree.sync(guild=guild)
        assert {c.id for c in again} == {c.id for c in synced}


async def test_invalid_message_is_rejected_like_discord(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with running(fake) as bot:
        handle = await fake.slash_command("teveel")
        await fake.wait_for_request("POST", "/interactions/*/callback")
        assert handle.callback is None
        [rejected] = fake.client_errors
        assert rejected.status == 400
        assert rejected.response["code"] == 50035
        assert "content" in rejected.response["errors"]["data"]
        await asyncio.wait_for(bot.command_error_event.wait(), 5)  # type: ignore[attr-defined]
        error = bot.command_errors[0]  # type: ignore[attr-defined]
        assert isinstance(error.original, discord.HTTPException) and error.original.code == 50035


async def test_context_menu_and_user_messages(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    bot = make_bot()
    seen: asyncio.Queue[discord.Message] = asyncio.Queue()

    @bot.tree.context_menu(name="Profiel")
    async def profiel(interaction: discord.Interaction, member: discord.User) -> None:
        await interaction.response.send_message(f"profiel van {member.name}", ephemeral=True)

    @bot.listen()
    async def on_message(message: discord.Message) -> None:
        await seen.put(message)

    async with running(fake, bot):
        await fake.wait_for_commands()
        handle = await fake.context_menu("Profiel", {"id": "4242", "username": "marieke"})
        assert (await handle.response(timeout=5))["data"]["content"] == "profiel van marieke"

        channel_id = fake.guild().first_text_channel_id
        # the bot only has the GUILDS intent: Discord would not send MESSAGE_CREATE
        assert await fake.user_message(channel_id, "hallo") is not None
        assert fake.filtered_events[-1][0] == "MESSAGE_CREATE"
        assert seen.empty()
