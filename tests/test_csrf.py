"""Tests for formengine.web.csrf: every unsafe request carries its browser's token."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from formengine.app import create_app
from formengine.web import csrf
from tests.conftest import BUNDLED, EXAMPLE, form_state
from tests.demo import demo_app, hidden

URL = f"/forms/{EXAMPLE}"


def token_of(html: str) -> str:
    """The ``_csrf`` hidden field of a page."""
    return hidden(html, "_csrf")


def carried(html: str) -> list[tuple[str, str]]:
    """The hidden fields of the "continue" form of a refusal page (without the token)."""
    form = html.split('id="carried-answers"', 1)[1].split("</form>", 1)[0]
    pairs = re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form)
    return [(k, html_lib.unescape(v)) for k, v in pairs if k != "_csrf"]


def test_a_post_without_the_token_is_refused_and_keeps_what_was_typed(
        client: FlaskClient) -> None:
    state = form_state(client.get(URL).get_data(as_text=True))
    posted = {"_state": state, "_page": "applicant", "full_name.family": "Nguyễn <b>",
              "_action": "submit"}
    response = client.post(URL + "?lang=en", data=posted, csrf=False)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "could not be verified" in html and "Nothing you typed is lost" in html
    kept = carried(html)
    assert ("full_name.family", "Nguyễn <b>") in kept and ("_state", state) in kept
    assert ("_action", "submit") not in kept  # comes back as "next": nothing sent unseen
    assert f'action="{URL}?lang=en"' in html
    # The page's own token makes the carried post go through.
    again = client.post(URL + "?lang=en", data={**dict(kept), "_csrf": token_of(html)},
                        csrf=False)
    assert again.status_code == 200
    assert "Nguyễn &lt;b&gt;" in again.get_data(as_text=True)


def test_a_wrong_or_foreign_token_is_refused(client: FlaskClient, app: Flask) -> None:
    client.get(URL)
    for sent in ("nonsense", csrf.sign("another-secret", "test-browser-fe_csrf")):
        response = client.post(URL, data={"_page": "applicant"},
                               headers={csrf.HEADER: sent})
        assert response.status_code == 403


def test_the_token_of_another_browser_is_refused(app: Flask) -> None:
    mine, theirs = app.test_client(), app.test_client()
    token = token_of(mine.get(URL).get_data(as_text=True))
    theirs.get(URL)
    response = theirs.post(URL, data={"_page": "applicant", "_csrf": token}, csrf=False)
    assert response.status_code == 403


def test_the_hidden_field_without_javascript(app: Flask) -> None:
    browser = app.test_client()
    page = browser.get(URL)
    assert "fe_csrf=" in page.headers["Set-Cookie"]
    assert "HttpOnly" in page.headers["Set-Cookie"]
    assert "SameSite=Lax" in page.headers["Set-Cookie"]
    html = page.get_data(as_text=True)
    token = token_of(html)
    assert f'<meta name="csrf-token" content="{token}">' in html
    response = browser.post(URL, data={"_state": form_state(html), "_page": "applicant",
                                       "_csrf": token}, csrf=False)
    assert response.status_code == 200


def test_cached_pages_carry_each_visitors_own_token(app: Flask) -> None:
    one, two = app.test_client(), app.test_client()
    first, second = (c.get(URL).get_data(as_text=True) for c in (one, two))
    assert len(app.extensions["formengine.page_cache"]) == 1  # one page for both
    assert csrf.PLACEHOLDER not in first + second
    assert token_of(first) != token_of(second)
    assert one.get(URL).get_data(as_text=True) == first  # the same browser, the same token


def test_https_uses_a_host_only_secure_cookie(app: Flask) -> None:
    page = app.test_client().get(URL, base_url="https://localhost")
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("__Host-fe_csrf=") and "Secure" in cookie and "Path=/" in cookie


def test_signing_in_does_not_void_the_token_of_an_open_page(population_file: Path,
                                                            tmp_path: Path) -> None:
    app = demo_app(population_file, tmp_path)
    browser = app.test_client()
    html = browser.get("/auth/demo").get_data(as_text=True)
    token = token_of(html)
    who = re.search(r'name="personal_id" value="(\d{12})"', html)
    assert who
    signed = browser.post("/auth/demo", data={"personal_id": who.group(1), "_csrf": token},
                          csrf=False)
    assert signed.status_code == 303
    # A form page left open before signing in still posts (assurance.py's journey).
    response = browser.post(URL, data={"_page": "applicant", "_csrf": token}, csrf=False)
    assert response.status_code == 200


def test_sign_in_and_out_need_the_token(population_file: Path, tmp_path: Path) -> None:
    app = demo_app(population_file, tmp_path)
    browser = app.test_client()
    html = browser.get("/auth/demo").get_data(as_text=True)
    who = re.search(r'name="personal_id" value="(\d{12})"', html)
    assert who
    refused = browser.post("/auth/demo", data={"personal_id": who.group(1)}, csrf=False)
    assert refused.status_code == 403
    assert ("personal_id", who.group(1)) in carried(refused.get_data(as_text=True))
    assert "Sign out" not in browser.get("/").get_data(as_text=True)
    assert browser.post("/auth/demo", data={"personal_id": who.group(1)}).status_code == 303
    assert browser.post("/auth/logout", csrf=False).status_code == 403
    assert "Sign out" in browser.get("/?lang=en").get_data(as_text=True)


def test_the_json_api_is_exempt_only_for_json(client: FlaskClient) -> None:
    url = f"/api/v1/forms/{EXAMPLE}/people"
    as_json = client.post(url, json={"personal_id": "001090000001"}, csrf=False)
    assert as_json.status_code == 401  # reached the view: sign in first
    as_form = client.post(url, data={"personal_id": "001090000001"}, csrf=False)
    assert as_form.status_code == 403
    assert as_form.mimetype == "application/problem+json"


def test_the_refusal_page_is_translated(client: FlaskClient) -> None:
    response = client.post(URL + "?lang=vi", data={"_page": "applicant"}, csrf=False)
    assert response.status_code == 403
    assert "Không có gì bạn đã nhập bị mất" in response.get_data(as_text=True)


def test_the_check_can_be_turned_off() -> None:
    app = create_app({"definitions": [BUNDLED], "csrf_enabled": False})
    response = app.test_client().post(URL, data={"_page": "applicant"}, csrf=False)
    assert response.status_code == 200
