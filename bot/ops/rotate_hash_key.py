"""`cmo-bot db rotate-hash-key`: the operator's side of switching the user-hash key.

The new key is the one the bot will start with: CMO_HASH_SECRET or CMO_HASH_SECRET_FILE.
The old key comes from CMO_OLD_HASH_SECRET or CMO_OLD_HASH_SECRET_FILE; when neither is set,
from the generated key file beside the database (the usual case: moving a bot that ran
without a configured key onto one). Problems raise HashKeyError (exit 2 in the CLI).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.config import Settings
from bot.storage.database import open_database
from bot.storage.hash_key import (
    FILE_VAR,
    SECRET_VAR,
    HashKey,
    HashKeyError,
    configured_key,
    local_key_path,
    move_legacy_key_out,
    read_key_file,
)
from bot.storage.key_rotation import rotate_hash_key

OLD_SECRET_VAR = "CMO_OLD_HASH_SECRET"
OLD_FILE_VAR = "CMO_OLD_HASH_SECRET_FILE"


def _old_key(db_path: Path | None) -> tuple[HashKey, str]:
    env_file = os.environ.get(OLD_FILE_VAR, "").strip()
    old = configured_key(
        os.environ.get(OLD_SECRET_VAR), Path(env_file) if env_file else None, names=(OLD_SECRET_VAR, OLD_FILE_VAR)
    )
    if old is not None:
        return old, OLD_FILE_VAR if env_file else OLD_SECRET_VAR
    if db_path is None:
        raise HashKeyError(f"set {OLD_SECRET_VAR} or {OLD_FILE_VAR} to the key the database was written with")
    path = local_key_path(db_path)
    if not path.exists():
        raise HashKeyError(
            f"set {OLD_SECRET_VAR} or {OLD_FILE_VAR} to the key the database was written with "
            f"(there is no generated key file {path} to take it from)"
        )
    try:
        key = bytes.fromhex(read_key_file(path, "the generated hash key file").decode("ascii"))
    except ValueError:
        raise HashKeyError(f"the generated hash key file {path} is not hex; set {OLD_SECRET_VAR}") from None
    return HashKey(key, f"the generated key in {path}"), f"{OLD_SECRET_VAR} (unset, so {path})"


async def _rotate(settings: Settings) -> str:
    secret = settings.hash_secret.get_secret_value() if settings.hash_secret else None
    new = configured_key(secret, settings.hash_secret_file)
    if new is None:
        raise HashKeyError(f"set {SECRET_VAR} or {FILE_VAR} to the new key before rotating to it")
    async with await open_database(settings.database_target) as db:
        await move_legacy_key_out(db)
        old, old_variable = _old_key(db.path)
        result = await rotate_hash_key(db, old, new, old_variable=old_variable)
        where = db.location
    if result.already:
        return f"{where} already uses the key in {new.source}; nothing changed"
    return (
        f"{where}: rehashed {result.rows} rows ({result.users} distinct users) to the key in "
        f"{new.source}. Start the bot with that key from now on."
    )


def rotate(settings: Settings) -> int:
    print(asyncio.run(_rotate(settings)))
    return 0
