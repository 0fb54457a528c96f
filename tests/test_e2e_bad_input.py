"""End to end and on the command line: links in echoed questions, empty questions, and the
tip channel picker.

- The public "not covered yet" reply quotes the question, but a link in it is not clickable.
- An empty (or invisible-only) question is refused with a clear message and not logged, on
  Discord and with `cmo-bot ask`.
- /cmo-admin tips-set offers text and announcement channels only, and refuses anything else.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.__main__ import main
from bot.i18n import t
from bot.topic_embeds import unlinked
from tests.e2e import answered, assert_clean_traffic, rows

EPHEMERAL = 1 << 6
MANAGE_SERVER = 1 << 5
LINKS = "https://evil.example/gratis_nitro <https://b.example/x> [klik hier](http://c.example/y) ftp://d.example"


@pytest_asyncio.fixture(autouse=True)
async def _clean_traffic(harness) -> AsyncIterator[None]:
    yield
    assert_clean_traffic(harness.fake)


def clickable_links(markdown: str) -> list[str]:
    """URLs Discord would make clickable: a scheme and "://" (wherever they stand)."""
    return re.findall(r"[A-Za-z][A-Za-z0-9+.\-]*://\S*", markdown)


def test_unlinked_breaks_every_url():
    shown = unlinked("zie https://x.example/a en `http://y.example/`b` of <steam://run/1> [x](HTTPS://z.nl)")
    assert clickable_links(shown) == []
    assert shown.replace("\u200b", "") == "zie https://x.example/a en `http://y.example/`b` of <steam://run/1> [x](HTTPS://z.nl)"
    assert unlinked("geen link hier: www.x.nl, 10:30 en :// los") == "geen link hier: www.x.nl, 10:30 en :// los"


async def test_the_public_no_match_reply_keeps_no_link_clickable(harness):
    question = f"xyzzy plugh quux {LINKS}"
    interaction = await harness.fake.slash_command("ask", options={"question": question}, locale="nl")
    data = await answered(interaction)
    assert not int(data.get("flags") or 0) & EPHEMERAL  # public: everyone in the channel sees it
    (embed,) = data["embeds"]
    assert embed["title"] == t("no_match_title", "nl")
    assert "evil.example" in embed["description"]  # the question is still quoted...
    assert clickable_links(embed["description"]) == []  # ...but none of its links works


async def test_an_unknown_explain_topic_does_not_echo_a_clickable_link(harness):
    interaction = await harness.fake.slash_command("explain", options={"topic": "https://evil.example/x"})
    data = await answered(interaction)
    assert "evil.example" in data["content"] and clickable_links(data["content"]) == []


@pytest.mark.parametrize(("locale", "lang"), [("nl", "nl"), ("en-US", "en")])
@pytest.mark.parametrize("question", ["   ", "\u200b\u200d", "\t \u2060"])
async def test_an_empty_question_is_refused_and_not_logged(harness, locale, lang, question):
    interaction = await harness.fake.slash_command("ask", options={"question": question}, locale=locale)
    data = await answered(interaction)
    assert data["content"] == t("ask_empty", lang)
    assert int(data.get("flags") or 0) & EPHEMERAL
    assert not data.get("embeds") and not data.get("components")
    await harness.services.writer.flush()
    assert rows(harness, "SELECT * FROM questions") == []


async def test_tips_set_offers_text_and_announcement_channels_only(harness):
    fake = harness.fake
    admin = fake.find_command("cmo-admin", fake.guild().id)
    (tips_set,) = [option for option in admin["options"] if option["name"] == "tips-set"]
    (channel,) = [option for option in tips_set["options"] if option["name"] == "channel"]
    assert sorted(channel["channel_types"]) == [0, 5]  # GUILD_TEXT, GUILD_ANNOUNCEMENT

    # A client holding an older registration can still send another type: refused, named.
    other = next(c.id for c in fake.guild().get_channels() if c.type == 4)  # a category
    interaction = await fake.slash_command(
        "cmo-admin tips-set", options={"channel": other, "time": "09:00"}, member_permissions=MANAGE_SERVER,
        locale="en-US",
    )
    data = await answered(interaction)
    assert data["content"] == t("tips_invalid_channel", "en", channel=f"<#{other}>")
    assert rows(harness, "SELECT * FROM tip_schedules") == []


# ---------------------------------------------------------------------------------------------- CLI


@pytest.mark.parametrize("argv", [[""], ["   "], ["", " "], ["\u200b"]])
def test_cli_ask_with_an_empty_question_exits_2_and_logs_nothing(cli_db: Path, capsys, argv):
    code = main(["ask", *argv])
    out, err = capsys.readouterr()
    assert code == 2
    assert "question is empty" in err and "Traceback" not in err
    assert out == ""
    assert "moderator" not in (out + err).lower()
    if cli_db.exists():
        with sqlite3.connect(cli_db) as conn:
            assert conn.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 0
