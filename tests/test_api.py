"""The JSON API v1 (formengine/api/): procedures, validation, submissions, tenants, errors."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.api.citizens import demo_token
from prefill.model import Citizen
from tests.api_helpers import ALPHA_PROCEDURES, RESIDENCE, adults, api_app, bearer
from tests.demo import demo_app

EXAMPLE = "example-residence-registration"
VALIDATE = f"/api/v1/procedures/{EXAMPLE}/validate"
SUBMIT = f"/api/v1/procedures/{EXAMPLE}/submissions"
ANONYMOUS = {"full_name": {"family": "Lê", "given": "Hoa"}, "personal_id": "001190000001",
             "date_of_birth": "1990-02-01", "sex": "female", **RESIDENCE}


@pytest.fixture
def app(population_file: Path, tmp_path: Path) -> Flask:
    return api_app(population_file, tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def people(population_file: Path) -> list[Citizen]:
    return adults(population_file)


def token(client: FlaskClient, who: Citizen) -> str:
    answer = client.post("/api/v1/demo/citizen-tokens", json={"personal_id": who.personal_id})
    assert answer.status_code == 201, answer.json
    found: str = answer.json["token"]  # type: ignore[index]
    return found


def submit(client: FlaskClient, who: Citizen | str, body: Any = RESIDENCE,
           tenant: str = "alpha", key: str | None = None, path: str = SUBMIT) -> Any:
    citizen = who if isinstance(who, str) else token(client, who)
    headers = {**bearer(tenant), "X-Citizen-Token": citizen,
               "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(path + "?lang=en", json=body, headers=headers)


def is_problem(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True))
    assert answer.mimetype == "application/problem+json"
    body: dict[str, Any] = answer.json
    assert {"type", "title", "status", "instance"} <= body.keys()
    assert body["status"] == status and body["instance"] == answer.request.path
    return body


# --- procedures -------------------------------------------------------------------------

def test_list_without_key_has_every_procedure(app: Flask, client: FlaskClient) -> None:
    listed = client.get("/api/v1/procedures?lang=en").json["procedures"]
    assert [p["id"] for p in listed] == sorted(d.id for d in app.extensions[
        "formengine.catalog"])
    example = next(p for p in listed if p["id"] == EXAMPLE)
    assert example == {"id": EXAMPLE, "version": "2026.1",
                       "title": "Example: Permanent residence registration", "fee": None,
                       "fee_text": None, "processing_time": "5 working days",
                       "agency_level": "commune", "min_assurance": 0}


def test_list_with_a_key_has_the_tenants_procedures(client: FlaskClient) -> None:
    listed = client.get("/api/v1/procedures", headers=bearer("alpha")).json["procedures"]
    assert tuple(p["id"] for p in listed) == tuple(sorted(ALPHA_PROCEDURES))
    assert client.get("/api/v1/procedures", headers=bearer("gamma")).json == {
        "procedures": []}


@pytest.mark.parametrize(("how", "title"), [
    ({"query_string": {"lang": "vi"}}, "Ví dụ: Đăng ký thường trú"),
    ({"headers": {"Accept-Language": "fr-FR,fr;q=0.9"}},
     "Exemple : Enregistrement de la résidence permanente"),
    ({"headers": {"Accept-Language": "en"}}, "Example: Permanent residence registration")])
def test_titles_in_the_requested_language(client: FlaskClient, how: dict[str, Any],
                                          title: str) -> None:
    answer = client.get(f"/api/v1/procedures/{EXAMPLE}", **how)
    assert answer.json["title"] == title
    assert "Accept-Language" in answer.headers["Vary"]
    assert "lang" not in answer.headers.get("Set-Cookie", "")


def test_a_definition(app: Flask, client: FlaskClient) -> None:
    definition = app.extensions["formengine.catalog"].get(EXAMPLE)
    body = client.get(f"/api/v1/procedures/{EXAMPLE}", headers=bearer("alpha")).json
    assert body["id"] == EXAMPLE and body["version"] == definition.version
    assert body["content_hash"] == definition.content_hash
    assert body["schema"] == json.loads(json.dumps(definition.schema))
    assert body["procedure"]["agency_level"] == "commune"


def test_unknown_or_not_enabled_procedure_is_404(client: FlaskClient) -> None:
    unknown = is_problem(client.get("/api/v1/procedures/nope"), 404)
    assert unknown["type"] == "urn:formengine:problem:unknown-procedure"
    hidden = is_problem(client.get("/api/v1/procedures/birth-registration",
                                   headers=bearer("alpha")), 404)
    assert {**hidden, "instance": ""} == {**unknown, "instance": ""}
    is_problem(client.post("/api/v1/procedures/birth-registration/validate", json={},
                           headers=bearer("alpha")), 404)
    assert client.get("/api/v1/procedures/birth-registration",
                      headers=bearer("beta")).status_code == 200


@pytest.mark.parametrize("header", ["Bearer fe_unknown", "Basic YTpi", "Bearer", "fe_x"])
def test_bad_keys_are_401_with_a_challenge(client: FlaskClient, header: str) -> None:
    for answer in (client.get("/api/v1/procedures", headers={"Authorization": header}),
                   client.get(f"/api/v1/procedures/{EXAMPLE}",
                              headers={"Authorization": header}),
                   client.get("/api/v1/submissions/K7QM-2XHD",
                              headers={"Authorization": header})):
        body = is_problem(answer, 401)
        assert body["type"] == "urn:formengine:problem:tenant-key"
        assert answer.headers["WWW-Authenticate"].startswith("Bearer ")


def test_missing_key_is_401_where_one_is_needed(client: FlaskClient) -> None:
    for answer in (client.get("/api/v1/submissions/K7QM-2XHD"),
                   client.post(SUBMIT, json=RESIDENCE)):
        is_problem(answer, 401)
        assert answer.headers["WWW-Authenticate"] == 'Bearer realm="formengine-api"'


# --- validation -------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "message"), [
    ("vi", "Nhập họ, chữ đệm và tên"), ("en", "Enter full name"),
    ("fr", "Renseignez le champ « nom complet »")])
def test_validate_in_the_requested_language(client: FlaskClient, lang: str,
                                            message: str) -> None:
    body = client.post(f"{VALIDATE}?lang={lang}", json={"reason": "own-home"}).json
    assert body["valid"] is False
    first = body["errors"][0]
    assert set(first) == {"pointer", "keyword", "message"}
    assert (first["pointer"], first["keyword"]) == ("/full_name", "required")
    assert message.lower() in first["message"].lower()


def test_validate_valid_answers(client: FlaskClient) -> None:
    assert client.post(VALIDATE, json=ANONYMOUS).json == {"valid": True, "errors": []}
    wrong = client.post(VALIDATE + "?lang=en", json={**ANONYMOUS, "personal_id": "12"}).json
    assert wrong["valid"] is False
    assert [(e["pointer"], e["keyword"]) for e in wrong["errors"]] == [
        ("/personal_id", "format")]


def test_validate_with_the_citizens_token_uses_the_register(client: FlaskClient,
                                                              people: list[Citizen]) -> None:
    # Without the token, the answers are checked as sent: the name is missing.
    alone = client.post(VALIDATE + "?lang=en", json=RESIDENCE).json
    assert ("/full_name", "required") in [(e["pointer"], e["keyword"]) for e in alone["errors"]]
    # With it, the register's data is put in first, as at submission: the same answers
    # are valid exactly when the submission would be.
    headers = {"X-Citizen-Token": token(client, people[0])}
    checked = client.post(VALIDATE + "?lang=en", json=RESIDENCE, headers=headers).json
    assert checked == {"valid": True, "errors": []}
    assert submit(client, people[0]).status_code == 201
    forged = {**RESIDENCE, "personal_id": "12"}  # locked: never read from the body
    assert client.post(VALIDATE, json=forged, headers=headers).json["valid"] is True
    refused = client.post(VALIDATE, json=RESIDENCE, headers={"X-Citizen-Token": "nope"})
    is_problem(refused, 401)


@pytest.mark.parametrize(("body", "kind", "status"), [
    ("{", "application/json", 400), ("[1, 2]", "application/json", 400),
    ('"text"', "application/json", 400), ("null", "application/json", 400),
    ("[" * 5000 + "]" * 5000, "application/json", 400),
    ('{"a":' * 40 + "1" + "}" * 40, "application/json", 400),
    ("\xff\xfe", "application/json", 400),
    ("reason=own-home", "application/x-www-form-urlencoded", 415),
    ("{}", "text/plain", 415)])
def test_bad_bodies_are_problems_never_500(client: FlaskClient, body: str, kind: str,
                                           status: int) -> None:
    answer = client.post(VALIDATE, data=body.encode("latin-1"), content_type=kind)
    is_problem(answer, status)


def test_wrong_types_are_field_errors(client: FlaskClient) -> None:
    body = client.post(VALIDATE, json={**ANONYMOUS, "full_name": 12, "sex": [1],
                                       "date_of_birth": {"x": None}}).json
    assert body["valid"] is False
    assert {e["pointer"] for e in body["errors"]} >= {"/full_name", "/sex", "/date_of_birth"}


def test_huge_bodies_are_413(population_file: Path, tmp_path: Path) -> None:
    client = api_app(population_file, tmp_path, max_body_bytes=1000).test_client()
    answer = client.post(VALIDATE, json={"x": "a" * 2000})
    assert is_problem(answer, 413)["type"] == "about:blank"


def test_no_html_error_page_under_the_api(app: Flask, client: FlaskClient,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    is_problem(client.get("/api/v1/nothing-here"), 404)
    is_problem(client.delete("/api/v1/procedures"), 405)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("formengine.api.procedures.validate", broken)
    is_problem(client.post(VALIDATE, json={}), 500)


# --- submissions ------------------------------------------------------------------------

def test_submit_once_per_idempotency_key(app: Flask, client: FlaskClient,
                                         people: list[Citizen]) -> None:
    who, key = people[0], str(uuid.uuid4())
    first = submit(client, who, key=key)
    assert first.status_code == 201, first.json
    receipt = first.json["receipt"]
    assert first.headers["Location"] == f"/api/v1/submissions/{receipt}"
    assert first.json["status"] == "received" and first.json["procedure"] == EXAMPLE
    again = submit(client, who, key=key, body={"anything": "else"})
    assert (again.status_code, again.json) == (200, first.json)
    other = submit(client, who)
    assert other.status_code == 201 and other.json["receipt"] != receipt
    stored = app.extensions["formengine.submissions"].get(receipt)
    assert stored.tenant == "alpha" and stored.owner == who.personal_id
    assert app.extensions["formengine.submissions"].verify(receipt)


def test_locked_register_data_is_never_taken_from_the_body(app: Flask, client: FlaskClient,
                                                           people: list[Citizen]) -> None:
    who = people[0]
    forged = {**RESIDENCE, "full_name": {"family": "Giả", "given": "Mạo"},
              "personal_id": "001190000001", "date_of_birth": "1901-01-01"}
    answer = submit(client, who, body=forged)
    assert answer.status_code == 201, answer.json
    record = app.extensions["formengine.submissions"].get(answer.json["receipt"]).record
    answers = record["answers"]
    assert answers["personal_id"] == who.personal_id
    assert answers["full_name"]["family"] == who.full_name.family
    assert answers["date_of_birth"] != "1901-01-01"
    assert record["provenance"]["/personal_id"]["source"]


def test_invalid_answers_are_422_with_the_field_errors(client: FlaskClient,
                                                       people: list[Citizen]) -> None:
    body = is_problem(submit(client, people[0], body={"reason": "own-home"}), 422)
    assert body["type"] == "urn:formengine:problem:invalid-answers"
    assert {"pointer": "/confirm", "keyword": "required"}.items() <= next(
        e for e in body["errors"] if e["pointer"] == "/confirm").items()


def test_submission_needs_the_citizen_and_a_key(client: FlaskClient,
                                                people: list[Citizen]) -> None:
    for citizen in ("", "not-a-token", "fe-demo.forged.token"):
        headers = {**bearer("alpha"), "Idempotency-Key": str(uuid.uuid4())}
        if citizen:
            headers["X-Citizen-Token"] = citizen
        answer = client.post(SUBMIT, json=RESIDENCE, headers=headers)
        assert is_problem(answer, 401)["type"] == "urn:formengine:problem:citizen-token"
        assert "WWW-Authenticate" in answer.headers
    for key in ("", "short", "x" * 129, "bad key!"):
        answer = client.post(SUBMIT, json=RESIDENCE, headers={
            **bearer("alpha"), "X-Citizen-Token": token(client, people[0]),
            "Idempotency-Key": key})
        assert is_problem(answer, 400)["type"] == "urn:formengine:problem:idempotency-key"


def test_a_key_is_one_citizens_and_one_procedures(client: FlaskClient,
                                                  people: list[Citizen]) -> None:
    key = str(uuid.uuid4())
    assert submit(client, people[0], key=key).status_code == 201
    is_problem(submit(client, people[1], key=key), 409)
    temporary = "/api/v1/procedures/example-temporary-absence/submissions"
    is_problem(submit(client, people[0], key=key, path=temporary, body={}), 409)
    # another tenant's key space is its own
    assert submit(client, people[0], key=key, tenant="beta").status_code == 201


def test_tenants_see_only_their_submissions(client: FlaskClient,
                                            people: list[Citizen]) -> None:
    receipt = submit(client, people[0]).json["receipt"]
    mine = client.get(f"/api/v1/submissions/{receipt.lower().replace('-', '')}",
                      headers=bearer("alpha"))
    assert mine.status_code == 200
    assert set(mine.json) == {"receipt", "status", "procedure", "version", "submitted_at"}
    assert mine.json["receipt"] == receipt
    theirs = is_problem(client.get(f"/api/v1/submissions/{receipt}", headers=bearer("beta")),
                        404)
    nobody = is_problem(client.get("/api/v1/submissions/K7QM-2XHD", headers=bearer("beta")),
                        404)
    assert {**theirs, "instance": ""} == {**nobody, "instance": ""}
    is_problem(client.get("/api/v1/submissions/not-a-receipt", headers=bearer("beta")), 404)


def test_a_tenant_cannot_submit_to_a_procedure_it_has_not_enabled(
        client: FlaskClient, people: list[Citizen]) -> None:
    path = "/api/v1/procedures/death-registration/submissions"
    body = is_problem(submit(client, people[0], path=path, tenant="alpha"), 404)
    assert body["type"] == "urn:formengine:problem:unknown-procedure"
    is_problem(submit(client, people[0], tenant="gamma"), 404)


def test_submissions_are_rate_limited(population_file: Path, tmp_path: Path,
                                      people: list[Citizen]) -> None:
    app = api_app(population_file, tmp_path, rate_limit_submit="2/minute")
    client = app.test_client()
    citizen = token(client, people[0])
    assert [submit(client, citizen).status_code for _ in range(2)] == [201, 201]
    answer = submit(client, citizen)
    assert is_problem(answer, 429)["type"] == "about:blank"
    assert int(answer.headers["Retry-After"]) >= 1


def test_register_lookups_of_submissions_are_rate_limited(
        population_file: Path, tmp_path: Path, people: list[Citizen]) -> None:
    app = api_app(population_file, tmp_path, rate_limit_prefill="1/minute")
    client = app.test_client()
    citizen = token(client, people[0])
    assert submit(client, citizen).status_code == 201
    is_problem(submit(client, citizen), 429)


# --- demo citizen tokens ----------------------------------------------------------------

def test_demo_tokens_only_in_demo_mode(make_app: Any, app: Flask, client: FlaskClient) -> None:
    is_problem(client.post("/api/v1/demo/citizen-tokens", json={"personal_id": "12"}), 422)
    is_problem(client.post("/api/v1/demo/citizen-tokens", json=[]), 400)
    plain = make_app()
    answer = plain.test_client().post("/api/v1/demo/citizen-tokens",
                                      json={"personal_id": "001090012345"})
    is_problem(answer, 404)
    assert "/api/v1/demo/citizen-tokens" not in plain.test_client().get(
        "/api/v1/openapi.json").json["paths"]
    with app.test_request_context():
        forged = demo_token("001090012345")
    with plain.test_request_context():
        from formengine.api.citizens import TokenRefused, citizen_of

        with pytest.raises(TokenRefused):
            citizen_of(forged, None)


def test_demo_tokens_expire(client: FlaskClient, people: list[Citizen],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    citizen = token(client, people[0])
    monkeypatch.setattr("formengine.api.citizens.DEMO_TOKEN_SECONDS", -1)
    is_problem(submit(client, citizen), 401)


def test_demo_app_without_tenants_uses_the_demo_portal(population_file: Path,
                                                       tmp_path: Path) -> None:
    client = demo_app(population_file, tmp_path).test_client()
    answer = client.get("/api/v1/procedures",
                        headers={"Authorization": "Bearer fe_demo-portal-not-a-secret"})
    assert answer.status_code == 200 and answer.json["procedures"]
