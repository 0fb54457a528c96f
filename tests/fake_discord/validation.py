"""What Discord refuses: message, component, autocomplete-choice, modal and command bodies are checked
against Discord's limits, and the errors come back in Discord's nested ``{"_errors": [...]}`` shape.

It exists so a bot that would be refused by the real Discord is refused by the fake too (unless the
fake was built with ``validate=False``), and so those rules live apart from the routes that apply them.
"""

from __future__ import annotations

import re
from typing import Any

from .protocol import (
    FLAG_COMPONENTS_V2,
    RecordedFile,
    field_error,
)


def validate_message(body: dict[str, Any], files: list[RecordedFile], *, edit: bool) -> Any:
    errors: dict[str, Any] = {}
    content = body.get("content")
    embeds = body.get("embeds") or []
    components = body.get("components") or []
    flags = int(body.get("flags") or 0)
    v2 = bool(flags & FLAG_COMPONENTS_V2)
    if content is not None and len(content) > 2000:
        errors["content"] = {"_errors": [field_error("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")]}
    if v2 and (content or embeds):
        errors["content"] = {
            "_errors": [
                field_error(
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                    "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
                )
            ]
        }
    if len(embeds) > 10:
        errors["embeds"] = {"_errors": [field_error("BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")]}
    total = 0
    for i, e in enumerate(embeds):
        e_err: dict[str, Any] = {}
        limits = {"title": 256, "description": 4096}
        for key, limit in limits.items():
            val = e.get(key) or ""
            total += len(val)
            if len(val) > limit:
                e_err[key] = {"_errors": [field_error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]}
        fields = e.get("fields") or []
        if len(fields) > 25:
            e_err["fields"] = {"_errors": [field_error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]}
        for j, f in enumerate(fields):
            name, value = str(f.get("name", "")), str(f.get("value", ""))
            total += len(name) + len(value)
            if not name or len(name) > 256 or not value or len(value) > 1024:
                e_err.setdefault("fields", {})[str(j)] = {
                    "_errors": [field_error("BASE_TYPE_BAD_LENGTH", "name must be 1-256 and value 1-1024 in length.")]
                }
        footer = (e.get("footer") or {}).get("text") or ""
        author = (e.get("author") or {}).get("name") or ""
        total += len(footer) + len(author)
        if len(footer) > 2048 or len(author) > 256:
            e_err["footer"] = {"_errors": [field_error("BASE_TYPE_MAX_LENGTH", "footer/author too long.")]}
        if e_err:
            errors.setdefault("embeds", {})[str(i)] = e_err
    if total > 6000:
        errors.setdefault("embeds", {})["_errors"] = [
            field_error("MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        ]
    comp_errors = _validate_components(components, v2)
    if comp_errors:
        errors["components"] = comp_errors
    if errors:
        return errors
    if not edit and not (content or embeds or components or files or body.get("sticker_ids") or body.get("poll")):
        return "empty"
    return None


def _validate_components(components: list[dict[str, Any]], v2: bool) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if not v2 and len(components) > 5:
        errors["_errors"] = [field_error("BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")]
    seen: set[str] = set()

    def walk(comps, path):
        for i, c in enumerate(comps):
            cid = c.get("custom_id")
            if cid is not None:
                if len(cid) > 100:
                    errors[f"{path}{i}.custom_id"] = {
                        "_errors": [field_error("BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")]
                    }
                if cid in seen:
                    errors[f"{path}{i}.custom_id"] = {
                        "_errors": [
                            field_error("COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
                        ]
                    }
                seen.add(cid)
            if c.get("type") == 2 and len(c.get("label") or "") > 80:
                errors[f"{path}{i}.label"] = {
                    "_errors": [field_error("BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.")]
                }
            if c.get("type") == 1:
                kids = c.get("components") or []
                if not kids or len(kids) > 5:
                    errors[f"{path}{i}.components"] = {
                        "_errors": [field_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")]
                    }
            if c.get("type") in (3, 5, 6, 7, 8):
                opts = c.get("options") or []
                if len(opts) > 25:
                    errors[f"{path}{i}.options"] = {
                        "_errors": [field_error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]
                    }
            walk(c.get("components") or [], f"{path}{i}.components.")

    walk(components, "")
    return errors


def validate_choices(choices: Any) -> dict[str, Any]:
    if choices is None:
        return {}
    if len(choices) > 25:
        return {"choices": {"_errors": [field_error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]}}
    errs = {}
    for i, ch in enumerate(choices):
        name = str(ch.get("name", ""))
        value = ch.get("value")
        if not 1 <= len(name) <= 100 or (isinstance(value, str) and len(value) > 100):
            errs[str(i)] = {
                "_errors": [field_error("BASE_TYPE_BAD_LENGTH", "name must be 1-100, value <= 100 in length.")]
            }
    return {"choices": errs} if errs else {}


def validate_modal(data: dict[str, Any]) -> dict[str, Any]:
    errs: dict[str, Any] = {}
    if not 1 <= len(data.get("title") or "") <= 45:
        errs["title"] = {"_errors": [field_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")]}
    if not 1 <= len(data.get("custom_id") or "") <= 100:
        errs["custom_id"] = {"_errors": [field_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")]}
    if not 1 <= len(data.get("components") or []) <= 5:
        errs["components"] = {"_errors": [field_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")]}
    return errs


_NAME_RX = re.compile(r"^[-_'\w]{1,32}$")


def validate_commands(commands: list[dict[str, Any]]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        e: dict[str, Any] = {}
        ctype = cmd.get("type", 1)
        name = cmd.get("name") or ""
        if ctype == 1 and (not _NAME_RX.match(name) or name != name.lower()):
            e["name"] = {"_errors": [field_error("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")]}
        if ctype != 1 and not 1 <= len(name) <= 32:
            e["name"] = {"_errors": [field_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")]}
        if (name, ctype) in seen:
            e["name"] = {
                "_errors": [
                    field_error("APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
                ]
            }
        seen.add((name, ctype))
        if ctype == 1 and not 1 <= len(cmd.get("description") or "") <= 100:
            e["description"] = {
                "_errors": [field_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")]
            }
        opt_errors = _validate_options(cmd.get("options") or [])
        if opt_errors:
            e["options"] = opt_errors
        if e:
            errors[str(i)] = e
    return errors


def _validate_options(options: list[dict[str, Any]]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if len(options) > 25:
        errors["_errors"] = [field_error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]
    required_seen_optional = False
    for i, opt in enumerate(options):
        e: dict[str, Any] = {}
        name = opt.get("name") or ""
        if not _NAME_RX.match(name) or name != name.lower():
            e["name"] = {"_errors": [field_error("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")]}
        if not 1 <= len(opt.get("description") or "") <= 100:
            e["description"] = {
                "_errors": [field_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")]
            }
        if opt.get("type") in (1, 2):
            sub = _validate_options(opt.get("options") or [])
            if sub:
                e["options"] = sub
        else:
            if opt.get("required") and required_seen_optional:
                e["required"] = {
                    "_errors": [
                        field_error(
                            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                            "Required options must be placed before non-required options",
                        )
                    ]
                }
            if not opt.get("required"):
                required_seen_optional = True
            if len(opt.get("choices") or []) > 25:
                e["choices"] = {"_errors": [field_error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")]}
        if e:
            errors[str(i)] = e
    return errors
