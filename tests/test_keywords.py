"""Tests for formengine.validation.keywords."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError, validators

from formengine.validation.formats import make_format_checker
from formengine.validation.keywords import (
    COMMUNE_MISMATCH_PREFIX,
    EXTRA_KEYWORDS,
    PERSONAL_ID_MISMATCH_PREFIX,
    commune_of,
    keyword_detail,
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
    assert dict(EXTRA_KEYWORDS) == {"x-personal-id-check": personal_id_check,
                                    "x-commune-of": commune_of}


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


# --- x-commune-of ----------------------------------------------------------------------

ADDRESS: dict[str, Any] = {
    "type": "object",
    "properties": {"province_code": {"type": "string"}, "commune_code": {"type": "string"},
                   "detail": {"type": "string"}},
    "required": ["province_code", "commune_code"],
    "x-commune-of": {"province": "province_code", "commune": "commune_code"},
}
ADDRESSES: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"home": ADDRESS, "rows": {"type": "array", "items": ADDRESS}},
}
BA_DINH, HOAN_KIEM, BEN_THANH = "00004", "00070", "26743"  # two in Hà Nội (01), one in HCMC


def commune_errors(**address: Any) -> list[ValidationError]:
    """The x-commune-of errors of ``address`` as the "home" property."""
    return [e for e in errors({"home": address}, ADDRESSES) if e.validator == "x-commune-of"]


@pytest.mark.parametrize(("province", "commune"), [
    ("01", BA_DINH), ("01", HOAN_KIEM), ("79", BEN_THANH), ("96", "31825"),
])
def test_commune_of_its_province_passes(province: str, commune: str) -> None:
    assert commune_errors(province_code=province, commune_code=commune) == []


def test_commune_of_another_province() -> None:
    (error,) = commune_errors(province_code="79", commune_code=BA_DINH)
    assert error.message == COMMUNE_MISMATCH_PREFIX + "province"
    assert list(error.absolute_path) == ["home", "commune_code"]
    assert error.instance == BA_DINH
    assert keyword_detail(error) == "province"


@pytest.mark.parametrize("code", [
    "00000", "99999", "4", "0004", "000004", " 00004", "Ba Đình", "", "00001",  # 00001: an old ward
])
def test_unknown_commune_code(code: str) -> None:
    (error,) = commune_errors(province_code="01", commune_code=code)
    assert error.message == COMMUNE_MISMATCH_PREFIX + "unknown"
    assert keyword_detail(error) == "unknown"


def test_unknown_code_is_reported_without_a_province_too() -> None:
    (error,) = commune_errors(commune_code="12345678")
    assert keyword_detail(error) == "unknown"


def test_missing_values_are_left_to_other_keywords() -> None:
    """A missing commune is ``required``'s; a missing or unknown province only skips the
    comparison (the province's own choices report it)."""
    assert commune_errors(province_code="01") == []
    assert commune_errors(commune_code=BA_DINH) == []
    assert commune_errors(province_code="99", commune_code=BA_DINH) == []
    assert commune_errors(province_code=1, commune_code=BA_DINH) == []
    assert commune_errors(commune_code=4) == []  # not a string: ``type`` reports it
    assert {e.validator for e in errors({"home": {}}, ADDRESSES)} == {"required"}


def test_commune_of_in_rows_is_located_on_the_row() -> None:
    rows = [{"province_code": "01", "commune_code": BA_DINH},
            {"province_code": "01", "commune_code": BEN_THANH}]
    found = [e for e in errors({"rows": rows}, ADDRESSES) if e.validator == "x-commune-of"]
    assert [list(e.absolute_path) for e in found] == [["rows", 1, "commune_code"]]


@pytest.mark.parametrize("value", [None, "x", [], {"commune": 3}, {"province": "p"}])
def test_malformed_keyword_values_are_ignored(value: Any) -> None:
    schema = {"x-commune-of": value}
    assert list(commune_of(None, value, {"p": "01", "c": "1"}, schema)) == []
    assert list(commune_of(None, {"commune": "c"}, ["not", "an object"], schema)) == []


def test_keyword_detail_of_other_errors() -> None:
    assert keyword_detail(ValidationError("x", validator="required")) == ""
    odd = ValidationError("something else", validator="x-commune-of")
    assert keyword_detail(odd) == ""
