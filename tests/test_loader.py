"""Loading content folders: valid content loads, and every problem names its file and field."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import ContentError, ContentIssue, load_content, parse_topic


def topic_data(topic_id: str, **changes: object) -> dict:
    data = {
        "id": topic_id,
        "category": "cmo-role",
        "title": {"nl": f"Titel {topic_id}", "en": f"Title {topic_id}"},
        "summary": {"nl": "Een korte samenvatting.", "en": "A short summary."},
        "body": {"nl": "De uitleg.", "en": "The explanation."},
        "sections": [
            {
                "heading": {"nl": "Kop", "en": "Heading"},
                "items": [{"nl": "punt een", "en": "point one"}, {"nl": "punt twee", "en": "point two"}],
            }
        ],
        "aliases": {"nl": [f"alias {topic_id}"], "en": [f"alias {topic_id}"]},
        "sources": [{"title": "Een bron", "publisher": "Uitgever", "date": "2025-11-03"}],
    }
    data.update(copy.deepcopy(changes))
    return data


def tips_data(*topic_ids: str) -> dict:
    return {
        "tips": [
            {"id": f"tip-{index}", "topic": topic_id, "text": {"nl": f"Tip {index}", "en": f"Tip {index}"}}
            for index, topic_id in enumerate(topic_ids)
        ]
    }


def write_content(root: Path, topics: dict[str, object], tips: object | None) -> Path:
    """Writes topics (file stem -> data, or raw text) and tips.yaml (data, raw text, or None to omit)."""
    (root / "topics").mkdir(parents=True)
    for stem, data in topics.items():
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (root / "topics" / f"{stem}.yaml").write_text(text, encoding="utf-8")
    if tips is not None:
        text = tips if isinstance(tips, str) else yaml.safe_dump(tips, allow_unicode=True, sort_keys=False)
        (root / "tips.yaml").write_text(text, encoding="utf-8")
    return root


def issues_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert str(caught.value) == "\n".join(str(issue) for issue in caught.value.issues)
    return [str(issue) for issue in caught.value.issues]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "content"


def test_valid_content_loads(root):
    write_content(
        root,
        {"alpha": topic_data("alpha", related=["beta"]), "beta": topic_data("beta", category="ai-trends")},
        tips_data("alpha", "beta"),
    )
    content = load_content(root)
    assert list(content.topics) == ["alpha", "beta"]
    assert content.topics["alpha"].title.get("en") == "Title alpha"
    assert content.topics["alpha"].related == ["beta"]
    assert content.topics["beta"].category == "ai-trends"
    assert [tip.topic for tip in content.tips] == ["alpha", "beta"]


def test_load_accepts_a_string_path_and_yml_files(root):
    write_content(root, {"alpha": topic_data("alpha")}, tips_data("gamma"))
    (root / "topics" / "gamma.yml").write_text(yaml.safe_dump(topic_data("gamma")), encoding="utf-8")
    assert set(load_content(str(root)).topics) == {"alpha", "gamma"}


def test_plain_yaml_date_in_a_source_is_accepted(root):
    text = yaml.safe_dump(topic_data("alpha"), sort_keys=False).replace("'2025-11-03'", "2025-11-03")
    assert "date: 2025-11-03\n" in text  # unquoted: YAML reads it as a date, not a string
    write_content(root, {"alpha": text}, tips_data("alpha"))
    assert load_content(root).topics["alpha"].sources[0].date == "2025-11-03"


@pytest.mark.parametrize("value", ["2025", "2025-11", "2024-02-29"])
def test_partial_source_dates_are_accepted(root, value):
    source = {"title": "Bron", "publisher": "Uitgever", "date": value, "date_basis": "accessed"}
    write_content(root, {"alpha": topic_data("alpha", sources=[source])}, tips_data("alpha"))
    assert load_content(root).topics["alpha"].sources[0].date == value


def test_a_plain_string_cell_means_the_same_text_in_both_languages(root):
    table = {"title": {"nl": "Tabel", "en": "Table"}, "columns": ["Rol", "Taak"], "rows": [["CMO", "Merk"]]}
    write_content(root, {"alpha": topic_data("alpha", tables=[table])}, tips_data("alpha"))
    cell = load_content(root).topics["alpha"].tables[0].rows[0][0]
    assert (cell.get("nl"), cell.get("en")) == ("CMO", "CMO")


def test_section_items_not_a_list(root):
    section = {"heading": {"nl": "Kop", "en": "Heading"}, "items": "just one string"}
    write_content(root, {"alpha": topic_data("alpha", sections=[section])}, tips_data("alpha"))
    assert issues_of(root) == ["content/topics/alpha.yaml: sections.0.items: Input should be a valid list"]


def test_unknown_key_is_reported_with_its_name(root):
    write_content(root, {"alpha": topic_data("alpha", colour="red")}, tips_data("alpha"))
    assert issues_of(root) == ["content/topics/alpha.yaml: colour: Extra inputs are not permitted"]


def test_unknown_nested_key_is_reported_with_its_path(root):
    section = {"heading": {"nl": "Kop", "en": "Heading", "de": "Kopf"}, "text": {"nl": "a", "en": "b"}}
    write_content(root, {"alpha": topic_data("alpha", sections=[section])}, tips_data("alpha"))
    assert issues_of(root) == ["content/topics/alpha.yaml: sections.0.heading.de: Extra inputs are not permitted"]


def test_id_must_match_file_name(root):
    write_content(root, {"alpha": topic_data("alfa")}, tips_data("alpha"))
    (issue,) = issues_of(root)
    assert issue.startswith("content/topics/alpha.yaml: id: ")
    assert "'alfa'" in issue and "'alpha'" in issue


def test_unknown_related_id(root):
    write_content(root, {"alpha": topic_data("alpha", related=["nowhere"])}, tips_data("alpha"))
    assert issues_of(root) == ["content/topics/alpha.yaml: related.0: unknown topic id 'nowhere'"]


def test_topic_related_to_itself(root):
    write_content(root, {"alpha": topic_data("alpha", related=["alpha"])}, tips_data("alpha"))
    (issue,) = issues_of(root)
    assert issue.startswith("content/topics/alpha.yaml: ")
    assert "itself" in issue


def test_tip_pointing_to_unknown_topic(root):
    write_content(root, {"alpha": topic_data("alpha")}, tips_data("alpha", "ghost"))
    assert issues_of(root) == ["content/tips.yaml: tips.1.topic: unknown topic id 'ghost'"]


def test_tip_pointing_to_a_broken_topic_file_is_not_also_a_dangling_reference(root):
    write_content(
        root, {"alpha": topic_data("alpha"), "beta": topic_data("beta", colour="red")}, tips_data("alpha", "beta")
    )
    assert issues_of(root) == ["content/topics/beta.yaml: colour: Extra inputs are not permitted"]


def test_duplicate_tip_id(root):
    tips = tips_data("alpha", "alpha", "alpha")
    tips["tips"][2]["id"] = "tip-0"
    write_content(root, {"alpha": topic_data("alpha")}, tips)
    assert issues_of(root) == ["content/tips.yaml: tips.2.id: duplicate tip id 'tip-0'"]


def test_invalid_yaml_reports_the_line(root):
    broken = "id: alpha\ncategory: cmo-role\ntitle:\n  nl: Titel\n   en: Title\n"
    write_content(root, {"alpha": broken}, tips_data("alpha"))
    (issue,) = issues_of(root)
    assert issue.startswith("content/topics/alpha.yaml: invalid YAML (line 5, column ")


def test_invalid_yaml_in_tips_reports_the_line(root):
    write_content(root, {"alpha": topic_data("alpha")}, "tips:\n  - id: a\n    topic: [alpha\n")
    (issue,) = issues_of(root)
    assert issue.startswith("content/tips.yaml: invalid YAML (line ")


@pytest.mark.parametrize("text", ["", "   \n\n"])
def test_empty_topic_file(root, text):
    write_content(root, {"alpha": topic_data("alpha"), "empty": text}, tips_data("alpha"))
    assert issues_of(root) == ["content/topics/empty.yaml: file is empty"]


def test_topic_file_that_is_not_a_mapping(root):
    write_content(root, {"alpha": "- just\n- a list\n"}, tips_data("alpha"))
    (issue,) = issues_of(root)
    assert issue == "content/topics/alpha.yaml: a topic file must hold a mapping of fields"


def test_missing_tips_file(root):
    write_content(root, {"alpha": topic_data("alpha")}, None)
    assert issues_of(root) == ["content/tips.yaml: file not found"]


def test_empty_tips_list(root):
    write_content(root, {"alpha": topic_data("alpha")}, {"tips": []})
    (issue,) = issues_of(root)
    assert issue.startswith("content/tips.yaml: tips: ")


def test_missing_topics_folder_and_missing_content_folder(tmp_path):
    root = tmp_path / "content"
    root.mkdir()
    (root / "tips.yaml").write_text(yaml.safe_dump(tips_data("alpha")))
    assert "content/topics: folder not found" in issues_of(root)
    assert issues_of(tmp_path / "nothing-here") == [f"{tmp_path / 'nothing-here'}: content folder not found"]


def test_title_over_100_characters(root):
    title = {"nl": "x" * 101, "en": "Fine title"}
    write_content(root, {"alpha": topic_data("alpha", title=title)}, tips_data("alpha"))
    assert issues_of(root) == ["content/topics/alpha.yaml: title.nl: String should have at most 100 characters"]


def test_title_of_exactly_100_characters_is_fine(root):
    write_content(root, {"alpha": topic_data("alpha", title={"nl": "x" * 100, "en": "y" * 100})}, tips_data("alpha"))
    assert load_content(root).topics["alpha"].title.get("nl") == "x" * 100


def test_missing_language(root):
    write_content(root, {"alpha": topic_data("alpha", summary={"nl": "Alleen Nederlands."})}, tips_data("alpha"))
    assert issues_of(root) == ["content/topics/alpha.yaml: summary.en: Field required"]


def test_table_row_with_wrong_number_of_cells(root):
    table = {
        "title": {"nl": "Tabel", "en": "Table"},
        "columns": ["Rol", "Taak", "Focus"],
        "rows": [["CEO", "Leiding", "Strategie"], ["CFO", "Financiën"]],
    }
    write_content(root, {"alpha": topic_data("alpha", tables=[table])}, tips_data("alpha"))
    (issue,) = issues_of(root)
    assert issue.startswith("content/topics/alpha.yaml: tables.0: ")
    assert "row 1 has 2 cells but the table has 3 columns" in issue


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("soon", "date must be YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2025-13-01", "date is not a real date"),
        ("2025-02-30", "date is not a real date"),
        ("03-11-2025", "date must be YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_source_date_that_is_not_a_date(root, value, expected):
    source = {"title": "Bron", "publisher": "Uitgever", "date": value}
    write_content(root, {"alpha": topic_data("alpha", sources=[source])}, tips_data("alpha"))
    (issue,) = issues_of(root)
    assert issue.startswith("content/topics/alpha.yaml: sources.0")
    assert expected in issue


def test_topic_without_sources(root):
    write_content(root, {"alpha": topic_data("alpha", sources=[])}, tips_data("alpha"))
    (issue,) = issues_of(root)
    assert issue.startswith("content/topics/alpha.yaml: sources: ")


def test_section_with_both_text_and_items(root):
    section = {
        "heading": {"nl": "Kop", "en": "Heading"},
        "text": {"nl": "tekst", "en": "text"},
        "items": [{"nl": "a", "en": "b"}],
    }
    write_content(root, {"alpha": topic_data("alpha", sections=[section])}, tips_data("alpha"))
    (issue,) = issues_of(root)
    assert issue.startswith("content/topics/alpha.yaml: sections.0: ")
    assert "exactly one" in issue


def test_several_errors_in_several_files_are_all_listed(root):
    write_content(
        root,
        {
            "alpha": topic_data("alpha", title={"nl": "x" * 101, "en": "ok"}, colour="red"),
            "beta": topic_data("beta", related=["nowhere"]),
            "delta": "id: delta\n  bad: [indent\n",
            "empty": "",
            "gamma": topic_data("wrong-id"),
        },
        tips_data("beta", "ghost"),
    )
    issues = issues_of(root)
    expected_prefixes = [
        "content/topics/alpha.yaml: title.nl: ",
        "content/topics/alpha.yaml: colour: ",
        "content/topics/delta.yaml: invalid YAML",
        "content/topics/empty.yaml: file is empty",
        "content/topics/gamma.yaml: id: ",
        "content/topics/beta.yaml: related.0: unknown topic id 'nowhere'",
        "content/tips.yaml: tips.1.topic: unknown topic id 'ghost'",
    ]
    for prefix in expected_prefixes:
        assert any(issue.startswith(prefix) for issue in issues), (prefix, issues)
    assert len(issues) == len(expected_prefixes)


def test_parse_topic_validates_a_live_edit_without_a_file():
    topic, issues = parse_topic(topic_data("alpha"), "edit by moderator")
    assert topic is not None and topic.id == "alpha" and issues == []
    topic, issues = parse_topic(topic_data("alpha", category="sports"), "edit by moderator")
    assert topic is None
    assert [issue.file for issue in issues] == ["edit by moderator"]
    assert [issue.field for issue in issues] == ["category"]


def test_content_issue_text_without_a_field():
    assert str(ContentIssue("content/tips.yaml", "", "file not found")) == "content/tips.yaml: file not found"
    assert str(ContentIssue("a.yaml", "title.nl", "too long")) == "a.yaml: title.nl: too long"


def test_same_topic_in_a_yaml_and_a_yml_file_is_an_error(root):
    write_content(root, {"alpha": topic_data("alpha")}, tips_data("alpha"))
    (root / "topics" / "alpha.yml").write_text(
        yaml.safe_dump(topic_data("alpha", title={"nl": "Andere titel", "en": "Other title"})), encoding="utf-8"
    )
    issues = issues_of(root)
    assert any("alpha.yaml" in issue for issue in issues)
    assert any("alpha.yml" in issue for issue in issues)
