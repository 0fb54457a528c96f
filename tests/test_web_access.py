"""Who may see a server's dashboard and who may change the shared content: the rule itself
(is_moderator), the same rule on Discord's real answers over REST (the fake Discord), and
over HTTP against the real bot, where a page is either shown or a 403 that says why."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import discord
import pytest
import pytest_asyncio
import yarl

from bot.clock import ManualClock, utc
from bot.i18n import t
from bot.web.access import ADMINISTRATOR, CACHE_ENTRIES, MANAGE_GUILD, GuildAccess, GuildFacts, is_moderator
from bot.web.discord_directory import DiscordDirectory
from tests.web_harness import WebBot, csrf_of, discord_consent, http_login, running_web_bot

GUILD, OWNER, USER = 100, 1, 2
EDITOR_ROLE, MOD_ROLE, ADMIN_ROLE, PLAIN_ROLE = 11, 12, 13, 14
ROLES = {GUILD: 0, EDITOR_ROLE: 0, MOD_ROLE: MANAGE_GUILD, ADMIN_ROLE: ADMINISTRATOR, PLAIN_ROLE: 1 << 10}
UNKNOWN = "Welke koffie drinkt de marketingafdeling het liefst?"


def facts(roles: frozenset[int] | None, *, everyone: int = 0) -> GuildFacts:
    return GuildFacts(OWNER, {**ROLES, GUILD: everyone}, roles)


@pytest.mark.parametrize(
    ("user", "guild_facts", "expected"),
    [
        pytest.param(OWNER, facts(frozenset()), True, id="owner"),
        pytest.param(USER, facts(frozenset({MOD_ROLE})), True, id="manage-server-role"),
        pytest.param(USER, facts(frozenset({ADMIN_ROLE})), True, id="administrator-role"),
        pytest.param(USER, facts(frozenset(), everyone=MANAGE_GUILD), True, id="everyone-manages"),
        pytest.param(USER, facts(frozenset({EDITOR_ROLE})), True, id="editor-role"),
        pytest.param(USER, facts(frozenset({PLAIN_ROLE})), False, id="member-without-rights"),
        pytest.param(USER, facts(None), False, id="not-a-member"),
        pytest.param(USER, facts(None, everyone=MANAGE_GUILD), False, id="not-a-member-though-everyone-manages"),
    ],
)
def test_who_is_a_moderator(user: int, guild_facts: GuildFacts, expected: bool):
    assert is_moderator(guild_facts, GUILD, user, {EDITOR_ROLE}) is expected


class CountingDirectory:
    """Discord's answers from a table, counting how often they are asked: the cache's own test."""

    def __init__(self) -> None:
        self.asked = 0

    async def facts(self, guild_id: int, user_id: int) -> GuildFacts | None:
        self.asked += 1
        return facts(frozenset({MOD_ROLE}))


async def test_the_access_cache_stays_bounded_and_forgets_the_oldest_first():
    directory = CountingDirectory()
    access = GuildAccess(directory, frozenset(), GUILD, ManualClock(utc(2026, 3, 2, 9)))
    for user in range(CACHE_ENTRIES + 100):
        await access.check(user, GUILD)
    asked = directory.asked
    await access.check(CACHE_ENTRIES + 99, GUILD)  # the newest is still known
    assert directory.asked == asked
    await access.check(0, GUILD)  # the oldest was dropped to stay within the bound
    assert directory.asked == asked + 1


# ------------------------------------------------------------------ the rule on Discord's REST answers


@pytest_asyncio.fixture
async def bot_rest(fake_discord) -> AsyncIterator[DiscordDirectory]:
    """The bot's own REST client (its token) against the fake Discord, as the dashboard uses it."""
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    await http.static_login(fake_discord.token)
    try:
        yield DiscordDirectory(http)
    finally:
        await http.close()


async def test_roles_read_over_rest_decide_access_in_each_server(fake_discord, bot_rest):
    fake = fake_discord
    home, other = list(fake.guilds)
    managers = fake.add_role(home, "Beheer", permissions=MANAGE_GUILD)
    admins = fake.add_role(home, "Admins", permissions=ADMINISTRATOR)
    editors = fake.add_role(home, "Redactie", permissions=0)
    fake.guild(other).get_roles()
    fake.guild(other).role(other).permissions |= MANAGE_GUILD  # @everyone manages the second server
    people = {
        "owner": fake.add_web_user("olga", owner_of=[home]),
        "manager": fake.add_web_user("max", memberships={home: [managers.id]}),
        "admin": fake.add_web_user("ada", memberships={home: [admins.id]}),
        "editor": fake.add_web_user("eddy", memberships={home: [editors.id]}),
        "member": fake.add_web_user("lid", memberships={home: [], other: []}),
        "outsider": fake.add_web_user("buiten", memberships={other: []}),
    }
    access = GuildAccess(bot_rest, frozenset({editors.id}), home, ManualClock(utc(2026, 3, 2, 9)))

    async def check(name: str, guild_id: int) -> tuple[bool, bool, bool]:
        decided = await access.check(int(people[name]["id"]), guild_id)
        return decided.in_guild, decided.moderator, decided.edits_shared

    for name in ("owner", "manager", "admin", "editor"):
        assert await check(name, home) == (True, True, True), name
    assert await check("member", home) == (True, False, False)
    assert await check("outsider", home) == (False, False, False)
    # Moderators of another server see its pages, but only the home server edits shared content.
    assert await check("member", other) == (True, True, False)
    assert await check("owner", other) == (False, False, False)
    assert await check("member", 4242424242) == (False, False, False)  # a server without the bot


