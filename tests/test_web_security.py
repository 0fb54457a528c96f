"""The dashboard's defences, over real HTTP against the real bot and the fake Discord: security
headers on everything it serves, the CSRF token on every POST route there is, a cap on request
bodies, error pages in the visitor's language, and sessions that expire, cannot be forged and
carry (and log) no secret."""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
import yarl
from cryptography.fernet import Fernet

from bot.clock import ManualClock, utc
from bot.i18n import t
from bot.web.render import static_url
from bot.web.server import MAX_BODY, session_key
from bot.web.session import COOKIE_NAME
from tests.web_harness import WebBot, csrf_of, http_login, running_web_bot

UNKNOWN = "Welke koffie drinkt de marketingafdeling het liefst?"
HOURS = 2


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(utc(2026, 3, 2, 9))


@pytest_asyncio.fixture
async def web(fake_discord, tmp_path: Path, clock: ManualClock, caplog) -> AsyncIterator[WebBot]:
    caplog.set_level(logging.DEBUG)  # every line the bot could write, from its start
    caplog.set_level(logging.INFO, logger="discord")  # as bot/logs.py keeps discord.py
    env = {"CMO_WEB_SESSION_HOURS": str(HOURS)}
    async with running_web_bot(fake_discord, tmp_path, clock=clock, **env) as running:
        yield running


async def ask(web: WebBot, question: str, user: dict | None = None) -> None:
    interaction = await web.fake.slash_command("ask", options={"question": question}, user=user)
    await interaction.response()
    await web.harness.services.writer.flush()


async def fetch(client, url: str, method: str = "GET", **kw):
    async with client.request(method, url, allow_redirects=False, **kw) as response:
        return response.status, response.headers, await response.text()


def assert_safe_headers(what: str, headers) -> None:
    policy = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, what
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, what
    assert headers.get("X-Content-Type-Options") == "nosniff", what


INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=", re.IGNORECASE)


async def test_every_page_error_redirect_and_static_file_carries_the_security_headers(web: WebBot):
    await ask(web, "<script>alert(1)</script> wie betaalt de koffie?")
    base, g = web.base_url, f"{web.base_url}/g/{web.home_id}"
    seen = []
    async with web.visitor() as visitor:
        for url in (base + "/", base + "/login", g, base + "/nope", base + "/auth/callback", base + "/logout"):
            seen.append((url, *await fetch(visitor, url)))
        seen.append(("logout without csrf", *await fetch(visitor, base + "/logout", "POST")))
        await http_login(web, visitor, web.people.moderator)
        for path in ("", "/queue", "/topics", "/topics/cmo-skills", "/tips", "/export", "/export/questions.csv"):
            seen.append((g + path, *await fetch(visitor, g + path)))
        seen.append(("not moderator here", *await fetch(visitor, f"{base}/g/{web.other_id}")))
        for static in (base + static_url("dashboard.css"), base + static_url("editor.js"), base + "/static/x.css"):
            seen.append((static, *await fetch(visitor, static)))
    statuses = {status for _, status, _, _ in seen}
    assert {200, 302, 400, 403, 404, 405} <= statuses
    for what, _, headers, body in seen:
        assert_safe_headers(what, headers)
        if headers.get("Content-Type", "").startswith("text/html"):
            assert not INLINE.search(body), f"{what}: inline script or style the policy would block"


def post_routes(web: WebBot) -> list[str]:
    """Every POST route the app has, with real values in its path: a new route is covered at once."""
    assert web.harness.bot is not None and web.harness.bot.web is not None
    values = {"guild_id": web.home_id, "topic_id": "cmo-skills", "decision": "accept"}
    return sorted({r.resource.canonical.format(**values) for r in web.harness.bot.web.app.router.routes()
                   if r.method == "POST" and r.resource is not None})  # fmt: skip


async def dashboard_state(web: WebBot) -> tuple:
    services = web.harness.services
    assert services is not None
    return (
        id(services.store.current),
        await services.tip_schedules.get(web.home_id),
        [group.key for group in await services.improvements.open_groups(web.home_id)],
        [revision.n for revision in await services.editor.history("cmo-skills")],
    )


async def test_every_post_route_refuses_a_missing_or_wrong_csrf_token_and_changes_nothing(web: WebBot):
    await ask(web, UNKNOWN)
    routes = post_routes(web)
    assert "/logout" in routes and f"/g/{web.home_id}/tips" in routes and len(routes) >= 10
    (group,) = await web.harness.services.improvements.open_groups(web.home_id)
    form = {"key": group.key, "topic": "cmo-skills", "revision": "0", "base": "0", "reason": "x", "time": "09:00",
            "channel": str(web.fake.guild().first_text_channel_id), "days": "daily", "timezone": "Europe/Amsterdam",
            "language": "nl", "title.nl": "Gekaapt", "action": "save"}  # fmt: skip
    before = await dashboard_state(web)
    async with web.visitor() as mira:
        await http_login(web, mira, web.people.moderator)
        _, _, tips = await fetch(mira, f"{web.base_url}/g/{web.home_id}/tips")
        token = csrf_of(tips)
        for path in routes:
            for extra, headers in (({}, {}), ({"csrf": "wrong"}, {}), ({}, {"X-CSRF-Token": "wrong"})):
                status, _, body = await fetch(
                    mira, web.base_url + path, "POST", data={**form, **extra}, headers=headers
                )
                assert status == 403, (path, extra, headers)
                assert t("web_csrf_refused", "nl") in body.replace("&#39;", "'")
        assert await dashboard_state(web) == before
        assert (await fetch(mira, f"{web.base_url}/g/{web.home_id}"))[0] == 200  # still logged in
        # The same form with this session's token goes through: the refusals were the token's.
        status, _, _ = await fetch(mira, f"{web.base_url}/g/{web.home_id}/tips", "POST", data={**form, "csrf": token})
        assert status == 303 and await web.harness.services.tip_schedules.get(web.home_id) is not None


