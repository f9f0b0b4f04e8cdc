"""Worked example: the newborn bundle (form_definitions/
newborn-birth-residence-health-insurance.json): birth registration, permanent residence and
a health insurance card for a child under 6 in one form and one submission, whose record
carries one linked part per procedure (formengine/submissions/bundle.py)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.definitions import load_definition
from formengine.definitions.loader import DefinitionError
from formengine.prefilling.coverage import coverage, records_of
from formengine.prefilling.snapshot import take
from formengine.submissions.bundle import split
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import BUNDLED, accepted_record, form_state, shown_errors
from tests.demo import demo_app, hidden, locked_value, name_parts, sign_in

PROCEDURE = "newborn-birth-residence-health-insurance"
FORM = f"/forms/{PROCEDURE}"

#: Only what the state cannot know yet: the child, where it was born, the health station.
TYPED = {
    "child_name.family": "Nguyễn", "child_name.middle": "Minh", "child_name.given": "An",
    "child_date_of_birth.day": "14", "child_date_of_birth.month": "6",
    "child_date_of_birth.year": "2026", "child_sex": "female",
    "place_of_birth_kind": "health_facility", "birth_facility": "Bệnh viện Phụ sản Hà Nội",
    "place_of_birth.province_code": "01", "place_of_birth.commune_code": "00004",
    "child_relationship_to_head": "child", "health_facility": "Trạm y tế phường Ba Đình",
}


@pytest.fixture(scope="module")
def people(population_file: Path) -> dict[str, Citizen]:
    return {doc["personal_id"]: Citizen.model_validate(doc)
            for doc in read_documents(population_file)}


def _modern(address: Any) -> bool:
    return address is not None and address.province_code is not None and address.legacy is None


@pytest.fixture(scope="module")
def mother(people: dict[str, Citizen]) -> Citizen:
    """A living married woman of child-bearing age whose husband has his own record, with
    a full date of birth, a phone and addresses in the post-2025 units."""
    def fits(c: Citizen) -> bool:
        spouse = people.get(c.spouse.personal_id or "") if c.spouse else None
        return (c.date_of_death is None and c.sex == "female" and c.marital_status == "married"
                and c.date_of_birth is not None and c.date_of_birth.is_complete
                and 1986 <= c.date_of_birth.year <= 2004 and c.phone is not None
                and c.household is not None and _modern(c.permanent_residence)
                and _modern(c.hometown) and spouse is not None
                and _modern(spouse.permanent_residence) and spouse.ethnicity is not None)
    return next(c for c in people.values() if fits(c))


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return demo_app(population_file, tmp_path)


def open_page(client: FlaskClient, page: str = "applicant") -> str:
    response = client.get(f"{FORM}?page={page}&lang=en")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def editable(c: Citizen) -> dict[str, str]:
    """The editable register answers as the form shows them (posted back unchanged)."""
    out = {"phone": c.phone or "", "child_ethnicity": c.ethnicity or "",
           "child_nationality": c.nationality or ""}
    for prefix, address in (("residence_address", c.permanent_residence),
                            ("child_hometown", c.hometown)):
        assert address is not None
        out[f"{prefix}.province_code"] = address.province_code or ""
        out[f"{prefix}.commune_code"] = address.commune_code or ""
        if prefix == "residence_address":
            out[f"{prefix}.detail"] = address.detail or ""
    if c.email:
        out["email"] = c.email
    return out


def send(client: FlaskClient, html: str, fields: dict[str, str]) -> str:
    form = {"_page": "*", "_action": "submit", "_state": form_state(html),
            "_prefill": hidden(html, "_prefill"), "_key": hidden(html, "_key"), **fields}
    response = client.post(FORM + "?lang=en", data=form)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- what is filled in ------------------------------------------------------------------


def test_parents_are_filled_in_from_the_register(app: Flask, mother: Citizen,
                                                 people: dict[str, Citizen]) -> None:
    client = sign_in(app, mother)
    html = open_page(client)
    assert locked_value(html, "personal_id") == mother.personal_id
    for part, value in name_parts(mother.full_name).items():
        assert locked_value(html, f"full_name-{part}") == value
    assert locked_value(html, "sex") == "Female"
    assert mother.permanent_residence is not None
    assert locked_value(html, "permanent_residence-detail") == mother.permanent_residence.detail
    assert re.search(rf'data-prefilled="editable" id="f-phone"[^>]*value="'
                     rf'{re.escape(mother.phone or "")}"', html)
    assert mother.spouse is not None and mother.spouse.personal_id
    father = people[mother.spouse.personal_id]
    html = open_page(client, "other-parent")
    assert locked_value(html, "other_parent-personal_id") == father.personal_id
    for part, value in name_parts(father.full_name).items():
        assert locked_value(html, f"other_parent-full_name-{part}") == value
    html = open_page(client, "child")
    assert 'name="child_name.given"' in html  # the child is not in the register yet
    ethnicity = re.search(r'<select[^>]*id="f-child_ethnicity".*?</select>', html, re.S)
    assert ethnicity and 'data-prefilled="editable"' in ethnicity.group(0)
    chosen = re.search(rf'<option[^>]*value="{mother.ethnicity}"[^>]*>', ethnicity.group(0))
    assert chosen and "selected" in chosen.group(0)
    html = open_page(client, "residence")
    head = people[mother.household.head_id] if mother.household else None
    assert head is not None
    assert locked_value(html, "household_head_id") == head.personal_id


# --- one submission, linked parts -------------------------------------------------------


def test_one_submission_carries_a_part_per_procedure(app: Flask, mother: Citizen) -> None:
    client = sign_in(app, mother)
    done = send(client, open_page(client), {**TYPED, **editable(mother)})
    record = accepted_record(done)
    answers = record["answers"]
    assert answers["child_name"] == {"family": "Nguyễn", "middle": "Minh", "given": "An"}
    assert answers["child_date_of_birth"] == "2026-06-14"
    assert answers["personal_id"] == mother.personal_id
    assert answers["child_ethnicity"] == mother.ethnicity
    assert record["provenance"]["/child_ethnicity"]["mode"] == "editable"
    assert record["provenance"]["/child_name/given"] == {"source": "declared"}
    parts = record["parts"]
    assert [p["procedure"] for p in parts] == [
        "birth-registration", "permanent-residence-registration",
        "health-insurance-card-under-6"]
    birth, residence, insurance = (p["answers"] for p in parts)
    assert birth["other_parent"]["personal_id"] == answers["other_parent"]["personal_id"]
    assert birth["birth_facility"] == TYPED["birth_facility"]
    assert "health_facility" not in birth
    assert residence["household_head_id"] == answers["household_head_id"]
    assert "other_parent" not in residence
    assert insurance["health_facility"] == TYPED["health_facility"]
    # One receipt listing the three linked procedures.
    assert done.count('id="receipt-number"') == 1
    listed = re.search(r'<ol id="bundle-parts">(.*?)</ol>', done, re.S)
    assert listed and re.findall(r"<li data-procedure=\"([^\"]+)\">", listed.group(1)) == [
        "birth-registration", "permanent-residence-registration",
        "health-insurance-card-under-6"]
    assert "Health insurance card for a child under 6" in listed.group(1)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda f: {k: v for k, v in f.items() if not k.startswith("child_name")},
     [("/child_name/family", "required"), ("/child_name/given", "required")]),
    (lambda f: {k: v for k, v in f.items() if k != "birth_facility"},
     [("/birth_facility", "required")]),
    (lambda f: {**f, "child_date_of_birth.month": "", "place_of_birth.commune_code": "26743"},
     [("/child_date_of_birth", "format"), ("/place_of_birth/commune_code", "x-commune-of")]),
], ids=["no-child-name", "no-facility", "date-and-commune"])
def test_invalid_submissions_show_field_errors(app: Flask, mother: Citizen, change: Any,
                                               expected: list[tuple[str, str]]) -> None:
    client = sign_in(app, mother)
    html = send(client, open_page(client), change({**TYPED, **editable(mother)}))
    assert sorted(set(shown_errors(html))) == sorted(expected)
    assert 'id="accepted-data"' not in html


def test_most_fields_come_from_data(app: Flask, mother: Citizen,
                                    people: dict[str, Citizen]) -> None:
    definition = app.extensions["formengine.catalog"].get(PROCEDURE)
    assert definition is not None
    docs = {pid: c.model_dump(mode="json") for pid, c in people.items()}
    snapshot = take(definition, records_of(docs[mother.personal_id], docs), source="sqlite",
                    fetched_at="")
    assert coverage(definition, snapshot).share >= 0.7


# --- the bundle keyword -----------------------------------------------------------------


def test_split_keeps_each_parts_answers_only() -> None:
    bundle = [{"procedure": "a", "title": "A", "answers": ["/x", "/y"]},
              {"procedure": "b", "title": {"vi": "B"}, "answers": ["/y", "/z"]}]
    assert split(bundle, {"x": 1, "y": {"k": 2}}) == [
        {"procedure": "a", "title": "A", "answers": {"x": 1, "y": {"k": 2}}},
        {"procedure": "b", "title": {"vi": "B"}, "answers": {"y": {"k": 2}}}]


def test_bundle_answer_that_is_no_property_is_an_error(tmp_path: Path) -> None:
    doc = json.loads((BUNDLED / f"{PROCEDURE}.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(doc)
    broken["x-procedure"]["bundle"][2]["answers"].append("/helth_facility")
    path = tmp_path / f"{PROCEDURE}.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "components").symlink_to(BUNDLED / "components")
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert any(p.pointer == "/x-procedure/bundle/2/answers/9"
               and "did you mean `health_facility`" in p.message for p in caught.value.problems)
