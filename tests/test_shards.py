"""Which shards a process runs, and which guilds' tips it posts."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings
from bot.shards import ShardPlan, parse_shard_ids

URL = "postgresql:///cmo"


def test_a_range_a_list_and_a_mix_parse_to_ids() -> None:
    assert parse_shard_ids("0-3") == (0, 1, 2, 3)
    assert parse_shard_ids("4, 6") == (4, 6)
    assert parse_shard_ids("0-1,5") == (0, 1, 5)


@pytest.mark.parametrize(
    ("env", "named", "says"),
    [
        ({"CMO_SHARD_COUNT": "4"}, "CMO_SHARD_COUNT", "go together"),
        ({"CMO_SHARD_IDS": "0-1"}, "CMO_SHARD_COUNT", "go together"),
        ({"CMO_SHARD_COUNT": "2", "CMO_SHARD_IDS": "1-2", "CMO_DATABASE_URL": URL}, "CMO_SHARD_IDS", "not below"),
        ({"CMO_SHARD_COUNT": "4", "CMO_SHARD_IDS": "0-1"}, "CMO_SHARD_IDS", "CMO_DATABASE_URL"),
        ({"CMO_SHARD_COUNT": "4", "CMO_SHARD_IDS": "3-1", "CMO_DATABASE_URL": URL}, "CMO_SHARD_IDS", "backwards"),
        ({"CMO_DATABASE_URL": "mysql://db/cmo"}, "CMO_DATABASE_URL", "postgresql://"),
    ],
)
def test_shard_settings_that_do_not_fit_are_refused_naming_the_variable(env, named, says) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    assert named in caught.value.variables and says in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_a_whole_range_on_sqlite_is_fine_and_a_partial_one_on_postgres_too() -> None:
    assert load_settings({"CMO_SHARD_COUNT": "2", "CMO_SHARD_IDS": "0-1"}).shards.describe() == "shards 0-1 of 2"
    settings = load_settings({"CMO_SHARD_COUNT": "4", "CMO_SHARD_IDS": "2,3", "CMO_DATABASE_URL": URL})
    assert settings.shards.is_partial and settings.database_target == URL


def test_a_process_posts_tips_only_for_the_guilds_its_shards_receive() -> None:
    guilds = [(n << 22) + 7 for n in range(8)]  # snowflakes whose shard (of 2) alternates 0, 1
    first, second = ShardPlan(2, (0,)), ShardPlan(2, (1,))
    assert [first.owns(g) for g in guilds] == [n % 2 == 0 for n in range(8)]
    assert all(first.owns(g) != second.owns(g) for g in guilds)  # every guild has exactly one owner
    assert all(ShardPlan().owns(g) for g in guilds)


def test_each_process_of_a_partial_range_spills_to_its_own_file() -> None:
    # Two processes appending to one spill file would interleave lines; the name README gives.
    from pathlib import Path

    from bot.storage.spill import spill_path_for

    db = Path("data/cmo-bot.sqlite3")
    assert spill_path_for(db).name == "cmo-bot.sqlite3.spill.jsonl"
    assert spill_path_for(db, ShardPlan(2, (0,))).name == "cmo-bot.sqlite3.shards-0-of-2.spill.jsonl"
    assert spill_path_for(db, ShardPlan(2, (0, 1))).name == "cmo-bot.sqlite3.spill.jsonl"  # all shards: one process
