"""Tests for formengine.web.headers: security headers on every response, a strict CSP."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.app import create_app
from formengine.config import PROJECT_ROOT
from formengine.web import headers
from tests.conftest import BUNDLED, EXAMPLE

PAGES = ["/", f"/forms/{EXAMPLE}", "/static/formengine.css", "/no-such-page",
         f"/api/v1/forms/{EXAMPLE}/people"]


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: values}."""
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


def test_every_response_has_the_headers(client: FlaskClient) -> None:
    for url in PAGES:
        response = client.post(url, json={}) if url.startswith("/api/") else client.get(url)
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"]
        values = " ".join(v for vs in policy.values() for v in vs)
        assert "unsafe-inline" not in values and "unsafe-eval" not in values
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_frame_ancestors_come_from_one_function(client: FlaskClient,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(headers, "frame_ancestors",
                        lambda: ["'self'", "https://portal.example.gov.vn"])
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'", "https://portal.example.gov.vn"]


def test_hsts_only_under_https(client: FlaskClient) -> None:
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    # A forwarded scheme is believed only behind a configured proxy.
    forwarded = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in forwarded.headers


def test_a_trusted_proxy_tells_the_scheme() -> None:
    app: Flask = create_app({"definitions": [BUNDLED], "trusted_proxies": 1})
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


#: What the CSP (no 'unsafe-inline') would block: inline scripts, styles and handlers.
INLINE = [re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), re.compile(r"<style\b", re.I),
          re.compile(r"\sstyle\s*=", re.I), re.compile(r"\son[a-z]+\s*=", re.I),
          re.compile(r"javascript:", re.I), re.compile(r"hx-on", re.I),
          re.compile(r"""hx-vals=['"]\s*(js|javascript):""", re.I)]


def test_templates_have_nothing_inline() -> None:
    for path in sorted((PROJECT_ROOT / "templates").glob("*.html")):
        text = path.read_text()
        for pattern in INLINE:
            assert not pattern.search(text), f"{path.name}: {pattern.pattern}"


def test_rendered_pages_have_nothing_inline_and_htmx_never_evaluates(
        client: FlaskClient) -> None:
    html = client.get(f"/forms/{EXAMPLE}?page=household").get_data(as_text=True)
    html += client.get("/").get_data(as_text=True)
    for pattern in INLINE:
        assert not pattern.search(html), pattern.pattern
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert config
    assert '"allowEval": false' in config.group(1)
    assert '"includeIndicatorStyles": false' in config.group(1)
