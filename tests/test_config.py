"""Settings from the environment: defaults, parsing, and errors an operator can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DISCORD_API_BASE, CommandSync, ConfigError, load_settings

TOKEN = "MTIz.super-secret-token-value.XYZ"


def config_error(environ: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ)
    return str(caught.value)


def test_defaults_when_nothing_is_set():
    settings = load_settings({})
    assert settings.discord_token is None
    assert settings.hash_secret is None
    assert settings.db_path == Path("data") / "cmo-bot.sqlite3"
    assert settings.content_dir is None
    assert settings.log_level == "INFO"
    assert settings.retention_days == 180
    assert settings.default_lang == "nl"
    assert settings.sync_commands == CommandSync("global")
    assert settings.discord_api_base == DISCORD_API_BASE == "https://discord.com/api/v10"


def test_reads_os_environ_when_no_mapping_is_given(monkeypatch):
    monkeypatch.setenv("CMO_RETENTION_DAYS", "42")
    assert load_settings().retention_days == 42


def test_unrelated_variables_are_ignored():
    assert load_settings({"PATH": "/usr/bin", "CMO_UNKNOWN_THING": "x"}).retention_days == 180


def test_every_variable_is_parsed(tmp_path):
    settings = load_settings(
        {
            "DISCORD_TOKEN": TOKEN,
            "CMO_DB_PATH": str(tmp_path / "bot.sqlite3"),
            "CMO_CONTENT_DIR": str(tmp_path),
            "CMO_LOG_LEVEL": " debug ",
            "CMO_HASH_SECRET": "pepper",
            "CMO_RETENTION_DAYS": "30",
            "CMO_DEFAULT_LANG": " EN ",
            "CMO_SYNC_COMMANDS": "off",
            "CMO_DISCORD_API_BASE": "http://localhost:8080/api/v10",
        }
    )
    assert settings.discord_token is not None and settings.discord_token.get_secret_value() == TOKEN
    assert settings.db_path == tmp_path / "bot.sqlite3"
    assert settings.content_dir == tmp_path
    assert settings.resolved_content_dir() == tmp_path
    assert settings.log_level == "DEBUG"
    assert settings.hash_secret is not None and settings.hash_secret.get_secret_value() == "pepper"
    assert settings.retention_days == 30
    assert settings.default_lang == "en"
    assert settings.sync_commands == CommandSync("off")
    assert settings.discord_api_base == "http://localhost:8080/api/v10"


@pytest.mark.parametrize(
    ("name", "attribute"),
    [("DISCORD_TOKEN", "discord_token"), ("CMO_HASH_SECRET", "hash_secret"), ("CMO_CONTENT_DIR", "content_dir")],
)
def test_empty_value_counts_as_unset(name, attribute):
    assert getattr(load_settings({name: "  "}), attribute) is None


def test_unset_content_dir_falls_back_to_bundled_content():
    assert (load_settings({}).resolved_content_dir() / "tips.yaml").is_file()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("global", CommandSync("global")),
        ("off", CommandSync("off")),
        (" GLOBAL ", CommandSync("global")),
        ("guild:123456789012345678", CommandSync("guild", 123456789012345678)),
        ("Guild:42", CommandSync("guild", 42)),
    ],
)
def test_sync_commands_values(value, expected):
    assert load_settings({"CMO_SYNC_COMMANDS": value}).sync_commands == expected


@pytest.mark.parametrize("value", ["guild:", "guild:abc", "guild", "everywhere", "guild:-5", "", "on"])
def test_bad_sync_commands_is_an_error_naming_the_variable(value):
    message = config_error({"CMO_SYNC_COMMANDS": value})
    assert "CMO_SYNC_COMMANDS" in message
    assert "guild:<guild id>" in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CMO_RETENTION_DAYS", "abc"),
        ("CMO_RETENTION_DAYS", "0"),
        ("CMO_RETENTION_DAYS", "3651"),
        ("CMO_RETENTION_DAYS", "-1"),
        ("CMO_RETENTION_DAYS", "1.5"),
        ("CMO_LOG_LEVEL", "verbose"),
        ("CMO_DEFAULT_LANG", "de"),
        ("CMO_DISCORD_API_BASE", "discord.com/api/v10"),
        ("CMO_DISCORD_API_BASE", "ftp://discord.com/api/v10"),
    ],
)
def test_invalid_value_is_an_error_naming_the_variable(name, value):
    message = config_error({name: value})
    assert name in message
    # Only the broken variable is blamed.
    others = {"CMO_RETENTION_DAYS", "CMO_LOG_LEVEL", "CMO_DEFAULT_LANG", "CMO_DISCORD_API_BASE"} - {name}
    assert not any(other in message for other in others)


@pytest.mark.parametrize("value", ["1", "3650"])
def test_retention_days_bounds_are_inclusive(value):
    assert load_settings({"CMO_RETENTION_DAYS": value}).retention_days == int(value)


def test_several_problems_are_reported_together():
    message = config_error({"CMO_RETENTION_DAYS": "abc", "CMO_LOG_LEVEL": "loud", "CMO_SYNC_COMMANDS": "x"})
    assert "CMO_RETENTION_DAYS" in message
    assert "CMO_LOG_LEVEL" in message
    assert "CMO_SYNC_COMMANDS" in message


def test_token_is_not_shown_when_settings_are_printed():
    settings = load_settings({"DISCORD_TOKEN": TOKEN, "CMO_HASH_SECRET": "pepper-secret-value"})
    for shown in (repr(settings), str(settings), settings.model_dump_json(), f"{settings!r}"):
        assert TOKEN not in shown
        assert "pepper-secret-value" not in shown


def test_token_is_not_shown_in_an_error_about_another_variable():
    message = config_error({"DISCORD_TOKEN": TOKEN, "CMO_RETENTION_DAYS": "abc"})
    assert "CMO_RETENTION_DAYS" in message
    assert TOKEN not in message
    assert "super-secret" not in message


def test_missing_content_dir_is_an_error_naming_variable_and_folder(tmp_path):
    missing = tmp_path / "no-such-content"
    message = config_error({"CMO_CONTENT_DIR": str(missing)})
    assert "CMO_CONTENT_DIR" in message
    assert str(missing) in message


def test_content_dir_that_is_a_file_is_an_error(tmp_path):
    a_file = tmp_path / "content.yaml"
    a_file.write_text("tips: []\n")
    assert "CMO_CONTENT_DIR" in config_error({"CMO_CONTENT_DIR": str(a_file)})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://discord.com/api/v10/", "https://discord.com/api/v10"),
        ("http://127.0.0.1:9999/api/v10//", "http://127.0.0.1:9999/api/v10"),
        ("  https://example.test/api/v10  ", "https://example.test/api/v10"),
    ],
)
def test_api_base_loses_trailing_slash(value, expected):
    assert load_settings({"CMO_DISCORD_API_BASE": value}).discord_api_base == expected
