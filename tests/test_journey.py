"""The citizen's journey (formengine/web/journey.py and receipts.py): drafts, resuming,
an ended session, exactly-once submission, receipts and "your applications"."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from formengine.storage.tables import drafts, submissions
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import accepted_data, form_state
from tests.demo import demo_app, hidden, sign_in

FORM = "/forms/example-residence-registration"
RESIDENCE = {"_page": "residence", "reason": "own-home", "address.province_code": "01",
             "address.commune_code": "00004", "address.detail": "12 Phố Huế"}
ANONYMOUS_ALL = {
    "_page": "*", "full_name.family": "Lê", "full_name.given": "Hoa",
    "personal_id": "001190000001", "date_of_birth.day": "1", "date_of_birth.month": "2",
    "date_of_birth.year": "1990", "sex": "female", "reason": "own-home",
    "address.province_code": "01", "address.commune_code": "00004",
    "address.detail": "12 Phố Huế", "confirm": "true",
}


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return demo_app(population_file, tmp_path)


@pytest.fixture(scope="module")
def adults(population_file: Path) -> list[Citizen]:
    people = (Citizen.model_validate(d) for d in read_documents(population_file))
    return [c for c in people if c.household is not None and c.date_of_death is None
            and c.date_of_birth is not None and c.date_of_birth.is_complete
            and c.date_of_birth.year < 2000 and c.permanent_residence is not None][:3]


def carried(html: str) -> dict[str, str]:
    """The engine fields a page carries (state, snapshot, idempotency key)."""
    out = {"_state": form_state(html)}
    for name in ("_prefill", "_key"):
        if f'name="{name}"' in html:
            out[name] = hidden(html, name)
    return out


def rows(app: Flask, table: sa.Table) -> list[Any]:
    with app.extensions["formengine.db"].connect() as connection:
        return list(connection.execute(sa.select(table)).mappings())


def post(client: FlaskClient, html: str, **fields: str) -> str:
    response = client.post(FORM + "?lang=en", data={**carried(html), **fields})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def to_check(client: FlaskClient, html: str) -> str:
    html = post(client, html, _page="applicant")
    html = post(client, html, **RESIDENCE)
    return post(client, html, _page="household", confirm="true")


# --- exactly once -----------------------------------------------------------------------


def test_double_click_and_retry_store_one_submission(app: Flask) -> None:
    client = app.test_client()
    html = client.get(FORM + "?lang=en").get_data(as_text=True)
    assert 'name="_key"' not in html  # a cached page is the same for everyone: no key in it
    html = post(client, html, _page="applicant", **{
        k: v for k, v in ANONYMOUS_ALL.items() if not k.startswith(("reason", "address",
                                                                      "confirm", "_page"))})
    html = post(client, html, **RESIDENCE)
    html = post(client, html, _page="household", confirm="true")
    assert "Check your answers" in html
    first = post(client, html, _action="submit")
    second = post(client, html, _action="submit")  # the same form again: double click
    receipt = re.search(r'id="receipt-number">([^<]+)<', first)
    assert receipt and receipt.group(1) in second
    assert len(rows(app, submissions)) == 1


def test_two_forms_are_two_submissions(app: Flask) -> None:
    for _ in range(2):
        client = app.test_client()
        html = client.get(FORM + "?page=applicant&lang=en").get_data(as_text=True)
        html = post(client, html, _action="next", **{k: v for k, v in ANONYMOUS_ALL.items()
                                                      if k != "_page"}, _page="*")
        post(client, html, _action="submit")
    assert len({r["receipt"] for r in rows(app, submissions)}) == 2


def test_submission_is_pinned_to_the_definition(app: Flask, adults: list[Citizen]) -> None:
    client = sign_in(app, adults[0])
    html = to_check(client, client.get(FORM + "?lang=en").get_data(as_text=True))
    done = post(client, html, _action="submit")
    [row] = rows(app, submissions)
    definition = app.extensions["formengine.catalog"].get("example-residence-registration")
    assert (row["procedure"], row["version"], row["content_hash"]) == (
        definition.id, definition.version, definition.content_hash)
    assert row["owner"] == adults[0].personal_id
    assert accepted_data(done)["personal_id"] == adults[0].personal_id
    assert app.extensions["formengine.submissions"].verify(row["receipt"]) is True


# --- drafts -----------------------------------------------------------------------------


def test_every_step_saves_the_draft_and_opening_again_resumes(app: Flask,
                                                              adults: list[Citizen]) -> None:
    client = sign_in(app, adults[0])
    html = client.get(FORM + "?lang=en").get_data(as_text=True)
    html = post(client, html, _page="applicant", phone="0912 345 678")
    html = post(client, html, **{**RESIDENCE, "address.detail": "99 Hàng Bạc",
                                 "_action": "save"})
    assert "Your answers are saved" in html
    [draft] = rows(app, drafts)
    assert draft["answers"]["address"]["detail"] == "99 Hàng Bạc"
    assert draft["answers"]["phone"] == "+84912345678" and draft["page"] == "residence"
    again = sign_in(app, adults[0])  # later, another browser
    html = again.get(FORM + "?lang=en").get_data(as_text=True)
    assert "Welcome back" in html and 'value="discard"' in html
    assert "People moving with you" in html  # the first page still to complete
    html = again.get(FORM + "?page=residence&lang=en").get_data(as_text=True)
    assert "99 Hàng Bạc" in html
    assert len(rows(app, drafts)) == 1


def test_start_again_discards_the_draft(app: Flask, adults: list[Citizen]) -> None:
    client = sign_in(app, adults[0])
    html = post(client, client.get(FORM).get_data(as_text=True), _page="applicant")
    assert len(rows(app, drafts)) == 1
    response = client.post(FORM, data={**carried(html), "_action": "discard"})
    assert response.status_code == 303 and rows(app, drafts) == []
    assert "Welcome back" not in client.get(FORM + "?lang=en").get_data(as_text=True)


def test_two_tabs_send_one_submission(app: Flask, adults: list[Citizen]) -> None:
    tab1 = sign_in(app, adults[1])
    tab2 = tab1  # the same browser session, two tabs opened before any step was saved
    first = tab1.get(FORM + "?lang=en").get_data(as_text=True)
    second = tab2.get(FORM + "?lang=en").get_data(as_text=True)
    check1 = to_check(tab1, first)
    check2 = to_check(tab2, second)
    one = post(tab1, check1, _action="submit")
    two = post(tab2, check2, _action="submit")
    receipts = {re.search(r'id="receipt-number">([^<]+)<', h).group(1)  # type: ignore[union-attr]
                for h in (one, two)}
    assert len(receipts) == 1 and len(rows(app, submissions)) == 1
    assert rows(app, drafts) == []  # sent: no draft left


def test_inline_validation_autosaves_and_announces_it(app: Flask,
                                                      adults: list[Citizen]) -> None:
    client = sign_in(app, adults[0])
    html = client.get(FORM + "?lang=en").get_data(as_text=True)
    assert 'id="draft-status"' in html and 'role="status"' in html
    response = client.post(FORM + "/validate?field=phone&lang=en", data={
        **carried(html), "_page": "applicant", "phone": "0987 654 321"},
        headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert 'id="draft-status"' in text and 'hx-swap-oob="true"' in text
    assert "Your answers were saved at" in text
    assert rows(app, drafts)[0]["answers"]["phone"] == "+84987654321"


def test_typing_autosaves_without_validating(app: Flask, adults: list[Citizen]) -> None:
    client = sign_in(app, adults[0])
    html = client.get(FORM + "?lang=en").get_data(as_text=True)
    assert 'hx-trigger="input changed delay:2s"' in html
    response = client.post(FORM + "/draft", data={**carried(html), "_page": "applicant",
                                                  "email": "half-typed@"},
                           headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert 'hx-swap-oob="true"' in text and "saved at" in text
    assert "fe-error-message" not in text  # no error while typing
    assert rows(app, drafts)[0]["answers"]["email"] == "half-typed@"
    anonymous = app.test_client()
    assert anonymous.post(FORM + "/draft", data={"_page": "applicant"}).status_code == 204
    assert 'hx-trigger="input changed delay:2s"' not in anonymous.get(FORM).get_data(
        as_text=True)


def test_ended_session_keeps_what_was_typed(app: Flask, adults: list[Citizen]) -> None:
    client = sign_in(app, adults[2])
    html = client.get(FORM + "?lang=en").get_data(as_text=True)
    html = post(client, html, _page="applicant")
    with client.session_transaction() as session:
        session.clear()  # the session expired while the citizen was typing
    response = client.post(FORM + "?lang=en", data={**carried(html), **RESIDENCE,
                                                     "address.detail": "7 Lý Thái Tổ"})
    assert response.status_code == 401
    assert "Please sign in again" in response.get_data(as_text=True)
    assert rows(app, submissions) == []
    again = sign_in(app, adults[2])
    html = again.get(FORM + "?lang=en").get_data(as_text=True)
    assert "Welcome back" in html
    html = again.get(FORM + "?page=residence&lang=en").get_data(as_text=True)
    assert "7 Lý Thái Tổ" in html


# --- receipts ---------------------------------------------------------------------------


def test_receipt_pages_only_for_their_sender(app: Flask, adults: list[Citizen]) -> None:
    owner = sign_in(app, adults[0])
    html = to_check(owner, owner.get(FORM + "?lang=en").get_data(as_text=True))
    done = post(owner, html, _action="submit")
    receipt = re.search(r'id="receipt-number">([^<]+)<', done).group(1)  # type: ignore[union-attr]
    page = owner.get(f"/submissions/{receipt}?lang=en")
    assert page.status_code == 200 and receipt in page.get_data(as_text=True)
    assert owner.get(f"/submissions/{receipt.lower().replace('-', '')}").status_code == 200
    listed = owner.get("/submissions?lang=en").get_data(as_text=True)
    assert receipt in listed and "Received" in listed
    assert sign_in(app, adults[1]).get(f"/submissions/{receipt}").status_code == 404
    assert app.test_client().get(f"/submissions/{receipt}").status_code == 404
    assert owner.get("/submissions/NOPE").status_code == 404
    assert f'href="/submissions/{receipt}.pdf"' in done
    pdf = owner.get(f"/submissions/{receipt}.pdf?lang=vi")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-") and f"receipt-{receipt}.pdf" in pdf.headers[
        "Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert receipt in text and adults[0].full_name.given in text
    assert sign_in(app, adults[1]).get(f"/submissions/{receipt}.pdf").status_code == 404


def test_anonymous_sender_sees_their_receipt_in_this_browser(app: Flask) -> None:
    client = app.test_client()
    html = client.get(FORM + "?page=applicant&lang=en").get_data(as_text=True)
    done = post(client, html, _action="submit", **ANONYMOUS_ALL)
    receipt = re.search(r'id="receipt-number">([^<]+)<', done).group(1)  # type: ignore[union-attr]
    assert client.get(f"/submissions/{receipt}").status_code == 200
    assert receipt in client.get("/submissions").get_data(as_text=True)
    assert app.test_client().get(f"/submissions/{receipt}").status_code == 404
