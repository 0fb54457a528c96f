"""Placeholder: the content editing panel (issue 6) is being written; see the issue."""

from __future__ import annotations

DYNAMIC_ITEMS: tuple = ()


class EditingPanel:
    def __init__(self, services):
        self._services = services