# ------------------------------------------------------------------ over HTTP, against the real bot


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(utc(2026, 3, 2, 9))


@pytest_asyncio.fixture
async def web(fake_discord, tmp_path: Path, clock: ManualClock) -> AsyncIterator[WebBot]:
    async with running_web_bot(fake_discord, tmp_path, clock=clock) as running:
        yield running


async def ask_unanswered(web: WebBot, guild_id: int) -> None:
    interaction = await web.fake.slash_command("ask", options={"question": UNKNOWN}, guild_id=guild_id)
    await interaction.response()
    await web.harness.services.writer.flush()


async def page(client, url: str) -> tuple[int, str]:
    async with client.get(url, allow_redirects=False) as response:
        return response.status, html.unescape(await response.text())


async def test_an_editor_of_another_server_sees_its_pages_but_cannot_change_shared_content(web: WebBot):
    await ask_unanswered(web, web.other_id)
    g = f"{web.base_url}/g/{web.other_id}"
    async with web.visitor() as eddy:
        assert (await http_login(web, eddy, web.people.editor)).status == 302
        for path in ("", "/queue", "/topics", "/tips"):
            assert (await page(eddy, g + path))[0] == 200, path
        for path in ("/topics/cmo-skills", "/topics/new", "/topics/cmo-skills/history"):
            status, text = await page(eddy, g + path)
            assert status == 403 and t("web_forbidden_home", "nl") in text, path
        status, queue = await page(eddy, g + "/queue")
        assert "/queue/attach" not in queue  # no attach form to begin with
        (group,) = await web.harness.services.improvements.open_groups(web.other_id)
        form = {"csrf": csrf_of(queue), "key": group.key, "topic": "cmo-skills"}
        async with eddy.post(g + "/queue/attach", data=form, allow_redirects=False) as posted:
            assert posted.status == 403
            assert t("web_forbidden_home", "nl") in html.unescape(await posted.text())
        assert len(await web.harness.services.improvements.open_groups(web.other_id)) == 1
        # Their own server's page is all they get; the home server is not theirs.
        status, text = await page(eddy, f"{web.base_url}/g/{web.home_id}")
        assert status == 403 and t("web_forbidden_not_member", "nl") in text


async def test_the_home_servers_moderator_attaches_in_the_queue(web: WebBot):
    await ask_unanswered(web, web.home_id)
    g = f"{web.base_url}/g/{web.home_id}"
    async with web.visitor() as mira:
        await http_login(web, mira, web.people.moderator)
        status, queue = await page(mira, g + "/queue")
        assert status == 200 and "/queue/attach" in queue
        (group,) = await web.harness.services.improvements.open_groups(web.home_id)
        form = {"csrf": csrf_of(queue), "key": group.key, "topic": "cmo-skills"}
        async with mira.post(g + "/queue/attach", data=form, allow_redirects=False) as posted:
            assert posted.status == 303 and posted.headers["Location"].endswith("/queue?done=attached")
        assert await web.harness.services.improvements.open_groups(web.home_id) == []
        assert (await page(mira, g + "/topics/cmo-skills"))[0] == 200


async def test_a_member_without_rights_and_a_server_without_the_bot_give_the_403_page(web: WebBot):
    async with web.visitor() as lid:
        await http_login(web, lid, web.people.member)
        status, text = await page(lid, f"{web.base_url}/g/{web.home_id}/queue")
        assert status == 403 and t("web_forbidden_guild", "nl") in text
        status, text = await page(lid, f"{web.base_url}/g/4242424242")
        assert status == 403 and t("web_forbidden_not_member", "nl") in text
        assert (await page(lid, f"{web.base_url}/g/not-a-number"))[0] == 404


async def test_a_moderator_who_lost_the_role_loses_the_pages_within_30_seconds(web: WebBot, clock: ManualClock):
    overview = f"{web.base_url}/g/{web.home_id}"
    async with web.visitor() as mira:
        await http_login(web, mira, web.people.moderator)
        assert (await page(mira, overview))[0] == 200
        web.fake.set_membership(web.people.moderator, web.home_id, [])
        await clock.advance(timedelta(seconds=29))
        assert (await page(mira, overview))[0] == 200  # Discord is asked at most every 30 s
        await clock.advance(timedelta(seconds=1))
        status, text = await page(mira, overview)
        assert status == 403 and t("web_forbidden_guild", "nl") in text
        web.fake.set_membership(web.people.moderator, web.home_id, None)  # left the server
        await clock.advance(timedelta(seconds=30))
        status, text = await page(mira, overview)
        assert status == 403 and t("web_forbidden_not_member", "nl") in text


