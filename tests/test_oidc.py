"""OpenID Connect sign-in against a real provider on a local socket, and min_assurance."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from formengine.config import Settings
from formengine.web.oidc import assurance_level
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.servers import Server

LEVEL2 = {
    "x-procedure": {"id": "level-two", "version": "1", "title": "Level two",
                    "min_assurance": 2},
    "type": "object", "required": ["a"],
    "properties": {"a": {"type": "string", "title": "A"}},
}
OPEN = {
    "x-procedure": {"id": "open", "version": "1", "title": "Open"},
    "type": "object", "properties": {"a": {"type": "string", "title": "A"}},
}


@pytest.fixture
def provider() -> Provider:
    return Provider()


@pytest.fixture
def issuer(provider: Provider, serve: Callable[..., Server]) -> str:
    return serve(provider.app()).url


@pytest.fixture
def app(make_app: Callable[..., Flask], issuer: str) -> Flask:
    return make_app(LEVEL2, OPEN, oidc_issuer=issuer, oidc_client_id=CLIENT_ID,
                    oidc_client_secret=CLIENT_SECRET)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def to_provider(client: FlaskClient, target: str = "/forms/open") -> str:
    """Start sign-in; the provider's answer (the callback URL, path and query)."""
    response = client.get("/auth/login", query_string={"next": target})
    assert response.status_code == 302
    at_provider = httpx.get(response.headers["Location"], follow_redirects=False)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["location"])
    assert back.path == "/auth/callback"
    return f"{back.path}?{back.query}"


def sign_in(client: FlaskClient, target: str = "/forms/open") -> TestResponse:
    """The whole round trip: login, provider, callback (its response)."""
    return client.get(to_provider(client, target) + "&lang=en")


def session_of(client: FlaskClient) -> dict[str, Any]:
    with client.session_transaction() as session:
        return dict(session)


# --- sign-in -------------------------------------------------------------------------


def test_sign_in_with_pkce_state_and_nonce(client: FlaskClient, provider: Provider) -> None:
    response = sign_in(client, "/forms/open?page=form")
    assert response.status_code == 303
    assert response.headers["Location"] == "/forms/open?page=form"
    assert session_of(client) == {"personal_id": "001090012345", "auth_method": "oidc",
                                  "assurance": 2}
    asked = provider.authorizations[-1]
    assert asked["code_challenge_method"] == "S256" and asked["state"] and asked["nonce"]
    assert asked["scope"].split() == ["openid", "profile"]
    assert provider.exchanges == ["ok"]  # client secret, code, redirect URI and verifier
    assert "Sign out" in client.get("/?lang=en").get_data(as_text=True)
    assert client.post("/auth/logout").status_code == 303
    assert "personal_id" not in session_of(client)


@pytest.mark.parametrize(("value", "level"), [("1", 1), (1, 1), ("2", 2), (2, 2),
                                              (None, 1), ("3", 1), ("high", 1)])
def test_level_from_the_claim(client: FlaskClient, provider: Provider, value: Any,
                              level: int) -> None:
    provider.claims["loa"] = value
    if value is None:
        del provider.claims["loa"]
    assert sign_in(client).status_code == 303
    assert session_of(client)["assurance"] == level


def test_assurance_values_map_named_levels() -> None:
    settings = Settings(oidc_assurance_claim="acr", oidc_assurance_values="substantial=1,high=2")
    assert assurance_level({"acr": "high"}, settings) == 2
    assert assurance_level({"acr": "substantial"}, settings) == 1
    assert assurance_level({"acr": True}, settings) == 1


def test_session_is_renewed_on_sign_in(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client)
    assert "planted" not in session_of(client)


def test_several_audiences_including_us(client: FlaskClient, provider: Provider) -> None:
    provider.id_token = {"aud": [CLIENT_ID, "another-client"], "azp": CLIENT_ID}
    assert sign_in(client).status_code == 303


def test_personal_id_only_from_userinfo(client: FlaskClient, provider: Provider) -> None:
    del provider.claims["personal_id"]
    provider.userinfo_only = {"personal_id": "001 090 012345"}
    assert sign_in(client).status_code == 303
    assert session_of(client)["personal_id"] == "001090012345"


