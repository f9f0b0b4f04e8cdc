"""Worked example of form_definitions/birth-registration.json (đăng ký khai sinh): a married
woman registers her newborn; both parents come from the register, the child is typed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.definitions import FormDefinition, load_definition
from formengine.prefilling.coverage import coverage, records_of
from formengine.prefilling.snapshot import take
from prefill import admin_units
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import BUNDLED, accepted_record, form_state, shown_errors
from tests.demo import demo_app, editable, locked_values, sign_in

PROCEDURE = "birth-registration"
FORM = f"/forms/{PROCEDURE}"

#: What only the declarant can say: the newborn and where it was born.
CHILD = {
    "child.full_name.family": "Lý", "child.full_name.middle": "Minh",
    "child.full_name.given": "An",
    "child.date_of_birth.day": "14", "child.date_of_birth.month": "6",
    "child.date_of_birth.year": "2026",
    "child.sex": "male",
    "child.place_of_birth.province_code": "01", "child.place_of_birth.commune_code": "00004",
    "child.place_of_birth.detail": "Bệnh viện Phụ sản Hà Nội",
    "child.hometown_from": "father",
    "born_at": "health_facility", "birth_certificate_number": "123/2026",
}


@pytest.fixture(scope="module")
def documents(population_file: Path) -> dict[str, dict[str, Any]]:
    return {doc["personal_id"]: Citizen.model_validate(doc).model_dump(mode="json")
            for doc in read_documents(population_file)}


def _complete(doc: dict[str, Any] | None) -> bool:
    """Alive, with a full birth date and a residence and hometown in today's units."""
    if not doc or doc.get("date_of_death"):
        return False
    residence, hometown = doc.get("current_residence") or {}, doc.get("hometown") or {}
    return (len(doc.get("date_of_birth") or "") == 10 and bool(doc.get("ethnicity"))
            and bool(residence.get("commune_code")) and bool(hometown.get("commune_code")))


@pytest.fixture(scope="module")
def mother(documents: dict[str, dict[str, Any]]) -> Citizen:
    """A married woman under 42 whose husband is in the register, both records complete."""
    for doc in documents.values():
        spouse = documents.get((doc.get("spouse") or {}).get("personal_id") or "")
        if (doc.get("sex") == "female" and doc.get("marital_status") == "married"
                and _complete(doc) and _complete(spouse)
                and int(doc["date_of_birth"][:4]) >= 1984):
            return Citizen.model_validate(doc)
    raise AssertionError("no such citizen in the session population")


@pytest.fixture(scope="module")
def definition() -> FormDefinition:
    return load_definition(BUNDLED / f"{PROCEDURE}.json")


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return demo_app(population_file, tmp_path)


def page(client: FlaskClient, name: str) -> str:
    response = client.get(f"{FORM}?page={name}&lang=en")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def submit(client: FlaskClient, html: str, **fields: str) -> str:
    """Send the whole form at once: what the pages filled in editable, then ``fields``;
    locked answers are not sent (the register's are used)."""
    prefill = re.search(r'name="_prefill" value="([^"]*)"', html)
    assert prefill, "no snapshot in the page"
    shown: dict[str, str] = {}
    for name in ("parent", "other-parent", "child"):
        shown.update(editable(page(client, name)))
    data = {"_page": "*", "_action": "submit", "_state": form_state(html),
            "_prefill": prefill.group(1), **shown, **fields}
    response = client.post(f"{FORM}?lang=en", data=data)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def commune(code: str | None) -> str:
    unit = admin_units.commune(code or "")
    assert unit is not None
    return unit.full_name


# --- prefill ----------------------------------------------------------------------------


def test_the_parent_is_filled_in_from_the_register(app: Flask, mother: Citizen) -> None:
    html = page(sign_in(app, mother), "parent")
    shown = locked_values(html)
    assert shown["f-personal_id"] == mother.personal_id
    assert shown["f-full_name-family"] == mother.full_name.family
    assert shown["f-full_name-given"] == mother.full_name.given
    assert shown["f-sex"] == "Female"
    assert shown["f-ethnicity"]  # a name, not a code
    assert shown["f-nationality"] == "Vietnam"
    residence = mother.current_residence
    assert residence is not None
    assert shown["f-residence-commune_code"] == commune(residence.commune_code)
    assert shown["f-residence-detail"] == residence.detail
    assert 'name="personal_id"' not in html and 'name="full_name.given"' not in html
    if mother.phone:  # contact data: filled in, editable
        assert re.search(r'name="phone"[^>]*value="\+?[0-9 ]+"', html)
        assert 'data-prefilled="editable"' in html


