"""Register prefill in the citizen pages (formengine/web/prefill.py and the views using it):
locked values, tampering, the register failing, corrections, audit and access."""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.app import create_app
from formengine.population_service import create_service
from formengine.storage.audit import AuditLog
from prefill.model import Citizen
from prefill.sqlite import SqliteAdapter, read_documents, write_database
from tests.conftest import BUNDLED, accepted_record, form_state, shown_errors
from tests.servers import Server, WsgiApp

EXAMPLE = "/forms/example-residence-registration"
ABSENCE = "/forms/example-temporary-absence"
TOKEN = "prefill-test-token"


@pytest.fixture(scope="module")
def people(population_file: Path) -> dict[str, Citizen]:
    return {doc["personal_id"]: Citizen.model_validate(doc)
            for doc in read_documents(population_file)}


def find(people: dict[str, Citizen], test: Callable[[Citizen], bool]) -> Citizen:
    return next(c for c in people.values() if test(c))


def adult(c: Citizen) -> bool:
    return (c.date_of_death is None and c.date_of_birth is not None
            and c.date_of_birth.is_complete and c.date_of_birth.year <= 2000
            and c.household is not None)


@pytest.fixture(scope="module")
def head(people: dict[str, Citizen]) -> Citizen:
    """A household head living with at least two others, with a complete record."""
    return find(people, lambda c: adult(c) and c.relationship_to_head == "head"
                and c.household is not None and len(c.household.members) >= 3
                and c.permanent_residence is not None
                and c.permanent_residence.province_code is not None and c.phone is not None)


@pytest.fixture
def database(tmp_path: Path) -> str:
    """An engine database of this test alone (its audit log starts empty)."""
    return f"sqlite:///{tmp_path / 'engine.sqlite3'}"


@pytest.fixture
def demo(population_file: Path, database: str) -> Flask:
    app = create_app({"definitions": [BUNDLED], "demo": True, "database_url": database,
                      "population_db": population_file, "secret_key": "s"})
    app.config["TESTING"] = True
    return app


def sign_in(app: Flask, who: Citizen | str) -> FlaskClient:
    client = app.test_client()
    personal_id = who if isinstance(who, str) else who.personal_id
    assert client.post("/auth/demo", data={"personal_id": personal_id}).status_code == 303
    return client


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} in page"
    return match.group(1)


def page(client: FlaskClient, url: str = EXAMPLE) -> str:
    response = client.get(url + ("&" if "?" in url else "?") + "lang=en")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def audit(app: Flask) -> AuditLog:
    log: AuditLog = app.extensions["formengine.audit"]
    return log


VALID_REST = {"reason": "own-home", "confirm": "true", "address.province_code": "01",
              "address.commune_code": "00004", "address.detail": "12 Phố Huế"}


def submit_all(client: FlaskClient, html: str, **fields: str) -> Any:
    """POST every field at once with the page's carried state and snapshot; the response."""
    form = {"_page": "*", "_action": "submit", "_state": form_state(html),
            "_prefill": hidden(html, "_prefill"), **VALID_REST, **fields}
    return client.post(EXAMPLE + "?lang=en", data=form)


# --- what the citizen sees --------------------------------------------------------------


def test_identity_household_and_contacts_are_filled_in(demo: Flask, head: Citizen,
                                                       people: dict[str, Citizen]) -> None:
    html = page(sign_in(demo, head))
    assert re.search(rf'data-prefilled="locked"[^>]*>{head.personal_id}<', html)
    assert f">{html_lib.escape(head.full_name.given)}<" in html
    assert 'name="full_name.given"' not in html and 'name="personal_id"' not in html
    assert 'name="date_of_birth.day"' not in html
    phone = head.phone or ""
    assert re.search(r'name="phone"[^>]*value="0?[^"]*"', html)
    assert 'data-prefilled="editable"' in html
    others = [m for m in head.household.members if m.personal_id != head.personal_id]
    for member in others:
        assert f">{member.personal_id}<" in html
    # Locked rows: neither added nor removed.
    assert 'value="add:household"' not in html and 'value="remove:household.0"' not in html
    assert "This is wrong" in html and "From the National Population Database" in html
    response = sign_in(demo, head).get(EXAMPLE)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in response.headers["Vary"]
    assert phone  # the record has a phone: prefilled as an editable answer


