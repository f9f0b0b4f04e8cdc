"""Worked example of form_definitions/temporary-absence-declaration.json: a young man of
military-service age, living with his parents, declares that he is going away to work; who
he is, where he lives and his household come from the register."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.definitions.loader import load_definition
from formengine.prefilling.coverage import coverage, records_of
from formengine.prefilling.snapshot import take
from prefill import admin_units
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import BUNDLED, accepted_record, shown_errors
from tests.demo import demo_app, editable, locked_values, open_form, send_all, sign_in

PROCEDURE = "temporary-absence-declaration"
FORM = f"/forms/{PROCEDURE}"

#: What the citizen types: going to work in Hồ Chí Minh City for a year and a half.
TYPED = {
    "category": "military",
    "date_from.day": "1", "date_from.month": "9", "date_from.year": "2026",
    "date_to.day": "28", "date_to.month": "2", "date_to.year": "2028",
    "reason": "Đi làm việc tại Thành phố Hồ Chí Minh",
    "destination.province_code": "79", "destination.commune_code": "26740",
    "destination.detail": "12 Lê Lợi",
}


@pytest.fixture(scope="module")
def documents(population_file: Path) -> dict[str, dict[str, Any]]:
    return {doc["personal_id"]: doc for doc in read_documents(population_file)}


@pytest.fixture(scope="module")
def citizen(documents: dict[str, dict[str, Any]]) -> Citizen:
    """A son born 1999-2008 (military-service age in 2026) in a household of three or more,
    with a full date of birth, a phone and a permanent residence with current codes."""
    for doc in documents.values():
        c = Citizen.model_validate(doc)
        if (c.date_of_death is None and c.sex == "male" and c.relationship_to_head == "child"
                and c.date_of_birth is not None and c.date_of_birth.is_complete
                and 1999 <= c.date_of_birth.year <= 2008
                and c.household is not None and len(c.household.members) >= 3
                and c.phone is not None and c.permanent_residence is not None
                and c.permanent_residence.commune_code is not None):
            return c
    raise AssertionError("no such citizen in the session population")


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return demo_app(population_file, tmp_path)


@pytest.fixture
def signed_in(app: Flask, citizen: Citizen) -> FlaskClient:
    return sign_in(app, citizen)


def first_page(client: FlaskClient) -> str:
    return open_form(client, FORM)


def submit(client: FlaskClient, html: str, fields: dict[str, str]) -> str:
    return send_all(client, FORM, html, fields)


# --- prefill ------------------------------------------------------------------------------


def test_the_person_and_the_residence_come_from_the_register(
        signed_in: FlaskClient, citizen: Citizen) -> None:
    html = first_page(signed_in)
    shown = locked_values(html)
    residence = citizen.permanent_residence
    assert residence is not None and residence.commune_code and residence.province_code
    commune = admin_units.commune(residence.commune_code)
    province = admin_units.province(residence.province_code)
    assert commune is not None and province is not None and citizen.date_of_birth is not None
    assert set(shown) == {
        "f-full_name-family", "f-full_name-middle", "f-full_name-given", "f-personal_id",
        "f-date_of_birth", "f-sex", "f-permanent_residence-province_code",
        "f-permanent_residence-commune_code", "f-permanent_residence-detail"}
    assert shown["f-full_name-family"] == citizen.full_name.family
    assert shown["f-full_name-given"] == citizen.full_name.given
    assert shown["f-full_name-middle"] in (citizen.full_name.middle,
                                           "Not recorded in the register")
    assert shown["f-personal_id"] == citizen.personal_id
    assert str(citizen.date_of_birth.year) in shown["f-date_of_birth"]
    assert shown["f-sex"] == "Male"
    assert province.name in shown["f-permanent_residence-province_code"]
    assert shown["f-permanent_residence-commune_code"] == commune.full_name
    assert shown["f-permanent_residence-detail"] == residence.detail
    assert editable(html)["phone"] == citizen.phone
    assert 'name="personal_id"' not in html and 'name="date_of_birth.year"' not in html


def test_the_household_is_listed_from_the_register(signed_in: FlaskClient,
                                                   citizen: Citizen) -> None:
    html = signed_in.get(FORM + "?lang=en&page=members").get_data(as_text=True)
    assert citizen.household is not None
    others = [m.personal_id for m in citizen.household.members
              if m.personal_id != citizen.personal_id]
    for index, personal_id in enumerate(others):
        assert locked_values(html)[f"f-members-{index}-personal_id"] == personal_id
        assert f'name="members.{index}.goes_too"' in html
    assert 'value="add:members"' not in html  # the register's rows: none added or removed


# --- a valid submission -------------------------------------------------------------------


def test_going_away_to_work_is_accepted(signed_in: FlaskClient, citizen: Citizen) -> None:
    assert citizen.household is not None
    rows = {f"members.{i}._row": "1" for i in range(len(citizen.household.members) - 1)}
    done = submit(signed_in, first_page(signed_in), {**TYPED, **rows})
    assert shown_errors(done) == []
    record = accepted_record(done)
    answers = record["answers"]
    assert answers["personal_id"] == citizen.personal_id
    assert answers["full_name"]["family"] == citizen.full_name.family
    assert answers["sex"] == "male" and answers["phone"] == citizen.phone
    residence = citizen.permanent_residence
    assert residence is not None
    assert answers["permanent_residence"]["commune_code"] == residence.commune_code
    assert {k: answers[k] for k in ("category", "date_from", "date_to", "reason",
                                    "destination")} == {
        "category": "military", "date_from": "2026-09-01", "date_to": "2028-02-28",
        "reason": "Đi làm việc tại Thành phố Hồ Chí Minh",
        "destination": {"province_code": "79", "commune_code": "26740",
                        "detail": "12 Lê Lợi"}}
    assert [m["goes_too"] for m in answers["members"]] == [False] * len(rows)
    assert "decision_number" not in answers
    assert record["provenance"]["/date_of_birth"]["mode"] == "locked"
    assert record["provenance"]["/reason"] == {"source": "declared"}


# --- invalid submissions ------------------------------------------------------------------


def test_missing_return_date_and_a_short_reason(signed_in: FlaskClient) -> None:
    fields = {**TYPED, "reason": "Đi", "date_to.day": "", "date_to.month": "",
              "date_to.year": ""}
    errors = shown_errors(submit(signed_in, first_page(signed_in), fields))
    assert sorted(errors) == [("/date_to", "required"), ("/reason", "minLength")]


def test_a_banned_person_needs_the_permission_document(signed_in: FlaskClient) -> None:
    fields = {**TYPED, "category": "accused", "decision_number": "QĐ số 15"}
    errors = shown_errors(submit(signed_in, first_page(signed_in), fields))
    assert sorted(errors) == [("/decision_number", "pattern"),
                              ("/supervising_authority", "required")]


def test_an_impossible_date_and_a_commune_of_another_province(signed_in: FlaskClient) -> None:
    fields = {**TYPED, "date_from.day": "30", "date_from.month": "2",
              "destination.commune_code": "00004"}  # Ba Đình, Hà Nội: not in province 79
    errors = shown_errors(submit(signed_in, first_page(signed_in), fields))
    assert sorted(errors) == [("/date_from", "format"),
                              ("/destination/commune_code", "x-commune-of")]


# --- coverage -----------------------------------------------------------------------------


def test_most_fields_come_from_the_register(citizen: Citizen,
                                            documents: dict[str, dict[str, Any]]) -> None:
    definition = load_definition(BUNDLED / f"{PROCEDURE}.json")
    snapshot = take(definition, records_of(documents[citizen.personal_id], documents),
                    source="test", fetched_at="")
    found = coverage(definition, snapshot)
    assert found.share >= 0.7, json.dumps(found.to_json())
