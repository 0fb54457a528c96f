"""Both storage engines for the tests: a SQLite file, and a fresh PostgreSQL database.

PostgreSQL comes from the environment: `.ci/run` runs the suite inside `pg_virtualenv`, which
starts a throwaway cluster and exports PGHOST, PGUSER, PGPASSWORD and PGPORT. Every test that
asks for `database_target` runs once per engine, on a database of its own (created here and
dropped afterwards), so tests never see each other's rows. Without a server the PostgreSQL
cases are skipped on a developer's machine, and fail under CI=true: a CI run that silently
tested one engine would be a green light for code nobody ran.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

ENGINES = ("sqlite", "postgresql")


def postgres_configured() -> bool:
    return bool(os.environ.get("PGHOST") or os.environ.get("PGDATABASE"))


def require_postgres() -> None:
    if postgres_configured():
        return
    message = "no PostgreSQL server: run the tests inside pg_virtualenv (see README)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


async def create_database() -> str:
    """A new, empty database on the server from the environment; returns its URL."""
    import asyncpg

    name = f"cmo_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(database="postgres")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"postgresql:///{name}"


async def drop_database(url: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(database="postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[-1]}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(params=ENGINES)
async def database_target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str | Path]:
    """Where a test's database is: a SQLite path, or the URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "bot.sqlite3"
        return
    require_postgres()
    url = await create_database()
    try:
        yield url
    finally:
        await drop_database(url)
