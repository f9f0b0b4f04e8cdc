"""The app factory: settings, template overrides, vendor files, demo banner, docs."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from formengine.app import create_app
from formengine.config import PROJECT_ROOT, Settings
from tests.conftest import BUNDLED


def test_definitions_are_loaded_once_at_start(app: Flask) -> None:
    catalog = app.extensions["formengine.catalog"]
    assert catalog.get("example-residence-registration") is not None
    assert catalog.problems == []


def test_broken_definition_is_refused_and_others_served(definitions_dir: Path) -> None:
    (definitions_dir / "broken.json").write_text('{"x-procedure": {}}')
    (definitions_dir / "ok.json").write_text((BUNDLED / "example-residence-registration.json")
                                             .read_text())
    app = create_app({"definitions": [definitions_dir]})
    catalog = app.extensions["formengine.catalog"]
    assert len(catalog) == 1
    assert any("broken.json" in p.file for p in catalog.problems)
    assert app.test_client().get("/forms/example-residence-registration").status_code == 200


def test_portal_can_override_a_template(tmp_path: Path) -> None:
    (tmp_path / "catalogue.html").write_text("{% extends 'base.html' %}{% block main %}"
                                             "PORTAL CATALOGUE{% endblock %}")
    app = create_app({"definitions": [BUNDLED], "template_overrides": [tmp_path]})
    html = app.test_client().get("/").get_data(as_text=True)
    assert "PORTAL CATALOGUE" in html and "<html" in html


def test_htmx_is_served_from_node_modules(client: Flask) -> None:
    response = client.get("/vendor/htmx.min.js")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert b"htmx" in response.data[:2000]
    assert client.get("/vendor/other.js").status_code == 404  # type: ignore[attr-defined]


def test_pages_load_no_script_from_elsewhere(client: Flask) -> None:
    html = client.get("/forms/example-residence-registration").get_data(  # type: ignore[attr-defined]
        as_text=True)
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources)
    assert "<script>" not in html  # no inline script


def test_demo_banner_only_in_demo_mode() -> None:
    plain = create_app({"definitions": [BUNDLED]}).test_client().get("/?lang=en")
    demo = create_app({"definitions": [BUNDLED], "demo": True}).test_client().get("/?lang=en")
    assert "Demonstration service" not in plain.get_data(as_text=True)
    assert "Demonstration service" in demo.get_data(as_text=True)


def test_secret_key_is_kept_in_the_instance_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FORMENGINE_SECRET_KEY", raising=False)
    monkeypatch.setattr("formengine.app.PROJECT_ROOT", tmp_path)
    first = create_app({"definitions": [BUNDLED]}).config["SECRET_KEY"]
    second = create_app({"definitions": [BUNDLED]}).config["SECRET_KEY"]
    assert first == second
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_every_setting_is_documented() -> None:
    docs = (PROJECT_ROOT / "docs" / "settings.md").read_text()
    for name in Settings.model_fields:
        assert f"FORMENGINE_{name.upper()}" in docs, f"document FORMENGINE_{name.upper()}"