@pytest.mark.parametrize(("tamper", "reason"), [
    ({"nonce": "another-nonce"}, "InvalidClaimError"),
    ({"nonce": None}, "MissingClaimError"),
    ({"aud": "another-client"}, "InvalidClaimError"),
    ({"aud": ["another-client", "a-third"]}, "InvalidClaimError"),
    ({"aud": "another-client", "azp": CLIENT_ID}, "InvalidClaimError"),
    ({"iss": "https://impostor.example"}, "InvalidClaimError"),
    ({"exp": 1_000_000_000, "iat": 999_999_000}, "ExpiredTokenError"),
    ({"sub": None}, "MissingClaimError"),
])
def test_bad_id_tokens_are_refused(client: FlaskClient, provider: Provider,
                                   tamper: dict[str, Any], reason: str,
                                   caplog: pytest.LogCaptureFixture) -> None:
    provider.id_token = tamper
    with caplog.at_level(logging.WARNING):
        response = sign_in(client)
    refused(response, 403)
    assert f"sign-in failed: token:{reason}" in caplog.text
    assert "001090012345" not in caplog.text and "personal_id" not in session_of(client)


def test_a_bad_signature_is_refused(client: FlaskClient, provider: Provider,
                                    caplog: pytest.LogCaptureFixture) -> None:
    provider.wrong_key = True
    with caplog.at_level(logging.WARNING):
        refused(sign_in(client), 403)
    assert "token:BadSignatureError" in caplog.text


@pytest.mark.parametrize("value", [None, "12345", "999090012345", 1090012345])
def test_missing_or_invalid_personal_id_is_refused(client: FlaskClient, provider: Provider,
                                                   value: Any,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    if value is None:
        del provider.claims["personal_id"]
    else:
        provider.claims["personal_id"] = value
    with caplog.at_level(logging.WARNING):
        html = refused(sign_in(client), 403)
    assert "personal identification number" in html
    assert "id_claim" in caplog.text and "999090012345" not in caplog.text


def test_refused_access_at_the_provider(client: FlaskClient, provider: Provider) -> None:
    provider.deny = True
    html = refused(sign_in(client), 403)
    assert 'data-reason="access_denied"' in html


def test_state_mismatch_is_refused(client: FlaskClient, provider: Provider) -> None:
    callback = to_provider(client)
    forged = re.sub(r"state=[^&]*", "state=forged", callback)
    refused(client.get(forged + "&lang=en"), 400)
    assert provider.exchanges == []  # the code was never exchanged


def test_callback_from_another_browser_is_refused(app: Flask, provider: Provider) -> None:
    callback = to_provider(app.test_client())
    refused(app.test_client().get(callback + "&lang=en"), 400)


def test_a_code_works_once(client: FlaskClient) -> None:
    callback = to_provider(client)
    assert client.get(callback).status_code == 303
    refused(client.get(callback + "&lang=en"), 400)  # its state is spent


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_next_must_stay_on_this_site(client: FlaskClient, target: str) -> None:
    location = sign_in(client, target).headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//")
                               and "evil" not in urlsplit(location).netloc)


def test_provider_down_is_a_page_not_a_500(make_app: Callable[..., Flask]) -> None:
    app = make_app(OPEN, oidc_issuer="http://127.0.0.1:9", oidc_client_id=CLIENT_ID)
    response = app.test_client().get("/auth/login?lang=en")
    assert response.status_code == 503
    assert 'data-reason="unreachable"' in response.get_data(as_text=True)


def refused(response: TestResponse, status: int) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == status, html
    assert "Sign-in did not succeed" in html and "/auth/login" in html
    return html


# --- configuration and header ----------------------------------------------------------


def test_routes_exist_only_when_configured(make_app: Callable[..., Flask]) -> None:
    client = make_app(OPEN).test_client()
    assert client.get("/auth/login").status_code == 404
    assert client.get("/auth/callback").status_code == 404
    assert client.post("/auth/logout").status_code == 404
    assert "/auth/login" not in client.get("/").get_data(as_text=True)


def test_header_offers_sign_in(client: FlaskClient) -> None:
    html = client.get("/forms/open?lang=en").get_data(as_text=True)
    assert 'href="/auth/login?next=/forms/open"' in html and "/auth/demo" not in html


