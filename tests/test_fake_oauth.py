"""The fake Discord's OAuth2 login and member routes behave as Discord's do, so the dashboard's login and
permission checks can be tested end to end: every step here goes over real HTTP to the running fake, the
way a browser and the dashboard will."""

from __future__ import annotations

import asyncio
import base64
import re
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
import pytest_asyncio
import yarl

from tests.fake_discord import ALL_PERMISSIONS, P_ADMINISTRATOR, P_MANAGE_GUILD, FakeDiscord
from tests.fake_discord import fixtures as _fixtures

fake_discord = _fixtures.fake_discord
restore_discord_routes = _fixtures.restore_discord_routes

REDIRECT = "http://127.0.0.1:9/auth/callback"


@pytest_asyncio.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


class People:
    """A guild with a moderator (Manage Server), an editor (a plain role the bot may list as editor role),
    a member without rights, and a stranger who is in no guild."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.guild = fake.guild()
        self.other_guild = list(fake.guilds.values())[1]
        self.mod_role = fake.add_role(self.guild.id, "Moderator", permissions=P_MANAGE_GUILD)
        self.editor_role = fake.add_role(self.guild.id, "Redactie")
        self.moderator = fake.add_web_user("moderator", memberships={self.guild.id: [self.mod_role.id]})
        self.editor = fake.add_web_user("redacteur", memberships={self.guild.id: [self.editor_role.id]}, locale="en-US")
        self.member = fake.add_web_user("lid", memberships={self.guild.id: [], self.other_guild.id: []})
        self.stranger = fake.add_web_user("vreemde")


async def consent(session: aiohttp.ClientSession, fake: FakeDiscord, user, *, decision: str = "authorize", **query):
    """What the browser does: open the authorize page as ``user``, press a button; the 302's Location."""
    fake.oauth_login_as(user)
    params = {
        "response_type": "code",
        "client_id": fake.oauth_client_id,
        "scope": "identify guilds",
        "state": "staat-123",
        "redirect_uri": REDIRECT,
        "prompt": "consent",
        **query,
    }
    async with session.get(fake.oauth_authorize_url, params=params) as resp:
        page = await resp.text()
        assert resp.status == 200, page
    assert user["username"] in page
    request_id = re.search(r'name="request_id" value="([^"]+)"', page).group(1)
    form = {"request_id": request_id, "decision": decision}
    async with session.post(f"{fake.http_base}/oauth2/authorize", data=form, allow_redirects=False) as resp:
        assert resp.status == 302
        return yarl.URL(resp.headers["Location"])


async def exchange(session, fake, code: str, *, redirect_uri: str = REDIRECT, secret: str | None = None, basic=True):
    """What the dashboard does with the code: POST it to the token endpoint; (status, JSON body)."""
    secret = fake.oauth_client_secret if secret is None else secret
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    headers = {}
    if basic:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{fake.oauth_client_id}:{secret}".encode()).decode()
    else:
        form.update(client_id=fake.oauth_client_id, client_secret=secret)
    async with session.post(fake.oauth_token_url, data=form, headers=headers) as resp:
        return resp.status, await resp.json()


async def get_as(session, url: str, token: str, scheme: str = "Bearer"):
    async with session.get(url, headers={"Authorization": f"{scheme} {token}"}) as resp:
        return resp.status, await resp.json()


async def login(session, fake, user) -> str:
    location = await consent(session, fake, user)
    status, body = await exchange(session, fake, location.query["code"])
    assert status == 200, body
    return body["access_token"]


