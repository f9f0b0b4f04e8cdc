"""Tests for prefill.model (the Citizen record and its attribute catalogue) and prefill.codes."""

from __future__ import annotations

import datetime
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import ValidationError

from prefill.codes import (
    ETHNICITIES,
    MARITAL_STATUSES,
    RELATIONSHIPS,
    SEXES,
    MaritalStatus,
    Relationship,
    Sex,
)
from prefill.model import (
    ATTRIBUTES,
    Address,
    Citizen,
    FullName,
    Household,
    PartialDate,
    attribute_value,
)

HEAD, WIFE, SON = "001085012345", "001187054321", "001210000777"


def citizen(**changes: Any) -> Citizen:
    """A complete record (every item present), with ``changes`` applied."""
    document: dict[str, Any] = {
        "personal_id": HEAD,
        "full_name": {"family": "Nguyễn", "middle": "Văn", "given": "An"},
        "other_names": ["Tư"],
        "date_of_birth": "1985-03-07",
        "sex": "male",
        "place_of_birth": {"province_code": "01", "commune_code": "00004"},
        "hometown": {"province_code": "37", "commune_code": "14386"},
        "ethnicity": "01",
        "religion": "Không",
        "nationality": "VN",
        "permanent_residence": {"province_code": "01", "commune_code": "00004",
                                "detail": "Số 5, ngõ 12, phố Lê Lợi"},
        "temporary_residence": {"province_code": "79", "commune_code": "26734",
                                "detail": "Phòng 3, số 8 đường Nguyễn Huệ"},
        "current_residence": {"detail": "Thôn Đông", "legacy": {
            "province_code": "27", "district_code": "256", "ward_code": "09190"}},
        "marital_status": "married",
        "relationship_to_head": "head",
        "household": {"id": "0000000042", "head_id": HEAD, "members": [
            {"personal_id": HEAD, "relationship": "head"},
            {"personal_id": WIFE, "relationship": "spouse"},
            {"personal_id": SON, "relationship": "child"}]},
        "father": {"full_name": {"family": "Nguyễn", "middle": "Văn", "given": "Bình"},
                   "date_of_birth": "1950", "nationality": "VN"},
        "mother": {"full_name": {"family": "Trần", "middle": "Thị", "given": "Mai"}},
        "spouse": {"personal_id": WIFE, "full_name": {"family": "Lê", "middle": "Thị",
                                                      "given": "Hoa"},
                   "date_of_birth": "1987-01-02", "nationality": "VN"},
        "children": [{"personal_id": SON, "full_name": {"family": "Nguyễn", "middle": "Minh",
                                                        "given": "Khang"},
                      "date_of_birth": "2010-05-20", "nationality": "VN"}],
        "phone": "+84912345678",
        "email": "an.nguyen@example.com",
        "date_of_death": None,
    }
    document.update(changes)
    return Citizen.model_validate(document)


# --- PartialDate -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "parts"), [
    ("1985", (1985, None, None)),
    ("1985-03", (1985, 3, None)),
    ("1985-03-07", (1985, 3, 7)),
    ("2024-02-29", (2024, 2, 29)),
])
def test_partial_date_reads_and_writes_iso_text(text: str, parts: tuple[Any, ...]) -> None:
    date = PartialDate.model_validate(text)
    assert (date.year, date.month, date.day) == parts
    assert date.iso == str(date) == text
    assert date.model_dump() == text
    assert PartialDate.model_validate_json(f'"{text}"') == date
    assert date.is_complete == (parts[2] is not None)


@pytest.mark.parametrize("bad", ["85", "1985-3-7", "1985-13", "1985-02-30", "2023-02-29",
                                 "1985-00-10", "07/03/1985", ""])
def test_partial_date_refuses_other_text(bad: str) -> None:
    with pytest.raises(ValidationError):
        PartialDate.model_validate(bad)


def test_partial_date_from_a_date_and_its_bounds() -> None:
    assert PartialDate.model_validate(datetime.date(2001, 9, 2)).iso == "2001-09-02"
    assert PartialDate.model_validate("1960").earliest() == datetime.date(1960, 1, 1)
    with pytest.raises(ValidationError, match="a day needs a month"):
        PartialDate(year=1960, day=3)


