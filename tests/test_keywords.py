"""Tests for formengine.validation.keywords."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError, validators

from formengine.validation.formats import make_format_checker
from formengine.validation.keywords import (
    EXTRA_KEYWORDS,
    PERSONAL_ID_MISMATCH_PREFIX,
    mismatch_reason,
    personal_id_check,
)

Validator = validators.extend(Draft202012Validator, EXTRA_KEYWORDS)

PERSON: dict[str, Any] = {
    "type": "object",
    "properties": {
        "personal_id": {"type": "string", "format": "vn-personal-id"},
        "date_of_birth": {"type": "string"},
        "sex": {"enum": ["male", "female"]},
    },
    "x-personal-id-check": {"id": "personal_id", "date_of_birth": "date_of_birth", "sex": "sex"},
}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"applicant": PERSON, "members": {"type": "array", "items": PERSON}},
}
MALE_1990 = "001090012345"


def errors(instance: Any, schema: dict[str, Any] | None = None) -> list[ValidationError]:
    """All errors of ``instance``, with our format checker."""
    validator = Validator(schema or SCHEMA, format_checker=make_format_checker())
    return list(validator.iter_errors(instance))


def applicant(**fields: Any) -> dict[str, Any]:
    """Wrap person fields as a form."""
    return {"applicant": fields}


def test_extra_keywords() -> None:
    assert dict(EXTRA_KEYWORDS) == {"x-personal-id-check": personal_id_check}


def test_consistent_record_passes() -> None:
    assert errors(applicant(personal_id=MALE_1990, date_of_birth="1990-05-15", sex="male")) == []
    assert errors(applicant(personal_id=MALE_1990, date_of_birth="1990", sex="male")) == []
    assert errors(applicant(personal_id=MALE_1990)) == []


@pytest.mark.parametrize(
    ("dob", "sex", "reason"),
    [
        ("1991-05-15", "male", "date_of_birth"),
        ("1991", "male", "date_of_birth"),
        ("1991", "female", "date_of_birth"),
        ("1990-05-15", "female", "sex"),
        (None, "female", "sex"),
    ],
)
def test_mismatch_located_at_id(dob: str | None, sex: str, reason: str) -> None:
    fields: dict[str, Any] = {"personal_id": MALE_1990, "sex": sex}
    if dob is not None:
        fields["date_of_birth"] = dob
    [error] = errors(applicant(**fields))
    assert error.validator == "x-personal-id-check"
    assert list(error.path) == ["applicant", "personal_id"]
    assert error.json_path == "$.applicant.personal_id"
    assert error.instance == MALE_1990
    assert error.message == PERSONAL_ID_MISMATCH_PREFIX + reason
    assert error.message == f"personal ID mismatch: {reason}"
    assert mismatch_reason(error) == reason
    assert list(error.schema_path) == ["properties", "applicant", "x-personal-id-check"]


def test_mismatch_inside_array() -> None:
    form = {
        "members": [
            {"personal_id": MALE_1990, "sex": "male"},
            {"personal_id": MALE_1990, "date_of_birth": "2000-01-01"},
        ]
    }
    [error] = errors(form)
    assert error.json_path == "$.members[1].personal_id"
    assert mismatch_reason(error) == "date_of_birth"


def test_invalid_id_left_to_format() -> None:
    [error] = errors(applicant(personal_id="000090012345", sex="female"))
    assert error.validator == "format"
    assert mismatch_reason(error) is None


@pytest.mark.parametrize(
    "instance",
    [
        "not an object",
        [],
        {"applicant": {}},
        {"applicant": {"personal_id": 1990, "sex": "female"}},
        {"applicant": {"personal_id": MALE_1990, "sex": 1, "date_of_birth": 1991}},
    ],
)
def test_nothing_to_check(instance: Any) -> None:
    assert [e for e in errors(instance) if e.validator == "x-personal-id-check"] == []


@pytest.mark.parametrize(
    "config",
    [{"id": "personal_id"}, {"id": 3}, {}, "personal_id", None, {"id": "nope", "sex": "sex"}],
)
def test_partial_or_odd_configuration(config: Any) -> None:
    schema = {"x-personal-id-check": config}
    instance = {"personal_id": MALE_1990, "sex": "female", "date_of_birth": "1991"}
    assert errors(instance, schema) == []


def test_only_date_configured() -> None:
    schema = {"x-personal-id-check": {"id": "personal_id", "date_of_birth": "dob"}}
    assert errors({"personal_id": MALE_1990, "dob": "1990", "sex": "female"}, schema) == []
    [error] = errors({"personal_id": MALE_1990, "dob": "1989"}, schema)
    assert error.json_path == "$.personal_id"


def test_mismatch_reason_ignores_other_errors() -> None:
    assert mismatch_reason(ValidationError("personal ID mismatch: sex")) is None
    [error] = errors(applicant(personal_id=3))
    assert mismatch_reason(error) is None


@given(
    year=st.integers(min_value=1900, max_value=1999),
    dob_year=st.integers(min_value=1000, max_value=9999),
    sex=st.sampled_from(["male", "female"]),
)
def test_keyword_reports_date_before_sex(year: int, dob_year: int, sex: str) -> None:
    personal_id = f"001{int(sex == 'female')}{year % 100:02d}000000"
    form = applicant(personal_id=personal_id, date_of_birth=str(dob_year), sex="male")
    found = [mismatch_reason(e) for e in errors(form)]
    if dob_year != year:
        assert found == ["date_of_birth"]
    elif sex == "female":
        assert found == ["sex"]
    else:
        assert found == []