def test_the_other_parent_is_the_spouse_in_the_register(
        app: Flask, mother: Citizen, documents: dict[str, dict[str, Any]]) -> None:
    assert mother.spouse is not None and mother.spouse.personal_id
    spouse = documents[mother.spouse.personal_id]
    shown = locked_values(page(sign_in(app, mother), "other-parent"))
    assert shown["f-other_parent-personal_id"] == spouse["personal_id"]
    assert shown["f-other_parent-full_name-given"] == spouse["full_name"]["given"]
    assert shown["f-other_parent-residence-commune_code"] == commune(
        spouse["current_residence"]["commune_code"])
    assert shown["f-other_parent-hometown-commune_code"] == commune(
        spouse["hometown"]["commune_code"])


def test_the_childs_ethnicity_and_nationality_are_suggested(app: Flask,
                                                            mother: Citizen) -> None:
    html = page(sign_in(app, mother), "child")
    assert re.search(r'<select[^>]*data-prefilled="editable"[^>]*name="child.ethnicity"', html) \
        or re.search(r'<select[^>]*name="child.ethnicity"[^>]*data-prefilled="editable"', html)
    assert 'name="child.full_name.given"' in html  # the child is typed


# --- submission -------------------------------------------------------------------------


def test_valid_submission_carries_register_and_typed_answers(
        app: Flask, mother: Citizen, documents: dict[str, dict[str, Any]]) -> None:
    client = sign_in(app, mother)
    html = page(client, "parent")
    record = accepted_record(submit(client, html, **CHILD))
    answers = record["answers"]
    assert answers["personal_id"] == mother.personal_id
    assert answers["full_name"]["given"] == mother.full_name.given
    assert answers["sex"] == "female"
    assert mother.spouse is not None and mother.spouse.personal_id
    spouse = documents[mother.spouse.personal_id]
    assert answers["other_parent"]["personal_id"] == spouse["personal_id"]
    assert answers["other_parent"]["full_name"] == {
        k: v for k, v in spouse["full_name"].items() if v}
    assert answers["child"] == {
        "full_name": {"family": "Lý", "middle": "Minh", "given": "An"},
        "date_of_birth": "2026-06-14", "sex": "male",
        "ethnicity": mother.ethnicity, "nationality": "VN",
        "place_of_birth": {"province_code": "01", "commune_code": "00004",
                           "detail": "Bệnh viện Phụ sản Hà Nội"},
        "hometown_from": "father"}
    assert answers["born_at"] == "health_facility"
    assert answers["birth_certificate_number"] == "123/2026"
    provenance = record["provenance"]
    assert provenance["/personal_id"]["mode"] == "locked"
    assert provenance["/other_parent/personal_id"]["subject"] == "spouse"
    assert provenance["/child/full_name/given"] == {"source": "declared"}


def test_locked_parents_cannot_be_overwritten(app: Flask, mother: Citizen) -> None:
    client = sign_in(app, mother)
    html = page(client, "parent")
    answers = accepted_record(submit(client, html, **CHILD, **{
        "personal_id": "001099012345", "other_parent.personal_id": "001099012345"}))["answers"]
    assert answers["personal_id"] == mother.personal_id
    assert answers["other_parent"]["personal_id"] != "001099012345"


@pytest.mark.parametrize(("changes", "expected"), [
    ({"child.full_name.given": "", "born_at": ""},
     [("/child/full_name/given", "required"), ("/born_at", "required")]),
    ({"birth_certificate_number": "", "child.date_of_birth.day": "31",
      "child.date_of_birth.month": "2"},
     [("/child/date_of_birth", "format"), ("/birth_certificate_number", "required")]),
    ({"child.place_of_birth.province_code": "79", "birth_certificate_number": "số 12",
      "child.hometown_from": "uncle"},
     [("/child/place_of_birth/commune_code", "x-commune-of"), ("/child/hometown_from", "oneOf"),
      ("/birth_certificate_number", "pattern")]),
], ids=["missing", "impossible-date-and-no-certificate", "wrong-commune-and-choice"])
def test_invalid_submissions_show_field_errors(app: Flask, mother: Citizen,
                                               changes: dict[str, str],
                                               expected: list[tuple[str, str]]) -> None:
    client = sign_in(app, mother)
    html = page(client, "parent")
    shown = shown_errors(submit(client, html, **{**CHILD, **changes}))
    assert sorted(shown) == sorted(expected)


# --- coverage ---------------------------------------------------------------------------


def test_most_fields_come_from_the_register(definition: FormDefinition, mother: Citizen,
                                            documents: dict[str, dict[str, Any]]) -> None:
    records = records_of(documents[mother.personal_id], documents)
    found = coverage(definition, take(definition, records, source="sqlite", fetched_at=""))
    assert found.share >= 0.7, found