def test_anonymous_visitor_is_invited_to_sign_in(demo: Flask) -> None:
    html = page(demo.test_client())
    assert 'data-prefill-status="anonymous"' in html and "/auth/demo?next=" in html
    assert 'name="full_name.given"' in html  # nothing locked


# --- locked means locked ----------------------------------------------------------------


def test_tampered_locked_values_are_replaced_by_the_register(demo: Flask, head: Citizen) -> None:
    client = sign_in(demo, head)
    html = page(client)
    response = submit_all(client, html, **{
        "full_name.family": "Giả", "full_name.given": "Mạo", "personal_id": "001099012345",
        "date_of_birth.day": "1", "date_of_birth.month": "1", "date_of_birth.year": "1999",
        "sex": "female" if head.sex == "male" else "male",
        "household.0._row": "1", "household.0.personal_id": "001099099999",
        "household.9._row": "1", "household.9.personal_id": "001099088888"})
    assert response.status_code == 200
    record = accepted_record(response.get_data(as_text=True))
    answers = record["answers"]
    assert answers["personal_id"] == head.personal_id
    assert answers["full_name"]["given"] == head.full_name.given
    assert answers["date_of_birth"] == head.date_of_birth.iso
    assert answers["sex"] == head.sex
    assert [m["personal_id"] for m in answers["household"]] == [
        m.personal_id for m in head.household.members if m.personal_id != head.personal_id]
    assert record["provenance"]["/personal_id"]["mode"] == "locked"
    assert record["provenance"]["/personal_id"]["attribute"] == "personal_id"
    assert record["provenance"]["/reason"] == {"source": "declared"}


def test_removed_locked_values_are_put_back(demo: Flask, head: Citizen) -> None:
    client = sign_in(demo, head)
    html = page(client)
    response = submit_all(client, html, **{})
    answers = accepted_record(response.get_data(as_text=True))["answers"]
    assert answers["personal_id"] == head.personal_id and answers["sex"] == head.sex


def test_script_without_the_snapshot_still_gets_register_values(demo: Flask,
                                                                 head: Citizen) -> None:
    client = sign_in(demo, head)
    form = {"_page": "*", "_action": "submit", **VALID_REST,
            "personal_id": "001099012345"}
    answers = accepted_record(client.post(EXAMPLE, data=form).get_data(as_text=True))["answers"]
    assert answers["personal_id"] == head.personal_id


def test_altered_snapshot_is_refused(demo: Flask, head: Citizen) -> None:
    client = sign_in(demo, head)
    html = page(client)
    token = hidden(html, "_prefill")
    form = {"_page": "applicant", "_state": form_state(html), "_prefill": token[:-3] + "abc"}
    response = client.post(EXAMPLE + "?lang=en", data=form)
    assert response.status_code == 400
    assert "population register" in response.get_data(as_text=True)


def test_snapshot_of_someone_else_is_not_used(demo: Flask, head: Citizen,
                                              people: dict[str, Citizen]) -> None:
    other = find(people, lambda c: adult(c) and c.personal_id != head.personal_id)
    html = page(sign_in(demo, other))
    client = sign_in(demo, head)  # signed in as head, posting other's snapshot
    response = submit_all(client, html, **{})
    answers = accepted_record(response.get_data(as_text=True))["answers"]
    assert answers["personal_id"] == head.personal_id


def test_hidden_section_with_register_data_does_not_block(demo: Flask, head: Citizen) -> None:
    client = sign_in(demo, head)
    html = page(client)
    response = submit_all(client, html, **{})  # reason: own-home
    answers = accepted_record(response.get_data(as_text=True))["answers"]
    assert "previous_address" not in answers  # bound to the residence, but not asked


def test_previous_address_comes_from_the_register_when_asked(demo: Flask, head: Citizen) -> None:
    client = sign_in(demo, head)
    html = page(client)
    response = submit_all(client, html, **{
        "reason": "move",
        "previous_address.commune_code": head.permanent_residence.commune_code or ""})
    answers = accepted_record(response.get_data(as_text=True))["answers"]
    home = head.permanent_residence
    assert answers["previous_address"]["province_code"] == home.province_code
    assert answers["previous_address"]["detail"] == home.detail


