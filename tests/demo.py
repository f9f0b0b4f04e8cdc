"""Helpers for tests of the citizen pages in demo mode: an app over the bundled definitions
with the session population and a database of its own, the demo sign-in, hidden fields.
Test clients send the CSRF token of their cookie (``BrowserClient`` in tests/conftest.py)."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
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


def open_form(client: FlaskClient, form: str, page: str | None = None) -> str:
    """A page of ``form`` (``/forms/<id>``) in English; the first one by default."""
    response = client.get(f"{form}?lang=en" + (f"&page={page}" if page else ""))
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def editable(html: str) -> dict[str, str]:
    """Name -> value of every prefilled input or list the citizen may change (a browser
    posts them back as shown)."""
    found: dict[str, str] = {}
    for tag in re.findall(r'<input[^>]*data-prefilled="editable"[^>]*>', html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        assert name and value, tag
        found[name.group(1)] = html_lib.unescape(value.group(1))
    for name, body in re.findall(r'<select[^>]*data-prefilled="editable"[^>]*name="([^"]*)"'
                                 r'[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body)
        if chosen:
            found[name] = html_lib.unescape(chosen.group(1))
    return found


def carried(html: str) -> dict[str, str]:
    """The signed fields a page carries to the next post: answers, snapshot, key."""
    names = ("_state", "_prefill", "_key")
    return {name: hidden(html, name) for name in names if f'name="{name}"' in html}


def send_all(client: FlaskClient, form: str, html: str, fields: Mapping[str, str]) -> str:
    """Submit every page of ``form`` at once from ``html``, as a browser showing it would:
    the carried fields, the editable prefilled values as shown, then ``fields`` (locked
    answers are not sent: the register's are used)."""
    data = {"_page": "*", "_action": "submit", **carried(html), **editable(html), **fields}
    response = client.post(f"{form}?lang=en", data=data)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)
