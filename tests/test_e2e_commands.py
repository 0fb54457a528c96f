"""End to end: every user-facing command of the real bot, driven through the fake Discord.

The real CmoBot (real services, real content, a real SQLite file) answers interactions the
fake dispatches; the tests assert what a user would see, in Dutch and in English, and what
the question log holds afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio

from bot.features.common import quote_user_text
from bot.i18n import COMMAND_NL, t
from bot.topic_embeds import COMPARISON_TOPIC
from tests.e2e import answered, assert_clean_traffic, component, components, custom_ids, rows

EPHEMERAL = 1 << 6
CB_MESSAGE, CB_UPDATE_MESSAGE, CB_AUTOCOMPLETE = 4, 7, 8

# (Discord locale, language the bot should answer in). "de" is neither Dutch nor English:
# the bot falls back to its default language, Dutch.
LOCALES = [("nl", "nl"), ("en-US", "en"), ("de", "nl")]
QUESTIONS = {"nl": "Wat doet een CMO?", "en": "What does a CMO do?"}
EXPECTED_TOPIC = "cmo-responsibilities"


# ---------------------------------------------------------------------------------------------- helpers








def only_embed(data: dict[str, Any]) -> dict[str, Any]:
    assert len(data.get("embeds") or []) == 1, data
    return data["embeds"][0]


def topic(harness, topic_id: str):
    return harness.services.asking.snapshot.topics[topic_id]








@pytest_asyncio.fixture(autouse=True)
async def _clean_traffic(harness) -> AsyncIterator[None]:
    yield
    assert_clean_traffic(harness.fake)


@pytest.fixture
def db(harness) -> Iterator[Any]:
    yield lambda sql, *params: rows(harness, sql, *params)


# ---------------------------------------------------------------------------------------------- sync


async def test_commands_are_synced_with_dutch_names_and_descriptions(harness):
    synced = {command["name"]: command for command in await harness.fake.wait_for_commands()}

    assert {"ask", "explain", "compare", "topics", "tip", "help"} <= set(synced)
    for name in ("ask", "explain", "compare", "topics"):
        command = synced[name]
        assert command["name_localizations"] == {"nl": COMMAND_NL[name]}
        assert command["description_localizations"] == {"nl": COMMAND_NL[command["description"]]}
    assert [synced[name]["name_localizations"]["nl"] for name in ("ask", "explain", "compare", "topics")] == [
        "vraag",
        "uitleg",
        "vergelijk",
        "onderwerpen",
    ]
    (question,) = synced["ask"]["options"]
    assert question["name"] == "question"
    assert question["name_localizations"] == {"nl": "vraag"}
    assert question["required"] is True
    assert question["max_length"] == 2000
    (explain_topic,) = synced["explain"]["options"]
    assert explain_topic["autocomplete"] is True
    assert explain_topic["name_localizations"] == {"nl": COMMAND_NL["topic"]}
    (role,) = synced["compare"]["options"]
    assert [choice["value"] for choice in role["choices"]] == ["CEO", "CFO", "COO", "CIO", "CMO", "all"]


# ---------------------------------------------------------------------------------------------- /ask


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_ask_answers_with_the_topic_in_the_users_language(harness, db, locale, lang):
    interaction = await harness.fake.slash_command("ask", options={"question": QUESTIONS[lang]}, locale=locale)
    data = await answered(interaction)

    expected = topic(harness, EXPECTED_TOPIC)
    assert data.get("flags", 0) & EPHEMERAL == 0  # an answer is public
    embed = only_embed(data)
    assert embed["title"] == expected.title.get(lang)
    assert expected.summary.get(lang) in embed["description"]
    assert [field["name"] for field in embed["fields"]] == [s.heading.get(lang) for s in expected.sections] + [
        f"{table.title.get(lang)} ({' · '.join(cell.get(lang) for cell in table.columns[1:])})"
        for table in expected.tables
    ]
    assert embed["footer"]["text"].startswith(t("sources", lang) + ": ")
    assert len(embed["footer"]["text"]) > len(t("sources", lang)) + 2

    related = component(data, "cmo:related")
    assert related["type"] == 3
    assert related["placeholder"] == t("related_placeholder", lang)
    assert [option["value"] for option in related["options"]] == list(expected.related)
    assert [option["label"] for option in related["options"]] == [
        topic(harness, topic_id).title.get(lang) for topic_id in expected.related
    ]
    up, down = component(data, "cmo:fb:up:"), component(data, "cmo:fb:down:")
    assert (up["emoji"]["name"], up["label"]) == ("👍", t("feedback_up", lang))
    assert (down["emoji"]["name"], down["label"]) == ("👎", t("feedback_down", lang))
    question_id = up["custom_id"].rsplit(":", 1)[1]
    assert down["custom_id"] == f"cmo:fb:down:{question_id}"

    await harness.services.writer.flush()
    (row,) = db("SELECT * FROM questions WHERE id = ?", question_id)
    assert (row["command"], row["question"], row["locale"], row["lang"], row["topic_id"]) == (
        "ask",
        QUESTIONS[lang],
        locale,
        lang,
        EXPECTED_TOPIC,
    )
    assert 0 < row["score"] <= 1
    assert row["latency_ms"] is not None and row["latency_ms"] >= 0
    assert row["guild_id"] == interaction.guild_id and row["channel_id"] == interaction.channel_id
    assert row["user_hash"] and row["user_hash"] != str(harness.fake.default_user["id"])


@pytest.mark.parametrize(("locale", "lang"), [("nl", "nl"), ("en-US", "en")])
async def test_ask_off_topic_gets_no_match_and_is_logged_without_topic(harness, db, locale, lang):
    question = {"nl": "recept voor pannenkoeken", "en": "recipe for pancakes"}[lang]
    interaction = await harness.fake.slash_command("ask", options={"question": question}, locale=locale)
    data = await answered(interaction)

    embed = only_embed(data)
    assert embed["title"] == t("no_match_title", lang)
    assert t("no_match", lang) in embed["description"]
    assert f"> {question}" in embed["description"]  # the question is quoted back
    buttons = [c for c in components(data) if c["type"] == 2]
    assert len(buttons) <= 3
    assert all(button["custom_id"].startswith("cmo:open:") for button in buttons)
    assert not [cid for cid in custom_ids(data) if cid.startswith("cmo:fb:")]  # nothing to rate

    await harness.services.writer.flush()
    (row,) = db("SELECT * FROM questions WHERE question = ?", question)
    assert row["command"] == "ask"
    assert row["topic_id"] is None
    assert row["locale"] == locale and row["lang"] == lang
    assert row["score"] is not None and row["latency_ms"] is not None


async def test_related_select_on_an_answer_opens_that_topic_privately(harness, db):
    fake = harness.fake
    asked = await fake.slash_command("ask", options={"question": QUESTIONS["nl"]}, locale="nl")
    await answered(asked)
    message = await asked.original()
    chosen = topic(harness, EXPECTED_TOPIC).related[1]

    picked = await fake.select(message, "cmo:related", [chosen], locale="en-US")
    data = await answered(picked)

    assert data.get("flags", 0) & EPHEMERAL
    assert only_embed(data)["title"] == topic(harness, chosen).title.get("en")
    await harness.services.writer.flush()
    assert [(r["command"], r["topic_id"], r["lang"]) for r in db("SELECT * FROM questions ORDER BY asked_at")] == [
        ("ask", EXPECTED_TOPIC, "nl"),
        ("related-select", chosen, "en"),
    ]


# ---------------------------------------------------------------------------------------------- feedback


async def test_feedback_buttons_thank_and_survive_a_restart(harness, db):
    fake = harness.fake
    asked = await fake.slash_command("ask", options={"question": QUESTIONS["nl"]}, locale="nl")
    data = await answered(asked)
    question_id = component(data, "cmo:fb:up:")["custom_id"].rsplit(":", 1)[1]
    message_id = int((await asked.original())["id"])

    up = await fake.button_click(message_id, f"cmo:fb:up:{question_id}", locale="nl")
    thanks = await answered(up)
    assert thanks["content"] == t("feedback_thanks_up", "nl")
    assert thanks.get("flags", 0) & EPHEMERAL
    rated = db("SELECT rating FROM feedback WHERE question_id = ?", question_id)
    assert [r["rating"] for r in rated] == [1]

    await harness.restart()

    down = await fake.button_click(message_id, f"cmo:fb:down:{question_id}", locale="en-US")
    thanks = await answered(down)
    assert thanks["content"] == t("feedback_thanks_down", "en")
    assert thanks.get("flags", 0) & EPHEMERAL
    rated = db("SELECT rating, user_hash FROM feedback WHERE question_id = ?", question_id)
    assert [r["rating"] for r in rated] == [-1]  # the second vote replaced the first
    (question,) = db("SELECT user_hash FROM questions WHERE id = ?", question_id)
    assert rated[0]["user_hash"] == question["user_hash"]


async def test_feedback_on_an_unknown_question_says_it_is_gone(harness, db):
    fake = harness.fake
    asked = await fake.slash_command("ask", options={"question": QUESTIONS["nl"]}, locale="nl")
    await answered(asked)
    message = await asked.original()
    # a message whose question was erased: same layout, an id the log never held
    message["components"][1]["components"][0]["custom_id"] = "cmo:fb:up:" + "0" * 32

    click = await fake.button_click(message, "cmo:fb:up:" + "0" * 32, locale="nl")
    data = await answered(click)
    assert data["content"] == t("feedback_gone", "nl")
    assert data.get("flags", 0) & EPHEMERAL
    assert db("SELECT * FROM feedback") == []


# ---------------------------------------------------------------------------------------------- /explain


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_explain_a_topic_by_id(harness, db, locale, lang):
    interaction = await harness.fake.slash_command("explain", options={"topic": "role-coo"}, locale=locale)
    data = await answered(interaction)

    expected = topic(harness, "role-coo")
    assert data.get("flags", 0) & EPHEMERAL == 0
    embed = only_embed(data)
    assert embed["title"] == expected.title.get(lang)
    assert expected.summary.get(lang) in embed["description"]
    assert embed["footer"]["text"].startswith(t("sources", lang) + ": ")
    assert not [cid for cid in custom_ids(data) if cid.startswith("cmo:fb:")]  # no rating for a lookup
    if expected.related:
        assert component(data, "cmo:related")["placeholder"] == t("related_placeholder", lang)

    await harness.services.writer.flush()
    (row,) = db("SELECT * FROM questions")
    assert (row["command"], row["question"], row["locale"], row["lang"], row["topic_id"]) == (
        "explain",
        "role-coo",
        locale,
        lang,
        "role-coo",
    )
    assert row["score"] is None  # a chosen topic was not searched for
    assert row["latency_ms"] is not None and row["latency_ms"] >= 0


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_explain_an_unknown_value_suggests_topics_privately(harness, db, locale, lang):
    fake = harness.fake
    interaction = await fake.slash_command("explain", options={"topic": "marketing automaton"}, locale=locale)
    data = await answered(interaction)

    assert data.get("flags", 0) & EPHEMERAL
    assert data["content"] == t("unknown_topic", lang, value=quote_user_text("marketing automaton", 100))
    assert not data.get("embeds")
    buttons = [c for c in components(data) if c["type"] == 2]
    assert 1 <= len(buttons) <= 3
    assert buttons[0]["custom_id"] == "cmo:open:marketing-automation"
    automation = topic(harness, "marketing-automation")
    assert buttons[0]["label"] == t("open_topic", lang, title=automation.title.get(lang))

    opened = await fake.button_click(await interaction.original(), "cmo:open:marketing-automation", locale=locale)
    opened_data = await answered(opened)
    assert opened_data.get("flags", 0) & EPHEMERAL
    assert only_embed(opened_data)["title"] == automation.title.get(lang)

    await harness.services.writer.flush()
    logged = [(r["command"], r["question"], r["topic_id"], r["locale"]) for r in db("SELECT * FROM questions")]
    assert sorted(logged, key=str) == sorted(
        [
            ("explain", "marketing automaton", None, locale),
            ("open-button", "marketing-automation", "marketing-automation", locale),
        ],
        key=str,
    )


async def test_explain_autocomplete_forgives_typos(harness):
    fake = harness.fake
    typo = await fake.autocomplete("explain", {"topic": "marketng automaton"}, locale="nl")
    choices = (await answered(typo, CB_AUTOCOMPLETE))["choices"]
    assert 1 <= len(choices) <= 25
    assert choices[0]["value"] == "marketing-automation"
    assert choices[0]["name"] == topic(harness, "marketing-automation").title.get("nl")

    empty = await fake.autocomplete("explain", {"topic": ""}, locale="en-US")
    choices = (await answered(empty, CB_AUTOCOMPLETE))["choices"]
    assert 1 <= len(choices) <= 25
    known = harness.services.asking.snapshot.topics
    assert all(choice["value"] in known for choice in choices)
    assert all(choice["name"] == known[choice["value"]].title.get("en")[:100] for choice in choices)


# ---------------------------------------------------------------------------------------------- /compare


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_compare_one_role_beside_the_cmo(harness, locale, lang):
    interaction = await harness.fake.slash_command("compare", options={"role": "COO"}, locale=locale)
    data = await answered(interaction)

    embed = only_embed(data)
    assert embed["title"] == t("compare_title", lang, role="COO")
    assert [field["name"] for field in embed["fields"]] == ["COO", "CMO"]
    columns = [cell.get(lang) for cell in topic(harness, COMPARISON_TOPIC).tables[0].columns[1:]]
    for field in embed["fields"]:
        assert [line.split(":**")[0] + ":**" for line in field["value"].splitlines()] == [
            f"**{column}:**" for column in columns
        ]
    assert embed["footer"]["text"].startswith(t("sources", lang) + ": ")


@pytest.mark.parametrize(("locale", "lang"), [("nl", "nl"), ("en-US", "en")])
async def test_compare_all_roles(harness, locale, lang):
    interaction = await harness.fake.slash_command("compare", options={"role": "all"}, locale=locale)
    embed = only_embed(await answered(interaction))

    assert embed["title"] == t("compare_all_title", lang)
    assert [field["name"] for field in embed["fields"]] == ["CEO", "CFO", "COO", "CIO", "CMO"]
    first_column = topic(harness, COMPARISON_TOPIC).tables[0].columns[1].get(lang)
    assert all(field["value"].startswith(f"**{first_column}:**") for field in embed["fields"])


# ---------------------------------------------------------------------------------------------- /topics


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_topics_browse_category_then_topic(harness, db, locale, lang):
    fake = harness.fake
    snapshot = harness.services.asking.snapshot
    interaction = await fake.slash_command("topics", locale=locale)
    data = await answered(interaction)

    assert data.get("flags", 0) & EPHEMERAL
    embed = only_embed(data)
    assert embed["title"] == t("topics_title", lang)
    assert embed["description"] == t("topics_intro", lang)
    assert [field["name"] for field in embed["fields"]] == [
        t("category_cmo-role", lang),
        t("category_c-suite", lang),
        t("category_ai-trends", lang),
    ]
    c_suite = snapshot.in_category("c-suite")
    assert embed["fields"][1]["value"] == t("topics_count", lang, count=len(c_suite))
    categories = component(data, "cmo:category")
    assert categories["placeholder"] == t("pick_category", lang)
    assert [option["value"] for option in categories["options"]] == ["cmo-role", "c-suite", "ai-trends"]
    assert [option["label"] for option in categories["options"]] == [f["name"] for f in embed["fields"]]

    message = await interaction.original()
    chose = await fake.select(message, "cmo:category", ["c-suite"], locale=locale)
    edited = await answered(chose, CB_UPDATE_MESSAGE)
    category = only_embed(edited)
    assert category["title"] == t("category_c-suite", lang)
    for item in c_suite:
        assert f"**{item.title.get(lang)}**" in category["description"]
    pick = component(edited, "cmo:pick")
    assert pick["placeholder"] == t("pick_topic", lang)
    assert [option["value"] for option in pick["options"]] == [item.id for item in c_suite]
    assert "cmo:category" in custom_ids(edited)  # the user can switch category again
    # the ephemeral message itself now shows the category
    message = fake.messages[int(message["id"])]
    assert message["embeds"][0]["title"] == t("category_c-suite", lang)

    picked = await fake.select(message, "cmo:pick", ["role-cfo"], locale=locale)
    shown = await answered(picked)
    assert shown.get("flags", 0) & EPHEMERAL
    assert only_embed(shown)["title"] == topic(harness, "role-cfo").title.get(lang)

    await harness.services.writer.flush()
    assert [(r["command"], r["topic_id"], r["lang"]) for r in db("SELECT * FROM questions")] == [
        ("topics-select", "role-cfo", lang)
    ]


# ---------------------------------------------------------------------------------------------- /tip and /help


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_tip_with_a_button_to_its_topic(harness, locale, lang):
    fake = harness.fake
    interaction = await fake.slash_command("tip", locale=locale)
    data = await answered(interaction)

    embed = only_embed(data)
    assert embed["title"] == "💡 " + t("tip_title", lang)
    tips = {tip.text.get(lang): tip for tip in harness.services.asking.snapshot.tips}
    assert embed["description"] in tips
    tip = tips[embed["description"]]
    tip_topic = topic(harness, tip.topic)
    assert embed["footer"]["text"] == t("tip_footer", lang, title=tip_topic.title.get(lang))
    (button,) = components(data)
    assert button["custom_id"] == f"cmo:open:{tip.topic}"
    assert button["label"][:70] == t("open_topic", lang, title=tip_topic.title.get(lang))[:70]

    opened = await fake.button_click(await interaction.original(), button["custom_id"], locale=locale)
    opened_data = await answered(opened)
    assert opened_data.get("flags", 0) & EPHEMERAL
    assert only_embed(opened_data)["title"] == tip_topic.title.get(lang)


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
async def test_help_is_private_and_localised(harness, locale, lang):
    interaction = await harness.fake.slash_command("help", locale=locale)
    data = await answered(interaction)

    assert data.get("flags", 0) & EPHEMERAL
    embed = only_embed(data)
    assert embed["title"] == t("help_title", lang)
    assert embed["description"] == t("help_intro", lang)
    assert embed["footer"]["text"] == t("help_footer", lang)
    names = ["ask", "explain", "compare", "topics", "tip"]
    shown = [COMMAND_NL[name] if lang == "nl" else name for name in names]
    assert [field["name"] for field in embed["fields"]] == [f"/{name}" for name in shown]
    assert [field["value"] for field in embed["fields"]] == [t(f"help_{name}", lang) for name in names]
