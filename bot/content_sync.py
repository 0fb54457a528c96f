"""Keeps this process's live content at the version the shared database holds.

Several processes (shard ranges) answer from one database. A moderator's edit, a learned
alias or a reload in one of them must be live in all of them within a second. The change
and a ``content_version`` bump commit together (bot/storage/content_version.py); this
service listens for PostgreSQL's NOTIFY and reloads what changed. Notifications can be
missed (the listening connection drops, the process was busy starting), so it also compares
the stored version with the one it loaded when it reconnects and once a minute, and then
reloads both the files and the overlay, not knowing which kind of change it missed.

On SQLite there is one process, which made every change itself: its listener hears nothing,
and the once-a-minute comparison stays as a cheap guard.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.storage.content_version import (
    CHANNEL,
    ChangeKind,
    content_version,
    parse_notification,
    record_change,
)
from bot.storage.database import Database, Listener

log = logging.getLogger(__name__)

Reload = Callable[[], Awaitable[None]]
POLL_SECONDS = 60.0
RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)


class ContentSync:
    """Reloads the overlay (or the files) when another process changed the content."""

    def __init__(
        self, db: Database, reload_overlay: Reload, reload_files: Reload, *, poll_seconds: float = POLL_SECONDS
    ) -> None:
        self._db = db
        self._reload_overlay = reload_overlay
        self._reload_files = reload_files
        self._poll_seconds = poll_seconds
        self.loaded_version = 0
        self.reloads = 0
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._listener: Listener | None = None
        self._closed = asyncio.Event()

    async def start(self) -> None:
        """Remember the version loaded at start, then listen (PostgreSQL) and poll."""
        self.loaded_version = await content_version(self._db)
        await self._listen()
        self._spawn(self._poll())

    async def catch_up(self, kind: ChangeKind = "files") -> bool:
        """Reload if the database holds a newer version than this process loaded; True if it did."""
        async with self._lock:
            stored = await content_version(self._db)
            if stored <= self.loaded_version:
                return False
            if kind == "files":
                await self._reload_files()
            await self._reload_overlay()
            log.info("content version %d -> %d: reloaded %s", self.loaded_version, stored, kind)
            self.loaded_version = stored
            self.reloads += 1
            return True

    async def announce_files_reloaded(self) -> None:
        """This process reloaded its files: have the others do the same. Its own loaded
        version moves along only when no other change came in between (that one it must
        still load, so the next check does)."""
        version = await record_change(self._db, "files")
        if version == self.loaded_version + 1:
            self.loaded_version = version

    async def close(self) -> None:
        self._closed.set()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None

    # ---------------------------------------------------------------- PostgreSQL's LISTEN

    async def _listen(self) -> None:
        self._listener = await self._db.listen(CHANNEL, self._on_notify, self._on_lost)

    def _on_notify(self, payload: str) -> None:
        parsed = parse_notification(payload)
        if parsed is None:
            log.warning("ignored a content notification with an unknown payload")
            return
        version, kind, sender = parsed
        if sender and sender == self._db.sender and version == self.loaded_version + 1:
            self.loaded_version = version  # our own change, already live here
        elif version > self.loaded_version:
            self._spawn(self._catch_up_logged(kind))

    def _on_lost(self) -> None:
        if not self._closed.is_set():
            log.warning("lost the connection that listens for content changes; reconnecting")
            self._listener = None
            self._spawn(self._reconnect())

    async def _reconnect(self) -> None:
        attempt = 0
        while not self._closed.is_set():
            try:
                await self._listen()
            except Exception as exc:  # the server may be restarting: keep trying, calmly
                delay = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                attempt += 1
                log.debug("listening again failed (%s); next try in %.1f s", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                continue
            log.info("listening for content changes again")
            await self._catch_up_logged("files")  # whatever happened while we were deaf
            return

    # ---------------------------------------------------------------- polling and tasks

    async def _poll(self) -> None:
        while not self._closed.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closed.wait(), self._poll_seconds)
                return
            await self._catch_up_logged("files")

    async def _catch_up_logged(self, kind: ChangeKind) -> None:
        try:
            await self.catch_up(kind)
        except Exception:
            log.exception("could not bring the content up to date; the next check tries again")

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
