"""The database's files on disk: errors that name them, owner-only permissions, the checks
before opening, and the finishing touch of a backup copy.

The database file, its -wal and -shm, and backups are created readable by their owner only
(0600): they hold keyed hashes of user ids and what people asked.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_MODE = 0o600
SQLITE_HEADER = b"SQLite format 3\x00"


class StorageError(Exception):
    """A database file problem an operator must fix; the message names the path."""


class DatabaseOpenError(StorageError):
    """The database file cannot be opened: a folder, not SQLite, or not readable/creatable."""


class BackupError(StorageError):
    """A backup could not be written where it was asked for; nothing was left behind."""


def sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def error_reason(exc: BaseException) -> str:
    """An OS error's reason without repeating the path (the caller names the path itself)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def create_private(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it exists.

    SQLite treats an empty file as an empty database and gives the -wal, -shm and -journal
    files it creates the permissions of the database file, so this covers those too.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def make_private(path: Path) -> None:
    """Tighten an existing file (made by an older cmo-bot) to 0600; a failure is only logged."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
            log.warning("%s was readable by others (mode %o); changed it to owner-only", path, mode)
    except FileNotFoundError:
        return
    except OSError as exc:
        log.warning("could not make %s readable by its owner only: %s", path, error_reason(exc))


def prepare_file(path: Path) -> None:
    """Refuse a folder or a non-SQLite file with a clear message; create a new file as 0600."""
    if path.is_dir():
        raise DatabaseOpenError(
            f"{path} is a folder, not a database file; give a file path, e.g. {path / 'cmo-bot.sqlite3'}"
        )
    try:
        if path.exists():
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
            if header and header != SQLITE_HEADER:
                raise DatabaseOpenError(f"{path} is not an SQLite database (it starts with other bytes); "
                                        "point to the bot's database, or to a new file")
            make_private(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            create_private(path)
    except OSError as exc:
        raise DatabaseOpenError(f"cannot open or create the database {path}: {error_reason(exc)}") from None


def finish_backup(target: sqlite3.Connection) -> None:
    """Make the copy self-contained and prove it is readable before it replaces anything."""
    target.execute("PRAGMA journal_mode=DELETE")
    result = target.execute("PRAGMA quick_check").fetchone()
    if result is None or result[0] != "ok":
        raise sqlite3.DatabaseError(f"backup copy failed its integrity check: {result}")
