"""Helpers for tests of the citizen pages in demo mode: an app over the bundled definitions
with the session population and a database of its own, the demo sign-in, hidden fields.
Test clients send the CSRF token of their cookie (``BrowserClient`` in tests/conftest.py)."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from formengine.app import create_app
from prefill.model import Citizen, FullName
from tests.conftest import BUNDLED


def demo_app(population_file: Path, tmp_path: Path, **settings: Any) -> Flask:
    """An app in demo mode over the bundled definitions; its engine database is new.
    ``settings`` override others (e.g. low rate limits)."""
    app = create_app({"definitions": [BUNDLED], "demo": True, "secret_key": "s",
                      "population_db": population_file,
                      "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}",
                      **settings})
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


_LOCKED = re.compile(r'<span class="fe-locked__value" id="(f-[^"]+)" data-prefilled="locked"'
                     r'[^>]*>(.*?)</span>', re.S)


def _text(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def locked_values(html: str) -> dict[str, str]:
    """Element id -> the text shown for every locked value of a page ("Not recorded in the
    register" for a locked empty one)."""
    return {key: _text(text) for key, text in _LOCKED.findall(html)}


def locked_value(html: str, name: str) -> str:
    """The text shown for the locked answer ``name`` (``full_name.given`` or its id form
    ``full_name-given``); fails when it is not locked."""
    found = locked_values(html).get("f-" + name.replace(".", "-"))
    assert found is not None, f"f-{name} is not locked"
    return found


#: What a locked value the register holds empty shows (English pages).
NOT_RECORDED = "Not recorded in the register"


def name_parts(name: FullName) -> dict[str, str]:
    """What the locked parts of a name show: family, middle and given name."""
    return {part: getattr(name, part) or NOT_RECORDED for part in ("family", "middle", "given")}
