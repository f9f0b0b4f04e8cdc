"""Tests for formengine.validation.coerce (form fields <-> typed JSON)."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from formengine.validation.coerce import encode, read_form, scalar, widget_of

INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}


@pytest.mark.parametrize(
    ("node", "widget"),
    [
        ({"type": "string", "x-widget": "textarea"}, "textarea"),
        ({"type": "object", "x-widget": "hidden"}, "hidden"),
        ({"type": "object", "properties": {}}, "fieldset"),
        ({"type": "array", "items": {"type": "object"}}, "rows"),
        ({"type": "array", "items": {"enum": ["a", "b"]}}, "checkboxes"),
        ({"type": "array", "items": {"oneOf": [{"const": "a"}]}}, "checkboxes"),
        ({"type": "boolean", "const": True}, "consent"),
        ({"type": "boolean"}, "radios"),
        ({"enum": ["a", "b", "c", "d", "e", "f"]}, "radios"),
        ({"enum": ["a", "b", "c", "d", "e", "f", "g"]}, "select"),
        ({"type": "string", "oneOf": [{"const": str(i)} for i in range(7)]}, "select"),
        ({"type": "integer"}, "number"),
        ({"type": ["number", "null"]}, "number"),
        ({"type": "string", "format": "date"}, "date"),
        ({"type": "string", "format": "email"}, "email"),
        ({"type": "string", "format": "vn-phone"}, "tel"),
        ({"type": "string", "maxLength": 301}, "textarea"),
        ({"type": "string", "maxLength": 300}, "text"),
        ({"type": "string"}, "text"),
        ({}, "text"),
    ],
)
def test_widget_of(node: dict[str, Any], widget: str) -> None:
    assert widget_of(node) == widget


@pytest.mark.parametrize(
    ("raw", "node", "value"),
    [
        ("42", INTEGER, 42),
        ("1 234", INTEGER, 1234),
        ("1\u00a0234", INTEGER, 1234),
        ("+5", INTEGER, 5),
        ("-7", INTEGER, -7),
        ("abc", INTEGER, "abc"),
        ("4.5", INTEGER, "4.5"),
        ("12,5", NUMBER, 12.5),
        ("12.5", NUMBER, 12.5),
        ("1 000,5", NUMBER, 1000.5),
        ("7", NUMBER, 7),
        ("1e3", NUMBER, 1000.0),
        ("NaN", NUMBER, "NaN"),
        ("inf", NUMBER, "inf"),
        ("-Infinity", NUMBER, "-Infinity"),
        ("1,234.5", NUMBER, "1,234.5"),
        ("true", {"type": "boolean"}, True),
        ("false", {"type": "boolean"}, False),
        ("maybe", {"type": "boolean"}, "maybe"),
        ("2", {"oneOf": [{"const": 1}, {"const": 2}]}, 2),
        ("3", {"oneOf": [{"const": 1}, {"const": 2}]}, "3"),
        ("false", {"oneOf": [{"const": True}, {"const": False}]}, False),
        ("01", {"type": "string", "oneOf": [{"const": "01"}, {"const": "1"}]}, "01"),
        ("  hello  ", {"type": "string"}, "hello"),
    ],
)
def test_scalar(raw: str, node: dict[str, Any], value: Any) -> None:
    parsed = scalar(raw, node)
    assert parsed == value
    assert type(parsed) is type(value)


def test_scalar_normalises_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", " Nguyễn Thị Ánh ")
    assert decomposed != "Nguyễn Thị Ánh"
    assert scalar(decomposed, {"type": "string"}) == unicodedata.normalize("NFC", "Nguyễn Thị Ánh")


def test_scalar_empty_is_absent() -> None:
    for node in ({"type": "string"}, INTEGER, {"enum": ["", "a"]}):
        assert scalar("   ", node) is None


def test_scalar_applies_format_normaliser() -> None:
    assert scalar(" 001 099 012 345 ", {"type": "string", "format": "vn-personal-id"}) == (
        "001099012345")


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "born": {"type": "string", "format": "date"},
        "agree": {"type": "boolean", "x-widget": "checkbox"},
        "consent": {"type": "boolean", "const": True},
        "langs": {"type": "array", "items": {"enum": ["vi", "en", "fr"]}},
        "owner": {
            "type": "object",
            "properties": {"given": {"type": "string"}, "family": {"type": "string"}},
            "required": ["given"],
        },
        "spouse": {
            "type": "object",
            "properties": {
                "name": {"type": "object", "properties": {"given": {"type": "string"}},
                         "required": ["given"]},
                "note": {"type": "string"},
            },
            "required": ["name"],
        },
        "kids": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"},
                               "born": {"type": "string", "format": "date"}},
            },
        },
    },
    "required": ["owner"],
}


def read(*pairs: tuple[str, str], only: list[str] | None = None) -> tuple[dict[str, Any],
                                                                          list[str]]:
    """read_form over ``pairs`` posted for SCHEMA."""
    return read_form(MultiDict(list(pairs)), SCHEMA, only)


def test_nothing_posted() -> None:
    """A required nested object is present (empty); optional ones and checkboxes aside."""
    assert read() == ({"owner": {}, "agree": False}, [])


def test_optional_nested_object_absent_when_unanswered() -> None:
    data, _ = read(("spouse.name.given", " "), ("spouse.note", ""))
    assert "spouse" not in data
    data, _ = read(("spouse.note", "x"))
    assert data["spouse"] == {"name": {}, "note": "x"}


def test_required_object_inside_a_required_object_is_kept() -> None:
    schema = {**SCHEMA, "required": ["owner", "spouse"]}
    data, _ = read_form(MultiDict(), schema)
    assert data["spouse"] == {"name": {}}


def test_text_and_numbers() -> None:
    data, unknown = read(("name", "  An "), ("age", "1 234"), ("owner.given", "Lan"))
    assert data["name"] == "An"
    assert data["age"] == 1234
    assert data["owner"] == {"given": "Lan"}
    assert unknown == []


def test_invalid_number_kept_as_text() -> None:
    assert read(("age", "twelve"))[0]["age"] == "twelve"


@pytest.mark.parametrize(
    ("day", "month", "year", "value"),
    [
        ("5", "3", "1990", "1990-03-05"),
        ("05", "03", "1990", "1990-03-05"),
        (" 27 ", "12", "2001", "2001-12-27"),
        ("5", "", "1990", "1990--5"),
        ("", "3", "1990", "1990-3-"),
        ("5", "3", "", "-3-5"),
        ("5", "3", "90", "90-3-5"),
        ("x", "3", "1990", "1990-3-x"),
    ],
)
def test_dates(day: str, month: str, year: str, value: str) -> None:
    data, unknown = read(("born.day", day), ("born.month", month), ("born.year", year))
    assert data["born"] == value
    assert unknown == []


def test_empty_date_is_absent() -> None:
    assert "born" not in read(("born.day", ""), ("born.month", " "), ("born.year", ""))[0]


def test_rows_renumbered_and_empty_row_kept() -> None:
    data, unknown = read(
        ("kids.0._row", "1"), ("kids.0.name", "An"),
        ("kids.2._row", "1"),
        ("kids.5._row", "1"), ("kids.5.name", "Bình"),
        ("kids.5.born.day", "1"), ("kids.5.born.month", "2"), ("kids.5.born.year", "2010"),
    )
    assert data["kids"] == [{"name": "An"}, {}, {"name": "Bình", "born": "2010-02-01"}]
    assert unknown == []


def test_no_rows_is_absent() -> None:
    assert "kids" not in read()[0]


def test_checkboxes() -> None:
    data, _ = read(("langs", "vi"), ("langs", ""), ("langs", "fr"))
    assert data["langs"] == ["vi", "fr"]
    assert "langs" not in read()[0]


def test_checkbox_absent_is_false_consent_absent_is_absent() -> None:
    data, _ = read()
    assert data["agree"] is False
    assert "consent" not in data
    data, _ = read(("agree", "true"), ("consent", "true"))
    assert data["agree"] is True
    assert data["consent"] is True
    data, _ = read(("agree", "on"), ("consent", "1"))
    assert data["agree"] is True
    assert data["consent"] is True


def test_unknown_fields_reported_and_engine_fields_ignored() -> None:
    _, unknown = read(("name", "An"), ("nmae", "x"), ("owner.middle", "y"),
                      ("_action", "next"), ("_state", "abc"), ("_page", "one"))
    assert sorted(unknown) == ["nmae", "owner.middle"]


def test_only_restricts_to_a_page() -> None:
    data, unknown = read(("name", "An"), ("age", "3"), ("owner.given", "Lan"), only=["name"])
    assert data == {"name": "An"}
    assert sorted(unknown) == ["age", "owner.given"]


def test_only_keeps_required_objects_of_the_page() -> None:
    assert read(only=["owner", "name"])[0] == {"owner": {}}


TYPICAL: dict[str, Any] = {
    "name": "Nguyễn An",
    "age": 30,
    "born": "1995-01-09",
    "agree": True,
    "consent": True,
    "langs": ["vi", "en"],
    "owner": {"given": "Lan", "family": "Trần"},
    "spouse": {"name": {"given": "Mai"}, "note": "n"},
    "kids": [{"name": "Bé"}, {}, {"born": "2020-10-31"}],
}


def test_encode_is_the_inverse_of_read_form() -> None:
    form = encode(SCHEMA, TYPICAL)
    assert form.getlist("born.day") == ["9"]
    assert form.getlist("born.month") == ["1"]
    assert form.getlist("agree") == ["true"]
    assert form.getlist("kids.1._row") == ["1"]
    assert read_form(form, SCHEMA) == (TYPICAL, [])


def test_encode_keeps_invalid_text() -> None:
    data = {"age": "twelve", "born": "1990--5", "owner": {}, "agree": False}
    form = encode(SCHEMA, data)
    assert form.getlist("age") == ["twelve"]
    assert (form["born.year"], form["born.month"], form["born.day"]) == ("1990", "", "5")
    assert read_form(form, SCHEMA) == (data, [])


def test_encode_ignores_unknown_keys() -> None:
    assert list(encode(SCHEMA, {"zzz": 1}).keys()) == []


def test_partial_date_reads_year_or_month_and_year() -> None:
    from werkzeug.datastructures import MultiDict

    from formengine.validation.coerce import encode, read_form

    schema = {"type": "object", "properties": {
        "born": {"type": "string", "format": "partial-date", "x-widget": "date"},
        "full": {"type": "string", "format": "date", "x-widget": "date"}}}
    for parts, expected in (({"year": "1950"}, "1950"),
                            ({"year": "1950", "month": "3"}, "1950-03"),
                            ({"year": "1950", "month": "3", "day": "27"}, "1950-03-27"),
                            ({"month": "3"}, "-3-")):
        form = MultiDict({f"born.{k}": v for k, v in parts.items()})
        assert read_form(form, schema)[0]["born"] == expected
        if expected[0] != "-":
            assert read_form(encode(schema, {"born": expected}), schema)[0]["born"] == expected
    # A full date still needs all three parts.
    assert read_form(MultiDict({"full.year": "1950"}), schema)[0]["full"] == "1950--"
