"""Worked example of form_definitions/ct01-residence-change.json (CT01, Circular
66/2023/TT-BCA): a synthetic citizen signs in, finds identity, residence and household filled
in from the register, and types only the request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.definitions.loader import load_definition
from formengine.prefilling.coverage import Coverage, coverage, records_of
from formengine.prefilling.snapshot import take
from prefill import admin_units
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import BUNDLED, accepted_record, shown_errors
from tests.demo import demo_app, editable, locked_values, open_form, send_all, sign_in

PROCEDURE = "ct01-residence-change"
FORM = f"/forms/{PROCEDURE}"

#: What the citizen types for a permanent registration at a rented home in Hồ Chí Minh City.
TYPED = {
    "case": "permanent_registration",
    "new_address.province_code": "79", "new_address.commune_code": "26740",
    "new_address.detail": "12 Lê Lợi",
    "residence_basis": "rented",
    "owner.full_name.family": "Phạm", "owner.full_name.given": "Dũng",
    "owner.personal_id": "079070012345",
    "join_household": "false",
}


@pytest.fixture(scope="module")
def documents(population_file: Path) -> dict[str, dict[str, Any]]:
    return {doc["personal_id"]: doc for doc in read_documents(population_file)}


@pytest.fixture(scope="module")
def citizen(documents: dict[str, dict[str, Any]]) -> Citizen:
    """A married adult who is not the head, in a household of three or more, with a full
    date of birth, a phone and a permanent residence with current codes."""
    for doc in documents.values():
        c = Citizen.model_validate(doc)
        if (c.date_of_death is None and c.marital_status == "married"
                and c.relationship_to_head not in (None, "head")
                and c.household is not None and len(c.household.members) >= 3
                and c.date_of_birth is not None and c.date_of_birth.is_complete
                and c.date_of_birth.year <= 2000 and c.phone is not None
                and c.permanent_residence is not None
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


def spouse_row(citizen: Citizen) -> int:
    """The row of the citizen's spouse among the other household members (head first)."""
    assert citizen.household is not None and citizen.spouse is not None
    assert citizen.spouse.personal_id is not None
    others = [m.personal_id for m in citizen.household.members
              if m.personal_id != citizen.personal_id]
    return others.index(citizen.spouse.personal_id)


# --- prefill ------------------------------------------------------------------------------


def test_identity_residence_and_household_come_from_the_register(
        signed_in: FlaskClient, citizen: Citizen, documents: dict[str, dict[str, Any]]) -> None:
    html = first_page(signed_in)
    shown = locked_values(html)
    residence = citizen.permanent_residence
    assert residence is not None and residence.commune_code and citizen.household
    head = documents[citizen.household.head_id]
    commune = admin_units.commune(residence.commune_code)
    assert commune is not None
    assert shown == {
        "f-full_name-family": citizen.full_name.family,
        "f-full_name-middle": citizen.full_name.middle or "Not recorded in the register",
        "f-full_name-given": citizen.full_name.given,
        "f-personal_id": citizen.personal_id,
        "f-date_of_birth": shown["f-date_of_birth"],
        "f-sex": {"male": "Male", "female": "Female"}[str(citizen.sex)],
        "f-permanent_residence-province_code": shown["f-permanent_residence-province_code"],
        "f-permanent_residence-commune_code": commune.full_name,
        "f-permanent_residence-detail": residence.detail,
        "f-head_full_name-family": head["full_name"]["family"],
        "f-head_full_name-middle": head["full_name"]["middle"] or "Not recorded in the register",
        "f-head_full_name-given": head["full_name"]["given"],
        "f-head_personal_id": head["personal_id"],
        "f-relationship_to_head": shown["f-relationship_to_head"],
    }
    assert citizen.date_of_birth is not None
    assert str(citizen.date_of_birth.year) in shown["f-date_of_birth"]
    province = admin_units.province(str(residence.province_code))
    assert province is not None and province.name in shown[
        "f-permanent_residence-province_code"]
    assert shown["f-relationship_to_head"] != ""
    # Contact data is filled in but stays editable; nothing of identity is an input.
    assert editable(html)["phone"] == citizen.phone
    assert 'name="personal_id"' not in html and 'name="full_name.given"' not in html


# --- a valid submission -------------------------------------------------------------------


