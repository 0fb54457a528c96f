"""Learned aliases on both engines (a SQLite file and a PostgreSQL database): the 0006 migration, who an alias counts for, and
erasing the aliases made of one user's words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.insights.grouping import group_key, normalise
from bot.storage.aliases import AliasRepository, forget_alias_words, load_learned
from bot.storage.database import Database, open_database
from bot.storage.questions import QuestionRecord, QuestionRepository
from bot.storage.sqlite_engine import SqliteDatabase

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
HOME, OTHER = 1, 2


def key(question: str, lang: str = "nl") -> str:
    return group_key(lang, normalise(question))


@pytest.fixture
async def db(database_target):
    database = await open_database(database_target)
    try:
        yield database
    finally:
        await database.close()


async def log_question(db: Database, question: str, user_hash: str | None, guild: int = OTHER) -> None:
    record = QuestionRecord.new(
        command="ask", question=question, guild_id=guild, channel_id=1, user_hash=user_hash,
        locale="nl", lang="nl", topic_id=None, score=0.0, latency_ms=1.0,
    )  # fmt: skip
    await QuestionRepository(db).insert_many([record])


async def learn(db: Database, question: str, topic: str = "a", guild: int = OTHER) -> None:
    await AliasRepository(db).attach(
        topic_id=topic, lang="nl", alias=question, group_key=key(question), guild_id=guild, source="unanswered"
    )


# ------------------------------------------------------------------------------------ migration


async def test_0006_keeps_existing_aliases_and_the_home_setting_decides_who_sees_them(tmp_path):
    old = tmp_path / "old-migrations"
    old.mkdir()
    for path in sorted(MIGRATIONS.glob("000[1-4]_*.sql")):
        shutil.copy(path, old / path.name)
    path = tmp_path / "upgraded.sqlite3"
    async with await SqliteDatabase.open(path, old) as before:
        for alias_id, guild, question in [(7, HOME, "Wat is ROAS?"), (9, OTHER, "wat is een funnel")]:
            await before.execute(
                "INSERT INTO learned_aliases (id, topic_id, lang, alias, group_key, guild_id, source, added_at) "
                "VALUES (?, 'a', 'nl', ?, ?, ?, 'unanswered', '2026-01-01T00:00:00.000Z')",
                (alias_id, question, key(question), guild),
            )

    async with await SqliteDatabase.open(path) as after:
        aliases = await AliasRepository(after).all()
        assert [(a.id, a.guild_id, a.alias) for a in aliases] == [
            (7, HOME, "Wat is ROAS?"),
            (9, OTHER, "wat is een funnel"),
        ]
        # Attached in the home server: shared; anywhere else: that server's own.
        shared, per_guild = await load_learned(after, HOME)
        assert shared == {"a": {"nl": ("Wat is ROAS?",)}}
        assert per_guild == {OTHER: {("nl", key("wat is een funnel")): "a"}}
        # Without a home server, nothing is shared.
        shared, per_guild = await load_learned(after, None)
        assert shared == {} and set(per_guild) == {HOME, OTHER}

        # Two servers may now attach the same question to different topics.
        await learn(after, "Wat is ROAS?", topic="b", guild=OTHER)
        _, per_guild = await load_learned(after, None)
        assert per_guild[HOME][("nl", key("Wat is ROAS?"))] == "a"
        assert per_guild[OTHER][("nl", key("Wat is ROAS?"))] == "b"


async def test_attaching_again_in_one_server_moves_only_that_servers_alias(db):
    await learn(db, "Wat is ROAS?", topic="a", guild=HOME)
    await learn(db, "Wat is ROAS?", topic="b", guild=OTHER)
    await learn(db, "wat is roas", topic="c", guild=OTHER)
    repository = AliasRepository(db)
    assert [(a.guild_id, a.topic_id) for a in await repository.all()] == [(HOME, "a"), (OTHER, "c")]
    visible = await repository.visible_to(OTHER, HOME)
    assert [(a.guild_id, a.shared(HOME)) for a in visible] == [(OTHER, False), (HOME, True)]  # its own first
    assert [a.guild_id for a in await repository.visible_to(OTHER, None)] == [OTHER]


# ------------------------------------------------------------------------------------ erasure


async def test_forget_alias_words_removes_aliases_only_the_user_asked(db):
    await log_question(db, "Wat is ROAS?", "user-x")
    await log_question(db, "Hoe meet je marketing?", "user-x")
    await log_question(db, "hoe meet je  marketing", "user-y")  # someone else asked it too
    await log_question(db, "Wat is een funnel", "user-y")
    await learn(db, "Wat is ROAS?")  # only user-x's words
    await learn(db, "Hoe meet je marketing?")
    await learn(db, "Wat is een funnel")  # user-y's words
    await learn(db, "wat is roas", guild=HOME)  # the same question group, in another server

    assert await forget_alias_words(db, "user-x") == 2

    remaining = sorted(a.alias for a in await AliasRepository(db).all())
    assert remaining == ["Hoe meet je marketing?", "Wat is een funnel"]
    assert await forget_alias_words(db, "user-x") == 0  # twice is once


async def test_forget_alias_words_counts_questions_without_a_user_as_someone_else(db):
    await log_question(db, "Wat is ROAS?", "user-x")
    await log_question(db, "wat is roas", None)  # asked on the command line
    await learn(db, "Wat is ROAS?")
    assert await forget_alias_words(db, "user-x") == 0
    assert len(await AliasRepository(db).all()) == 1


async def test_forget_alias_words_without_questions_or_aliases_removes_nothing(db):
    assert await forget_alias_words(db, "nobody") == 0
    await learn(db, "Wat is ROAS?")
    assert await forget_alias_words(db, "nobody") == 0
    await log_question(db, "Wat is ROAS?", "user-y")
    assert await forget_alias_words(db, "nobody") == 0
    assert len(await AliasRepository(db).all()) == 1
