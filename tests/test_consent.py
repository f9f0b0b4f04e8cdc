"""Co-applicants (formengine/web/consent.py): the other party of a marriage lets the
applicant's form use their register record, with their own sign-in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.web.consent import ITEMS
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import accepted_record, form_state
from tests.demo import demo_app, hidden, locked_value, locked_values, send_all, sign_in

FORM = "/forms/marriage-registration"


def single(doc: dict[str, Any], sex: str) -> bool:
    citizen = Citizen.model_validate(doc)
    residence = citizen.permanent_residence
    return (citizen.date_of_death is None and citizen.marital_status == "single"
            and citizen.sex == sex and citizen.nationality == "VN"
            and citizen.date_of_birth is not None and citizen.date_of_birth.is_complete
            and 1975 <= citizen.date_of_birth.year <= 2000
            and residence is not None and residence.province_code is not None)


@pytest.fixture(scope="module")
def people(population_file: Path) -> list[dict[str, Any]]:
    return list(read_documents(population_file))


@pytest.fixture(scope="module")
def applicant(people: list[dict[str, Any]]) -> Citizen:
    return Citizen.model_validate(next(d for d in people if single(d, "male")))


@pytest.fixture(scope="module")
def partner(people: list[dict[str, Any]]) -> Citizen:
    return Citizen.model_validate(next(d for d in people if single(d, "female")))


@pytest.fixture(scope="module")
def stranger(people: list[dict[str, Any]], applicant: Citizen, partner: Citizen) -> Citizen:
    return Citizen.model_validate(next(
        d for d in people if single(d, "female") and d["personal_id"] != partner.personal_id))


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return demo_app(population_file, tmp_path)


def partner_page(client: FlaskClient) -> str:
    response = client.get(FORM + "?page=partner&lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post(client: FlaskClient, html: str, action: str, **fields: str) -> str:
    data = {"_page": "partner", "_action": action, "_state": form_state(html),
            "_prefill": hidden(html, "_prefill"), "_key": hidden(html, "_key"), **fields}
    response = client.post(FORM + "?lang=en", data=data)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def ask(client: FlaskClient, who: Citizen) -> tuple[str, str]:
    """Ask ``who`` to agree: the page after asking, and the link's path."""
    html = post(client, partner_page(client), "co-applicant:ask",
                _co_applicant_id=who.personal_id)
    link = re.search(r'id="co-applicant-link" type="text" readonly value="([^"]+)"', html)
    assert link, "no link on the page"
    return html, link.group(1).removeprefix("http://localhost")


def audited(app: Flask, requester: str, subject: str) -> list[Any]:
    return [e for e in app.extensions["formengine.audit"].entries(subject=subject)
            if e.requester == requester]


def test_the_partner_page_offers_to_ask_the_other_person(app: Flask,
                                                         applicant: Citizen) -> None:
    html = partner_page(sign_in(app, applicant))
    assert 'id="co-applicant"' in html and 'data-consent="none"' in html
    assert 'name="_co_applicant_id"' in html and 'value="co-applicant:ask"' in html
    # What would be read is said before anything is asked.
    for item in ("Full name", "Date of birth", "Nationality", "Personal identification "
                 "number", "Permanent residence"):
        assert item in html
    # The partner's fields are typed until the other person agrees.
    assert 'name="partner.full_name.given"' in html


def test_anonymous_visitors_get_no_panel(app: Flask) -> None:
    html = app.test_client().get(FORM + "?page=partner&lang=en").get_data(as_text=True)
    assert 'id="co-applicant"' not in html