def test_missing_required_register_value_becomes_a_question(demo: Flask,
                                                            people: dict[str, Citizen]) -> None:
    year_only = find(people, lambda c: c.date_of_death is None and c.household is not None
                     and c.date_of_birth is not None and not c.date_of_birth.is_complete)
    html = page(sign_in(demo, year_only))
    assert 'name="date_of_birth.day"' in html  # the form needs a full date: asked
    year = year_only.date_of_birth.year
    assert re.search(rf'name="date_of_birth.year"[^>]*value="{year}"', html)


# --- "this is wrong" --------------------------------------------------------------------


def test_correction_is_carried_to_the_submission(demo: Flask, head: Citizen) -> None:
    client = sign_in(demo, head)
    html = page(client)
    form = {"_page": "applicant", "_action": "next", "_state": form_state(html),
            "_prefill": hidden(html, "_prefill"),
            "_correction:/full_name": "  My given name   is written Ân  "}
    html = client.post(EXAMPLE + "?lang=en", data=form).get_data(as_text=True)
    assert "Where you will live" in html
    response = submit_all(client, html, **{})
    text = response.get_data(as_text=True)
    record = accepted_record(text)
    assert record["corrections"] == [{
        "pointer": "/full_name", "reported": "My given name is written Ân", "source": "sqlite",
        "fetched_at": record["corrections"][0]["fetched_at"],
        "attributes": [{"subject": "self", "attribute": "full_name.family"},
                       {"subject": "self", "attribute": "full_name.given"},
                       {"subject": "self", "attribute": "full_name.middle"}]}]
    assert record["answers"]["full_name"]["given"] == head.full_name.given  # goes ahead
    assert record["provenance"]["/full_name/given"]["correction_reported"] == (
        "My given name is written Ân")
    assert "You reported that this is wrong: My given name is written Ân" in text


def test_correction_on_unlocked_answer_is_ignored(demo: Flask, head: Citizen) -> None:
    client = sign_in(demo, head)
    html = page(client)
    response = submit_all(client, html, **{"_correction:/reason": "x"})
    assert accepted_record(response.get_data(as_text=True))["corrections"] == []


# --- when the register fails ------------------------------------------------------------


def over_http(service: Server, database: str, **settings: Any) -> Flask:
    app = create_app({"definitions": [BUNDLED], "demo": True, "secret_key": "s",
                      "database_url": database,
                      "population_url": service.url, "population_token": TOKEN,
                      **settings})
    app.config["TESTING"] = True
    return app


