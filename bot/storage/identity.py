"""Keyed hashes of Discord user ids, so the question log never holds a raw id.

A plain SHA-256 of a snowflake is reversible by enumerating ids; an HMAC with a secret key is
not, without the key. The same key gives the same hash, which is what lets us count or erase a
user's rows later.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

log = logging.getLogger(__name__)


class UserHasher:
    """Turns user ids into stable, keyed, one-way identifiers."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("the user hash secret must not be empty")
        self._secret = bytes(secret)

    def hash(self, user_id: int) -> str:
        """HMAC-SHA256 of the decimal user id, as 64 hex characters."""
        return hmac.new(self._secret, str(int(user_id)).encode("ascii"), hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return "UserHasher(secret=<hidden>)"