def test_agreeing_fills_and_locks_the_partners_details(app: Flask, applicant: Citizen,
                                                       partner: Citizen) -> None:
    client = sign_in(app, applicant)
    html, link = ask(client, partner)
    assert 'data-consent="pending"' in html
    assert f"personal identification number {partner.personal_id}" in html
    # Nothing of the partner is read before they agree.
    assert audited(app, applicant.personal_id, partner.personal_id) == []

    other = sign_in(app, partner)
    page = other.get(link + "?lang=en").get_data(as_text=True)
    assert applicant.full_name.text in page  # who asks
    assert "Marriage registration" in page and "Permanent residence" in page
    # The partner read the applicant's name: audited as theirs.
    assert [e.attributes for e in audited(app, partner.personal_id, applicant.personal_id)
            ] == [("full_name",)]
    done = other.post(link + "?lang=en", data={"decision": "grant"}).get_data(as_text=True)
    assert 'id="consent-decided"' in done and "You agreed" in done

    html = post(client, html, "co-applicant:check")
    assert 'data-consent="granted"' in html
    assert locked_value(html, "partner.full_name.given") == partner.full_name.given
    assert locked_value(html, "partner.personal_id") == partner.personal_id
    assert locked_value(html, "partner.nationality") == "Vietnam"
    assert 'name="partner.full_name.given"' not in html
    reads = audited(app, applicant.personal_id, partner.personal_id)
    assert reads and all(e.procedure == "marriage-registration" for e in reads)
    assert "full_name.given" in reads[-1].attributes

    record = accepted_record(send_all(client, FORM, html, {
        "registration_office": "own_commune", "phone": applicant.phone or ""}))
    assert record["answers"]["partner"]["personal_id"] == partner.personal_id
    assert record["answers"]["partner"]["full_name"]["given"] == partner.full_name.given
    assert record["provenance"]["/partner/personal_id"]["subject"] == "co_applicant"
    assert record["provenance"]["/partner/personal_id"]["mode"] == "locked"


def test_locked_partner_data_is_never_read_from_the_request(
        app: Flask, applicant: Citizen, partner: Citizen) -> None:
    client = sign_in(app, applicant)
    html, link = ask(client, partner)
    sign_in(app, partner).post(link, data={"decision": "grant"})
    html = post(client, html, "co-applicant:check")
    forged = {"partner.full_name.given": "Forged", "partner.personal_id": "001090000001"}
    post(client, html, "next", **forged)
    html = partner_page(client)
    assert "Forged" not in html
    assert locked_value(html, "partner.full_name.given") == partner.full_name.given
    record = accepted_record(send_all(client, FORM, html, {
        "registration_office": "own_commune", "phone": applicant.phone or "", **forged}))
    assert record["answers"]["partner"]["full_name"]["given"] == partner.full_name.given
    assert record["answers"]["partner"]["personal_id"] == partner.personal_id


def test_withdrawing_clears_the_partners_details(app: Flask, applicant: Citizen,
                                                 partner: Citizen) -> None:
    client = sign_in(app, applicant)
    html, link = ask(client, partner)
    other = sign_in(app, partner)
    other.post(link, data={"decision": "grant"})
    html = post(client, html, "co-applicant:check")
    assert "f-partner-full_name-given" in locked_values(html)
    withdrawn = other.post(link + "?lang=en", data={"decision": "refuse"}).get_data(
        as_text=True)
    assert "Nothing of yours is shared" in withdrawn
    html = post(client, html, "next")  # any step notices
    html = partner_page(client)
    assert 'data-consent="refused"' in html
    assert "f-partner-full_name-given" not in locked_values(html)
    assert partner.full_name.given not in re.findall(
        r'name="partner.full_name.given"[^>]*value="([^"]*)"', html)


def test_the_applicant_can_stop_using_the_partners_details(
        app: Flask, applicant: Citizen, partner: Citizen) -> None:
    client = sign_in(app, applicant)
    html, link = ask(client, partner)
    sign_in(app, partner).post(link, data={"decision": "grant"})
    html = post(client, html, "co-applicant:check")
    html = post(client, html, "co-applicant:cancel")
    assert 'data-consent="none"' in html
    assert "f-partner-full_name-given" not in locked_values(html)
    assert sign_in(app, partner).get(link).status_code == 404  # the link is gone too