def test_permanent_registration_with_the_spouse_is_accepted(
        signed_in: FlaskClient, citizen: Citizen) -> None:
    html = first_page(signed_in)
    row = spouse_row(citizen)
    assert citizen.household is not None
    # The members page as a browser sends it: each row's marker, the spouse's box ticked.
    rows = {f"members.{i}._row": "1" for i in range(len(citizen.household.members) - 1)}
    done = submit(signed_in, html, {**TYPED, **rows, f"members.{row}.changes_too": "true",
                                    # a forged change of a locked answer is ignored
                                    "full_name.given": "Giả"})
    assert shown_errors(done) == []
    record = accepted_record(done)
    answers = record["answers"]
    assert answers["full_name"]["given"] == citizen.full_name.given
    assert answers["personal_id"] == citizen.personal_id
    assert answers["phone"] == citizen.phone
    assert answers["case"] == "permanent_registration"
    assert answers["new_address"] == {"province_code": "79", "commune_code": "26740",
                                      "detail": "12 Lê Lợi"}
    assert answers["residence_basis"] == "rented"
    assert answers["owner"] == {"full_name": {"family": "Phạm", "given": "Dũng"},
                                "personal_id": "079070012345"}
    assert answers["join_household"] is False
    assert citizen.household is not None
    assert len(answers["members"]) == len(citizen.household.members) - 1
    moving = [m["personal_id"] for m in answers["members"] if m["changes_too"]]
    assert citizen.spouse is not None and moving == [citizen.spouse.personal_id]
    provenance = record["provenance"]
    assert provenance["/personal_id"]["mode"] == "locked"
    assert provenance["/head_personal_id"]["subject"] == "household_head"
    assert provenance["/new_address/commune_code"] == {"source": "declared"}
    assert not {"duration_months", "host_head", "deregistration_of"} & answers.keys()


# --- invalid submissions ------------------------------------------------------------------


def test_no_request_chosen(signed_in: FlaskClient) -> None:
    errors = shown_errors(submit(signed_in, first_page(signed_in), {}))
    assert errors == [("/case", "required")]


def test_temporary_registration_too_long_and_without_basis(signed_in: FlaskClient) -> None:
    fields = {**TYPED, "case": "temporary_registration", "duration_months": "36"}
    del fields["residence_basis"]
    errors = shown_errors(submit(signed_in, first_page(signed_in), fields))
    assert ("/duration_months", "maximum") in errors
    assert ("/residence_basis", "required") in errors
    assert all(pointer.startswith(("/duration_months", "/residence_basis"))
               for pointer, _ in errors)


def test_joining_a_household_as_its_head_in_another_province(signed_in: FlaskClient) -> None:
    fields = {**TYPED, "new_address.commune_code": "00004",  # Ba Đình is in Hà Nội, not 79
              "join_household": "true", "relationship_to_host": "head",
              "host_head.full_name.family": "Lê", "host_head.full_name.given": "Hoa"}
    errors = shown_errors(submit(signed_in, first_page(signed_in), fields))
    assert sorted(errors) == [("/host_head/personal_id", "required"),
                              ("/new_address/commune_code", "x-commune-of"),
                              ("/relationship_to_host", "not")]


def test_split_and_deregistration_ask_their_own_questions(signed_in: FlaskClient) -> None:
    html = first_page(signed_in)
    split = shown_errors(submit(signed_in, html, {"case": "household_split",
                                                  "new_head": "other_member"}))
    assert split == [("/new_head_personal_id", "required")]
    gone = shown_errors(submit(signed_in, html, {"case": "deregistration",
                                                 "deregistration_of": "permanent",
                                                 "deregistration_reason": "other"}))
    assert gone == [("/reason_other", "required")]


# --- coverage -----------------------------------------------------------------------------


def test_most_fields_come_from_the_register(citizen: Citizen,
                                            documents: dict[str, dict[str, Any]]) -> None:
    definition = load_definition(BUNDLED / f"{PROCEDURE}.json")
    snapshot = take(definition, records_of(documents[citizen.personal_id], documents),
                    source="test", fetched_at="")
    # The typical answers: a permanent registration into a relative's household. Before the
    # head of that household agrees, the new address (3), the basis, the owner (4), joining,
    # the host head (4) and the relationship to them are typed: 69 %.
    assert coverage(definition, snapshot) == Coverage(PROCEDURE, 72, 50)
    assert coverage(definition, snapshot, {}) == Coverage(PROCEDURE, 58, 50)
    # The head agrees with their own sign-in (their agreement is the law's): their name (3),
    # ID and permanent residence, the address registered (3), come from their record.
    head = next(d for d in documents.values() if d["personal_id"] != citizen.personal_id
                and d.get("relationship_to_head") == "head" and d.get("permanent_residence")
                and not d.get("date_of_death"))
    agreed = take(definition, records_of(documents[citizen.personal_id], documents, head),
                  source="test", fetched_at="")
    found = coverage(definition, agreed)
    assert found == Coverage(PROCEDURE, 72, 57), json.dumps(found.to_json())