async def test_moderator_logs_in_and_sees_manage_server_in_their_guild(fake_discord, session):
    fake, people = fake_discord, People(fake_discord)
    location = await consent(session, fake, people.moderator)
    assert str(location.with_query(None)) == REDIRECT
    assert location.query["state"] == "staat-123"

    status, token = await exchange(session, fake, location.query["code"])
    assert status == 200
    assert token["token_type"] == "Bearer" and token["scope"] == "identify guilds"
    assert token["expires_in"] > 0 and token["refresh_token"]

    status, me = await get_as(session, f"{fake.api_base}/users/@me", token["access_token"])
    assert (status, me["id"], me["username"], me["locale"]) == (200, people.moderator["id"], "moderator", "nl")

    status, guilds = await get_as(session, f"{fake.api_base}/users/@me/guilds", token["access_token"])
    assert status == 200
    assert [g["id"] for g in guilds] == [str(people.guild.id)]
    assert guilds[0]["owner"] is False and int(guilds[0]["permissions"]) & P_MANAGE_GUILD
    assert guilds[0]["name"] == people.guild.name and isinstance(guilds[0]["features"], list)

    assert len(fake.oauth_token_requests) == 1
    assert fake.oauth_decisions[-1]["decision"] == "authorize"
    recorded = repr([(r, r.headers, r.json, r.query) for r in fake.requests])
    assert fake.oauth_client_secret not in recorded
    assert base64.b64encode(f"{fake.oauth_client_id}:{fake.oauth_client_secret}".encode()).decode() not in recorded


async def test_permission_bits_follow_roles_owner_and_administrator(fake_discord, session):
    fake, people = fake_discord, People(fake_discord)
    admin_role = fake.add_role(people.guild.id, "Beheer", permissions=P_ADMINISTRATOR)
    admin = fake.add_web_user("beheerder", memberships={people.guild.id: [admin_role.id]})
    owner = fake.add_web_user("eigenares", owner_of=[people.other_guild.id])

    async def permissions_of(user) -> dict[str, tuple[bool, int]]:
        location = await consent(session, fake, user)
        # the dashboard may send its credentials as form fields instead of Basic auth: Discord takes both
        status, token = await exchange(session, fake, location.query["code"], basic=False)
        assert status == 200, token
        _, guilds = await get_as(session, f"{fake.api_base}/users/@me/guilds", token["access_token"])
        return {g["id"]: (g["owner"], int(g["permissions"])) for g in guilds}

    editor = await permissions_of(people.editor)
    assert not editor[str(people.guild.id)][1] & P_MANAGE_GUILD
    member = await permissions_of(people.member)
    assert set(member) == {str(people.guild.id), str(people.other_guild.id)}
    assert not any(bits & P_MANAGE_GUILD for _, bits in member.values())
    assert await permissions_of(admin) == {str(people.guild.id): (False, ALL_PERMISSIONS)}
    assert await permissions_of(owner) == {str(people.other_guild.id): (True, ALL_PERMISSIONS)}
    assert await permissions_of(people.stranger) == {}


async def test_consent_page_speaks_the_users_language(fake_discord, session):
    fake, people = fake_discord, People(fake_discord)
    params = {"response_type": "code", "client_id": fake.oauth_client_id, "scope": "identify guilds",
              "redirect_uri": REDIRECT, "state": "x"}  # fmt: skip
    for user, button in ((people.moderator, "Autoriseren"), (people.editor, "Authorize")):
        fake.oauth_login_as(user)
        async with session.get(fake.oauth_authorize_url, params=params) as resp:
            assert button in await resp.text()


async def test_cancel_sends_access_denied_with_the_state(fake_discord, session):
    fake, people = fake_discord, People(fake_discord)
    location = await consent(session, fake, people.member, decision="cancel")
    assert location.query["error"] == "access_denied" and location.query["state"] == "staat-123"
    assert "code" not in location.query


async def test_a_second_login_with_prompt_none_skips_the_consent_page(fake_discord, session):
    fake, people = fake_discord, People(fake_discord)
    await login(session, fake, people.moderator)
    params = {"response_type": "code", "client_id": fake.oauth_client_id, "scope": "identify guilds",
              "redirect_uri": REDIRECT, "state": "weer", "prompt": "none"}  # fmt: skip
    async with session.get(fake.oauth_authorize_url, params=params, allow_redirects=False) as resp:
        assert resp.status == 302
        location = yarl.URL(resp.headers["Location"])
    assert location.query["state"] == "weer"
    assert (await exchange(session, fake, location.query["code"]))[0] == 200


