"""Messages: the store of every message the bot (or a simulated human) posted, attachments, edits,
the channel message routes, and ``user_message`` for a human posting in a channel.

It exists so channel posts and interaction responses build, edit and store messages the same way.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .models import (
    CHANNEL_DM,
    CHANNEL_TEXT,
    P_SEND_MESSAGES,
    P_VIEW_CHANNEL,
    ChannelSpec,
    iso_now,
    member_payload,
)
from .protocol import (
    FLAG_COMPONENTS_V2,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    INTENT_MESSAGE_CONTENT,
    IT_APPLICATION_COMMAND,
    HTTPError,
    RecordedFile,
    RecordedRequest,
    field_error,
)
from .validation import validate_message

if TYPE_CHECKING:
    from .responses import Interaction


class MessagesMixin:
    """The message store of ``FakeDiscord``."""

    def _init_messages(self) -> None:
        self.messages: dict[int, dict[str, Any]] = {}
        self._message_guild: dict[int, int | None] = {}
        self.channel_messages: dict[int, list[dict[str, Any]]] = {}
        self._channel_cursor: dict[int, int] = {}
        self.attachment_data: dict[int, bytes] = {}

    async def wait_for_message(
        self,
        channel_id: int,
        timeout: float = 5.0,
        *,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        """Next message posted via ``POST /channels/{id}/messages`` in that channel not yet returned by an
        earlier call (a per-channel cursor), optionally the next one matching ``predicate``."""

        def check():
            msgs = self.channel_messages.get(channel_id, [])
            start = self._channel_cursor.get(channel_id, 0)
            for i in range(start, len(msgs)):
                if predicate is None or predicate(msgs[i]):
                    self._channel_cursor[channel_id] = i + 1
                    return copy.deepcopy(msgs[i])
            return None

        return await self._wait(check, timeout, f"message in channel {channel_id}")

    async def user_message(
        self, channel_id: int, content: str, *, user: dict[str, Any] | int | None = None
    ) -> dict[str, Any]:
        """A human posts a message: MESSAGE_CREATE is dispatched (content is included regardless of intents)."""
        u = self._resolve_user(user)
        _chan, guild = self._find_channel(channel_id)
        msg = self._new_message(channel_id, guild.id if guild else None, {"content": content}, [], author=u)
        event = dict(msg)
        sess = self._session_for_guild(guild.id if guild else None)
        mentioned = f"<@{self.bot_user_id}>" in content or f"<@!{self.bot_user_id}>" in content
        if guild is not None and not mentioned and not (sess.intents or 0) & INTENT_MESSAGE_CONTENT:
            # Discord strips these without the privileged MESSAGE_CONTENT intent
            event.update(content="", embeds=[], attachments=[], components=[])
        if mentioned:
            event["mentions"] = [self.bot_user]
        if guild is not None:
            event["guild_id"] = str(guild.id)
            member = member_payload(u)
            member.pop("user")
            event["member"] = member
        await self.dispatch("MESSAGE_CREATE", event, guild_id=guild.id if guild else None)
        return msg

    def _new_message(
        self,
        channel_id: int,
        guild_id: int | None,
        body: dict[str, Any],
        files: list[RecordedFile],
        *,
        author: dict[str, Any] | None = None,
        interaction: Interaction | None = None,
        flags: int | None = None,
        mtype: int = 0,
        store: bool = True,
    ) -> dict[str, Any]:
        mid = self._snow.next()
        msg: dict[str, Any] = {
            "id": str(mid),
            "type": mtype,
            "channel_id": str(channel_id),
            "author": author or self.bot_user,
            "content": body.get("content") or "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "mention_channels": [],
            "attachments": self._attachments(channel_id, body, files, []),
            "embeds": [normalize_embed(e) for e in body.get("embeds") or []],
            "components": number_components(body.get("components") or []),
            "reactions": [],
            "pinned": False,
            "flags": int(body.get("flags") or 0) if flags is None else flags,
            "sticker_items": [],
        }
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        ref = body.get("message_reference")
        if ref and ref.get("message_id"):
            ref_id = int(ref["message_id"])
            msg["type"] = 19 if mtype == 0 else mtype
            msg["message_reference"] = {
                "type": 0,
                "message_id": str(ref_id),
                "channel_id": str(ref.get("channel_id", channel_id)),
                **({"guild_id": str(guild_id)} if guild_id else {}),
            }
            msg["referenced_message"] = self.messages.get(ref_id)
        if interaction is not None:
            msg["webhook_id"] = str(self.application_id)
            msg["application_id"] = str(self.application_id)
            iuser = interaction.payload.get("member", {}).get("user") or interaction.payload.get("user")
            meta: dict[str, Any] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": iuser,
                "authorizing_integration_owners": interaction.payload.get("authorizing_integration_owners", {}),
            }
            if interaction.type == IT_APPLICATION_COMMAND:
                meta["name"] = interaction.data.get("name")
                meta["command_type"] = interaction.data.get("type", 1)
            if interaction.source_message_id is not None:
                meta["interacted_message_id"] = str(interaction.source_message_id)
            if interaction.original_message_id is not None:
                meta["original_response_message_id"] = str(interaction.original_message_id)
            msg["interaction_metadata"] = meta
        if store:
            self.messages[mid] = msg
            self._message_guild[mid] = guild_id
        return msg

    def _attachments(
        self, channel_id: int, body: dict[str, Any], files: list[RecordedFile], existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_index: dict[int, RecordedFile] = {}
        for i, f in enumerate(files):
            m = re.fullmatch(r"files\[(\d+)\]", f.field)
            by_index[int(m.group(1)) if m else i] = f
        declared = body.get("attachments")
        out: list[dict[str, Any]] = []
        used: set[int] = set()
        existing_by_id = {a["id"]: a for a in existing}
        if declared is None:
            out.extend(existing)
            declared = []
        for a in declared:
            aid = str(a.get("id"))
            if aid in existing_by_id and not (aid.isdigit() and int(aid) in by_index and int(aid) not in used):
                out.append(existing_by_id[aid])
                continue
            if aid.isdigit() and int(aid) in by_index:
                idx = int(aid)
                used.add(idx)
                out.append(self._attachment(channel_id, by_index[idx], a.get("filename"), a.get("description")))
        for idx, f in sorted(by_index.items()):
            if idx not in used:
                out.append(self._attachment(channel_id, f, None, None))
        return out

    def _attachment(self, channel_id: int, f: RecordedFile, filename: str | None, description: str | None):
        aid = self._snow.next()
        name = filename or f.filename or "file"
        self.attachment_data[aid] = f.data
        url = f"{self.http_base}/attachments/{channel_id}/{aid}/{name}"
        att = {
            "id": str(aid),
            "filename": name,
            "size": len(f.data),
            "url": url,
            "proxy_url": url,
            "content_type": f.content_type or "application/octet-stream",
        }
        if description:
            att["description"] = description
        return att

    def _apply_edit(self, msg: dict[str, Any], body: dict[str, Any], files: list[RecordedFile]) -> None:
        if "content" in body:
            msg["content"] = body["content"] or ""
        if "embeds" in body:
            msg["embeds"] = [normalize_embed(e) for e in body["embeds"] or []]
        if "components" in body:
            msg["components"] = number_components(body["components"] or [])
        if "attachments" in body or files:
            msg["attachments"] = self._attachments(int(msg["channel_id"]), body, files, msg["attachments"])
        if body.get("flags") is not None:
            keep = msg["flags"] & (FLAG_EPHEMERAL | FLAG_COMPONENTS_V2)
            msg["flags"] = (int(body["flags"]) & ~FLAG_EPHEMERAL) | keep
        was_loading = bool(msg["flags"] & FLAG_LOADING)
        msg["flags"] &= ~FLAG_LOADING
        if not was_loading:
            msg["edited_timestamp"] = iso_now()

    def _check_message(self, body: Any, files: list[RecordedFile], *, edit: bool, prefix: tuple[str, ...] = ()):
        if not isinstance(body, dict):
            raise HTTPError(
                400, 50035, "Invalid Form Body", {"_errors": [field_error("DICT_TYPE_CONVERT", "Not a dict")]}
            )
        if not self.validate:
            return
        errors = validate_message(body, files, edit=edit)
        if errors == "empty":
            raise HTTPError(400, 50006, "Cannot send an empty message")
        if errors:
            for key in reversed(prefix):
                errors = {key: errors}
            raise HTTPError(400, 50035, "Invalid Form Body", errors)

    async def _h_channel_post(self, rec: RecordedRequest, channel_id: str):
        chan, guild = self._channel_or_404(channel_id)
        if isinstance(chan, ChannelSpec) and guild is not None:
            allowed = guild.bot_permissions(chan, self.bot_user_id)
            if not (allowed & P_VIEW_CHANNEL and allowed & P_SEND_MESSAGES):
                raise HTTPError(403, 50013, "Missing Permissions")
        ctype = chan.type if isinstance(chan, ChannelSpec) else chan["type"]
        if ctype not in (CHANNEL_TEXT, CHANNEL_DM, 2, 5, 10, 11, 12, 13):
            raise HTTPError(400, 50008, "Cannot send messages in a non-text channel")
        self._check_message(rec.json, rec.files, edit=False)
        cid = int(channel_id)
        body = dict(rec.json)
        if body.get("flags"):
            body["flags"] = int(body["flags"]) & ~FLAG_EPHEMERAL
        msg = self._new_message(cid, guild.id if guild else None, body, rec.files)
        self.channel_messages.setdefault(cid, []).append(msg)
        return self._json(rec, msg)

    def _channel_message(self, channel_id: str, message_id: str) -> dict[str, Any]:
        self._channel_or_404(channel_id)
        msg = self.messages.get(int(message_id)) if message_id.isdigit() else None
        if msg is None or msg["channel_id"] != channel_id:
            raise HTTPError(404, 10008, "Unknown Message")
        return msg

    async def _h_channel_get_message(self, rec: RecordedRequest, channel_id: str, message_id: str):
        return self._json(rec, self._channel_message(channel_id, message_id))

    async def _h_channel_edit_message(self, rec: RecordedRequest, channel_id: str, message_id: str):
        msg = self._channel_message(channel_id, message_id)
        if msg["author"]["id"] != self.bot_user["id"]:
            raise HTTPError(403, 50005, "Cannot edit a message authored by another user")
        self._check_message(rec.json, rec.files, edit=True)
        self._apply_edit(msg, rec.json, rec.files)
        return self._json(rec, msg)

    async def _h_channel_delete_message(self, rec: RecordedRequest, channel_id: str, message_id: str):
        msg = self._channel_message(channel_id, message_id)
        self.messages.pop(int(msg["id"]), None)
        return self._empty(rec)

    async def _h_typing(self, rec: RecordedRequest, channel_id: str):
        self._channel_or_404(channel_id)
        return self._empty(rec)


def normalize_embed(embed: dict[str, Any]) -> dict[str, Any]:
    out = dict(embed)
    out.setdefault("type", "rich")
    out.setdefault("content_scan_version", 0)
    return out


def number_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy ``components`` adding the sequential ``id`` Discord assigns to every component."""
    counter = [0]
    used = set()

    def collect(comps):
        for c in comps:
            if isinstance(c.get("id"), int):
                used.add(c["id"])
            collect(c.get("components") or [])
            for key in ("accessory", "component"):
                if isinstance(c.get(key), dict):
                    collect([c[key]])

    def walk(comps):
        out = []
        for c in comps:
            c = dict(c)
            if not isinstance(c.get("id"), int):
                counter[0] += 1
                while counter[0] in used:
                    counter[0] += 1
                c["id"] = counter[0]
            if c.get("components"):
                c["components"] = walk(c["components"])
            for key in ("accessory", "component"):
                if isinstance(c.get(key), dict):
                    c[key] = walk([c[key]])[0]
            out.append(c)
        return out

    collect(components)
    return walk(components)
