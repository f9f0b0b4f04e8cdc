"""Worked example of form_definitions/death-registration.json (đăng ký khai tử): an adult
registers the death of their father; the declarant and the father come from the register,
the death itself is typed."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.definitions import FormDefinition, load_definition
from formengine.prefilling.coverage import Coverage, coverage, records_of
from formengine.prefilling.snapshot import take
from prefill import admin_units
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import BUNDLED, accepted_record, form_state, shown_errors
from tests.demo import demo_app, hidden, locked_values, sign_in

PROCEDURE = "death-registration"
FORM = f"/forms/{PROCEDURE}"

#: What only the declarant can say: who died to them, when, where and of what.
DEATH = {
    "relationship": "father",
    "date_of_death.day": "21", "date_of_death.month": "6", "date_of_death.year": "2026",
    "time_of_death": "14:30", "died_at": "residence", "cause_of_death": "Tuổi già",
}


@pytest.fixture(scope="module")
def documents(population_file: Path) -> dict[str, dict[str, Any]]:
    return {doc["personal_id"]: Citizen.model_validate(doc).model_dump(mode="json")
            for doc in read_documents(population_file)}


def _complete(doc: dict[str, Any] | None) -> bool:
    """Alive, with a full birth date, an ethnicity and a residence in today's units."""
    if not doc or doc.get("date_of_death"):
        return False
    residence = doc.get("current_residence") or {}
    return (len(doc.get("date_of_birth") or "") == 10 and bool(doc.get("ethnicity"))
            and bool(residence.get("commune_code")))


@pytest.fixture(scope="module")
def declarant(documents: dict[str, dict[str, Any]]) -> Citizen:
    """An adult whose father is in the register, both records complete."""
    for doc in documents.values():
        father = documents.get((doc.get("father") or {}).get("personal_id") or "")
        if _complete(doc) and _complete(father) and int(doc["date_of_birth"][:4]) <= 2007:
            return Citizen.model_validate(doc)
    raise AssertionError("no such citizen in the session population")