# ------------------------------------------------------------------ logging in and out


def lands_on(web: WebBot, location: str) -> yarl.URL:
    """Where a browser goes for this Location: it drops tabs and newlines and reads `\\` as `/`
    (the WHATWG URL parser), then resolves it against the dashboard."""
    cleaned = "".join(ch for ch in location if ch not in "\t\n\r").replace("\\", "/")
    return yarl.URL(web.base_url).join(yarl.URL(cleaned))


async def logged_in(web: WebBot, client) -> bool:
    status, _ = await page(client, f"{web.base_url}/g/{web.home_id}")
    assert status in (200, 302)
    return status == 200


async def test_a_logged_out_visitor_is_sent_to_the_login_and_back_to_the_page(web: WebBot):
    target = f"/g/{web.home_id}?days=7"
    async with web.visitor() as mira:
        async with mira.get(web.base_url + target, allow_redirects=False) as refused:
            to_login = yarl.URL(refused.headers["Location"])
            assert refused.status == 302 and to_login.path == "/login" and to_login.query["next"] == target
        back = await http_login(web, mira, web.people.moderator, next_path=target)
        assert back.status == 302 and back.headers["Location"] == target
        assert (await page(mira, web.base_url + target))[0] == 200


@pytest.mark.parametrize("next_path", ["//evil.example/x", "https://evil.example/x", "/\\evil.example/x", "evil"])
async def test_the_login_never_leads_off_site(web: WebBot, next_path: str):
    async with web.visitor() as mira:
        back = await http_login(web, mira, web.people.moderator, next_path=next_path)
        assert back.status == 302 and back.headers["Location"] == "/"


@pytest.mark.parametrize("control", ["\t", "\n"], ids=["tab", "newline"])
async def test_a_next_with_a_control_character_does_not_lead_off_site(web: WebBot, control: str):
    async with web.visitor() as mira:
        back = await http_login(web, mira, web.people.moderator, next_path=f"/{control}/evil.example/x")
        assert lands_on(web, back.headers.get("Location", "/")).host == "127.0.0.1"


async def test_a_callback_with_a_wrong_state_is_refused_and_logs_nobody_in(web: WebBot):
    async with web.visitor() as mira:
        web.fake.oauth_login_as(web.people.moderator)
        async with mira.get(f"{web.base_url}/login", allow_redirects=False) as start:
            callback = yarl.URL(await discord_consent(mira, start.headers["Location"]))
        status, text = await page(mira, str(callback.update_query(state="forged")))
        assert status == 400 and t("web_login_state", "nl") in text
        assert not await logged_in(web, mira)
    assert web.fake.oauth_token_requests == []  # the code was never exchanged


async def test_a_reused_callback_is_refused(web: WebBot):
    async with web.visitor() as mira:
        first = await http_login(web, mira, web.people.moderator)
        callback = str(first.url)
        status, text = await page(mira, callback)
        assert status == 400 and t("web_login_state", "nl") in text
    async with web.visitor() as thief:  # the same address in another browser
        status, _ = await page(thief, callback)
        assert status == 400 and not await logged_in(web, thief)
    assert len(web.fake.oauth_token_requests) == 1


async def test_a_cancelled_consent_gives_the_cancelled_page(web: WebBot):
    async with web.visitor() as lid:
        web.fake.oauth_login_as(web.people.member)
        async with lid.get(f"{web.base_url}/login", allow_redirects=False) as start:
            callback = await discord_consent(lid, start.headers["Location"], decision="cancel")
        status, text = await page(lid, callback)
        assert status == 400 and t("web_login_cancelled", "nl") in text
        assert not await logged_in(web, lid)


async def test_logout_needs_the_csrf_token_and_ends_the_session(web: WebBot):
    async with web.visitor() as mira:
        await http_login(web, mira, web.people.moderator)
        _, servers = await page(mira, f"{web.base_url}/")
        async with mira.post(f"{web.base_url}/logout", allow_redirects=False) as refused:
            assert refused.status == 403
        assert await logged_in(web, mira)
        async with mira.post(f"{web.base_url}/logout", data={"csrf": csrf_of(servers)}, allow_redirects=False) as out:
            assert out.status == 302 and out.headers["Location"] == "/"
        assert not await logged_in(web, mira)


async def test_a_cookie_copied_before_logout_is_worthless_after_it(web: WebBot):
    async with web.visitor() as mira, web.visitor() as thief:
        await http_login(web, mira, web.people.moderator)
        thief.cookie_jar.update_cookies(mira.cookie_jar.filter_cookies(yarl.URL(web.base_url)), yarl.URL(web.base_url))
        assert await logged_in(web, thief)
        _, servers = await page(mira, f"{web.base_url}/")
        async with mira.post(f"{web.base_url}/logout", data={"csrf": csrf_of(servers)}, allow_redirects=False):
            pass
        assert not await logged_in(web, thief)