async def test_token_endpoint_refuses_as_discord_does(fake_discord, session):
    fake, people = fake_discord, People(fake_discord)
    code = (await consent(session, fake, people.moderator)).query["code"]
    assert await exchange(session, fake, code, secret="geraden") == (401, {"error": "invalid_client"})
    assert (await exchange(session, fake, code, basic=False, secret="geraden"))[0] == 401

    status, body = await exchange(session, fake, code)
    assert status == 200
    status, body = await exchange(session, fake, code)  # a code works once
    assert (status, body["error"]) == (400, "invalid_grant")

    other = (await consent(session, fake, people.moderator)).query["code"]
    status, body = await exchange(session, fake, other, redirect_uri="http://127.0.0.1:9/elders")
    assert (status, body["error"]) == (400, "invalid_grant")
    assert len(fake.oauth_token_requests) == 5


async def test_bearer_tokens_open_only_the_users_own_routes(fake_discord, session):
    fake, people = fake_discord, People(fake_discord)
    token = await login(session, fake, people.moderator)
    status, body = await get_as(session, f"{fake.api_base}/guilds/{people.guild.id}", token)
    assert (status, body["message"]) == (401, "401: Unauthorized")
    assert (await get_as(session, f"{fake.api_base}/guilds/{people.guild.id}/members/{people.moderator['id']}",
                         token))[0] == 401  # fmt: skip
    assert (await get_as(session, f"{fake.api_base}/users/@me", "verzonnen"))[0] == 401

    status, bot = await get_as(session, f"{fake.api_base}/users/@me", fake.token, scheme="Bot")
    assert (status, bot["id"], bot["bot"]) == (200, str(fake.bot_user_id), True)

    fake.expire_oauth_tokens()
    assert (await get_as(session, f"{fake.api_base}/users/@me", token))[0] == 401
    assert (await get_as(session, f"{fake.api_base}/users/@me/guilds", token))[0] == 401


async def test_authorize_page_refuses_a_bad_request(fake_discord, session):
    fake, people = fake_discord, People(fake_discord)
    good = {"response_type": "code", "client_id": fake.oauth_client_id, "scope": "identify guilds",
            "redirect_uri": REDIRECT, "state": "s"}  # fmt: skip

    async def open_page(**changes):
        params = {k: v for k, v in {**good, **changes}.items() if v is not None}
        async with session.get(fake.oauth_authorize_url, params=params, allow_redirects=False) as resp:
            return resp.status, resp.headers.get("Location"), await resp.text()

    fake.oauth_login_as(people.moderator)
    assert (await open_page(client_id="123"))[0] == 400
    assert (await open_page(redirect_uri=None))[0] == 400
    status, location, _ = await open_page(response_type="token")
    assert status == 302 and yarl.URL(location).query["error"] == "unsupported_response_type"
    status, location, _ = await open_page(scope="identify")
    assert status == 302 and yarl.URL(location).query["error"] == "invalid_scope"
    fake.oauth_redirect_uris = {"https://dashboard.example/auth/callback"}
    assert (await open_page())[0] == 400
    fake.oauth_redirect_uris = set()
    fake.oauth_login_as(None)
    assert (await open_page())[0] == 401


async def test_discord_py_http_client_reads_members_roles_and_the_guild(fake_discord):
    fake, people = fake_discord, People(fake_discord)
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    try:
        await http.static_login(fake.token)
        member = await http.get_member(people.guild.id, people.moderator["id"])
        assert member["user"]["id"] == people.moderator["id"] and member["roles"] == [str(people.mod_role.id)]
        editor = await http.get_member(people.guild.id, people.editor["id"])
        assert editor["roles"] == [str(people.editor_role.id)]
        with pytest.raises(discord.NotFound) as refused:
            await http.get_member(people.guild.id, people.stranger["id"])
        assert refused.value.code == 10007

        guild = await http.get_guild(people.guild.id)
        roles = {int(r["id"]): int(r["permissions"]) for r in guild["roles"]}
        assert roles[people.mod_role.id] & P_MANAGE_GUILD and not roles[people.editor_role.id] & P_MANAGE_GUILD
        assert int(guild["owner_id"]) == fake.owner_id and guild["approximate_member_count"] > 0
        assert {int(r["id"]) for r in await http.get_roles(people.guild.id)} == set(roles)

        fake.set_membership(people.moderator, people.guild.id, None)  # removed from the server
        with pytest.raises(discord.NotFound):
            await http.get_member(people.guild.id, people.moderator["id"])
    finally:
        await http.close()
