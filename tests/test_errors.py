"""Tests for formengine.web.errors: every error is a translated page, or problem+json."""

from __future__ import annotations

from flask import Flask

from formengine.app import create_app
from tests.conftest import BUNDLED, EXAMPLE


def small_bodies() -> Flask:
    """The bundled definitions, bodies up to 2 kB."""
    return create_app({"definitions": [BUNDLED], "max_body_bytes": 2048})


def test_a_too_large_body_is_a_translated_413_page() -> None:
    app = small_bodies()
    client = app.test_client()
    big = {"_page": "p", "notes": "x" * 4096}
    for lang, text in (("en", "too large"), ("vi", "quá lớn"), ("fr", "trop")):
        response = client.post(f"/forms/{EXAMPLE}?lang={lang}", data=big)
        assert response.status_code == 413
        assert response.mimetype == "text/html"
        assert text in response.get_data(as_text=True).lower(), lang
        assert "Content-Security-Policy" in response.headers
    # Without ?lang= the language comes from the browser: the body is never read for it.
    response = client.post(f"/forms/{EXAMPLE}", data=big, headers={"Accept-Language": "fr"})
    assert response.status_code == 413 and "trop" in response.get_data(as_text=True)


def test_a_too_large_json_body_is_problem_json() -> None:
    app = small_bodies()
    response = app.test_client().post(f"/api/v1/forms/{EXAMPLE}/people?lang=en",
                                      json={"personal_id": "1" * 4096})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 413 and body["title"] == "What you sent is too large"


def test_api_errors_are_problem_json(client: object) -> None:
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    response = client.post("/api/v1/forms/no-such-form/people", json={"personal_id": "1"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_too_large_body_without_a_language_is_still_a_413() -> None:
    """The language is not read from a body too large to read (it was a 500)."""
    client = small_bodies().test_client()
    response = client.post(f"/forms/{EXAMPLE}", data={"_page": "p", "notes": "x" * 4096})
    assert response.status_code == 413
    response = client.post(f"/api/v1/forms/{EXAMPLE}/people", json={"x": "1" * 4096})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
