"""What must hold on both storage engines: the same answers from the same statements, the
same refusals, and no lost or doubled rows when two processes share one database."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.knowledge.loader import load_content
from bot.storage.database import ConstraintError, Database, DatabaseOpenError, check_writable, open_database
from bot.storage.hash_key import HashKey, HashKeyError, load_hasher
from bot.storage.key_rotation import rotate_hash_key
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.revisions import NewRevision, RevisionRepository
from bot.storage.tip_schedules import TipScheduleRepository
from bot.storage.writer import QuestionWriter

TOPIC = load_content(Path(__file__).resolve().parents[1] / "content").topics["cmo-skills"]
DISCORD_ID = 1_187_654_321_987_654_321  # a real snowflake: far past 32 bits


@pytest.fixture
async def db(database_target: str | Path) -> AsyncIterator[Database]:
    async with await open_database(database_target) as database:
        yield database


async def test_a_discord_id_survives_the_round_trip(db: Database) -> None:
    await QuestionRepository(db).insert_many(
        [QuestionRecord.new(command="ask", question="wat doet een cmo", guild_id=DISCORD_ID, channel_id=DISCORD_ID + 1)]
    )
    row = await db.fetchone("SELECT guild_id, channel_id FROM questions")
    assert row is not None and (row["guild_id"], row[1]) == (DISCORD_ID, DISCORD_ID + 1)


async def test_a_failed_transaction_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(ConstraintError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("a", "1"))
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("a", "2"))
    assert await db.fetchone("SELECT value FROM meta WHERE key = ?", ("a",)) is None
    assert await db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("a", "3")) == 1


async def test_a_question_mark_inside_a_literal_is_data_not_a_placeholder(db: Database) -> None:
    await db.execute("INSERT INTO meta (key, value) VALUES ('wat?', ?)", ("echt?",))
    row = await db.fetchone("SELECT value FROM meta WHERE key = 'wat?'")
    assert row is not None and row["value"] == "echt?"


async def test_two_processes_saving_at_once_get_consecutive_revision_numbers(database_target: str | Path) -> None:
    # Two Database objects are two processes' connections: MAX(n)+1 must not hand out one number twice.
    async with await open_database(database_target) as one, await open_database(database_target) as two:
        saves = [
            RevisionRepository(db).add(NewRevision(topic=TOPIC, created_at=f"2026-12-01T09:00:0{i}.000Z", action="edit"))
            for i, db in enumerate([one, two, one, two, one, two])
        ]
        numbers = sorted(revision.n for revision in await asyncio.gather(*saves))
    assert numbers == [1, 2, 3, 4, 5, 6]


async def test_a_tip_slot_is_claimed_once_across_processes(database_target: str | Path) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    async with await open_database(database_target) as one, await open_database(database_target) as two:
        claims = [
            TipScheduleRepository(db).claim(guild, ("2026-12-01", "09:00"), now, DISCORD_ID, "tip", now)
            for guild in range(50)
            for db in (one, two, one)
        ]
        won = await asyncio.gather(*claims)
    assert sum(won) == 50


async def test_the_writer_lands_every_row_and_drops_only_a_refused_one(db: Database) -> None:
    repo = QuestionRepository(db)
    writer = QuestionWriter(repo, batch_size=200)
    await writer.start()
    good = [QuestionRecord.new(command="ask", question=f"vraag {i}", guild_id=DISCORD_ID) for i in range(1000)]
    bad = QuestionRecord.new(command="ask", question="kapot", guild_id=2**70)  # no integer column holds it
    for record in [*good[:500], bad, *good[500:]]:
        writer.enqueue(record)
    assert await writer.close(timeout=30) == 0
    assert (writer.written, writer.dropped) == (1000, 1)
    assert await repo.count() == 1000


async def test_rotating_the_hash_key_rewrites_every_hash(db: Database) -> None:
    old, new = HashKey(b"o" * 32, "CMO_OLD_HASH_SECRET"), HashKey(b"n" * 32, "CMO_HASH_SECRET")
    hasher = await load_hasher(db, "o" * 32, None)
    await QuestionRepository(db).insert_many(
        [QuestionRecord.new(command="ask", question="q", user_hash=hasher.hash(DISCORD_ID))]
    )
    result = await rotate_hash_key(db, old, new, old_variable="CMO_OLD_HASH_SECRET")
    assert (result.rows, result.users) == (1, 1)
    rotated = await load_hasher(db, "n" * 32, None)
    assert await QuestionRepository(db).count_for_user(rotated.hash(DISCORD_ID)) == 1


async def test_the_health_check_writes_on_its_own_connection(db: Database, database_target: str | Path) -> None:
    assert await check_writable(database_target) == (True, "writable")


# ------------------------------------------------------------------ PostgreSQL only


@pytest.fixture
def postgres_url(database_target: str | Path) -> str:
    if not isinstance(database_target, str):
        pytest.skip("PostgreSQL only")
    return database_target


async def test_postgres_needs_a_configured_hash_key(postgres_url: str) -> None:
    async with await open_database(postgres_url) as db:
        with pytest.raises(HashKeyError, match="CMO_HASH_SECRET"):
            await load_hasher(db, None, None)


async def test_postgres_schema_has_room_for_discord_ids_and_scores(postgres_url: str) -> None:
    async with await open_database(postgres_url) as db:
        rows = await db.fetchall(
            "SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns"
            " WHERE table_schema = 'public'"
        )
    types = {(r["table_name"], r["column_name"]): (r["data_type"], r["is_identity"]) for r in rows}
    id_columns = [key for key in types if key[1] in ("guild_id", "channel_id", "message_id")]
    assert len(id_columns) >= 8 and all(types[key][0] == "bigint" for key in id_columns)
    assert types[("learned_aliases", "id")] == ("bigint", "YES")
    assert types[("questions", "score")][0] == "double precision"


async def test_an_unreachable_server_is_named_without_its_password() -> None:
    with pytest.raises(DatabaseOpenError) as caught:
        await open_database("postgresql://cmo:hunter2@127.0.0.1:1/cmo", timeout=2)
    assert "127.0.0.1:1/cmo" in str(caught.value) and "hunter2" not in str(caught.value)
    ok, reason = await check_writable("postgresql://cmo:hunter2@127.0.0.1:1/cmo")
    assert not ok and "hunter2" not in reason


def test_the_test_run_has_postgres_when_ci_says_so() -> None:
    # CI runs the suite inside pg_virtualenv; a CI run without a server must fail, not skip.
    if os.environ.get("CI", "").lower() == "true":
        assert os.environ.get("PGHOST"), "CI=true but no PostgreSQL: .ci/run must start one"


async def test_a_daily_job_is_claimed_by_one_process(database_target: str | Path) -> None:
    from datetime import UTC, datetime

    from bot.storage.job_runs import claim_job_run

    now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    async with await open_database(database_target) as one, await open_database(database_target) as two:
        won = await asyncio.gather(*[claim_job_run(db, "retention", "2026-12-01", now, name)
                                     for name, db in [("a", one), ("b", two), ("c", one), ("d", two)]])
        assert sum(won) == 1
        assert await claim_job_run(two, "retention", "2026-12-02", now, "b")  # the next day is free again


async def test_a_change_in_one_process_is_live_in_the_other_within_a_second(database_target: str | Path) -> None:
    from bot.content_sync import ContentSync
    from bot.storage.aliases import AliasRepository
    from bot.storage.content_version import record_change

    async with await open_database(database_target) as one, await open_database(database_target) as two:
        reloaded: list[str] = []
        heard = asyncio.Event()

        async def reload(kind: str) -> None:
            reloaded.append(kind)
            heard.set()

        # PostgreSQL must deliver by NOTIFY; SQLite (one process in real life) by the poll.
        poll = 0.05 if one.dialect == "sqlite" else 3600
        sync = ContentSync(one, lambda: reload("overlay"), lambda: reload("files"), poll_seconds=poll)
        await sync.start()
        try:
            await AliasRepository(two).attach(
                topic_id="cmo-skills", lang="nl", alias="wat kan een cmo", group_key="k", guild_id=DISCORD_ID,
                source="unanswered",
            )
            async with asyncio.timeout(1):
                await heard.wait()
            assert "overlay" in reloaded and sync.loaded_version == 1
            heard.clear()
            reloaded.clear()
            await record_change(two, "files")
            async with asyncio.timeout(1):
                await heard.wait()
            assert reloaded[0] == "files" and sync.loaded_version == 2
        finally:
            await sync.close()


async def test_identifies_of_two_processes_keep_discords_spacing(database_target: str | Path) -> None:
    # An injected clock: each sleep moves it, so the spacing is checked without waiting.
    from bot.identify_gate import IdentifyGate

    clock = [1000.0]
    taken: list[tuple[int, float]] = []

    async def sleep(seconds: float) -> None:
        clock[0] += seconds

    async with await open_database(database_target) as one, await open_database(database_target) as two:
        gates = [IdentifyGate(db, 1, now=lambda: clock[0], sleep=sleep) for db in (one, two)]
        for shard in range(4):
            await gates[shard % 2].wait_turn(shard)
            taken.append((shard, clock[0]))
    times = [t for _, t in taken]
    assert all(later - earlier >= 5.0 for earlier, later in itertools.pairwise(times))


def test_the_command_line_migrates_asks_and_checks_postgres(
    postgres_url: str, cli_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("CMO_DATABASE_URL", postgres_url)
    monkeypatch.setenv("CMO_HASH_SECRET", "een geheim van minstens zestien tekens")
    assert main(["db", "migrate"]) == 0
    assert "schema version" in capsys.readouterr().out
    assert main(["health", "--db"]) == 0
    assert main(["ask", "wat doet een cmo"]) == 0
    assert "CMO" in capsys.readouterr().out
    assert main(["db", "backup", str(cli_db.parent / "copy.dump")]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "Traceback" not in err
    assert not cli_db.exists()  # no SQLite file was made on the side


async def test_a_process_does_not_reload_for_its_own_change(postgres_url: str) -> None:
    # The editor already changed this process's content before storing the change; reloading
    # on its own NOTIFY would rebuild the index for nothing after every edit.
    from bot.content_sync import ContentSync
    from bot.storage.aliases import AliasRepository

    async with await open_database(postgres_url) as one, await open_database(postgres_url) as two:
        reloads: list[str] = []
        heard = asyncio.Event()

        async def reload() -> None:
            reloads.append("overlay")
            heard.set()

        sync = ContentSync(one, reload, reload, poll_seconds=3600)
        await sync.start()
        try:
            for db, key in ((one, "own"), (two, "theirs")):
                await AliasRepository(db).attach(
                    topic_id="cmo-skills", lang="nl", alias=key, group_key=key, guild_id=1, source="unanswered"
                )
            async with asyncio.timeout(1):
                await heard.wait()
            assert reloads == ["overlay"] and sync.loaded_version == 2
        finally:
            await sync.close()
