"""Tests for formengine.population_service with the Flask test client."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from formengine.population_service import create_service
from prefill.model import Citizen
from prefill.sqlite import SqliteAdapter
from prefill.synthetic import generate
from tests.prefill.contract import generated, pick, unknown_id

COUNT, SEED = 300, 11
TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}", "X-Procedure": "test-procedure"}


@pytest.fixture(scope="module")
def population() -> dict[str, Citizen]:
    return generated(COUNT, SEED)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    path = tmp_path_factory.mktemp("service") / "population.sqlite3"
    generate(path, COUNT, SEED)
    return create_service(SqliteAdapter(path), TOKEN)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def validate(app: Flask) -> Any:
    """Validates a JSON value against a component schema of the served document."""
    document = app.test_client().get("/v1/openapi.json").get_json()
    registry: Registry[Any] = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012))

    def check(value: Any, component: str) -> None:
        schema = {"$ref": f"urn:openapi#/components/schemas/{component}"}
        Draft202012Validator(schema, registry=registry).validate(value)

    return check


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["type"]
    return body


def test_openapi_document_is_served_without_a_token(client: FlaskClient) -> None:
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.1.")


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_a_missing_or_wrong_token_is_401(client: FlaskClient, population: dict[str, Citizen],
                                         header: str | None) -> None:
    headers = {"X-Procedure": "p"} | ({"Authorization": header} if header else {})
    for path in (f"/v1/citizens/{sorted(population)[0]}", "/v1/health"):
        response = client.get(path, headers=headers)
        _assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_missing_procedure_is_400(client: FlaskClient, population: dict[str, Citizen]) -> None:
    for procedure in (None, "  "):
        headers = {"Authorization": AUTH["Authorization"]}
        if procedure is not None:
            headers["X-Procedure"] = procedure
        response = client.get(f"/v1/citizens/{sorted(population)[0]}/linked", headers=headers)
        assert "X-Procedure" in _assert_problem(response, 400)["detail"]


def test_unknown_or_malformed_id_is_404_without_the_id(
        client: FlaskClient, population: dict[str, Citizen]) -> None:
    missing = unknown_id(population)
    for path in (f"/v1/citizens/{missing}", f"/v1/citizens/{missing}/household",
                 f"/v1/citizens/{missing}/linked", "/v1/citizens/12ab"):
        response = client.get(path, headers=AUTH)
        _assert_problem(response, 404)
        assert missing not in response.get_data(as_text=True)


def test_unknown_route_is_a_problem(client: FlaskClient) -> None:
    _assert_problem(client.get("/v2/anything", headers=AUTH), 404)


def test_citizen_answers_match_the_record_and_the_schema(
        client: FlaskClient, population: dict[str, Citizen], validate: Any) -> None:
    for person in [*list(population.values())[:20], pick(population, "deceased")[0],
                   pick(population, "legacy")[0]]:
        response = client.get(f"/v1/citizens/{person.personal_id}", headers=AUTH)
        assert response.status_code == 200 and response.mimetype == "application/json"
        validate(response.get_json(), "Citizen")
        assert Citizen.model_validate(response.get_json()) == person


def test_household_and_linked_answers(client: FlaskClient, population: dict[str, Citizen],
                                      validate: Any) -> None:
    person = pick(population, "household")[0]
    assert person.household is not None
    body = client.get(f"/v1/citizens/{person.personal_id}/household", headers=AUTH).get_json()
    validate(body, "HouseholdMembers")
    assert [m["personal_id"] for m in body["members"]] == [
        m.personal_id for m in person.household.members]
    alone = pick(population, "no household")[0]
    body = client.get(f"/v1/citizens/{alone.personal_id}/household", headers=AUTH).get_json()
    assert body == {"members": []}
    person = pick(population, "linked")[0]
    body = client.get(f"/v1/citizens/{person.personal_id}/linked", headers=AUTH).get_json()
    validate(body, "LinkedRecords")
    assert [c["personal_id"] for c in body["children"]] == [
        c.personal_id for c in person.children if c.personal_id]


def test_health(client: FlaskClient, validate: Any, tmp_path: Path) -> None:
    response = client.get("/v1/health", headers={"Authorization": AUTH["Authorization"]})
    assert response.status_code == 200
    validate(response.get_json(), "HealthStatus")
    assert response.get_json() == {"ok": True, "detail": f"{COUNT} citizens"}
    missing = create_service(SqliteAdapter(tmp_path / "none.sqlite3"), TOKEN).test_client()
    response = missing.get("/v1/health", headers=AUTH)
    assert response.status_code == 503 and response.get_json()["ok"] is False
    some_id = "001090000001"
    _assert_problem(missing.get(f"/v1/citizens/{some_id}", headers=AUTH), 503)


def test_the_log_names_routes_not_ids(client: FlaskClient, population: dict[str, Citizen],
                                      caplog: pytest.LogCaptureFixture) -> None:
    personal_id = sorted(population)[0]
    with caplog.at_level(logging.INFO, logger="formengine.population_service"):
        client.get(f"/v1/citizens/{personal_id}/linked", headers=AUTH)
    assert "GET /v1/citizens/<personal_id>/linked 200" in caplog.text
    assert personal_id not in caplog.text


def test_a_token_is_required() -> None:
    with pytest.raises(ValueError, match="token"):
        create_service(SqliteAdapter("unused.sqlite3"), "")
