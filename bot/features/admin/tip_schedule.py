"""Placeholder: the tip schedule panel (issue 5) is being written; see the issue."""

from __future__ import annotations

DYNAMIC_ITEMS: tuple = ()


class TipSchedulePanel:
    def __init__(self, services, bot):
        self._services = services
