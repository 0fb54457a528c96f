"""Where the key for user hashes comes from, and the check that it is the right one.

The key must not sit in the database it protects: anyone holding a copy of both could hash
every public Discord id and see who asked what. In production it comes from
``CMO_HASH_SECRET`` or from a file named by ``CMO_HASH_SECRET_FILE`` that only its owner may
read. Without either (``cmo-bot ask`` on a laptop), a key is generated once and kept in a
0600 file beside the database, with a warning; an older cmo-bot kept its generated key in
table ``meta``, and that key is moved out to the same file.

The database stores a fingerprint of the key (an HMAC of a fixed label, never the key), so
starting with a different key is refused with a message instead of silently splitting the
log into rows that can and rows that cannot be found or erased any more.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from bot.storage.database import PRIVATE_MODE, Database
from bot.storage.identity import UserHasher, hmac_hex

log = logging.getLogger(__name__)

FINGERPRINT_META = "hash_key_fingerprint"
RETIRED_META = "hash_key_retired"  # JSON list of hex keys that rotations wrapped, oldest first
LEGACY_META = "hash_secret"  # where cmo-bot before issue 10 kept a generated key
_FINGERPRINT_LABEL = b"cmo-bot hash key fingerprint v1"
_GENERATED_BYTES = 32

SECRET_VAR = "CMO_HASH_SECRET"
FILE_VAR = "CMO_HASH_SECRET_FILE"


class HashKeyError(Exception):
    """The hash key is missing, unreadable, exposed or not the one the database was written with.

    A settings problem: the CLI exits 2. The message names the variable to change.
    """


@dataclass(frozen=True)
class HashKey:
    key: bytes
    source: str  # for messages: "CMO_HASH_SECRET", "CMO_HASH_SECRET_FILE (path)" or "generated key in path"


def fingerprint(key: bytes) -> str:
    """Identifies a key without revealing it: the HMAC of a fixed label under the key."""
    return hmac_hex(key, _FINGERPRINT_LABEL)


def local_key_path(db_path: Path) -> Path:
    """The fallback key file beside the database (never inside it, never in a backup)."""
    return db_path.with_name(db_path.name + ".hashkey")


def read_key_file(path: Path, variable: str) -> bytes:
    """The key in ``path`` (surrounding whitespace removed), refusing a file others can read."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise HashKeyError(f"{variable}: file not found: {path}") from None
    except OSError as exc:
        raise HashKeyError(f"{variable}: cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise HashKeyError(f"{variable}: {path} is not a file")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise HashKeyError(
            f"{variable}: {path} can be read by group or others (mode {mode:o}); the key must be readable "
            f"by its owner only. Run: chmod 600 {path}"
        )
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise HashKeyError(f"{variable}: cannot read {path}: {exc}") from None
    if not text:
        raise HashKeyError(f"{variable}: {path} is empty; put a long random key in it")
    return text.encode("utf-8")


def configured_key(
    secret: str | None, secret_file: Path | None, *, names: tuple[str, str] = (SECRET_VAR, FILE_VAR)
) -> HashKey | None:
    """The operator's key from ``CMO_HASH_SECRET`` or ``CMO_HASH_SECRET_FILE`` (or the two
    variables in ``names``), if any."""
    secret_var, file_var = names
    if secret is not None and not secret.strip():
        secret = None
    if secret is not None and secret_file is not None:
        raise HashKeyError(f"{secret_var} and {file_var} are both set; set only one of them")
    if secret is not None:
        return HashKey(secret.encode("utf-8"), secret_var)
    if secret_file is not None:
        return HashKey(read_key_file(secret_file, file_var), f"{file_var} ({secret_file})")
    return None


def _read_local_key(path: Path) -> bytes:
    try:
        return bytes.fromhex(read_key_file(path, "the generated hash key file").decode("ascii"))
    except ValueError:
        raise HashKeyError(f"the generated hash key file {path} is not hex; restore it, or set {SECRET_VAR}") from None


