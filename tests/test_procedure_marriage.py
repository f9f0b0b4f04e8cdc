"""Worked example: marriage registration (form_definitions/marriage-registration.json).

A single adult of the session population signs in: party 1 (name, ID, date of birth,
sex, ethnicity, nationality, residence, marital status) comes locked from the register,
the phone editable; the citizen types only the person they marry and where to register.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.definitions.loader import load_definition
from formengine.prefilling.coverage import Coverage, coverage, records_of
from formengine.prefilling.snapshot import take
from prefill.admin_units import commune
from prefill.codes import ETHNICITIES
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import BUNDLED, accepted_record, shown_errors
from tests.demo import demo_app, locked_value, open_form, send_all, sign_in

FORM = "/forms/marriage-registration"
#: The person being married: a Vietnamese woman born in 1996 (ID digits 4-6 "196": 1 =
#: female born in the 1900s, 96), living in Ba Đình, Hà Nội.
PARTNER = {
    "partner.full_name.family": "Trần", "partner.full_name.middle": "Thị",
    "partner.full_name.given": "Mai", "partner.date_of_birth.day": "27",
    "partner.date_of_birth.month": "3", "partner.date_of_birth.year": "1996",
    "partner.nationality": "VN", "partner.personal_id": "001196000123",
    "partner.residence.province_code": "01", "partner.residence.commune_code": "00004",
    "partner.residence.detail": "12 Phố Huế", "registration_office": "own_commune",
}


@pytest.fixture(scope="module")
def people(population_file: Path) -> list[dict[str, Any]]:
    return list(read_documents(population_file))


def single_adult(doc: dict[str, Any]) -> bool:
    """A living single adult with a complete record and a phone (the typical applicant)."""
    citizen = Citizen.model_validate(doc)
    residence = citizen.permanent_residence
    return (citizen.date_of_death is None and citizen.marital_status == "single"
            and citizen.date_of_birth is not None and citizen.date_of_birth.is_complete
            and 1980 <= citizen.date_of_birth.year <= 2000 and citizen.phone is not None
            and citizen.ethnicity is not None and citizen.nationality == "VN"
            and residence is not None and residence.province_code is not None)


@pytest.fixture(scope="module")
def applicant(people: list[dict[str, Any]]) -> Citizen:
    return Citizen.model_validate(next(d for d in people if single_adult(d)))


@pytest.fixture(scope="module")
def married(people: list[dict[str, Any]]) -> Citizen:
    return Citizen.model_validate(next(
        d for d in people if d.get("marital_status") == "married"
        and not d.get("date_of_death") and d.get("permanent_residence")))


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return demo_app(population_file, tmp_path)


def first_page(client: FlaskClient) -> str:
    return open_form(client, FORM)


def submit(client: FlaskClient, html: str, **fields: str) -> str:
    return send_all(client, FORM, html, fields)


def test_party_one_comes_locked_from_the_register(app: Flask, applicant: Citizen) -> None:
    html = first_page(sign_in(app, applicant))
    assert locked_value(html, "personal_id") == applicant.personal_id
    assert locked_value(html, "full_name.family") == applicant.full_name.family
    assert locked_value(html, "full_name.given") == applicant.full_name.given
    assert locked_value(html, "full_name.middle") == applicant.full_name.middle
    assert applicant.date_of_birth is not None
    born = applicant.date_of_birth.earliest()
    assert locked_value(html, "date_of_birth") == f"{born.day} {born:%B} {born.year}"
    assert locked_value(html, "sex") == {"male": "Male", "female": "Female"}[applicant.sex or ""]
    assert locked_value(html, "ethnicity") == ETHNICITIES[applicant.ethnicity or ""]
    assert locked_value(html, "nationality") == "Vietnam"
    assert applicant.permanent_residence is not None
    assert locked_value(html, "residence.detail") == applicant.permanent_residence.detail
    assert locked_value(html, "residence.commune_code").endswith(
        commune(applicant.permanent_residence.commune_code or "").name)
    assert locked_value(html, "marital_status") == "Single"
    assert 'name="personal_id"' not in html and 'name="full_name.given"' not in html
    # The phone is contact data: filled in, editable.
    assert re.search(r'name="phone"[^>]*data-prefilled="editable"|data-prefilled="editable"'
                     r'[^>]*name="phone"', html)


def test_valid_application_is_accepted(app: Flask, applicant: Citizen) -> None:
    client = sign_in(app, applicant)
    done = submit(client, first_page(client), **PARTNER)
    record = accepted_record(done)
    answers = record["answers"]
    assert answers["personal_id"] == applicant.personal_id
    assert answers["full_name"]["given"] == applicant.full_name.given
    assert answers["marital_status"] == "single"
    assert answers["partner"] == {
        "full_name": {"family": "Trần", "middle": "Thị", "given": "Mai"},
        "date_of_birth": "1996-03-27", "nationality": "VN", "personal_id": "001196000123",
        "residence": {"province_code": "01", "commune_code": "00004",
                      "detail": "12 Phố Huế"}}
    assert answers["registration_office"] == "own_commune"
    assert "previous_marriage" not in answers and "marriage_number" not in answers
    assert record["provenance"]["/personal_id"]["mode"] == "locked"
    assert record["provenance"]["/partner/personal_id"] == {"source": "declared"}


@pytest.mark.parametrize(("change", "expected"), [
    # No name for the other person.
    ({"partner.full_name.family": "", "partner.full_name.given": ""},
     [("/partner/full_name/family", "required"), ("/partner/full_name/given", "required")]),
    # An ID that says born in 1996 next to a date of birth in 1990.
    ({"partner.date_of_birth.year": "1990"},
     [("/partner/personal_id", "x-personal-id-check")]),
    # Both Vietnamese: the commune that receives the application must be chosen.
    ({"registration_office": ""}, [("/registration_office", "required")]),
])
def test_invalid_applications_show_field_errors(app: Flask, applicant: Citizen,
                                                change: dict[str, str],
                                                expected: list[tuple[str, str]]) -> None:
    client = sign_in(app, applicant)
    html = submit(client, first_page(client), **{**PARTNER, **change})
    assert shown_errors(html) == expected


def test_foreign_partner_asks_a_passport_and_names_the_province(app: Flask,
                                                                applicant: Citizen) -> None:
    client = sign_in(app, applicant)
    fields = {k: v for k, v in PARTNER.items()
              if not k.startswith(("partner.personal_id", "partner.residence",
                                   "registration_office"))}
    start = first_page(client)
    phone = re.search(r'name="phone"[^>]*value="([^"]*)"', start)
    assert phone
    html = submit(client, start, **{**fields, "partner.nationality": "FR"})
    assert shown_errors(html) == [("/partner/identity_document/kind", "required"),
                                  ("/partner/identity_document/number", "required"),
                                  ("/partner/foreign_residence", "required"),
                                  ("/partner/marital_status", "required")]
    assert "Department of Justice" in html
    done = submit(client, html, **{
        **fields, "phone": phone.group(1), "partner.nationality": "FR",
        "partner.identity_document.kind": "passport",
        "partner.identity_document.number": "19AB12345",
        "partner.foreign_residence": "3 rue de la Paix, 75002 Paris, France",
        "partner.marital_status": "single"})
    answers = accepted_record(done)["answers"]
    assert answers["partner"]["identity_document"] == {"kind": "passport",
                                                       "number": "19AB12345"}
    assert "registration_office" not in answers


def test_married_in_the_register_is_explained_not_a_dead_end(app: Flask,
                                                             married: Citizen) -> None:
    client = sign_in(app, married)
    html = first_page(client)
    assert locked_value(html, "marital_status") == "Married"
    assert "The National Population Database says you are married" in html
    html = submit(client, html, **PARTNER, previous_marriage="still_married")
    assert shown_errors(html) == [("/previous_marriage", "not")]
    assert "You cannot register a marriage while your current marriage continues" in html
    done = submit(client, html, **PARTNER, previous_marriage="divorced", marriage_number="2")
    answers = accepted_record(done)["answers"]
    assert (answers["previous_marriage"], answers["marriage_number"]) == ("divorced", 2)


def test_coverage_for_the_applicant(population_file: Path, applicant: Citizen) -> None:
    definition = load_definition(BUNDLED / "marriage-registration.json")
    everyone = {d["personal_id"]: d for d in read_documents(population_file)}
    snapshot = take(definition, records_of(everyone[applicant.personal_id], everyone),
                    source="test", fetched_at="")
    # Nobody agreed yet: the partner is typed. A Vietnamese partner typed by hand adds their
    # ID and residence (3), and the registration office: 57 %.
    by_hand = {"partner": {"nationality": "VN"}}
    assert coverage(definition, snapshot, by_hand) == Coverage(definition.id, 23, 13)
    # The typical case: the partner agrees with their own sign-in, and their record fills
    # in their name (3), date of birth, nationality, ID and residence (3).
    other = next(d for d in everyone.values() if single_adult(d)
                 and d["sex"] != applicant.sex)
    agreed = take(definition, records_of(everyone[applicant.personal_id], everyone, other),
                  source="test", fetched_at="")
    found = coverage(definition, agreed)
    assert found == Coverage(definition.id, 23, 22), found
    assert coverage(definition, snapshot, {}) == Coverage(definition.id, 18, 13)
