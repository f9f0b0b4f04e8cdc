"""schemathesis over the API's own OpenAPI document: every operation with a few generated
requests (the same ones on every CI run: hypothesis's "ci" profile, tests/conftest.py),
authenticated with the demo tenant's key and a demo citizen token. Each response must be
no 5xx, a documented status code, with its documented content type, headers and body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from formengine.api import openapi
from tests.api_helpers import RESIDENCE, adults
from tests.demo import demo_app

DEMO_KEY = "fe_demo-portal-not-a-secret"
EXAMPLE = "example-residence-registration"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
#: Generated requests per operation: enough to reach every code path cheaply.
EXAMPLES = 20


@pytest.fixture(scope="module")
def api(population_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The demo app (the demo tenant, demo citizen tokens); no rate limits."""
    return demo_app(population_file, tmp_path_factory.mktemp("api-schema"),
                    rate_limit_enabled=False)


@pytest.fixture(scope="module")
def api_schema(api: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api)


@pytest.fixture(scope="module")
def auth_headers(api: Flask, population_file: Path) -> dict[str, str]:
    """The demo key and a demo citizen token of a person of the register."""
    person = adults(population_file, 1)[0]
    answer = api.test_client().post("/api/v1/demo/citizen-tokens",
                                    json={"personal_id": person.personal_id})
    return {"Authorization": f"Bearer {DEMO_KEY}", "X-Citizen-Token": answer.json["token"]}


@pytest.fixture(scope="module")
def receipt(api: Flask, auth_headers: dict[str, str]) -> str:
    """The receipt of a submission of the demo tenant."""
    answer = api.test_client().post(f"/api/v1/procedures/{EXAMPLE}/submissions", json=RESIDENCE,
                                    headers={**auth_headers, "Idempotency-Key": "schema-test-1"})
    assert answer.status_code == 201, answer.json
    found: str = answer.json["receipt"]
    return found


#: Every operation of the document (demo mode: with the demo token endpoint).
OPERATIONS = [(method, path) for path, item in openapi.document(demo=True)["paths"].items()
              for method in item]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_response_conforms(api: Flask, api_schema: Any, auth_headers: dict[str, str],
                                 receipt: str, method: str, path: str) -> None:
    """schemathesis's Python API with hypothesis (its pytest plugin does not run on
    pytest 9 yet): generated requests to one operation, each response checked."""
    operation = api_schema[path][method]
    codes: list[int] = []

    ids = [*sorted(d.id for d in api.extensions["formengine.catalog"]), "no-such-procedure"]

    @given(case=operation.as_strategy(), data=st.data())
    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(case: Any, data: st.DataObject) -> None:
        # Random ids and receipts would only ever meet 404s: real ones too, and valid
        # answers half of the time, so that every path of the views is taken.
        parameters = case.path_parameters or {}
        if "id" in parameters:
            parameters["id"] = data.draw(st.sampled_from(ids))
        if path.endswith("/submissions") and data.draw(st.booleans()):
            parameters["id"], case.body = EXAMPLE, RESIDENCE
        if "receipt" in parameters and data.draw(st.booleans()):
            parameters["receipt"] = receipt
        codes.append(case.call_and_validate(headers=auth_headers, checks=CHECKS).status_code)

    check()
    assert 401 not in codes, "the demo key and citizen token were not accepted"


def test_every_api_route_is_documented(api: Flask) -> None:
    """The document lists every route of the API v1 (the forms' people lookup is not part
    of it: it serves the form pages of a signed-in browser)."""
    routes = {(method.lower(), rule.rule.replace("<procedure_id>", "{id}")
               .replace("<receipt>", "{receipt}"))
              for rule in api.url_map.iter_rules() if rule.endpoint.startswith("api_v1.")
              for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}
    assert routes == set(OPERATIONS)
