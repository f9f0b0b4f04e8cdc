"""Helpers for tests of the citizen pages in demo mode: an app over the bundled definitions
with the session population and a database of its own, the demo sign-in, hidden fields."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from formengine.app import create_app
from prefill.model import Citizen
from tests.conftest import BUNDLED


def demo_app(population_file: Path, tmp_path: Path) -> Flask:
    """An app in demo mode over the bundled definitions; its engine database is new."""
    app = create_app({"definitions": [BUNDLED], "demo": True, "secret_key": "s",
                      "population_db": population_file,
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}"})
    app.config["TESTING"] = True
    return app


def sign_in(app: Flask, who: Citizen) -> FlaskClient:
    """A client signed in as ``who`` with the demo sign-in."""
    client = app.test_client()
    assert client.post("/auth/demo", data={"personal_id": who.personal_id}).status_code == 303
    return client


def hidden(html: str, name: str) -> str:
    """The value of the hidden field ``name`` of a rendered page."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} in the page"
    return match.group(1)
