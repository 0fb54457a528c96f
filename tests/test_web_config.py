"""The dashboard's settings as an operator meets them: what CMO_WEB_ADDR needs beside it, URLs
that are refused with the variable named, a client secret that never prints, a bot that runs
without a dashboard, a taken port named at startup, and the session cookie's flags following
CMO_PUBLIC_URL."""

from __future__ import annotations

import logging
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import yarl

from bot.config import WEB_REQUIRED, ConfigError, load_settings
from bot.web.session import COOKIE_NAME, cookie_storage
from tests.cli_helpers import REPO, run_until_exit, taken_port, without_settings
from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord
from tests.harness import running_bot
from tests.web_harness import running_web_bot

SECRET = "client-secret-that-must-never-print-7f3a"
WEB = {
    "CMO_WEB_ADDR": "127.0.0.1:8081",
    "CMO_PUBLIC_URL": "https://cmo-bot.example.nl",
    "DISCORD_CLIENT_ID": "123456789012345678",
    "DISCORD_CLIENT_SECRET": SECRET,
}


def refused(environ: dict[str, str]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ)
    return caught.value


def test_a_complete_web_configuration_is_read():
    settings = load_settings(WEB | {"CMO_WEB_SESSION_HOURS": "8"})
    assert settings.web_addr == ("127.0.0.1", 8081)
    assert settings.public_url == "https://cmo-bot.example.nl"
    assert settings.client_secret is not None and settings.client_secret.get_secret_value() == SECRET
    assert settings.web_session_hours == 8
    assert settings.oauth_authorize_url == "https://discord.com/oauth2/authorize"
    assert settings.token_url == "https://discord.com/api/v10/oauth2/token"


@pytest.mark.parametrize("missing", WEB_REQUIRED)
def test_what_the_dashboard_still_needs_is_named(missing: str):
    for unset in ({k: v for k, v in WEB.items() if k != missing}, WEB | {missing: "  "}):
        assert load_settings(unset).web_missing == (missing,)
    assert load_settings({"CMO_WEB_ADDR": "127.0.0.1:8081"}).web_missing == WEB_REQUIRED
    assert load_settings(WEB).web_missing == ()


async def test_without_its_oauth_settings_the_bot_runs_without_the_dashboard_and_says_why(
    fake_discord, tmp_path: Path, caplog
):
    """The Docker image sets CMO_WEB_ADDR: a bot without the OAuth2 settings must still run."""
    caplog.set_level(logging.INFO)
    env = {"CMO_WEB_ADDR": "127.0.0.1:0", "DISCORD_CLIENT_SECRET": SECRET}
    async with running_bot(fake_discord, tmp_path / "bot.sqlite3", **env) as harness:
        assert harness.bot is not None and harness.bot.web is None
        interaction = await fake_discord.slash_command("ask", options={"question": "Wat doet een CMO?"})
        assert (await interaction.response())["type"] == 4
    (warning,) = [r.getMessage() for r in caplog.records if "web dashboard off" in r.getMessage()]
    assert "CMO_PUBLIC_URL" in warning and "DISCORD_CLIENT_ID" in warning
    assert "DISCORD_CLIENT_SECRET" not in warning
    assert not [r for r in caplog.records if SECRET in r.getMessage()]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CMO_PUBLIC_URL", "cmo-bot.example.nl"),
        ("CMO_PUBLIC_URL", "ftp://cmo-bot.example.nl"),
        ("CMO_PUBLIC_URL", "javascript:alert(1)"),
        ("CMO_PUBLIC_URL", "https://"),
        ("CMO_OAUTH_AUTHORIZE_URL", "discord.com/oauth2/authorize"),
        ("CMO_OAUTH_TOKEN_URL", "file:///etc/passwd"),
        ("CMO_WEB_ADDR", "8081"),
        ("CMO_WEB_ADDR", "127.0.0.1:99999"),
        ("DISCORD_CLIENT_ID", "my-bot"),
        ("CMO_WEB_SESSION_HOURS", "0"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable_and_never_the_secret(variable: str, value: str):
    error = refused(WEB | {variable: value})
    assert variable in str(error) and variable in error.variables
    assert SECRET not in str(error) and SECRET not in repr(error)


@pytest.mark.parametrize(
    "value",
    ["https://cmo-bot.example.nl/?next=1", "https://cmo-bot.example.nl/#top", "https:///no-host", "http://cmo bot.nl"],
)
def test_a_public_url_that_cannot_carry_the_callback_is_refused(value: str):
    error = refused(WEB | {"CMO_PUBLIC_URL": value})
    assert "CMO_PUBLIC_URL" in str(error)


def test_the_client_secret_never_prints():
    settings = load_settings(WEB | {"CMO_WEB_SECRET": "cookie-key-never-printed"})
    for shown in (repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())):
        assert SECRET not in shown and "cookie-key-never-printed" not in shown


