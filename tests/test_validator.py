"""Tests for formengine.validation.validator and report (errors -> one per field, located)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from formengine.config import PROJECT_ROOT
from formengine.definitions.loader import load_definition
from formengine.definitions.model import FormDefinition
from formengine.validation.report import FieldError, field_label, validate
from formengine.validation.validator import (
    PRIORITY,
    Conditions,
    compile_validator,
    field_errors,
    pointer_of,
)

EXAMPLE = PROJECT_ROOT / "form_definitions" / "example-residence-registration.json"
MALE_1990 = "001090012345"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[A-Z]"},
        "age": {"type": "integer", "minimum": 0},
        "sex": {"oneOf": [{"const": "m"}, {"const": "f"}]},
        "contact": {"oneOf": [{"type": "object"}, {"type": "string", "minLength": 3}]},
        "person": {"type": "object", "properties": {"given": {"type": "string"}},
                   "required": ["given"]},
        "area": {"type": "number"},
        "rooms": {"type": "integer"},
        "people": {"type": "array", "items": {"type": "object", "required": ["n"]}},
        "a/b": {"type": "string"},
        "born": {"type": "string", "format": "date"},
    },
    "required": ["name", "person"],
    "dependentRequired": {"area": ["rooms"]},
}
VALIDATOR = compile_validator(SCHEMA)


def errors(instance: Any) -> dict[str, tuple[str, Any]]:
    """{pointer: (keyword, instance)} of the field errors of ``instance`` against SCHEMA."""
    found = field_errors(VALIDATOR, instance)
    assert len({e.pointer for e in found}) == len(found), "one error per field"
    return {e.pointer: (e.keyword, e.instance) for e in found}


def test_valid_instance_has_no_errors() -> None:
    assert errors({"name": "An", "person": {"given": "X"}, "area": 1.5, "rooms": 2}) == {}


def test_required_reported_on_the_missing_child() -> None:
    assert errors({"person": {}}) == {"/name": ("required", None),
                                      "/person/given": ("required", None)}


def test_required_inside_array_items() -> None:
    found = errors({"name": "An", "person": {"given": "x"}, "people": [{"n": 1}, {}]})
    assert found == {"/people/1/n": ("required", None)}


def test_dependent_required_reported_on_the_missing_child() -> None:
    found = errors({"name": "An", "person": {"given": "x"}, "area": 20})
    assert found == {"/rooms": ("dependentRequired", None)}


def test_one_error_per_field_by_priority() -> None:
    # "a" fails minLength and pattern: minLength comes first in PRIORITY
    assert errors({"name": "a", "person": {"given": "x"}})["/name"][0] == "minLength"
    # "abcdefg" fails maxLength and pattern
    assert errors({"name": "abcdefg", "person": {"given": "x"}})["/name"][0] == "maxLength"
    # a wrong type hides everything else
    assert errors({"name": 5, "person": {"given": "x"}})["/name"] == ("type", 5)


def test_priority_order() -> None:
    assert PRIORITY.index("required") < PRIORITY.index("type") < PRIORITY.index("format")
    assert PRIORITY.index("format") < PRIORITY.index("minLength") < PRIORITY.index("pattern")


def test_choice_one_of_collapsed() -> None:
    found = errors({"name": "An", "person": {"given": "x"}, "sex": "z"})
    assert found == {"/sex": ("oneOf", "z")}


def test_non_choice_one_of_uses_the_best_branch() -> None:
    """The string branch fits a string, so its minLength is the error, not object's type."""
    found = errors({"name": "An", "person": {"given": "x"}, "contact": "ab"})
    assert found == {"/contact": ("minLength", "ab")}
    found = errors({"name": "An", "person": {"given": "x"}, "contact": 7})
    assert found["/contact"][0] == "type"


def test_pointer_escaping() -> None:
    assert errors({"name": "An", "person": {"given": "x"}, "a/b": 1}) == {"/a~1b": ("type", 1)}
    assert pointer_of(["a~b", 0, "c/d"]) == "/a~0b/0/c~1d"
    assert pointer_of([]) == ""


def test_format_checked() -> None:
    found = errors({"name": "An", "person": {"given": "x"}, "born": "2023-02-30"})
    assert found == {"/born": ("format", "2023-02-30")}


def test_conditions_cache_by_schema_identity() -> None:
    conditions = Conditions()
    condition = {"properties": {"reason": {"const": "move"}}, "required": ["reason"]}
    assert conditions.is_valid(condition, {"reason": "move"})
    assert not conditions.is_valid(condition, {"reason": "rent"})
    assert not conditions.is_valid(condition, {})
    assert conditions.is_valid({"required": []}, {})


@pytest.fixture(scope="module")
def example() -> FormDefinition:
    """The bundled example definition."""
    return load_definition(EXAMPLE)


def by_pointer(found: list[FieldError]) -> dict[str, FieldError]:
    """The errors by pointer (checking there is one per field)."""
    assert len({e.pointer for e in found}) == len(found)
    return {e.pointer: e for e in found}