def _write_local_key(path: Path, key: bytes) -> bool:
    """Write ``key`` to a new 0600 file; False if the file already exists (another process won)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return True


async def move_legacy_key_out(db: Database) -> None:
    """Move a generated key an older cmo-bot stored in table ``meta`` to the key file beside
    the database, and delete it from the database."""
    if db.path is None:  # only SQLite databases ever held a generated key
        return
    row = await db.fetchone("SELECT value FROM meta WHERE key = ?", (LEGACY_META,))
    if row is None:
        return
    path = local_key_path(db.path)
    try:
        legacy = bytes.fromhex(str(row["value"]))
    except ValueError:
        raise HashKeyError(
            f"the stored {LEGACY_META!r} in table meta of {db.path} is not hex; fix or delete it"
        ) from None
    if not _write_local_key(path, legacy) and _read_local_key(path) != legacy:
        log.warning("table meta of %s holds a hash key that differs from %s; left in place", db.path, path)
        return
    await db.execute("DELETE FROM meta WHERE key = ?", (LEGACY_META,))
    log.warning("moved the generated hash key out of the database %s to %s (mode 600)", db.path, path)


def local_key(db_path: Path) -> HashKey:
    """The generated fallback key beside the database, made (with a warning) on first use."""
    path = local_key_path(db_path)
    if _write_local_key(path, secrets.token_bytes(_GENERATED_BYTES)):
        log.warning(
            "no %s or %s is set: generated a hash key in %s (mode 600). Fine on your own machine; in "
            "production set one of them (see README) and keep the key out of backups of the database",
            SECRET_VAR, FILE_VAR, path,
        )
    else:
        log.info("no %s or %s is set: using the generated hash key in %s", SECRET_VAR, FILE_VAR, path)
    return HashKey(_read_local_key(path), f"the generated key in {path}")


def _keystream(key: bytes, position: int, length: int) -> bytes:
    blocks = b"".join(
        hmac.new(key, f"cmo-bot retired hash key {position}/{block}".encode(), hashlib.sha256).digest()
        for block in range(length // 32 + 1)
    )
    return blocks[:length]


def wrap_retired(keys: list[bytes], current: bytes) -> str:
    """The retired keys, each XORed with a keystream derived from the CURRENT key, as JSON.
    The database then holds no usable key: whoever has only a copy of it (or a backup made
    before a rotation) cannot unwrap the old key without the one kept outside it."""
    wrapped = [_xor(key, _keystream(current, i, len(key))) for i, key in enumerate(keys)]
    return json.dumps([value.hex() for value in wrapped])


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def unwrap_retired(stored: str | None, current: bytes) -> list[bytes]:
    if stored is None:
        return []
    wrapped = [bytes.fromhex(value) for value in json.loads(stored)]
    return [_xor(value, _keystream(current, i, len(value))) for i, value in enumerate(wrapped)]


async def retired_keys(db: Database, current: bytes) -> list[bytes]:
    row = await db.fetchone("SELECT value FROM meta WHERE key = ?", (RETIRED_META,))
    return unwrap_retired(None if row is None else row["value"], current)


async def check_fingerprint(db: Database, key: HashKey) -> None:
    """Record the key's fingerprint on first use; refuse a key that differs from the recorded one."""
    mine = fingerprint(key.key)
    await db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", (FINGERPRINT_META, mine)
    )
    row = await db.fetchone("SELECT value FROM meta WHERE key = ?", (FINGERPRINT_META,))
    if row is not None and row["value"] != mine:
        raise HashKeyError(
            f"{SECRET_VAR}: the hash key ({key.source}) is not the key the database {db.location} was written with. "
            f"With another key, earlier questions can no longer be counted or erased for their askers. Set "
            f"{SECRET_VAR} or {FILE_VAR} back to the earlier key, or switch keys with: "
            f"cmo-bot db rotate-hash-key (see README)"
        )


async def load_hasher(db: Database, secret: str | None, secret_file: Path | None) -> UserHasher:
    """The hasher for this database: the configured key (else the local fallback), checked
    against the stored fingerprint, wrapped around any keys retired by rotations."""
    await move_legacy_key_out(db)
    key = configured_key(secret, secret_file)
    if key is None:
        if db.path is None:
            raise HashKeyError(
                f"{SECRET_VAR}: with a PostgreSQL database, several processes must hash user ids with one key "
                f"that none of them can generate alone: set {SECRET_VAR} or {FILE_VAR} (see README)"
            )
        key = local_key(db.path)
    await check_fingerprint(db, key)
    return UserHasher(key.key, await retired_keys(db, key.key))