# --- names and addresses -----------------------------------------------------------------


def test_full_name_text_and_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    name = FullName(family=decomposed, middle="Thị Minh", given="Khai")
    assert name.family == "Nguyễn" and unicodedata.is_normalized("NFC", name.family)
    assert name.text == str(name) == "Nguyễn Thị Minh Khai"
    assert FullName(family="Lê", given="Na").text == "Lê Na"
    assert FullName(given="H'Hen").text == "H'Hen"
    with pytest.raises(ValidationError):
        FullName(family="Lê", given="")


def test_address_needs_a_place() -> None:
    assert Address(province_code="01", commune_code="00004").country == "VN"
    assert Address.model_validate({"legacy": {"province_code": "27"}}).legacy is not None
    assert Address(country="FR", detail="12 rue de Rivoli, Paris").province_code is None
    with pytest.raises(ValidationError, match="province code or legacy"):
        Address(detail="Số 5")
    with pytest.raises(ValidationError, match="needs its province"):
        Address.model_validate({"commune_code": "00004", "legacy": {"province_code": "01"}})
    with pytest.raises(ValidationError):
        Address(province_code="1", commune_code="00004")


# --- household ---------------------------------------------------------------------------


def test_household_has_exactly_one_head() -> None:
    members = [{"personal_id": HEAD, "relationship": "head"},
               {"personal_id": WIFE, "relationship": "spouse"}]
    household = Household.model_validate({"id": "1", "head_id": HEAD, "members": members})
    assert household.member(WIFE) is not None and household.member(SON) is None
    with pytest.raises(ValidationError, match="exactly one member"):
        Household.model_validate({"id": "1", "head_id": WIFE, "members": members})
    with pytest.raises(ValidationError, match="exactly one member"):
        Household.model_validate({"id": "1", "head_id": HEAD, "members": [
            *members, {"personal_id": SON, "relationship": "head"}]})
    with pytest.raises(ValidationError, match="listed twice"):
        Household.model_validate({"id": "1", "head_id": HEAD, "members": [
            *members, {"personal_id": WIFE, "relationship": "child"}]})
    with pytest.raises(ValidationError):
        Household.model_validate({"id": "1", "head_id": HEAD, "members": [
            {"personal_id": HEAD, "relationship": "boss"}]})


# --- Citizen -----------------------------------------------------------------------------


def test_complete_citizen_round_trips_through_json() -> None:
    person = citizen()
    assert Citizen.model_validate_json(person.model_dump_json()) == person
    assert person.model_dump(mode="json")["date_of_birth"] == "1985-03-07"
    assert person.full_name.text == "Nguyễn Văn An"
    assert person.age(datetime.date(2026, 3, 6)) == 40
    assert person.age(datetime.date(2026, 3, 7)) == 41
    assert not person.is_deceased
    assert hash(person) == hash(citizen())


def test_only_the_id_and_name_are_required() -> None:
    person = Citizen.model_validate({"personal_id": SON, "full_name": {"given": "Khang"}})
    assert person.date_of_birth is None and person.household is None
    assert person.children == () and person.age(datetime.date(2026, 1, 1)) is None
    with pytest.raises(ValidationError):
        Citizen.model_validate({"personal_id": SON})
    with pytest.raises(ValidationError):
        Citizen.model_validate({"full_name": {"given": "Khang"}})


def test_citizen_is_frozen_and_strict() -> None:
    person = citizen()
    with pytest.raises(ValidationError):
        person.sex = "female"
    with pytest.raises(ValidationError, match="extra"):
        citizen(blood_type="O")