@pytest.fixture(scope="module")
def father(declarant: Citizen, documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    assert declarant.father is not None and declarant.father.personal_id
    return documents[declarant.father.personal_id]


@pytest.fixture(scope="module")
def definition() -> FormDefinition:
    return load_definition(BUNDLED / f"{PROCEDURE}.json")


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return demo_app(population_file, tmp_path)


def first_page(client: FlaskClient) -> str:
    response = client.get(f"{FORM}?lang=en")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def post(client: FlaskClient, html: str, **fields: str) -> str:
    data = {"_state": form_state(html), "_prefill": hidden(html, "_prefill"), **fields}
    response = client.post(f"{FORM}?lang=en", data=data)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def phone_shown(html: str) -> dict[str, str]:
    """The editable phone as the page fills it in (what a browser sends back)."""
    match = re.search(r'<input[^>]*data-prefilled="editable"[^>]*name="phone"[^>]*value="([^"]*)"',
                      html)
    return {"phone": html_lib.unescape(match.group(1))} if match else {}


def submit(client: FlaskClient, **fields: str) -> str:
    """Send the whole form at once; locked answers are not sent (the register's are used)."""
    html = first_page(client)
    return post(client, html, _page="*", _action="submit", **phone_shown(html), **fields)


def commune(code: str | None) -> str:
    unit = admin_units.commune(code or "")
    assert unit is not None
    return unit.full_name


# --- prefill ----------------------------------------------------------------------------


def test_the_declarant_is_filled_in_from_the_register(app: Flask, declarant: Citizen) -> None:
    html = first_page(sign_in(app, declarant))
    shown = locked_values(html)
    assert shown["f-personal_id"] == declarant.personal_id
    assert shown["f-full_name-family"] == declarant.full_name.family
    assert shown["f-full_name-given"] == declarant.full_name.given
    residence = declarant.current_residence
    assert residence is not None
    assert shown["f-residence-commune_code"] == commune(residence.commune_code)
    assert 'name="personal_id"' not in html and 'name="relationship"' in html
    if declarant.phone:
        assert phone_shown(html)


def test_a_deceased_father_comes_from_the_register(app: Flask, declarant: Citizen,
                                                  father: dict[str, Any]) -> None:
    client = sign_in(app, declarant)
    html = post(client, first_page(client), _page="declarant", _action="next",
                relationship="father", **phone_shown(first_page(client)))
    shown = locked_values(html)
    assert shown["f-deceased_father-personal_id"] == father["personal_id"]
    assert shown["f-deceased_father-full_name-given"] == father["full_name"]["given"]
    assert shown["f-deceased_father-sex"] == "Male"
    assert shown["f-deceased_father-residence-commune_code"] == commune(
        father["current_residence"]["commune_code"])
    assert 'name="deceased.personal_id"' not in html  # the typed group is for others only


# --- submission -------------------------------------------------------------------------


def test_valid_submission_carries_register_and_typed_answers(
        app: Flask, declarant: Citizen, father: dict[str, Any]) -> None:
    record = accepted_record(submit(sign_in(app, declarant), **DEATH))
    answers = record["answers"]
    assert answers["personal_id"] == declarant.personal_id
    assert answers["deceased_father"]["personal_id"] == father["personal_id"]
    assert answers["deceased_father"]["date_of_birth"] == father["date_of_birth"]
    assert answers["deceased_father"]["residence"]["commune_code"] == father[
        "current_residence"]["commune_code"]
    assert {k: answers[k] for k in ("relationship", "date_of_death", "time_of_death",
                                    "died_at", "cause_of_death")} == {
        "relationship": "father", "date_of_death": "2026-06-21", "time_of_death": "14:30",
        "died_at": "residence", "cause_of_death": "Tuổi già"}
    assert "deceased" not in answers and "place_of_death" not in answers
    provenance = record["provenance"]
    assert provenance["/deceased_father/personal_id"]["subject"] == "father"
    assert provenance["/deceased_father/personal_id"]["mode"] == "locked"
    assert provenance["/cause_of_death"] == {"source": "declared"}


def test_a_child_is_typed_and_checked(app: Flask, declarant: Citizen) -> None:
    answers = accepted_record(submit(sign_in(app, declarant), **{
        **DEATH, "relationship": "child", "died_at": "health_facility",
        "death_notice_number": "45/2026",
        "place_of_death.province_code": "01", "place_of_death.commune_code": "00004",
        "place_of_death.detail": "Bệnh viện Bạch Mai",
        "deceased.full_name.family": "Lê", "deceased.full_name.given": "Nam",
        "deceased.personal_id": "001205012345", "deceased.date_of_birth.year": "2005",
        "deceased.sex": "male", "deceased.ethnicity": "01", "deceased.nationality": "VN",
        "deceased.residence.province_code": "01", "deceased.residence.commune_code": "00004",
        "deceased.residence.detail": "5 Phố Huế"}))["answers"]
    assert answers["deceased"]["personal_id"] == "001205012345"
    assert answers["deceased"]["date_of_birth"] == "2005"
    assert "deceased_father" not in answers


@pytest.mark.parametrize(("changes", "expected"), [
    ({"cause_of_death": "", "date_of_death.day": ""},
     [("/date_of_death", "format"), ("/cause_of_death", "required")]),
    ({"relationship": "other", "relationship_other": "Anh trai",
      "deceased.full_name.family": "Lê",
      "deceased.full_name.given": "Nam", "deceased.personal_id": "001205012345",
      "deceased.date_of_birth.year": "1950", "deceased.sex": "female",
      "deceased.ethnicity": "01", "deceased.nationality": "VN",
      "deceased.residence.province_code": "01", "deceased.residence.commune_code": "00004",
      "deceased.residence.detail": "5 Phố Huế"},
     [("/deceased/personal_id", "x-personal-id-check")]),
    ({"died_at": "health_facility", "time_of_death": "25:10"},
     [("/time_of_death", "pattern"), ("/place_of_death/province_code", "required"),
      ("/place_of_death/commune_code", "required"), ("/place_of_death/detail", "required"),
      ("/death_notice_number", "required")]),
], ids=["missing-date-part-and-cause", "typed-deceased-id-mismatch", "hospital-without-notice"])
def test_invalid_submissions_show_field_errors(app: Flask, declarant: Citizen,
                                               changes: dict[str, str],
                                               expected: list[tuple[str, str]]) -> None:
    shown = shown_errors(submit(sign_in(app, declarant), **{**DEATH, **changes}))
    assert sorted(shown) == sorted(expected)


# --- coverage ---------------------------------------------------------------------------


def test_most_fields_come_from_the_register(definition: FormDefinition, declarant: Citizen,
                                            documents: dict[str, dict[str, Any]]) -> None:
    """Coverage with the typical answers (the deceased is the declarant's father, who died
    at home): the father's 11 fields are counted, all from the register."""
    records = records_of(documents[declarant.personal_id], documents)
    snapshot = take(definition, records, source="sqlite", fetched_at="")
    found = coverage(definition, snapshot)
    assert found == Coverage(PROCEDURE, 24, 19), found  # 79 %
    assert coverage(definition, snapshot, {}) == Coverage(PROCEDURE, 13, 8)