def test_only_the_person_asked_can_answer(app: Flask, applicant: Citizen, partner: Citizen,
                                          stranger: Citizen) -> None:
    client = sign_in(app, applicant)
    _, link = ask(client, partner)
    intruder = sign_in(app, stranger)
    page = intruder.get(link + "?lang=en")
    assert page.status_code == 403
    assert applicant.full_name.text not in page.get_data(as_text=True)  # nothing disclosed
    assert intruder.post(link, data={"decision": "grant"}).status_code == 403
    assert 'data-consent="pending"' in partner_page(client)
    # Not signed in: asked to sign in, told nothing about who asks.
    anonymous = app.test_client().get(link + "?lang=en")
    assert anonymous.status_code == 200
    text = anonymous.get_data(as_text=True)
    assert "/auth/demo?next=" in text and applicant.full_name.text not in text


def test_a_wrong_personal_id_is_explained_and_nothing_typed_is_lost(
        app: Flask, applicant: Citizen) -> None:
    client = sign_in(app, applicant)
    html = post(client, partner_page(client), "co-applicant:ask", _co_applicant_id="12345",
                **{"partner.full_name.given": "Mai"})
    assert "Enter a personal identification number of 12 digits" in html
    assert 'aria-invalid="true" aria-describedby="co-applicant-id-error"' in html
    assert re.search(r'name="partner.full_name.given"[^>]*value="Mai"', html)
    html = post(client, html, "co-applicant:ask", _co_applicant_id=applicant.personal_id)
    assert "not yours" in html


def test_unknown_links_are_not_found(app: Flask, applicant: Citizen) -> None:
    client = sign_in(app, applicant)
    assert client.get("/consent/not-a-token").status_code == 404
    assert client.post("/consent/not-a-token", data={"decision": "grant"}).status_code == 404


def test_every_top_level_register_item_has_a_name() -> None:
    assert set(ITEMS) == set(Citizen.model_fields)


def test_pages_are_translated(app: Flask, applicant: Citizen, partner: Citizen) -> None:
    client = sign_in(app, applicant)
    html = client.get(FORM + "?page=partner&lang=vi").get_data(as_text=True)
    assert "Số định danh cá nhân của họ" in html


CT01 = "/forms/ct01-residence-change"


def test_the_panel_waits_for_the_branch_that_needs_it(app: Flask, applicant: Citizen) -> None:
    client = sign_in(app, applicant)
    html = client.get(CT01 + "?page=request&lang=en").get_data(as_text=True)
    assert 'id="co-applicant"' not in html  # nothing chosen: no head of household to ask
    data = {"_page": "request", "_action": "refresh", "_state": form_state(html),
            "_prefill": hidden(html, "_prefill"), "_key": hidden(html, "_key"),
            "case": "permanent_registration", "residence_basis": "relative",
            "join_household": "true"}
    html = client.post(CT01 + "?lang=en", data=data).get_data(as_text=True)
    assert 'id="co-applicant"' in html


def test_the_head_of_household_also_agrees_to_the_registration(
        app: Flask, applicant: Citizen, partner: Citizen) -> None:
    client = sign_in(app, applicant)
    html = client.get(CT01 + "?page=request&lang=en").get_data(as_text=True)
    data = {"_page": "request", "_action": "co-applicant:ask", "_state": form_state(html),
            "_prefill": hidden(html, "_prefill"), "_key": hidden(html, "_key"),
            "case": "permanent_registration", "residence_basis": "relative",
            "join_household": "true", "_co_applicant_id": partner.personal_id}
    html = client.post(CT01 + "?lang=en", data=data).get_data(as_text=True)
    link = re.search(r'id="co-applicant-link" type="text" readonly value="([^"]+)"', html)
    assert link
    head = sign_in(app, partner)
    page = head.get(link.group(1).removeprefix("http://localhost") + "?lang=en").get_data(
        as_text=True)
    assert 'id="consent-agreement"' in page
    assert "As the head of the household, you agree" in page
    head.post(link.group(1).removeprefix("http://localhost"), data={"decision": "grant"})
    data = {**data, "_action": "co-applicant:check", "_state": form_state(html),
            "_prefill": hidden(html, "_prefill")}
    data.pop("_co_applicant_id")
    html = client.post(CT01 + "?lang=en", data=data).get_data(as_text=True)
    assert locked_value(html, "host_head.personal_id") == partner.personal_id
    assert partner.permanent_residence is not None
    assert locked_value(html, "new_address.detail") == partner.permanent_residence.detail
