"""How the bot answers an interaction: the ``Interaction`` handle a test holds, the callback route (reply,
defer, update, autocomplete choices, modal), and the webhook routes for @original and followups.

It exists so the rules Discord applies to answers (one callback, which callback types fit which
interaction, a deferred reply replaced by the first followup) are in one place.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .protocol import (
    ALLOWED_CALLBACKS,
    CB_AUTOCOMPLETE,
    CB_DEFERRED_MESSAGE,
    CB_DEFERRED_UPDATE,
    CB_MESSAGE,
    CB_MODAL,
    CB_UPDATE_MESSAGE,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    IT_APPLICATION_COMMAND,
    HTTPError,
    RecordedFile,
    RecordedRequest,
    field_error,
)
from .validation import validate_choices, validate_modal

if TYPE_CHECKING:
    from .server import FakeDiscord


class Interaction:
    """Handle for one INTERACTION_CREATE the fake dispatched. Tracks what the bot did with it."""

    def __init__(self, fake: FakeDiscord, payload: dict[str, Any], *, source_message_id: int | None = None):
        self.fake = fake
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.guild_id: int | None = int(payload["guild_id"]) if payload.get("guild_id") else None
        self.channel_id: int = int(payload["channel_id"])
        self.source_message_id = source_message_id
        self.seq: int | None = None
        #: The callback JSON body (``{"type": ..., "data": {...}}``) once the bot acknowledged.
        self.callback: dict[str, Any] | None = None
        self.callback_request: RecordedRequest | None = None
        #: Every POST to the callback route, including 429'd and rejected ones.
        self.callback_attempts: list[RecordedRequest] = []
        self.original_message_id: int | None = None
        self.loading = False
        self.original_edits = 0
        self.original_deleted = False
        self.followup_ids: list[int] = []

    def __repr__(self) -> str:
        return f"<Interaction id={self.id} type={self.type} acknowledged={self.acknowledged}>"

    @property
    def acknowledged(self) -> bool:
        return self.callback is not None

    @property
    def data(self) -> dict[str, Any]:
        return self.payload.get("data", {})

    @property
    def response_type(self) -> int | None:
        return None if self.callback is None else self.callback.get("type")

    @property
    def response_data(self) -> dict[str, Any]:
        return {} if self.callback is None else (self.callback.get("data") or {})

    @property
    def response_files(self) -> list[RecordedFile]:
        return [] if self.callback_request is None else self.callback_request.files

    async def response(self, timeout: float = 5.0) -> dict[str, Any]:
        """The callback body the bot POSTed (``type`` + ``data``), once it arrives."""
        return await self.fake._wait(lambda: self.callback, timeout, f"callback for interaction {self.id}")

    async def followups(self, n: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The first ``n`` followup messages (current state), once at least ``n`` exist."""

        def check():
            if len(self.followup_ids) >= n:
                return [copy.deepcopy(self.fake.messages[i]) for i in self.followup_ids[:n] if i in self.fake.messages]
            return None

        return await self.fake._wait(check, timeout, f"{n} followup(s) for interaction {self.id}")

    async def original(self, timeout: float = 5.0, *, edits: int = 0) -> dict[str, Any]:
        """The @original message once it exists and is no longer a "thinking" placeholder.

        ``edits`` additionally waits until @original was PATCHed at least that many times.
        """

        def check():
            if self.original_message_id is None or self.loading or self.original_edits < edits:
                return None
            msg = self.fake.messages.get(self.original_message_id)
            return None if msg is None else copy.deepcopy(msg)

        return await self.fake._wait(check, timeout, f"@original of interaction {self.id}")

    async def wait_deleted(self, timeout: float = 5.0) -> None:
        await self.fake._wait(lambda: self.original_deleted or None, timeout, f"deletion of {self.id} @original")