@pytest.mark.parametrize(("field", "value"), [
    ("personal_id", "00108501234"), ("personal_id", "00108501234x"), ("sex", "m"),
    ("ethnicity", "55"), ("ethnicity", "1"), ("nationality", "vn"), ("nationality", "VNM"),
    ("marital_status", "separated"), ("phone", "0912345678"), ("email", "not-an-address"),
    ("relationship_to_head", "spouse"), ("date_of_death", "1984"),
])
def test_citizen_refuses_bad_items(field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        citizen(**{field: value})


def test_citizen_must_belong_to_its_household() -> None:
    outsider = {"id": "7", "head_id": WIFE,
                "members": [{"personal_id": WIFE, "relationship": "head"}]}
    with pytest.raises(ValidationError, match="not a member"):
        citizen(household=outsider, relationship_to_head=None)


# --- code lists --------------------------------------------------------------------------


def test_the_54_ethnic_groups() -> None:
    assert list(ETHNICITIES) == [f"{n:02d}" for n in range(1, 55)]
    assert ETHNICITIES["01"] == "Kinh" and ETHNICITIES["04"] == "Hoa"
    assert ETHNICITIES["54"] == "Rơ-măm"
    assert len(set(ETHNICITIES.values())) == 54


def test_code_lists_match_the_model_types() -> None:
    assert tuple(SEXES) == get_args(Sex)
    assert tuple(MARITAL_STATUSES) == get_args(MaritalStatus)
    assert tuple(RELATIONSHIPS) == get_args(Relationship)


# --- the attribute catalogue -------------------------------------------------------------


def test_catalogue_lists_every_item_with_its_json_type() -> None:
    expected = {
        "personal_id": "string", "full_name": "object", "full_name.family": "string",
        "full_name.given": "string", "other_names": "array", "other_names[]": "string",
        "date_of_birth": "string", "sex": "string", "ethnicity": "string",
        "permanent_residence.commune_code": "string",
        "permanent_residence.legacy.district_code": "string", "household": "object",
        "household.members": "array", "household.members[].relationship": "string",
        "father.full_name.given": "string", "children": "array",
        "children[].personal_id": "string", "phone": "string", "date_of_death": "string",
    }
    for path, json_type in expected.items():
        assert ATTRIBUTES[path].type == json_type, path
        assert ATTRIBUTES[path].path == path
    assert set(Citizen.model_fields) <= set(ATTRIBUTES)
    assert ATTRIBUTES["household.members[].relationship"].pointer == (
        "/household/members/-/relationship")
    assert ATTRIBUTES["full_name.family"].pointer == "/full_name/family"


def test_catalogue_schemas_are_usable_by_a_checker() -> None:
    assert ATTRIBUTES["ethnicity"].schema["enum"] == list(ETHNICITIES)
    assert ATTRIBUTES["sex"].schema["enum"] == ["male", "female"]
    assert ATTRIBUTES["date_of_birth"].schema["format"] == "partial-date"
    assert ATTRIBUTES["personal_id"].schema["pattern"] == "^[0-9]{12}$"
    assert ATTRIBUTES["household.members"].schema["items"]["type"] == "object"
    assert not ATTRIBUTES["personal_id"].optional and ATTRIBUTES["phone"].optional
    assert not ATTRIBUTES["full_name.given"].optional
    assert ATTRIBUTES["full_name.middle"].optional
    assert "Nơi thường trú" in ATTRIBUTES["permanent_residence"].description
    for info in ATTRIBUTES.values():
        assert "$ref" not in str(info.schema) and "'title'" not in str(info.schema)
        assert info.schema["type"] == info.type != "null"


def test_attribute_value_reads_every_path() -> None:
    person = citizen()
    assert attribute_value(person, "full_name.given") == "An"
    assert attribute_value(person, "permanent_residence.commune_code") == "00004"
    assert attribute_value(person, "current_residence.legacy.ward_code") == "09190"
    assert attribute_value(person, "children[].personal_id") == [SON]
    assert attribute_value(person, "household.members[].relationship") == [
        "head", "spouse", "child"]
    assert attribute_value(person, "date_of_death") is None
    assert attribute_value(person, "temporary_residence.legacy.ward_code") is None
    for path in ATTRIBUTES:
        attribute_value(person, path)
    with pytest.raises(KeyError):
        attribute_value(person, "blood_type")


def test_docs_list_every_attribute_and_code() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "prefill.md").read_text()
    for name in [*Citizen.model_fields, *RELATIONSHIPS, *MARITAL_STATUSES]:
        assert f"`{name}`" in docs, f"document `{name}` in docs/prefill.md"
    for code, label in ETHNICITIES.items():
        assert f"{code} {label}" in docs


def test_prefill_imports_neither_flask_nor_formengine() -> None:
    code = ("import sys, prefill.model, prefill.adapter, prefill.sqlite, prefill.synthetic; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'formengine', 'werkzeug', 'jinja2')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "[]"