async def test_a_huge_post_body_is_refused_and_changes_nothing(web: WebBot):
    async with web.visitor() as mira:
        await http_login(web, mira, web.people.moderator)
        _, _, tips = await fetch(mira, f"{web.base_url}/g/{web.home_id}/tips")
        form = {"csrf": csrf_of(tips), "channel": str(web.fake.guild().first_text_channel_id), "time": "09:00",
                "days": "daily", "timezone": "Europe/Amsterdam", "language": "nl", "padding": "x" * (MAX_BODY + 1)}  # fmt: skip
        status, headers, _ = await fetch(mira, f"{web.base_url}/g/{web.home_id}/tips", "POST", data=form)
        assert status == 413
        assert_safe_headers("413", headers)
        assert await web.harness.services.tip_schedules.get(web.home_id) is None
        assert (await fetch(mira, f"{web.base_url}/g/{web.home_id}"))[0] == 200  # and it goes on serving


@pytest.mark.parametrize(("accept", "lang"), [("en-US,en;q=0.9", "en"), ("nl-NL,nl;q=0.9,en;q=0.5", "nl"),
                                              ("fr-FR,en;q=0.5", "en"), ("", "nl")])  # fmt: skip
async def test_an_unknown_path_is_the_404_page_in_the_visitors_language(web: WebBot, accept: str, lang: str):
    async with web.visitor() as visitor:
        status, _, body = await fetch(visitor, f"{web.base_url}/no/such/page", headers={"Accept-Language": accept})
    assert status == 404
    assert f'<html lang="{lang}">' in body
    assert t("web_error_404", lang) in body and t("web_not_found", lang) in body


# ------------------------------------------------------------------ sessions


async def test_a_login_expires_after_the_configured_hours_on_the_bots_clock(web: WebBot, clock: ManualClock):
    overview = f"{web.base_url}/g/{web.home_id}"
    async with web.visitor() as mira:
        await http_login(web, mira, web.people.moderator)
        await clock.advance(timedelta(hours=HOURS) - timedelta(minutes=1))
        assert (await fetch(mira, overview))[0] == 200
        await clock.advance(timedelta(minutes=2))
        status, headers, _ = await fetch(mira, overview)
        assert status == 302 and yarl.URL(headers["Location"]).path == "/login"


async def test_a_tampered_cookie_is_just_not_logged_in(web: WebBot):
    async with web.visitor() as mira, web.visitor() as forger:
        await http_login(web, mira, web.people.moderator)
        value = mira.cookie_jar.filter_cookies(yarl.URL(web.base_url))[COOKIE_NAME].value
        middle = len(value) // 2
        for forged in (value[:middle] + ("A" if value[middle] != "A" else "B") + value[middle + 1 :], "garbage", ""):
            forger.cookie_jar.clear()
            forger.cookie_jar.update_cookies({COOKIE_NAME: forged}, yarl.URL(web.base_url))
            status, headers, _ = await fetch(forger, f"{web.base_url}/g/{web.home_id}")
            assert status == 302 and yarl.URL(headers["Location"]).path == "/login"
            status, _, landing = await fetch(forger, f"{web.base_url}/")
            assert status == 200 and 'href="/login"' in landing


async def test_no_token_or_secret_is_in_the_cookie_or_the_logs_nor_a_question_beside_its_asker(web: WebBot, caplog):
    asker = web.people.member
    question = "Hoe overtuig ik mijn CFO van een groter budget voor AI-experimenten?"
    await ask(web, question, user=asker)
    async with web.visitor() as mira:
        await http_login(web, mira, web.people.moderator)
        await fetch(mira, f"{web.base_url}/g/{web.home_id}/queue")
        cookie = mira.cookie_jar.filter_cookies(yarl.URL(web.base_url))[COOKIE_NAME].value
    services = web.harness.services
    fernet = Fernet(base64.urlsafe_b64encode(session_key(services)))
    session = json.loads(fernet.decrypt(cookie.encode()))["session"]
    assert session["user"][0] == str(web.people.moderator["id"])  # it is the real session
    (exchange,) = web.fake.oauth_token_requests
    secrets = {
        "client secret": web.fake.oauth_client_secret,
        "access token": exchange.response["access_token"],
        "refresh token": exchange.response["refresh_token"],
        "bot token": web.fake.token,
    }
    records = [r for r in caplog.get_records("setup") + caplog.get_records("call") if not r.name.startswith("tests")]
    assert any("logged in" in record.getMessage() for record in records)
    lines = [f"{record.getMessage()}\n{record.exc_text or ''}" for record in records]
    for name, secret in secrets.items():
        assert secret not in json.dumps(session) and secret not in cookie, name
        assert not [line for line in lines if secret in line], name
    ids = (str(asker["id"]), services.hasher.hash(int(asker["id"])), services.hasher.hash(int(asker["id"]))[:16])
    assert not [line for line in lines if question in line and any(i in line for i in ids)]
