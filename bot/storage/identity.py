"""Keyed hashes of Discord user ids, so the question log never holds a raw id.

A plain SHA-256 of a snowflake is reversible by enumerating ids; an HMAC with a secret key is
not, without the key. The same key gives the same hash, which is what lets us count or erase a
user's rows later.

Rotating the key cannot recompute hashes from ids (the ids are never stored), so a rotation
wraps each stored hash in an HMAC with the new key: ``HMAC(new, HMAC(old, id))``. The retired
keys are kept as ``inner`` keys, applied first. Their secrecy no longer matters: without the
outer, current key, knowing them does not link a stored hash to an id.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Sequence

log = logging.getLogger(__name__)


def hmac_hex(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class UserHasher:
    """Turns user ids into stable, keyed, one-way identifiers."""

    __slots__ = ("_inner", "_secret")

    def __init__(self, secret: bytes, inner: Sequence[bytes] = ()) -> None:
        if not secret or not all(inner):
            raise ValueError("the user hash secret must not be empty")
        self._secret = bytes(secret)
        self._inner = tuple(bytes(key) for key in inner)

    def hash(self, user_id: int) -> str:
        """HMAC-SHA256 of the decimal user id (through any retired keys first), as 64 hex characters."""
        message = str(int(user_id)).encode("ascii")
        for key in self._inner:
            message = hmac_hex(key, message).encode("ascii")
        return hmac_hex(self._secret, message)

    def derive(self, purpose: str) -> bytes:
        """A 32-byte key for another purpose (the dashboard's session cookies), derived from
        the same secret: every process of one bot already shares it, and a user hash never
        equals a derived key."""
        return hmac.new(self._secret, f"cmo-bot derived key: {purpose}".encode(), hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "UserHasher(secret=<hidden>)"
