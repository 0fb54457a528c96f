"""The application: its info (``/applications/@me``) and its command registry, global and per guild,
with the sync routes discord.py uses and ``find_command`` for the interaction builders.

It exists so command sync, which the bot's startup depends on, is one readable piece.
"""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from .protocol import (
    HTTPError,
    RecordedRequest,
    field_error,
)
from .validation import validate_commands


class ApplicationMixin:
    """Application info and synced commands of ``FakeDiscord``."""

    def _init_application(self) -> None:
        self.app_info: dict[str, Any] = self._app_info_payload()
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.command_syncs = 0
        self._synced_global = False

    async def wait_for_commands(self, guild_id: int | None = None, timeout: float = 10.0) -> list[dict]:
        """Wait until commands were synced (globally, or for ``guild_id``); returns them."""
        if guild_id is None:
            return await self._wait(
                lambda: self.global_commands if self._synced_global else None, timeout, "global command sync"
            )
        return await self._wait(lambda: self.guild_commands.get(guild_id), timeout, f"sync for {guild_id}")

    def find_command(self, name: str, guild_id: int | None = None, cmd_type: int = 1) -> dict[str, Any] | None:
        """A synced command by (root) name: the guild's commands first, then global ones."""
        pools = []
        if guild_id is not None:
            pools.append(self.guild_commands.get(guild_id, []))
        pools.append(self.global_commands)
        for pool in pools:
            for cmd in pool:
                if cmd["name"] == name and cmd.get("type", 1) == cmd_type:
                    return cmd
        return None

    def _app_info_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.application_id),
            "name": self.bot_user["username"],
            "icon": None,
            "description": "CMO bot (fake)",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": secrets.token_hex(32),
            "owner": self.owner_user,
            "team": None,
            "flags": (1 << 19) | (1 << 23),  # GATEWAY_GUILD_MEMBERS_LIMITED | APPLICATION_COMMAND_BADGE
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
            "bot": self.bot_user,
        }

    async def _h_app_info(self, rec: RecordedRequest) -> web.Response:
        self.app_info["approximate_guild_count"] = len(self.guilds)
        return self._json(rec, self.app_info)

    # ------------------------------------------------------------------ REST: commands

    def _check_app(self, application_id: str) -> None:
        if int(application_id) != self.application_id:
            raise HTTPError(403, 50001, "Missing Access")

    def _command_pool(self, guild_id: str | None) -> list[dict[str, Any]]:
        if guild_id is None:
            return self.global_commands
        gid = int(guild_id)
        if gid not in self.guilds:
            raise HTTPError(403, 50001, "Missing Access")
        return self.guild_commands.setdefault(gid, [])

    def _store_command(self, body: dict[str, Any], existing: list[dict[str, Any]], guild_id: str | None):
        ctype = body.get("type", 1)
        prev = next((c for c in existing if c["name"] == body.get("name") and c.get("type", 1) == ctype), None)
        cmd = {
            "id": prev["id"] if prev else str(self._snow.next()),
            "application_id": str(self.application_id),
            "version": str(self._snow.next()),
            "type": ctype,
            "name": body.get("name"),
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description", "") if ctype == 1 else "",
            "description_localizations": body.get("description_localizations"),
            "options": body.get("options", []),
            "default_member_permissions": body.get("default_member_permissions"),
            "dm_permission": body.get("dm_permission", True),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types", [0]),
            "nsfw": body.get("nsfw", False),
        }
        if guild_id is not None:
            cmd["guild_id"] = str(guild_id)
        return cmd

    async def _h_get_commands(self, rec: RecordedRequest, application_id: str, guild_id: str | None = None):
        self._check_app(application_id)
        return self._json(rec, self._command_pool(guild_id))

    async def _h_put_commands(self, rec: RecordedRequest, application_id: str, guild_id: str | None = None):
        self._check_app(application_id)
        body = rec.json
        if not isinstance(body, list):
            raise HTTPError(
                400, 50035, "Invalid Form Body", {"_errors": [field_error("LIST_TYPE_CONVERT", "Not a list.")]}
            )
        if self.validate:
            errors = validate_commands(body)
            if errors:
                raise HTTPError(400, 50035, "Invalid Form Body", errors)
        pool = self._command_pool(guild_id)
        new = [self._store_command(c, pool, guild_id) for c in body]
        pool[:] = new
        self.command_syncs += 1
        if guild_id is None:
            self._synced_global = True
        return self._json(rec, new)

    async def _h_post_command(self, rec: RecordedRequest, application_id: str, guild_id: str | None = None):
        self._check_app(application_id)
        if self.validate:
            errors = validate_commands([rec.json or {}])
            if errors:
                raise HTTPError(400, 50035, "Invalid Form Body", errors.get("0", errors))
        pool = self._command_pool(guild_id)
        cmd = self._store_command(rec.json or {}, pool, guild_id)
        existed = any(c["id"] == cmd["id"] for c in pool)
        pool[:] = [c for c in pool if c["id"] != cmd["id"]] + [cmd]
        return self._json(rec, cmd, 200 if existed else 201)

    async def _h_get_command(
        self, rec: RecordedRequest, application_id: str, command_id: str, guild_id: str | None = None
    ):
        self._check_app(application_id)
        for c in self._command_pool(guild_id):
            if c["id"] == command_id:
                return self._json(rec, c)
        raise HTTPError(404, 10063, "Unknown application command")

    async def _h_delete_command(
        self, rec: RecordedRequest, application_id: str, command_id: str, guild_id: str | None = None
    ):
        self._check_app(application_id)
        pool = self._command_pool(guild_id)
        if not any(c["id"] == command_id for c in pool):
            raise HTTPError(404, 10063, "Unknown application command")
        pool[:] = [c for c in pool if c["id"] != command_id]
        return self._empty(rec)
