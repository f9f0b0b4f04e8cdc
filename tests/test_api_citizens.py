"""The citizen's token of the API (formengine/api/citizens.py) with a real local OpenID
provider (tests/oidc_provider.py): ID tokens obtained as a portal would, then checked."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from formengine.app import create_app
from prefill.model import Citizen
from tests.api_helpers import RESIDENCE, adults, bearer, tenants_folder
from tests.conftest import BUNDLED
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.servers import Server

SUBMIT = "/api/v1/procedures/example-residence-registration/submissions"
PORTAL_CLIENT = "alpha-portal"


@pytest.fixture
def provider() -> Provider:
    return Provider()


@pytest.fixture
def issuer(provider: Provider, serve: Callable[..., Server]) -> str:
    return serve(provider.app()).url


@pytest.fixture(scope="module")
def person(population_file: Path) -> Citizen:
    return adults(population_file, 1)[0]


@pytest.fixture
def app(issuer: str, population_file: Path, tmp_path: Path, provider: Provider,
        person: Citizen) -> Flask:
    provider.claims["personal_id"] = person.personal_id
    app = create_app({"definitions": [BUNDLED], "secret_key": "s",
                      "population_db": population_file,
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}",
                      "tenants": tenants_folder(tmp_path / "tenants", (PORTAL_CLIENT,)),
                      "oidc_issuer": issuer, "oidc_client_id": CLIENT_ID,
                      "oidc_client_secret": CLIENT_SECRET})
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def id_token(issuer: str) -> str:
    """An ID token from the provider, through its authorization code flow with PKCE."""
    verifier = secrets.token_urlsafe(32)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()
                                         ).rstrip(b"=").decode()
    back = "http://portal.test/callback"
    answer = requests.get(f"{issuer}/authorize", allow_redirects=False, timeout=5, params={
        "client_id": CLIENT_ID, "response_type": "code", "scope": "openid",
        "redirect_uri": back, "code_challenge": challenge, "code_challenge_method": "S256",
        "nonce": "n", "state": "s"})
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    tokens = requests.post(f"{issuer}/token", auth=(CLIENT_ID, CLIENT_SECRET), timeout=5,
                           data={"grant_type": "authorization_code", "code": code,
                                 "redirect_uri": back, "code_verifier": verifier})
    found: str = tokens.json()["id_token"]
    return found


def submit(client: FlaskClient, token: str, path: str = SUBMIT, tenant: str = "alpha") -> Any:
    return client.post(path + "?lang=en", json=RESIDENCE, headers={
        **bearer(tenant), "X-Citizen-Token": token, "Idempotency-Key": str(uuid.uuid4())})


def test_an_id_token_of_the_provider_submits(app: Flask, client: FlaskClient, issuer: str,
                                             person: Citizen) -> None:
    answer = submit(client, id_token(issuer))
    assert answer.status_code == 201, answer.json
    stored = app.extensions["formengine.submissions"].get(answer.json["receipt"])
    assert stored.owner == person.personal_id and stored.tenant == "alpha"


def test_a_token_issued_to_the_tenants_portal(client: FlaskClient, issuer: str,
                                              provider: Provider) -> None:
    provider.id_token = {"aud": PORTAL_CLIENT}
    token = id_token(issuer)
    assert submit(client, token).status_code == 201
    # the portal client is alpha's, not beta's
    assert submit(client, token, tenant="beta").status_code == 401


@pytest.mark.parametrize(("override", "why"), [
    ({"aud": "someone-else"}, "another client"),
    ({"aud": [CLIENT_ID, "someone-else"]}, "several audiences, no azp"),
    ({"aud": [CLIENT_ID, "x"], "azp": "x"}, "azp not ours"),
    ({"aud": None}, "no audience"),
    ({"iss": "https://evil.example"}, "another issuer"),
    ({"exp": int(time.time()) - 3600}, "expired"),
    ({"exp": None}, "no expiry"),
    ({"personal_id": "12"}, "a bad personal ID"),
    ({"personal_id": None}, "no personal ID"),
])
def test_bad_tokens_are_401(client: FlaskClient, issuer: str, provider: Provider,
                            override: dict[str, Any], why: str) -> None:
    provider.id_token = override
    answer = submit(client, id_token(issuer))
    assert answer.status_code == 401, why
    assert answer.mimetype == "application/problem+json"
    assert answer.json["type"] == "urn:formengine:problem:citizen-token"
    assert "WWW-Authenticate" in answer.headers


def test_several_audiences_with_our_azp(client: FlaskClient, issuer: str,
                                        provider: Provider) -> None:
    provider.id_token = {"aud": [CLIENT_ID, "x"], "azp": CLIENT_ID}
    assert submit(client, id_token(issuer)).status_code == 201


def test_a_signature_by_another_key_is_401(client: FlaskClient, issuer: str,
                                           provider: Provider) -> None:
    provider.wrong_key = True
    assert submit(client, id_token(issuer)).status_code == 401
    token = id_token(issuer)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    provider.wrong_key = False
    assert submit(client, tampered).status_code == 401


def test_assurance_below_the_procedures_is_403(client: FlaskClient, issuer: str,
                                               provider: Provider) -> None:
    provider.claims["loa"] = "1"
    answer = submit(client, id_token(issuer),
                    path="/api/v1/procedures/birth-registration/submissions", tenant="beta")
    assert answer.status_code == 403
    assert answer.json["type"] == "urn:formengine:problem:assurance"
    assert "2" in answer.json["detail"]


def test_demo_tokens_are_refused_outside_demo_mode(client: FlaskClient) -> None:
    assert client.post("/api/v1/demo/citizen-tokens",
                       json={"personal_id": "001090012345"}).status_code == 404
    assert submit(client, "fe-demo.eyJwZXJzb25hbF9pZCI6IjEifQ.x.y").status_code == 401


def test_provider_down_is_503(population_file: Path, tmp_path: Path, person: Citizen,
                              serve: Callable[..., Server]) -> None:
    app = create_app({"definitions": [BUNDLED], "secret_key": "s",
                      "population_db": population_file,
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}",
                      "tenants": tenants_folder(tmp_path / "tenants"),
                      "oidc_issuer": "http://127.0.0.1:9", "oidc_client_id": CLIENT_ID})
    answer = submit(app.test_client(), "a.b.c")
    assert answer.status_code == 503 and "Retry-After" in answer.headers
