"""The dashboard as a moderator meets it: the real bot process serving the dashboard, the
fake Discord doing the login (OAuth2) and the REST reads, and Debian's chromium driven by
Playwright.

Chromium comes from the system (/usr/bin/chromium, or CMO_TEST_CHROMIUM): Playwright's own
browser download is never used. Without it the browser tests are skipped on a developer's
machine and fail under CI=true, where .ci/run installs it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
import yarl
from playwright.async_api import Browser, Page, async_playwright

from bot.clock import Clock
from tests.fake_discord.server import FakeDiscord
from tests.harness import BotHarness, home_on_content_copy, running_bot

MANAGE_GUILD = 0x20
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    """The system chromium, or a skip (a failure under CI=true, where it must be installed)."""
    path = os.environ.get("CMO_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    """A port for the dashboard, known before the bot starts: the OAuth2 redirect address
    (CMO_PUBLIC_URL) names it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class People:
    moderator: dict[str, Any]  # Manage Server in the home guild, and a plain member of the second guild
    editor: dict[str, Any]  # an editor role (CMO_EDITOR_ROLE_IDS) in the second guild only
    member: dict[str, Any]  # in the home guild without any right


def add_people(fake: FakeDiscord) -> tuple[People, int]:
    """Three people and the editor role id; add them before the bot starts."""
    home, other = (guild.id for guild in list(fake.guilds.values())[:2])
    mods = fake.add_role(home, "Moderators", permissions=MANAGE_GUILD)
    editors = fake.add_role(other, "Redactie", permissions=0)
    people = People(
        moderator=fake.add_web_user("mira", memberships={home: [mods.id], other: []}),
        editor=fake.add_web_user("eddy", memberships={other: [editors.id]}),
        member=fake.add_web_user("lid", memberships={home: [], other: []}),
    )
    return people, editors.id


@dataclass
class WebBot:
    """The real bot serving the dashboard, for tests where a browser adds nothing: each visitor
    is an aiohttp client with its own cookie jar."""

    harness: BotHarness
    fake: FakeDiscord
    people: People
    base_url: str

    @property
    def home_id(self) -> int:
        return self.fake.guild().id

    @property
    def other_id(self) -> int:
        return list(self.fake.guilds)[1]

    def visitor(self) -> aiohttp.ClientSession:
        """A browser-like client; unsafe=True because cookies of an IP address (127.0.0.1) are
        otherwise dropped."""
        return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


@dataclass
class Dashboard(WebBot):
    """The same bot with a browser to drive it."""

    browser: Browser

    async def page(
        self, *, viewport: dict[str, int] | None = None, locale: str = "nl-NL", javascript: bool = True
    ) -> Page:
        context = await self.browser.new_context(
            viewport=viewport or DESKTOP, locale=locale, base_url=self.base_url, java_script_enabled=javascript
        )
        page = await context.new_page()
        page.set_default_timeout(10_000)
        return page

    async def logged_in(self, user: dict[str, Any], **kw: Any) -> Page:
        """A browser logged in as `user` through the whole OAuth2 flow (consent included)."""
        page = await self.page(**kw)
        self.fake.oauth_login_as(user)
        await page.goto("/")
        await page.locator("a[href='/login']").click()
        await page.locator("button[value='authorize']").click()  # Discord's consent page
        await page.wait_for_url(f"{self.base_url}/")
        return page

    async def ask(self, question: str, **kw: Any) -> dict[str, Any]:
        interaction = await self.fake.slash_command("ask", options={"question": question}, **kw)
        await interaction.response()
        return await interaction.original()


def web_env(fake: FakeDiscord, port: int, tmp_path: Path, editor_role: int) -> dict[str, str]:
    return {
        **home_on_content_copy(fake, tmp_path),
        "CMO_EDITOR_ROLE_IDS": str(editor_role),
        "CMO_WEB_ADDR": f"127.0.0.1:{port}",
        "CMO_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DISCORD_CLIENT_ID": fake.oauth_client_id,
        "DISCORD_CLIENT_SECRET": fake.oauth_client_secret,
        "CMO_OAUTH_AUTHORIZE_URL": fake.oauth_authorize_url,
        "CMO_OAUTH_TOKEN_URL": fake.oauth_token_url,
    }


@contextlib.asynccontextmanager
async def running_dashboard(
    fake: FakeDiscord, tmp_path: Path, *, clock: Clock | None = None, **env: str
) -> AsyncIterator[Dashboard]:
    executable = chromium_path()
    async with running_web_bot(fake, tmp_path, clock=clock, **env) as web, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield Dashboard(web.harness, web.fake, web.people, web.base_url, browser)
        finally:
            await browser.close()


# ------------------------------------------------------------------ plain HTTP, without a browser


@contextlib.asynccontextmanager
async def running_web_bot(
    fake: FakeDiscord, tmp_path: Path, *, clock: Clock | None = None, **env: str
) -> AsyncIterator[WebBot]:
    people, editor_role = add_people(fake)
    port = free_port()
    settings = {**web_env(fake, port, tmp_path, editor_role), **env}
    async with running_bot(fake, tmp_path / "cmo-bot.sqlite3", clock=clock, check=None, **settings) as harness:
        yield WebBot(harness, fake, people, f"http://127.0.0.1:{port}")


async def discord_consent(client: aiohttp.ClientSession, authorize_url: str, decision: str = "authorize") -> str:
    """What Discord does in the browser: the consent page (or, consented before, a redirect at
    once), then back to the dashboard. Returns that callback address, with its code and state."""
    async with client.get(authorize_url, allow_redirects=False) as page:
        if page.status == 302:
            return page.headers["Location"]
        assert page.status == 200, await page.text()
        form = re.search(r'name="request_id" value="([^"]+)"', await page.text())
    assert form is not None, "no consent form on Discord's authorize page"
    consent_url = yarl.URL(authorize_url).with_query(None)
    data = {"request_id": form.group(1), "decision": decision}
    async with client.post(consent_url, data=data, allow_redirects=False) as answer:
        assert answer.status == 302, await answer.text()
        return answer.headers["Location"]


async def http_login(
    web: WebBot, client: aiohttp.ClientSession, user: dict[str, Any], next_path: str | None = None
) -> aiohttp.ClientResponse:
    """Logs `user` in over plain HTTP: /login, Discord's consent, the callback. Returns the
    callback's response (its body read): a redirect to where the login leads, or an error page."""
    web.fake.oauth_login_as(user)
    query = f"?next={quote(next_path, safe='')}" if next_path is not None else ""
    async with client.get(f"{web.base_url}/login{query}", allow_redirects=False) as start:
        assert start.status == 302, await start.text()
        authorize = start.headers["Location"]
    async with client.get(await discord_consent(client, authorize), allow_redirects=False) as back:
        await back.read()
        return back


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "no CSRF field on the page"
    return found.group(1)