def test_the_dashboard_is_off_without_cmo_web_addr():
    settings = load_settings({k: v for k, v in WEB.items() if k != "CMO_WEB_ADDR"})
    assert settings.web_addr is None  # the other web variables alone ask for nothing


async def test_the_bot_runs_without_a_dashboard_when_cmo_web_addr_is_unset(fake_discord, tmp_path: Path):
    env = {"DISCORD_CLIENT_ID": fake_discord.oauth_client_id, "DISCORD_CLIENT_SECRET": SECRET}
    async with running_bot(fake_discord, tmp_path / "bot.sqlite3", **env) as harness:
        assert harness.bot is not None and harness.bot.web is None
        interaction = await fake_discord.slash_command("ask", options={"question": "Wat doet een CMO?"})
        assert (await interaction.response())["type"] == 4


async def test_a_taken_dashboard_port_stops_the_start_with_the_variable_named(tmp_path: Path, restore_discord_routes):
    with taken_port() as port:
        async with FakeDiscord(guilds=make_guilds(1), patch_discord=False) as fake:
            env = without_settings() | WEB | {
                "PYTHONPATH": str(REPO), "CMO_DB_PATH": str(tmp_path / "bot.sqlite3"), "CMO_SEMANTIC": "off",
                "DISCORD_TOKEN": fake.token, "CMO_DISCORD_API_BASE": fake.api_base,
                "CMO_HEALTH_ADDR": "127.0.0.1:0", "CMO_WEB_ADDR": f"127.0.0.1:{port}",
            }  # fmt: skip
            code, text = await run_until_exit(env, tmp_path)
    assert code == 1, text
    assert "Traceback" not in text and SECRET not in text
    assert f"cannot listen on 127.0.0.1:{port} for the web dashboard (CMO_WEB_ADDR)" in text


# ------------------------------------------------------------------ the session cookie's flags


@pytest.mark.parametrize("secure", [False, True])
def test_the_cookie_storage_is_httponly_lax_and_secure_as_asked(secure: bool):
    storage = cookie_storage(bytes(32), hours=3, secure=secure)
    assert storage.cookie_name == COOKIE_NAME
    params = storage.cookie_params
    assert params["httponly"] is True and params["samesite"] == "Lax" and params["max_age"] == 3 * 3600
    assert bool(params["secure"]) is secure


async def login_cookie(fake, tmp_path: Path, **env: str) -> tuple[dict[str, str], yarl.URL]:
    """The session cookie the real dashboard sets when a visitor starts a login, and where it
    sends them (Discord's authorize page)."""
    async with (
        running_web_bot(fake, tmp_path, **env) as web,
        web.visitor() as visitor,
        visitor.get(f"{web.base_url}/login", allow_redirects=False) as start,
    ):
        cookies: SimpleCookie = SimpleCookie()
        for header in start.headers.getall("Set-Cookie"):
            cookies.load(header)
        morsel = cookies[COOKIE_NAME]
        flags = {key: str(morsel[key]) for key in ("httponly", "samesite", "secure", "path")}
        return flags, yarl.URL(start.headers["Location"])


async def test_on_http_the_session_cookie_is_httponly_and_lax_but_not_secure(fake_discord, tmp_path: Path):
    flags, _ = await login_cookie(fake_discord, tmp_path)
    assert flags == {"httponly": "True", "samesite": "Lax", "secure": "", "path": "/"}


async def test_behind_an_https_public_url_the_session_cookie_is_secure(fake_discord, tmp_path: Path):
    flags, authorize = await login_cookie(fake_discord, tmp_path, CMO_PUBLIC_URL="https://dash.example.nl")
    assert flags == {"httponly": "True", "samesite": "Lax", "secure": "True", "path": "/"}
    assert authorize.query["redirect_uri"] == "https://dash.example.nl/auth/callback"
