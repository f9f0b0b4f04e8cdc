"""Tests for formengine.rendering.pages (page flow and the check-your-answers summary)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from formengine.config import PROJECT_ROOT
from formengine.definitions.loader import load_definition
from formengine.definitions.model import FormDefinition, Page
from formengine.rendering.pages import (
    display_date,
    display_value,
    errors_on,
    next_page,
    on_page,
    previous_page,
    summary,
    visible_names,
    visible_pages,
)
from formengine.validation.report import FieldError

EXAMPLE = PROJECT_ROOT / "form_definitions" / "example-residence-registration.json"

#: Page "school" only has a field shown for students; "end" is always shown.
FLOW: dict[str, Any] = {
    "x-procedure": {"id": "flow-form", "version": "1", "title": "Flow"},
    "type": "object",
    "properties": {
        "job": {"enum": ["student", "worker"]},
        "end": {"type": "string"},
    },
    "if": {"properties": {"job": {"const": "student"}}, "required": ["job"]},
    "then": {"properties": {"school": {"type": "string"}}},
    "x-layout": {"pages": [
        {"id": "start", "title": "Start", "fields": ["/job"]},
        {"id": "school", "title": "School", "fields": ["/school"]},
        {"id": "end", "title": "End", "fields": ["/end"]},
    ]},
}


@pytest.fixture(scope="module")
def example() -> FormDefinition:
    """The bundled example definition."""
    return load_definition(EXAMPLE)


@pytest.fixture
def flow(tmp_path: Path) -> FormDefinition:
    """FLOW, loaded."""
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(FLOW), "utf-8")
    return load_definition(path)


def ids(pages: list[Page]) -> list[str]:
    """The ids of ``pages``."""
    return [p.id for p in pages]


def page(definition: FormDefinition, page_id: str) -> Page:
    """The page ``page_id`` (must exist)."""
    found = definition.page(page_id)
    assert found is not None
    return found


def test_visible_names(flow: FormDefinition) -> None:
    assert visible_names(flow, {}) == {"job", "end"}
    assert visible_names(flow, {"job": "student"}) == {"job", "end", "school"}


def test_page_with_only_hidden_fields_is_skipped(flow: FormDefinition) -> None:
    assert ids(visible_pages(flow, {})) == ["start", "end"]
    assert ids(visible_pages(flow, {"job": "worker"})) == ["start", "end"]
    assert ids(visible_pages(flow, {"job": "student"})) == ["start", "school", "end"]


def test_next_page(flow: FormDefinition) -> None:
    start, school, end = flow.pages
    assert next_page(flow, {"job": "worker"}, start) == end
    assert next_page(flow, {"job": "student"}, start) == school
    assert next_page(flow, {"job": "student"}, school) == end
    assert next_page(flow, {}, end) is None


def test_previous_page(flow: FormDefinition) -> None:
    start, school, end = flow.pages
    assert previous_page(flow, {"job": "worker"}, end) == start
    assert previous_page(flow, {"job": "student"}, end) == school
    assert previous_page(flow, {}, start) is None
    # from a page that is no longer shown, back still goes to the one before it
    assert previous_page(flow, {"job": "worker"}, school) == start
    assert next_page(flow, {"job": "worker"}, school) == end


def test_example_flow(example: FormDefinition) -> None:
    assert ids(visible_pages(example, {})) == ["applicant", "residence", "household"]
    applicant, residence, household = example.pages
    assert next_page(example, {}, applicant) == residence
    assert previous_page(example, {}, household) == residence


def test_on_page_and_errors_on(example: FormDefinition) -> None:
    applicant = page(example, "applicant")
    assert on_page("/full_name/given", applicant)
    assert on_page("/phone", applicant)
    assert not on_page("/phone_extra", applicant)
    assert not on_page("/address/commune_code", applicant)
    errors = [FieldError("/address/commune_code", "required", "a"),
              FieldError("/full_name/given", "required", "b"),
              FieldError("", "unevaluatedProperties", "c")]
    assert errors_on(errors, applicant) == [errors[1]]
    assert errors_on(errors, page(example, "residence")) == [errors[0]]


def test_display_date() -> None:
    assert display_date("1990-03-05", "vi") == "05/03/1990"
    assert display_date("1990-03-05", "en") == "5 March 1990"
    assert display_date("1990--5", "en") == "1990--5"


def test_display_value() -> None:
    choice = {"oneOf": [{"const": "m", "title": "Nam", "x-i18n": {"en": {"title": "Male"}}},
                        {"const": 1, "title": "Một"}]}
    assert display_value(choice, "m", "en") == "Male"
    assert display_value(choice, "m", "vi") == "Nam"
    # True is not the option 1 (True == 1 in Python)
    assert display_value(choice, True, "vi") == display_value({"type": "boolean"}, True, "vi")
    assert display_value({"enum": ["a"]}, "a", "en") == "a"
    assert display_value({"type": "boolean"}, True, "en") == "Yes"
    assert display_value({"type": "boolean"}, False, "en") == "No"
    assert display_value({"type": "number"}, 12.5, "vi") == "12,5"
    assert display_value({"type": "number"}, 12.5, "en") == "12.5"
    assert display_value({"type": "string", "format": "date"}, "2001-12-31", "vi") == (
        "31/12/2001")
    assert display_value({"type": "string"}, "text", "en") == "text"
    commune = {"type": "string", "x-widget": "commune"}
    assert display_value(commune, "00004", "en") == "Phường Ba Đình"
    assert display_value(commune, "4", "en") == "4"  # not a code: shown as it is


ANSWERS: dict[str, Any] = {
    "full_name": {"family": "Nguyễn", "given": "An"},
    "date_of_birth": "1990-03-05",
    "sex": "male",
    "address": {"province_code": "01", "commune_code": "00004", "detail": "1 Hùng Vương"},
    "reason": "rented",
    "owner_name": "Lan",
    "owner_consent": True,
    "previous_address": {"commune_code": "hidden: reason is not move"},
    "floor_area": 20.5,
    "rooms": 3,
    "members": [{"name": "Bình", "date_of_birth": "2010-01-02", "relationship": "child"},
                {"name": "Cúc", "date_of_birth": "1960-07-08", "relationship": "parent"}],
    "documents_held": ["lease", "none"],
    "confirm": True,
}


def rows_of(example: FormDefinition, lang: str) -> dict[str, tuple[str, list[str]]]:
    """{pointer: (label, lines)} of the summary of ANSWERS."""
    return {row.pointer: (row.label, row.lines) for section in summary(example, ANSWERS, lang)
            for row in section.rows}


def test_summary_sections_follow_pages(example: FormDefinition) -> None:
    sections = summary(example, ANSWERS, "en")
    assert [s.page.id for s in sections] == ["applicant", "residence", "household"]
    assert [r.pointer for r in sections[0].rows] == ["/full_name", "/date_of_birth", "/sex"]
    assert [r.pointer for r in sections[1].rows] == [
        "/address", "/reason", "/owner_name", "/owner_consent", "/floor_area", "/rooms"]
    row = sections[0].rows[0]
    assert row.value == "\n".join(row.lines)


def test_summary_in_english(example: FormDefinition) -> None:
    rows = rows_of(example, "en")
    assert rows["/full_name"] == ("Full name", ["Nguyễn", "An"])
    assert rows["/date_of_birth"] == ("Date of birth", ["5 March 1990"])
    assert rows["/sex"] == ("Sex", ["Male"])
    assert rows["/reason"] == ("Reason for registering", ["Rented or borrowed home"])
    assert rows["/owner_consent"][1] == ["Yes"]
    assert rows["/address"][1][1:] == ["Phường Ba Đình", "1 Hùng Vương"]
    assert rows["/members"] == ("Household members moving with you", [
        "Member 1: Bình, 2 January 2010, Child",
        "Member 2: Cúc, 8 July 1960, Parent",
    ])
    assert rows["/documents_held"] == ("Documents you hold", ["Lease", "None"])
    assert rows["/confirm"][1] == ["Yes"]
    assert "/previous_address" not in rows


def test_summary_in_vietnamese(example: FormDefinition) -> None:
    rows = rows_of(example, "vi")
    assert rows["/date_of_birth"] == ("Ngày, tháng, năm sinh", ["05/03/1990"])
    assert rows["/sex"][1] == ["Nam"]
    assert rows["/address"][1][0] == "Thành phố Hà Nội"
    assert rows["/floor_area"][1] == ["20,5"]
    assert rows["/members"][1][0] == "Thành viên 1: Bình, 02/01/2010, Con"
    assert rows["/owner_consent"][1] == ["Có"]


def test_summary_skips_unanswered_and_hidden_pages(flow: FormDefinition) -> None:
    sections = summary(flow, {"job": "worker", "school": "hidden"}, "en")
    assert [s.page.id for s in sections] == ["start", "end"]
    assert [r.pointer for r in sections[0].rows] == ["/job"]
    assert sections[1].rows == []
    sections = summary(flow, {"job": "student", "school": "THPT"}, "en")
    assert [(s.page.id, [r.lines for r in s.rows]) for s in sections] == [
        ("start", [["student"]]), ("school", [["THPT"]]), ("end", [])]


def test_summary_of_a_group_follows_its_x_order(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps({
        "x-procedure": {"id": "dd", "version": "1", "title": "T"}, "type": "object",
        "properties": {"g": {"type": "object", "x-order": ["b", "a"], "properties": {
            "a": {"type": "string"}, "b": {"type": "string"}}}}}))
    definition = load_definition(path)
    rows = summary(definition, {"g": {"a": "first-in-data", "b": "first-in-order"}}, "en")
    assert rows[0].rows[0].lines == ["first-in-order", "first-in-data"]