class ResponsesMixin:
    """Interaction answers of ``FakeDiscord``."""

    def _init_responses(self) -> None:
        self.interactions: dict[int, Interaction] = {}
        self._interactions_by_token: dict[str, Interaction] = {}
        self.modals: dict[str, dict[str, Any]] = {}

    async def _h_callback(self, rec: RecordedRequest, interaction_id: str, token: str) -> web.Response:
        it = self.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if it is not None:
            it.callback_attempts.append(rec)
        if it is None or it.token != token:
            raise HTTPError(404, 10062, "Unknown interaction")
        if it.callback is not None:
            raise HTTPError(400, 40060, "Interaction has already been acknowledged.")
        body = rec.json if isinstance(rec.json, dict) else {}
        ctype = body.get("type")
        data = body.get("data") or {}
        if ctype not in ALLOWED_CALLBACKS.get(it.type, set()) or (
            ctype in (CB_DEFERRED_UPDATE, CB_UPDATE_MESSAGE) and it.source_message_id is None
        ):
            allowed = sorted(ALLOWED_CALLBACKS.get(it.type, set()))
            raise HTTPError(
                400,
                50035,
                "Invalid Form Body",
                {"type": {"_errors": [field_error("BASE_TYPE_CHOICES", f"Value must be one of {allowed}.")]}},
            )
        resource: dict[str, Any] = {"type": ctype}
        info: dict[str, Any] = {"id": str(it.id), "type": it.type}
        if ctype == CB_MESSAGE:
            self._check_message(data, rec.files, edit=False, prefix=("data",))
            mtype = 20 if it.type == IT_APPLICATION_COMMAND else 0
            msg = self._new_message(it.channel_id, it.guild_id, data, rec.files, interaction=it, mtype=mtype)
            it.original_message_id = int(msg["id"])
            resource["message"] = msg
            info.update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(msg["flags"] & FLAG_EPHEMERAL),
            )
        elif ctype == CB_DEFERRED_MESSAGE:
            flags = FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)
            mtype = 20 if it.type == IT_APPLICATION_COMMAND else 0
            msg = self._new_message(it.channel_id, it.guild_id, {}, [], interaction=it, flags=flags, mtype=mtype)
            it.original_message_id = int(msg["id"])
            it.loading = True
            resource["message"] = msg
            info.update(
                response_message_id=msg["id"],
                response_message_loading=True,
                response_message_ephemeral=bool(flags & FLAG_EPHEMERAL),
            )
        elif ctype in (CB_DEFERRED_UPDATE, CB_UPDATE_MESSAGE):
            src = self.messages.get(it.source_message_id or 0)
            if src is None:
                raise HTTPError(404, 10008, "Unknown Message")
            if ctype == CB_UPDATE_MESSAGE:
                self._check_message(data, rec.files, edit=True, prefix=("data",))
                self._apply_edit(src, data, rec.files)
                resource["message"] = src
            it.original_message_id = int(src["id"])
            info.update(
                response_message_id=src["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(src["flags"] & FLAG_EPHEMERAL),
            )
        elif ctype == CB_AUTOCOMPLETE:
            if self.validate:
                errors = validate_choices(data.get("choices"))
                if errors:
                    raise HTTPError(400, 50035, "Invalid Form Body", {"data": errors})
        elif ctype == CB_MODAL:
            if self.validate:
                errors = validate_modal(data)
                if errors:
                    raise HTTPError(400, 50035, "Invalid Form Body", {"data": errors})
            self.modals[data.get("custom_id", "")] = data
        it.callback = body
        it.callback_request = rec
        if rec.query.get("with_response", "").lower() in ("1", "true"):
            return self._json(rec, {"interaction": info, "resource": resource})
        return self._empty(rec)

    def _interaction_for_webhook(self, webhook_id: str, token: str) -> Interaction:
        it = self._interactions_by_token.get(token)
        if it is None or webhook_id != str(self.application_id):
            raise HTTPError(404, 10015, "Unknown Webhook")
        return it

    def _webhook_message(self, it: Interaction, message_id: str) -> dict[str, Any]:
        if message_id == "@original":
            if it.original_message_id is None or it.original_deleted:
                raise HTTPError(404, 10008, "Unknown Message")
            return self.messages[it.original_message_id]
        mid = int(message_id) if message_id.isdigit() else -1
        if (mid not in it.followup_ids and mid != it.original_message_id) or mid not in self.messages:
            raise HTTPError(404, 10008, "Unknown Message")
        return self.messages[mid]

    async def _h_webhook_get(self, rec: RecordedRequest, webhook_id: str, token: str, message_id: str):
        it = self._interaction_for_webhook(webhook_id, token)
        return self._json(rec, self._webhook_message(it, message_id))

    async def _h_webhook_edit(self, rec: RecordedRequest, webhook_id: str, token: str, message_id: str):
        it = self._interaction_for_webhook(webhook_id, token)
        msg = self._webhook_message(it, message_id)
        self._check_message(rec.json, rec.files, edit=True)
        self._apply_edit(msg, rec.json, rec.files)
        if int(msg["id"]) == it.original_message_id:
            it.loading = False
            it.original_edits += 1
        return self._json(rec, msg)

    async def _h_webhook_delete(self, rec: RecordedRequest, webhook_id: str, token: str, message_id: str):
        it = self._interaction_for_webhook(webhook_id, token)
        msg = self._webhook_message(it, message_id)
        mid = int(msg["id"])
        self.messages.pop(mid, None)
        if mid == it.original_message_id:
            it.original_deleted = True
            it.loading = False
        return self._empty(rec)

    async def _h_followup(self, rec: RecordedRequest, webhook_id: str, token: str):
        it = self._interaction_for_webhook(webhook_id, token)
        if not it.acknowledged:
            raise HTTPError(404, 10015, "Unknown Webhook")
        self._check_message(rec.json, rec.files, edit=False)
        body = rec.json
        if it.loading and it.original_message_id in self.messages:
            # Discord: the first followup after a deferred ("thinking") response replaces the placeholder.
            msg = self.messages[it.original_message_id]
            self._apply_edit(msg, body, rec.files)
            it.loading = False
        else:
            flags = int(body.get("flags") or 0)
            mtype = 20 if it.type == IT_APPLICATION_COMMAND else 0
            msg = self._new_message(
                it.channel_id, it.guild_id, body, rec.files, interaction=it, flags=flags, mtype=mtype
            )
        it.followup_ids.append(int(msg["id"]))
        if rec.query.get("wait", "").lower() in ("1", "true"):
            return self._json(rec, msg)
        return self._empty(rec)
