"""Miss-then-open pairs become a suggestion once two users agree."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import utc
from bot.insights.grouping import group_key
from bot.insights.suggestions import find_suggestions
from bot.storage.timestamps import to_utc_iso

T0 = utc(2026, 3, 2, 9, 0)


def event(user: str, minutes: float, command: str, question: str, topic: str | None, lang: str = "nl") -> dict:
    return {
        "user_hash": user,
        "asked_at": to_utc_iso(T0 + timedelta(minutes=minutes)),
        "command": command,
        "question": question,
        "lang": lang,
        "topic_id": topic,
    }


def pair(user: str, question: str = "wat kost een bureau", topic: str = "agencies", gap: float = 1.0, at: float = 0):
    return [event(user, at, "ask", question, None), event(user, at + gap, "open-button", topic, topic)]


def test_two_users_agreeing_make_a_suggestion():
    events = [*pair("a"), *pair("b", "Wat kost een bureau?")]
    (suggestion,) = find_suggestions(events)
    assert (suggestion.topic_id, suggestion.users, suggestion.lang) == ("agencies", 2, "nl")
    assert suggestion.key == group_key("nl", "wat kost een bureau")


def test_one_user_twice_is_one_vote():
    assert find_suggestions([*pair("a"), *pair("a", at=10)]) == []


def test_each_open_command_counts_and_explain_without_topic_does_not():
    for command in ("explain", "related-select", "topics-select"):
        events = [
            *pair("a"),
            event("b", 0, "ask", "wat kost een bureau", None),
            event("b", 2, command, "x", "agencies"),
        ]
        assert len(find_suggestions(events)) == 1, command
    events = [*pair("a"), event("b", 0, "ask", "wat kost een bureau", None), event("b", 1, "explain", "x", None)]
    assert find_suggestions(events) == []


def test_an_open_after_five_minutes_does_not_count():
    assert find_suggestions([*pair("a"), *pair("b", gap=5.01)]) == []
    assert len(find_suggestions([*pair("a"), *pair("b", gap=5)])) == 1


@pytest.mark.parametrize(
    "in_between",
    [
        pytest.param(("ask", "wat doet een cmo", "cmo-responsibilities"), id="an-answered-ask-breaks-the-chain"),
        pytest.param(("open-button", "skills", "skills"), id="only-the-first-open-after-a-miss-counts"),
    ],
)
def test_an_open_after_something_else_does_not_count(in_between):
    events = [
        *pair("a"),
        event("b", 0, "ask", "wat kost een bureau", None),
        event("b", 1, *in_between),
        event("b", 2, "related-select", "agencies", "agencies"),
    ]
    assert find_suggestions(events) == []


def test_different_topics_and_languages_do_not_agree():
    assert find_suggestions([*pair("a"), *pair("b", topic="skills")]) == []
    english = [event("b", 0, "ask", "wat kost een bureau", None, "en"), event("b", 1, "explain", "x", "agencies")]
    assert find_suggestions([*pair("a"), *english]) == []


def guessed_then_opened(user: str, guessed: str, opened: str) -> list[dict]:
    ask = event(user, 0, "ask", "wat kost een bureau", guessed)
    ask["outcome"] = "guess"
    return [ask, event(user, 1, "open-button", opened, opened)]


def test_a_best_guess_followed_by_another_topic_counts_as_a_miss():
    events = [*guessed_then_opened("a", "tone-of-voice", "agencies"), *guessed_then_opened("b", "tone-of-voice", "agencies")]
    (suggestion,) = find_suggestions(events)
    assert (suggestion.topic_id, suggestion.users) == ("agencies", 2)


def test_opening_the_guessed_topic_confirms_the_guess():
    events = [*guessed_then_opened("a", "agencies", "agencies"), *guessed_then_opened("b", "agencies", "agencies")]
    assert find_suggestions(events) == []


def test_an_answer_outright_still_breaks_the_chain():
    answered = event("a", 0, "ask", "wat kost een bureau", "tone-of-voice")
    answered["outcome"] = "answer"
    events = [answered, event("a", 1, "open-button", "agencies", "agencies")] * 2
    events[2:] = [dict(e, user_hash="b") for e in events[2:]]
    assert find_suggestions(events) == []
