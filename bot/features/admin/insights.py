"""Placeholder: the insights panel (issue 4) is being written; see the issue."""

from __future__ import annotations

DYNAMIC_ITEMS: tuple = ()


class InsightsPanel:
    def __init__(self, services):
        self._services = services