def test_validate_empty_example(example: FormDefinition) -> None:
    found = by_pointer(validate(example, {}, "en"))
    assert set(found) == {"/full_name", "/personal_id", "/date_of_birth", "/sex", "/address",
                          "/reason", "/confirm"}
    assert {e.keyword for e in found.values()} == {"required"}
    assert found["/personal_id"].message == "Enter personal identification number"
    assert found["/sex"].message == "Select sex"
    assert found["/address"].message == "Enter address of the new permanent residence"
    assert found["/confirm"].message == "You must confirm that the members agree"


def test_validate_conditional_required(example: FormDefinition) -> None:
    found = by_pointer(validate(example, {"reason": "rented"}, "en"))
    assert found["/owner_name"].message == "Enter owner's full name"
    assert found["/owner_consent"].keyword == "required"
    assert "/previous_address" not in found
    found = by_pointer(validate(example, {"reason": "move", "previous_address": {}}, "en"))
    assert "/owner_name" not in found
    assert found["/previous_address/commune_code"].message == "Select commune or ward"


def test_validate_nested_and_rows(example: FormDefinition) -> None:
    data = {"full_name": {"given": "An"}, "members": [{"name": "B", "relationship": "x"}],
            "floor_area": 20}
    found = by_pointer(validate(example, data, "en"))
    assert found["/full_name/family"].message == "Enter family name"
    assert found["/members/0/name"].message == "Full name must be 2 characters or more"
    assert found["/members/0/date_of_birth"].message == "Enter date of birth"
    assert found["/members/0/relationship"].message == (
        "Select relationship to the head of household from the options")
    assert found["/rooms"].keyword == "dependentRequired"
    assert found["/rooms"].message == "Enter number of rooms"


def test_validate_unexpected_property(example: FormDefinition) -> None:
    found = by_pointer(validate(example, {"hacker": 1}, "en"))
    assert found[""].keyword == "unevaluatedProperties"
    assert found[""].message.endswith("contains answers that are not part of this form")


def test_field_label(example: FormDefinition) -> None:
    assert field_label(example, {}, "/date_of_birth", "en") == "Date of birth"
    assert field_label(example, {}, "/date_of_birth", "vi") == "Ngày, tháng, năm sinh"
    assert field_label(example, {}, "/owner_name", "en") == "owner_name"  # hidden: no node
    assert field_label(example, {"reason": "rented"}, "/owner_name", "en") == (
        "Owner's full name")


def write_definition(tmp_path: Path, properties: dict[str, Any], **extra: Any) -> FormDefinition:
    """Load a definition with these properties."""
    document = {"x-procedure": {"id": "t-form", "version": "1", "title": "T"},
                "type": "object", "properties": properties, **extra}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return load_definition(path)


def test_personal_id_mismatch_with_override(tmp_path: Path) -> None:
    definition = write_definition(tmp_path, {
        "personal_id": {"type": "string", "format": "vn-personal-id", "title": "Số định danh",
                        "x-error-messages": {"x-personal-id-check/sex": {
                            "vi": "Giới tính không khớp", "en": "The sex does not match"}}},
        "born": {"type": "string", "format": "date"},
        "sex": {"enum": ["male", "female"]},
    }, **{"x-personal-id-check": {"id": "personal_id", "date_of_birth": "born", "sex": "sex"}})
    [error] = validate(definition, {"personal_id": MALE_1990, "sex": "female"}, "en")
    assert error == FieldError("/personal_id", "x-personal-id-check", "The sex does not match")
    [error] = validate(definition, {"personal_id": MALE_1990, "sex": "female"}, "fr")
    assert error.message == "Giới tính không khớp"  # no French: falls back to Vietnamese
    [error] = validate(definition, {"personal_id": MALE_1990, "born": "1991-01-01"}, "en")
    assert error.message == (
        "The personal identification number does not match the date of birth given")


def test_labelled_choices_are_checked_as_enums_and_reported_as_written() -> None:
    from formengine.validation.validator import choices_as_enums, compile_validator, field_errors

    schema = {"type": "object", "properties": {
        "sex": {"oneOf": [{"const": "male", "title": "Nam"}, {"const": "female", "title": "Nữ"}]},
        "twice": {"oneOf": [{"const": 1}, {"const": 1}]},
        "mixed": {"anyOf": [{"const": 1}, {"type": "string"}]}}}
    fast = choices_as_enums(schema)["properties"]
    assert fast["sex"]["enum"] == ["male", "female"] and fast["sex"]["x-choice"] == "oneOf"
    assert "oneOf" in fast["twice"] and "anyOf" in fast["mixed"]  # not equivalent: kept
    validator = compile_validator(schema)
    assert validator.is_valid({"sex": "female", "mixed": "x"})
    assert not validator.is_valid({"twice": 1})  # oneOf of equal consts matches twice
    errors = field_errors(validator, {"sex": "other"})
    assert [(e.pointer, e.keyword) for e in errors] == [("/sex", "oneOf")]
