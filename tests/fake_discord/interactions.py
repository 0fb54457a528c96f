"""What a user does through Discord's UI, as INTERACTION_CREATE events: slash commands (with
subcommands and typed options), autocomplete, context menus, button clicks, selects and modal submits.

It exists so tests can drive the bot like a user would; how the bot answers is ``responses.py``.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterable
from typing import Any

from .messages import number_components
from .models import (
    ALL_PERMISSIONS,
    DEFAULT_MEMBER_PERMISSIONS,
    member_payload,
)
from .protocol import (
    FIRST_GUILD,
    IT_APPLICATION_COMMAND,
    IT_AUTOCOMPLETE,
    IT_COMPONENT,
    IT_MODAL_SUBMIT,
)
from .responses import Interaction


class InteractionsMixin:
    """User actions of ``FakeDiscord``."""

    def _base_interaction(
        self,
        itype: int,
        data: dict[str, Any] | None,
        *,
        user: dict[str, Any] | int | None,
        guild_id: Any,
        channel_id: int | None,
        locale: str,
        guild_locale: str | None = None,
        member_permissions: int | str | None = None,
        member_roles: Iterable[int] | None = None,
        app_permissions: int | str | None = None,
        context: int | None = None,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        u = self._resolve_user(user)
        gid: int | None = self.guild().id if guild_id is FIRST_GUILD else guild_id
        iid = self._snow.next()
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "token": "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48),
            "version": 1,
            "locale": locale,
            "app_permissions": str(ALL_PERMISSIONS if app_permissions is None else app_permissions),
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if data is not None:
            payload["data"] = data
        if gid is not None:
            guild = self.guilds.get(gid)
            cid = channel_id or (guild.first_text_channel_id if guild else self._snow.next())
            perms = DEFAULT_MEMBER_PERMISSIONS if member_permissions is None else member_permissions
            payload.update(
                guild_id=str(gid),
                guild={"id": str(gid), "locale": guild.preferred_locale if guild else "en-US", "features": []},
                guild_locale=guild_locale or (guild.preferred_locale if guild else "en-US"),
                member=member_payload(u, roles=list(member_roles or []), permissions=perms),
                authorizing_integration_owners={"0": str(gid)},
                context=0 if context is None else context,
            )
        else:
            cid = channel_id or int(self._dm_channel(u)["id"])
            payload.update(
                user=u,
                authorizing_integration_owners={"0": "0"},
                context=1 if context is None else context,
            )
        payload["channel_id"] = str(cid)
        payload["channel"] = self._channel_payload(cid, gid, u)
        if message is not None:
            payload["message"] = message
        return payload

    def _build_options(
        self,
        defs: list[dict[str, Any]],
        values: dict[str, Any] | list[dict[str, Any]] | None,
        focused: str | None,
        resolved: dict[str, dict[str, Any]],
        guild_id: int | None,
    ) -> list[dict[str, Any]]:
        if values is None:
            return []
        if isinstance(values, list):
            return values
        by_name = {d["name"]: d for d in defs}
        out = []
        for name, value in values.items():
            d = by_name.get(name)
            typ = d["type"] if d else _infer_option_type(value)
            opt: dict[str, Any] = {"name": name, "type": typ}
            if name == focused:
                opt["value"] = str(value)
                opt["focused"] = True
            else:
                opt["value"] = self._option_value(typ, value, resolved, guild_id)
            out.append(opt)
        return out

    def _option_value(self, typ: int, value: Any, resolved: dict[str, dict[str, Any]], guild_id: int | None):
        if typ in (6, 9) and (isinstance(value, dict) or typ == 6):
            u = self._resolve_user(value)
            resolved.setdefault("users", {})[u["id"]] = u
            if guild_id is not None:
                m = member_payload(u, permissions=DEFAULT_MEMBER_PERMISSIONS)
                m.pop("user")
                resolved.setdefault("members", {})[u["id"]] = m
            return u["id"]
        if typ == 7:
            cid = int(value)
            chan = self._channel_payload(cid, guild_id, self.default_user)
            resolved.setdefault("channels", {})[str(cid)] = chan
            return str(cid)
        if typ in (8, 9):
            rid = int(value)
            guild = self.guilds.get(guild_id) if guild_id else None
            role = guild.role(rid) if guild else None
            if role is not None:
                resolved.setdefault("roles", {})[str(rid)] = role.payload()
            return str(rid)
        if typ == 4:
            return int(value)
        if typ == 10:
            return float(value)
        return value

    def _command_data(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None,
        guild_id: int | None,
        focused: str | None = None,
    ) -> dict[str, Any]:
        parts = name.split()
        cmd = self.find_command(parts[0], guild_id)
        resolved: dict[str, dict[str, Any]] = {}
        defs: list[dict[str, Any]] = (cmd or {}).get("options", [])
        chain: list[dict[str, Any]] = []
        for i, part in enumerate(parts[1:]):
            d = next((o for o in defs if o["name"] == part), None)
            if d is None:
                # unknown structure: a 3-part path is group + subcommand, a 2-part path a subcommand
                d = {"name": part, "type": 2 if (len(parts) == 3 and i == 0) else 1, "options": []}
            chain.append({"name": part, "type": d["type"], "options": []})
            defs = d.get("options", [])
        leaf_opts = self._build_options(defs, options, focused, resolved, guild_id)
        top = leaf_opts
        if chain:
            chain[-1]["options"] = leaf_opts
            for outer, inner in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
                outer["options"] = [inner]
            top = [chain[0]]
        data: dict[str, Any] = {
            "id": cmd["id"] if cmd else str(self._snow.next()),
            "name": parts[0],
            "type": 1,
        }
        if top:
            data["options"] = top
        if resolved:
            data["resolved"] = resolved
        if cmd is not None and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        return data

    async def _send_interaction(self, payload: dict[str, Any], *, source_message_id: int | None = None) -> Interaction:
        handle = Interaction(self, payload, source_message_id=source_message_id)
        self.interactions[handle.id] = handle
        self._interactions_by_token[handle.token] = handle
        handle.seq = await self.dispatch("INTERACTION_CREATE", payload, guild_id=handle.guild_id)
        return handle

    async def _command_interaction(
        self,
        itype: int,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None,
        guild_id: Any,
        *,
        focused: str | None = None,
        **context: Any,
    ) -> Interaction:
        """A command (or its autocomplete) typed via the synced command, sent as `itype`;
        `context` is who sends it, where, and with which permissions."""
        gid = self.guild().id if guild_id is FIRST_GUILD else guild_id
        data = self._command_data(name, options, gid, focused=focused)
        return await self._send_interaction(self._base_interaction(itype, data, guild_id=gid, **context))

    async def slash_command(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None = None,
        *,
        locale: str = "nl",
        guild_locale: str | None = None,
        user: dict[str, Any] | int | None = None,
        guild_id: Any = FIRST_GUILD,
        channel_id: int | None = None,
        member_permissions: int | str | None = None,
        member_roles: Iterable[int] | None = None,
        app_permissions: int | str | None = None,
        context: int | None = None,
    ) -> Interaction:
        """Dispatch a chat-input command. ``name`` may be ``"group sub"`` or ``"group subgroup sub"``;
        ``options`` is ``{name: value}`` (typed via the synced command) or a raw option list.
        ``guild_id=None`` means a DM."""
        return await self._command_interaction(
            IT_APPLICATION_COMMAND, name, options, guild_id,
            user=user, channel_id=channel_id, locale=locale, guild_locale=guild_locale,
            member_permissions=member_permissions, member_roles=member_roles,
            app_permissions=app_permissions, context=context,
        )  # fmt: skip

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]],
        focused: str | None = None,
        *,
        locale: str = "nl",
        user: dict[str, Any] | int | None = None,
        guild_id: Any = FIRST_GUILD,
        channel_id: int | None = None,
        member_permissions: int | str | None = None,
    ) -> Interaction:
        """Dispatch an autocomplete interaction; ``focused`` names the option being typed (its value is
        sent as the partial string). With a raw option list, mark one ``"focused": True`` yourself."""
        if focused is None and isinstance(options, dict):
            focused = next(iter(options))
        return await self._command_interaction(
            IT_AUTOCOMPLETE, name, options, guild_id, focused=focused,
            user=user, channel_id=channel_id, locale=locale, member_permissions=member_permissions,
        )  # fmt: skip

    async def context_menu(
        self,
        name: str,
        target: dict[str, Any] | int,
        *,
        kind: str = "user",
        locale: str = "nl",
        user: dict[str, Any] | int | None = None,
        guild_id: Any = FIRST_GUILD,
        channel_id: int | None = None,
    ) -> Interaction:
        """Dispatch a user (``kind="user"``) or message (``kind="message"``) context-menu command."""
        gid = self.guild().id if guild_id is FIRST_GUILD else guild_id
        ctype = 2 if kind == "user" else 3
        cmd = self.find_command(name, gid, ctype)
        resolved: dict[str, Any] = {}
        if kind == "user":
            tid = self._option_value(6, target, resolved, gid)
        else:
            msg = self._lookup_message(target)
            tid = msg["id"]
            resolved["messages"] = {tid: msg}
        data = {
            "id": cmd["id"] if cmd else str(self._snow.next()),
            "name": name,
            "type": ctype,
            "target_id": tid,
            "resolved": resolved,
        }
        if cmd is not None and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        payload = self._base_interaction(
            IT_APPLICATION_COMMAND,
            data,
            user=user,
            guild_id=gid,
            channel_id=channel_id,
            locale=locale,
        )
        return await self._send_interaction(payload)

    def _lookup_message(self, message: dict[str, Any] | int | str) -> dict[str, Any]:
        """A message dict is used as given (tests may pass a modified snapshot); an id is looked up in the
        fake's store (its current state)."""
        if isinstance(message, dict):
            return copy.deepcopy(message)
        mid = int(message)
        if mid not in self.messages:
            raise KeyError(f"unknown message {mid}")
        return copy.deepcopy(self.messages[mid])

    async def _component_interaction(
        self,
        message: dict[str, Any] | int | str,
        custom_id: str,
        values: list[str] | None,
        default_type: int,
        kw: dict[str, Any],
    ) -> Interaction:
        msg = self._lookup_message(message)
        comp = _find_component(msg.get("components", []), custom_id)
        ctype = comp["type"] if comp else default_type
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": ctype}
        if values is not None:
            data["values"] = [str(v) for v in values]
            if ctype in (5, 6, 7, 8):
                resolved: dict[str, Any] = {}
                gid = int(msg["guild_id"]) if msg.get("guild_id") else self._message_guild.get(int(msg["id"]))
                typ = {5: 6, 6: 8, 7: 9, 8: 7}[ctype]
                for v in values:
                    self._option_value(typ, v, resolved, gid)
                data["resolved"] = resolved
        mid = int(msg["id"])
        gid = kw.pop("guild_id", FIRST_GUILD)
        if gid is FIRST_GUILD:
            gid = self._message_guild.get(mid, self.guild().id)
        channel_id = kw.pop("channel_id", None) or int(msg["channel_id"])
        payload = self._base_interaction(
            IT_COMPONENT,
            data,
            guild_id=gid,
            channel_id=channel_id,
            message=msg,
            user=kw.pop("user", None),
            locale=kw.pop("locale", "nl"),
            member_permissions=kw.pop("member_permissions", None),
        )
        if kw:
            raise TypeError(f"unexpected keyword arguments: {sorted(kw)}")
        return await self._send_interaction(payload, source_message_id=mid)

    async def button_click(self, message: dict[str, Any] | int, custom_id: str, **kw: Any) -> Interaction:
        """Click the button ``custom_id`` on ``message`` (a message dict from the fake, or its id).
        Keyword args: user, locale, member_permissions, guild_id, channel_id."""
        return await self._component_interaction(message, custom_id, None, 2, kw)

    async def select(self, message: dict[str, Any] | int, custom_id: str, values: list[str], **kw: Any) -> Interaction:
        """Choose ``values`` in the select menu ``custom_id`` on ``message``."""
        return await self._component_interaction(message, custom_id, values, 3, kw)

    async def modal_submit(
        self,
        custom_id: str,
        components: dict[str, str | list[str]] | list[dict[str, Any]],
        *,
        message: dict[str, Any] | int | None = None,
        user: dict[str, Any] | int | None = None,
        locale: str = "nl",
        guild_id: Any = FIRST_GUILD,
        channel_id: int | None = None,
        member_permissions: int | str | None = None,
    ) -> Interaction:
        """Submit modal ``custom_id``. ``components`` is either the raw submitted component list or
        ``{custom_id: value}`` (str for text inputs, list for selects), laid out like the modal the bot sent
        (if one with that custom_id was seen), else as action rows of text inputs."""
        if isinstance(components, dict):
            modal = self.modals.get(custom_id)
            if modal is not None:
                comps = _submitted_components(modal.get("components", []), components)
            else:
                comps = [
                    {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in components.items()
                ]
        else:
            comps = components
        msg = self._lookup_message(message) if message is not None else None
        payload = self._base_interaction(
            IT_MODAL_SUBMIT,
            {"custom_id": custom_id, "components": comps},
            user=user,
            guild_id=guild_id,
            channel_id=channel_id,
            locale=locale,
            member_permissions=member_permissions,
            message=msg,
        )
        return await self._send_interaction(payload, source_message_id=int(msg["id"]) if msg else None)


def _infer_option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def _find_component(components: list[dict[str, Any]], custom_id: str) -> dict[str, Any] | None:
    for comp in components:
        if comp.get("custom_id") == custom_id:
            return comp
        for key in ("components",):
            found = _find_component(comp.get(key, []) or [], custom_id)
            if found is not None:
                return found
        for key in ("accessory", "component"):
            sub = comp.get(key)
            if isinstance(sub, dict):
                found = _find_component([sub], custom_id)
                if found is not None:
                    return found
    return None


def _submitted_components(layout: list[dict[str, Any]], values: dict[str, Any]) -> list[dict[str, Any]]:
    """Mirror a modal's layout as the MODAL_SUBMIT ``components`` Discord sends back."""

    def leaf(c: dict[str, Any]) -> dict[str, Any] | None:
        t = c.get("type")
        cid = c.get("custom_id")
        base = {"type": t, "id": c.get("id", 0)}
        if t == 4:
            return {**base, "custom_id": cid, "value": str(values.get(cid, c.get("value") or ""))}
        if t in (3, 5, 6, 7, 8):
            v = values.get(cid, [])
            return {**base, "custom_id": cid, "values": [str(x) for x in (v if isinstance(v, list) else [v])]}
        if t == 19:
            v = values.get(cid, [])
            return {**base, "custom_id": cid, "values": [str(x) for x in (v if isinstance(v, list) else [v])]}
        if t == 10:
            return base
        return None

    out = []
    for comp in number_components(layout):
        if comp.get("type") == 1:
            kids = [k for k in (leaf(c) for c in comp.get("components", [])) if k is not None]
            out.append({"type": 1, "id": comp["id"], "components": kids})
        elif comp.get("type") == 18:
            inner = leaf(comp.get("component") or {})
            if inner is not None:
                out.append({"type": 18, "id": comp["id"], "component": inner})
        else:
            lf = leaf(comp)
            if lf is not None:
                out.append(lf)
    return out