def test_demo_and_oidc_together(make_app: Callable[..., Flask], issuer: str,
                                population_file: Any) -> None:
    app = make_app(OPEN, demo=True, population_db=population_file, oidc_issuer=issuer,
                   oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET)
    client = app.test_client()
    html = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/auth/login?next=/"' in html and 'href="/auth/demo"' in html
    assert client.get("/auth/demo").status_code == 200
    assert sign_in(client).status_code == 303


def test_http_issuer_refused_except_on_this_machine() -> None:
    with pytest.raises(ValueError, match="https"):
        Settings(oidc_issuer="http://id.example.vn")
    assert Settings(oidc_issuer="https://id.example.vn/").oidc_issuer == "https://id.example.vn"


# --- min_assurance ---------------------------------------------------------------------


def test_anonymous_visitor_is_asked_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/forms/level-two?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "You need to sign in to use this service" in html and "verified in person" in html
    assert 'href="/auth/login?next=/forms/level-two"' in html
    assert 'data-needed="2"' in html and "carried-answers" not in html


def test_level_1_is_refused_and_posted_answers_kept(client: FlaskClient,
                                                    provider: Provider) -> None:
    provider.claims["loa"] = "1"
    sign_in(client)
    assert client.get("/forms/level-two").status_code == 403
    posted = {"_state": "the-signed-state", "_prefill": "the-snapshot", "_page": "form",
              "a": 'typed "answer" <b>', "_action": "submit"}
    response = client.post("/forms/level-two?lang=en", data=posted)
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "level 1" in html and 'data-have="1"' in html
    for name in ("_state", "_prefill", "_page"):
        assert f'name="{name}" value="{posted[name]}"' in html
    assert 'name="a" value="typed &#34;answer&#34; &lt;b&gt;"' in html
    assert 'value="submit"' not in html  # replays as "next": nothing is sent unseen
    assert 'target="_blank"' in html  # sign-in in a new tab keeps this page
    assert client.post("/forms/level-two/validate?field=a", data=posted).status_code == 403


def test_level_2_is_accepted_and_the_answers_go_through(client: FlaskClient) -> None:
    anonymous = client.post("/forms/level-two?lang=en", data={"_page": "form", "a": "x"})
    assert anonymous.status_code == 401
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                              anonymous.get_data(as_text=True)))
    sign_in(client)
    assert client.get("/forms/level-two").status_code == 200
    again = client.post("/forms/level-two?lang=en", data=carried)
    assert again.status_code == 200 and "Check your answers" in again.get_data(as_text=True)


def test_an_ended_session_still_saves_for_its_owner(client: FlaskClient) -> None:
    sign_in(client)
    html = client.get("/forms/level-two").get_data(as_text=True)
    token = re.search(r'name="_prefill" value="([^"]+)"', html)
    assert token is not None
    client.post("/auth/logout")
    response = client.post("/forms/level-two?lang=en", data={
        "_prefill": token.group(1), "_page": "form", "a": "x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 401 and "Please sign in again" in html
    assert 'href="/auth/login?next=/forms/level-two"' in html


def test_open_procedures_stay_open(client: FlaskClient) -> None:
    assert client.get("/forms/open").status_code == 200
    assert client.post("/forms/open", data={"_page": "form", "a": "x"}).status_code == 200
    assert client.get("/forms/missing").status_code == 404


def test_demo_sign_in_counts_as_level_2(make_app: Callable[..., Flask],
                                        population_file: Any) -> None:
    from prefill.sqlite import read_documents

    app = make_app(LEVEL2, demo=True, population_db=population_file)
    client = app.test_client()
    html = client.get("/forms/level-two?lang=en").get_data(as_text=True)
    assert "/auth/demo?next=/forms/level-two" in html and "/auth/login" not in html
    someone = next(iter(read_documents(population_file)))["personal_id"]
    client.post("/auth/demo", data={"personal_id": someone})
    assert client.get("/forms/level-two").status_code == 200


def test_min_assurance_in_the_meta_schema() -> None:
    from formengine.definitions.loader import check_document

    assert check_document(LEVEL2, "level-two.json") == []
    for wrong in (3, 0, "2"):
        bad = {**OPEN, "x-procedure": {**OPEN["x-procedure"], "min_assurance": wrong}}
        problems = check_document(bad, "open.json")
        assert {p.pointer for p in problems} == {"/x-procedure/min_assurance"}