def slow(app: WsgiApp, delay: float) -> WsgiApp:
    def wrapped(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        if "/citizens/" in environ.get("PATH_INFO", ""):
            time.sleep(delay)
        return app(environ, start)
    return wrapped


def test_unavailable_register_allows_manual_entry(head: Citizen, tmp_path: Path,
                                                  database: str) -> None:
    app = create_app({"definitions": [BUNDLED], "demo": True, "secret_key": "s",
                      "database_url": database,
                      "population_db": tmp_path / "missing.sqlite3"})
    client = app.test_client()
    with client.session_transaction() as session:  # signed in before the register failed
        session.update(personal_id=head.personal_id, auth_method="demo", assurance=2)
    html = page(client)
    assert 'data-prefill-status="unavailable"' in html
    assert "We could not get your details from the population register" in html
    assert 'name="full_name.given"' in html and 'data-prefilled="locked"' not in html
    assert 'value="prefill"' in html  # try again
    [entry] = audit(app).entries(subject=head.personal_id)
    assert entry.result == "unavailable" and entry.requester == head.personal_id


def test_slow_register_opens_the_form_within_the_budget(serve: Callable[[WsgiApp], Server],
                                                         population_file: Path,
                                                         head: Citizen, database: str) -> None:
    # The register answers after 10 s; the budget is 0.5 s. The form does not wait for the
    # register (a functional check: the bound is the register's delay, not a speed target).
    service = serve(slow(create_service(SqliteAdapter(population_file), TOKEN), 10.0))
    app = over_http(service, database, prefill_budget=0.5)
    client = sign_in_over(app, head)
    started = time.perf_counter()
    html = page(client)
    assert time.perf_counter() - started < 10.0
    assert 'data-prefill-status="unavailable"' in html
    assert audit(app).entries(subject=head.personal_id)[0].result == "timeout"


def sign_in_over(app: Flask, who: Citizen) -> FlaskClient:
    client = app.test_client()
    with client.session_transaction() as session:
        session.update(personal_id=who.personal_id, auth_method="demo", assurance=2)
    return client


def test_register_over_http_fills_in_and_stopping_it_shows_the_fallback(
        serve: Callable[[WsgiApp], Server], population_file: Path, head: Citizen,
        database: str) -> None:
    service = serve(create_service(SqliteAdapter(population_file), TOKEN))
    app = over_http(service, database)
    client = sign_in_over(app, head)
    html = page(client)
    assert re.search(rf'data-prefilled="locked"[^>]*>{head.personal_id}<', html)
    service.stop()
    html = page(client)
    assert 'data-prefill-status="unavailable"' in html
    blocked = client.get(ABSENCE + "?lang=en")
    assert blocked.status_code == 503 and blocked.headers["Retry-After"] == "30"
    text = blocked.get_data(as_text=True)
    assert "Your details cannot be filled in right now" in text and 'value="prefill"' in text


def test_blocked_form_keeps_answers_and_retries(tmp_path: Path, population_file: Path,
                                                head: Citizen, database: str) -> None:
    missing = tmp_path / "population.sqlite3"
    app = create_app({"definitions": [BUNDLED], "demo": True, "secret_key": "s",
                      "database_url": database,
                      "population_db": missing})
    client = sign_in_over(app, head)
    response = client.get(ABSENCE + "?lang=en")
    assert response.status_code == 503
    state = form_state(response.get_data(as_text=True))
    missing.write_bytes(population_file.read_bytes())  # the register is back
    response = client.post(ABSENCE + "?lang=en", data={"_action": "prefill", "_state": state})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(rf'data-prefilled="locked"[^>]*>{head.personal_id}<', html)


# --- audit and access -------------------------------------------------------------------


def test_every_lookup_is_audited_without_values(demo: Flask, head: Citizen) -> None:
    client = sign_in(demo, head)
    page(client)
    entries = audit(demo).entries(requester=head.personal_id)
    mine = [e for e in entries if e.subject == head.personal_id and e.result == "ok"
            and e.procedure == "example-residence-registration"]
    assert mine and "full_name.given" in mine[0].attributes and "phone" in mine[0].attributes
    members = {m.personal_id for m in head.household.members} - {head.personal_id}
    read = {e.subject for e in entries if e.procedure == "example-residence-registration"}
    assert members <= read
    for entry in entries:
        assert head.full_name.given not in entry.attributes
        assert entry.source == "sqlite"


def test_logs_hold_no_personal_data(demo: Flask, head: Citizen,
                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = sign_in(demo, head)
    submit_all(client, page(client), **{})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "prefill example-residence-registration: ok" in text
    assert head.personal_id not in text and head.full_name.given not in text


def test_api_gives_own_and_linked_people_only(demo: Flask, head: Citizen,
                                              people: dict[str, Citizen]) -> None:
    client = sign_in(demo, head)
    url = "/api/v1/forms/example-residence-registration/people"

    def ask(who: str, by: FlaskClient = client) -> Any:
        return by.post(url, json={"personal_id": who})

    own = ask(head.personal_id)
    assert own.status_code == 200 and own.json["attributes"]["personal_id"] == head.personal_id
    member = next(m.personal_id for m in head.household.members
                  if m.personal_id != head.personal_id)
    linked = ask(member)
    assert linked.status_code == 200
    assert linked.json["attributes"]["full_name.given"] == people[member].full_name.given
    stranger = find(people, lambda c: c.household is not None
                    and c.household.id != head.household.id
                    and c.personal_id not in {r.personal_id for r in (
                        head.father, head.mother, head.spouse, *head.children) if r})
    refused = ask(stranger.personal_id)
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert stranger.personal_id not in refused.get_data(as_text=True)
    [entry] = audit(demo).entries(subject=stranger.personal_id)
    assert entry.result == "forbidden" and entry.requester == head.personal_id
    assert ask(head.personal_id, demo.test_client()).status_code == 401
    assert client.post(url, data="nonsense").status_code == 400
    assert client.post(url, json={"personal_id": 12}).status_code == 400
    assert ask("001099999999").status_code == 403  # unknown and not linked: no difference


# --- old addresses ----------------------------------------------------------------------


@pytest.fixture
def split_ward_person(tmp_path: Path, population_file: Path) -> tuple[Path, Citizen]:
    """A population file in which one household head still has a pre-July-2025 address in
    a ward that was split (Cống Vị, Ba Đình, Hà Nội)."""
    docs = list(read_documents(population_file))
    index = next(i for i, d in enumerate(docs) if d.get("relationship_to_head") == "head"
                 and d.get("date_of_birth", "")[:4] < "2000" and "date_of_death" not in d
                 and len(d.get("date_of_birth", "")) == 10)
    docs[index] = {**docs[index], "permanent_residence": {
        "country": "VN", "detail": "5 Ngõ Núi Trúc",
        "legacy": {"province_code": "01", "district_code": "001", "ward_code": "00007"}}}
    path = tmp_path / "split.sqlite3"
    write_database(path, ((int(d["personal_id"]), json.dumps(d)) for d in docs), {})
    return path, Citizen.model_validate(docs[index])


def test_split_ward_asks_only_which_commune(split_ward_person: tuple[Path, Citizen],
                                            database: str) -> None:
    path, person = split_ward_person
    app = create_app({"definitions": [BUNDLED], "demo": True, "secret_key": "s",
                      "population_db": path, "database_url": database})
    client = sign_in(app, person)
    html = page(client)
    form = {"_page": "residence", "_action": "refresh", "_state": form_state(html),
            "_prefill": hidden(html, "_prefill"), "reason": "move"}
    html = client.post(EXAMPLE + "?lang=en", data=form).get_data(as_text=True)
    assert "Your old ward was divided between these communes" in html
    assert 'name="previous_address.commune_code" value="00008"' in html  # Ngọc Hà
    assert 'name="previous_address.commune_code" value="00025"' in html  # Giảng Võ
    assert "Ngọc Hà" in html and "Giảng Võ" in html
    assert re.search(r'data-prefilled="locked"[^>]*>5 Ngõ Núi Trúc<', html)
    assert 'name="previous_address.province_code"' not in html  # the province is known
    # Inline validation of a locked answer shows it locked, whatever was posted.
    inline = client.post(EXAMPLE + "/validate?field=previous_address.detail&lang=en", data={
        **form, "_page": "residence", "_state": form_state(html),
        "_prefill": hidden(html, "_prefill"), "previous_address.detail": "Giả mạo"})
    text = inline.get_data(as_text=True)
    assert 'data-prefilled="locked"' in text and "Giả mạo" not in text
    # Outside the candidates: not accepted; a candidate: accepted, marked as chosen.
    html_token = {"_state": form_state(html), "_prefill": hidden(html, "_prefill")}
    wrong = submit_all_with(client, html_token, {"previous_address.commune_code": "00004"})
    assert ("/previous_address/commune_code", "required") in shown_errors(wrong)
    done = submit_all_with(client, html_token, {"previous_address.commune_code": "00025"})
    record = accepted_record(done)
    assert record["answers"]["previous_address"] == {
        "province_code": "01", "commune_code": "00025", "detail": "5 Ngõ Núi Trúc"}
    assert record["provenance"]["/previous_address/commune_code"]["mode"] == "chosen"


def submit_all_with(client: FlaskClient, carried: dict[str, str], fields: dict[str, str]) -> str:
    form = {"_page": "*", "_action": "submit", **carried, **VALID_REST, "reason": "move",
            **fields}
    return client.post(EXAMPLE + "?lang=en", data=form).get_data(as_text=True)
