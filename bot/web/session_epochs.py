"""Logout that holds: a per-user counter in the database, raised by every logout.

The session lives in the encrypted cookie, so clearing the browser's copy alone would leave
a copy taken earlier (another browser, a stolen cookie) valid until it expires. Each session
carries the counter it was made under; a logout raises the counter, and every session made
before it stops counting, in every process. It also means logout ends the user's sessions
on every device, which is what a moderator expects of "log out" on a shared computer.
"""

from __future__ import annotations

from bot.storage.database import Database
from bot.storage.identity import UserHasher
from bot.storage.meta import get_meta, set_meta

KEY_PREFIX = "web_session_epoch:"


class SessionEpochs:
    def __init__(self, db: Database, hasher: UserHasher) -> None:
        self._db = db
        self._hasher = hasher

    def _key(self, user_id: int) -> str:
        return KEY_PREFIX + self._hasher.hash(user_id)[:32]

    async def current(self, user_id: int) -> int:
        value = await get_meta(self._db, self._key(user_id))
        return int(value) if value and value.isdigit() else 0

    async def end_sessions(self, user_id: int) -> None:
        async with self._db.transaction() as tx:
            value = await get_meta(tx, self._key(user_id))
            await set_meta(tx, self._key(user_id), str((int(value) if value and value.isdigit() else 0) + 1))
