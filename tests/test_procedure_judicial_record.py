"""Worked example: the judicial record certificate (form_definitions/
judicial-record-certificate.json, Form 03/2013/TT-LLTP) for a married man whose parents and
wife are in his register record: what is filled in, a valid request, three invalid ones
and the share of fields from data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.prefilling.coverage import coverage, records_of
from formengine.prefilling.snapshot import take
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import accepted_record, form_state, shown_errors
from tests.demo import NOT_RECORDED, demo_app, hidden, locked_value, name_parts, sign_in

FORM = "/forms/judicial-record-certificate"
PROCEDURE = "judicial-record-certificate"

#: Only what the state cannot know: where he lived since 14, and the request.
TYPED = {
    "residence_history.0.from.month": "9", "residence_history.0.from.year": "1998",
    "residence_history.0.address": "Thôn Long Hòa, xã Đức Hương, huyện Vũ Quang, Hà Tĩnh",
    "residence_history.0.occupation": "Giáo viên",
    "residence_history.0.workplace": "Trường THCS Đức Hương",
    "residence_history.1.from.month": "9", "residence_history.1.from.year": "1977",
    "residence_history.1.to.month": "8", "residence_history.1.to.year": "1998",
    "residence_history.1.address": "Số 5 phố Huế, quận Hai Bà Trưng, Hà Nội",
    "residence_history.1.occupation": "Sinh viên",
    "record_type": "1", "prohibition_check": "true", "purpose": "employment", "copies": "3",
}


@pytest.fixture(scope="module")
def people(population_file: Path) -> dict[str, Citizen]:
    return {doc["personal_id"]: Citizen.model_validate(doc)
            for doc in read_documents(population_file)}


def _modern(address: Any) -> bool:
    return address is not None and address.province_code is not None and address.legacy is None


@pytest.fixture(scope="module")
def applicant(people: dict[str, Citizen]) -> Citizen:
    """A living married man whose record names his father, mother and wife, with a full
    date of birth, a phone, and addresses already in the post-2025 units."""
    return next(c for c in people.values()
                if c.date_of_death is None and c.sex == "male" and c.marital_status == "married"
                and c.father is not None and c.mother is not None and c.spouse is not None
                and c.date_of_birth is not None and c.date_of_birth.is_complete
                and c.phone is not None and c.household is not None
                and _modern(c.permanent_residence) and _modern(c.place_of_birth)
                and c.temporary_residence is None)


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return demo_app(population_file, tmp_path)


def open_page(client: FlaskClient, page: str = "applicant") -> str:
    response = client.get(f"{FORM}?page={page}&lang=en")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def send(client: FlaskClient, html: str, fields: dict[str, str]) -> str:
    """POST every typed answer at once and send; the page answered."""
    form = {"_page": "*", "_action": "submit", "_state": form_state(html),
            "_prefill": hidden(html, "_prefill"), "_key": hidden(html, "_key"), **fields}
    response = client.post(FORM + "?lang=en", data=form)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- what is filled in ------------------------------------------------------------------


def test_identity_is_locked_from_the_register(app: Flask, applicant: Citizen) -> None:
    html = open_page(sign_in(app, applicant))
    assert locked_value(html, "personal_id") == applicant.personal_id
    for part, value in name_parts(applicant.full_name).items():
        assert locked_value(html, f"full_name-{part}") == value
    assert locked_value(html, "sex") == "Male"
    assert applicant.date_of_birth is not None
    assert locked_value(html, "date_of_birth").endswith(str(applicant.date_of_birth.year))
    assert locked_value(html, "nationality") == "Vietnam"
    residence = applicant.permanent_residence
    assert residence is not None
    assert locked_value(html, "permanent_residence-detail") == residence.detail
    assert locked_value(html, "place_of_birth-commune_code")  # a commune name, not typed
    # No temporary residence in the register: locked empty, nothing to type.
    assert locked_value(html, "temporary_residence-province_code") == NOT_RECORDED
    assert 'name="temporary_residence.detail"' not in html
    # Contact data: filled in, editable.
    assert re.search(r'data-prefilled="editable" id="f-phone" name="phone" type="tel" '
                     rf'value="{re.escape(applicant.phone or "")}"', html)


def test_parents_and_spouse_come_from_the_register(app: Flask, applicant: Citizen) -> None:
    html = open_page(sign_in(app, applicant), "family")
    assert applicant.father and applicant.mother and applicant.spouse
    for who, ref in (("father", applicant.father), ("mother", applicant.mother),
                     ("spouse", applicant.spouse)):
        for part, value in name_parts(ref.full_name).items():
            assert locked_value(html, f"{who}-full_name-{part}") == value
        assert ref.date_of_birth is not None
        assert str(ref.date_of_birth.year) in locked_value(html, f"{who}-date_of_birth")
    assert locked_value(html, "marital_status") == "Married"


# --- sending ----------------------------------------------------------------------------


def test_valid_request_is_accepted_with_register_data(app: Flask, applicant: Citizen) -> None:
    client = sign_in(app, applicant)
    html = open_page(client)
    done = send(client, html, {**TYPED, "phone": applicant.phone or ""})
    record = accepted_record(done)
    answers = record["answers"]
    assert answers["personal_id"] == applicant.personal_id
    assert answers["full_name"] == name_parts(applicant.full_name)
    assert applicant.spouse is not None
    assert answers["spouse"]["full_name"] == name_parts(applicant.spouse.full_name)
    assert answers["residence_history"] == [
        {"from": "1998-09", "address": TYPED["residence_history.0.address"],
         "occupation": "Giáo viên", "workplace": "Trường THCS Đức Hương"},
        {"from": "1977-09", "to": "1998-08", "address": TYPED["residence_history.1.address"],
         "occupation": "Sinh viên"},
    ]
    assert (answers["record_type"], answers["prohibition_check"], answers["purpose"],
            answers["copies"]) == (1, True, "employment", 3)
    assert "temporary_residence" not in answers
    assert record["provenance"]["/personal_id"]["mode"] == "locked"
    assert record["provenance"]["/father/full_name/given"]["subject"] == "father"
    assert record["provenance"]["/copies"] == {"source": "declared"}


def without(fields: dict[str, str], *prefixes: str) -> dict[str, str]:
    return {k: v for k, v in fields.items() if not k.startswith(prefixes)}


@pytest.mark.parametrize(("change", "expected"), [
    # No residence history at all.
    (lambda f: without(f, "residence_history"), [("/residence_history", "required")]),
    # "Something else" without saying what; and a fourth copy beyond the limit of ten.
    (lambda f: {**f, "purpose": "other", "copies": "11"},
     [("/purpose_other", "required"), ("/copies", "maximum")]),
    # A period without its address, and a month that does not exist.
    (lambda f: {**without(f, "residence_history.1.address"),
                "residence_history.0.from.month": "13"},
     [("/residence_history/0/from", "format"), ("/residence_history/1/address", "required")]),
], ids=["no-history", "purpose-and-copies", "history-row"])
def test_invalid_requests_show_field_errors(app: Flask, applicant: Citizen, change: Any,
                                            expected: list[tuple[str, str]]) -> None:
    client = sign_in(app, applicant)
    html = send(client, open_page(client), change({**TYPED, "phone": applicant.phone or ""}))
    assert sorted(set(shown_errors(html))) == sorted(expected)
    assert 'id="accepted-data"' not in html


def test_record_two_asks_no_prohibition_check(app: Flask, applicant: Citizen) -> None:
    client = sign_in(app, applicant)
    fields = {**without(TYPED, "prohibition_check"), "record_type": "2",
              "phone": applicant.phone or ""}
    answers = accepted_record(send(client, open_page(client), fields))["answers"]
    assert answers["record_type"] == 2 and "prohibition_check" not in answers


# --- coverage ---------------------------------------------------------------------------


def test_most_fields_come_from_data(app: Flask, applicant: Citizen,
                                    people: dict[str, Citizen]) -> None:
    definition = app.extensions["formengine.catalog"].get(PROCEDURE)
    assert definition is not None
    docs = {pid: c.model_dump(mode="json") for pid, c in people.items()}
    records = records_of(docs[applicant.personal_id], docs)
    found = coverage(definition, take(definition, records, source="sqlite", fetched_at=""))
    assert found.share >= 0.7, found
