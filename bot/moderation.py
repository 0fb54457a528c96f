"""Who counts as a server's moderator: Manage Server (which Administrator and ownership
include), or one of the roles in CMO_EDITOR_ROLE_IDS. One rule for the moderator commands in
Discord (bot/features/admin/permissions.py) and the dashboard (bot/web/access.py); each only
finds out, in its own way, whether the member has Manage Server and which roles they hold."""

from __future__ import annotations

from collections.abc import Set


def is_moderator(manages_server: bool, member_roles: Set[int], editor_role_ids: Set[int]) -> bool:
    return manages_server or not editor_role_ids.isdisjoint(member_roles)
