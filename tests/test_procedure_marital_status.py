"""Worked example: marital-status certificate (form_definitions/marital-status-certificate.json).

A married adult of the session population signs in: their identity, residence and marital
status, and their spouse, come locked from the register; they type only the period of
residence to cover and what the certificate is for.
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
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import BUNDLED, accepted_record, shown_errors
from tests.demo import demo_app, locked_value, open_form, send_all, sign_in

FORM = "/forms/marital-status-certificate"
REQUEST = {"period_from.day": "1", "period_from.month": "7", "period_from.year": "2018",
           "period_to.day": "15", "period_to.month": "6", "period_to.year": "2026",
           "purpose": "loan"}


@pytest.fixture(scope="module")
def people(population_file: Path) -> list[dict[str, Any]]:
    return list(read_documents(population_file))


def married_adult(doc: dict[str, Any]) -> bool:
    """A living married adult whose spouse the register links by ID, with a phone."""
    citizen = Citizen.model_validate(doc)
    residence = citizen.permanent_residence
    return (citizen.date_of_death is None and citizen.marital_status == "married"
            and citizen.spouse is not None and citizen.spouse.personal_id is not None
            and citizen.phone is not None and residence is not None
            and residence.province_code is not None)


@pytest.fixture(scope="module")
def applicant(people: list[dict[str, Any]]) -> Citizen:
    return Citizen.model_validate(next(d for d in people if married_adult(d)))


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return demo_app(population_file, tmp_path)


def first_page(client: FlaskClient) -> str:
    return open_form(client, FORM)


def submit(client: FlaskClient, html: str, **fields: str) -> str:
    return send_all(client, FORM, html, fields)


def test_identity_status_and_spouse_come_from_the_register(app: Flask,
                                                            applicant: Citizen) -> None:
    html = first_page(sign_in(app, applicant))
    assert locked_value(html, "personal_id") == applicant.personal_id
    assert locked_value(html, "full_name.family") == applicant.full_name.family
    assert locked_value(html, "full_name.given") == applicant.full_name.given
    assert locked_value(html, "marital_status") == "Married"
    assert applicant.permanent_residence is not None
    assert locked_value(html, "residence.detail") == applicant.permanent_residence.detail
    spouse = applicant.spouse
    assert spouse is not None
    assert locked_value(html, "spouse.personal_id") == spouse.personal_id
    assert locked_value(html, "spouse.full_name.given") == spouse.full_name.given
    assert 'name="personal_id"' not in html and 'name="spouse.personal_id"' not in html
    assert re.search(r'data-prefilled="editable"[^>]*name="phone"', html)


def test_valid_request_is_accepted(app: Flask, applicant: Citizen) -> None:
    client = sign_in(app, applicant)
    record = accepted_record(submit(client, first_page(client), **REQUEST))
    answers = record["answers"]
    assert answers["personal_id"] == applicant.personal_id
    assert answers["marital_status"] == "married"
    assert applicant.spouse is not None
    assert answers["spouse"]["personal_id"] == applicant.spouse.personal_id
    assert (answers["period_from"], answers["period_to"], answers["purpose"]) == (
        "2018-07-01", "2026-06-15", "loan")
    assert record["provenance"]["/spouse/personal_id"]["subject"] == "spouse"
    assert record["provenance"]["/purpose"] == {"source": "declared"}


@pytest.mark.parametrize(("change", "expected"), [
    ({"period_from.day": "", "period_from.month": "", "period_from.year": ""},
     [("/period_from", "required")]),
    ({"period_to.day": "31", "period_to.month": "2"}, [("/period_to", "format")]),
    # For marrying, the person to be married and the place must be given.
    ({"purpose": "marriage"}, [("/intended_spouse/full_name/family", "required"),
                               ("/intended_spouse/full_name/given", "required"),
                               ("/intended_spouse/date_of_birth", "required"),
                               ("/intended_spouse/nationality", "required"),
                               ("/intended_place", "required")]),
])
def test_invalid_requests_show_field_errors(app: Flask, applicant: Citizen,
                                            change: dict[str, str],
                                            expected: list[tuple[str, str]]) -> None:
    client = sign_in(app, applicant)
    html = submit(client, first_page(client), **{**REQUEST, **change})
    assert shown_errors(html) == expected


def test_marriage_purpose_names_the_intended_spouse(app: Flask, applicant: Citizen) -> None:
    client = sign_in(app, applicant)
    done = submit(client, first_page(client), **{
        **REQUEST, "purpose": "marriage", "intended_spouse.full_name.family": "Smith",
        "intended_spouse.full_name.given": "Anna", "intended_spouse.date_of_birth.day": "12",
        "intended_spouse.date_of_birth.month": "5", "intended_spouse.date_of_birth.year": "1990",
        "intended_spouse.nationality": "GB", "intended_spouse.identity_document.kind": "passport",
        "intended_spouse.identity_document.number": "123456789",
        "intended_place": "Đại sứ quán Anh"})
    answers = accepted_record(done)["answers"]
    assert answers["intended_spouse"]["date_of_birth"] == "1990-05-12"
    assert answers["intended_spouse"]["identity_document"]["kind"] == "passport"


def test_coverage_for_the_applicant(population_file: Path, applicant: Citizen) -> None:
    definition = load_definition(BUNDLED / "marital-status-certificate.json")
    everyone = {d["personal_id"]: d for d in read_documents(population_file)}
    snapshot = take(definition, records_of(everyone[applicant.personal_id], everyone),
                    source="test", fetched_at="")
    # The typical answers: a certificate for marrying. Nobody agreed yet: the person to
    # marry is typed (name, date of birth, nationality; a Vietnamese one's ID too) and the
    # place: below the target.
    assert coverage(definition, snapshot) == Coverage(definition.id, 28, 19)
    by_hand = {"purpose": "marriage", "intended_spouse": {"nationality": "VN"}}
    assert coverage(definition, snapshot, by_hand) == Coverage(definition.id, 29, 19)
    # The person to marry agrees with their own sign-in: their record fills them in.
    other = next(d for d in everyone.values() if d["personal_id"] != applicant.personal_id
                 and d.get("nationality") == "VN" and not d.get("date_of_death"))
    agreed = take(definition, records_of(everyone[applicant.personal_id], everyone, other),
                  source="test", fetched_at="")
    found = coverage(definition, agreed)
    assert found == Coverage(definition.id, 29, 25), found
    assert coverage(definition, snapshot, {}) == Coverage(definition.id, 22, 19)
