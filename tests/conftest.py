"""Shared fixtures: apps over the bundled or a temporary definitions folder."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from formengine.app import create_app
from formengine.config import PROJECT_ROOT

BUNDLED = PROJECT_ROOT / "form_definitions"
EXAMPLE = "example-residence-registration"


@pytest.fixture
def app() -> Flask:
    """The app over the bundled definitions."""
    app = create_app({"definitions": [BUNDLED], "secret_key": "test-secret"})
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of :func:`app`."""
    return app.test_client()


@pytest.fixture
def definitions_dir(tmp_path: Path) -> Path:
    """An empty definitions folder whose ``components/`` are the bundled ones."""
    folder = tmp_path / "definitions"
    folder.mkdir()
    shutil.copytree(BUNDLED / "components", folder / "components")
    return folder


@pytest.fixture
def make_app(definitions_dir: Path) -> Callable[..., Flask]:
    """``make_app(doc, ...)``: an app serving the given definition documents (dicts)."""

    def make(*documents: dict[str, Any], **settings: Any) -> Flask:
        for doc in documents:
            name = doc["x-procedure"]["id"]
            (definitions_dir / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False))
        app = create_app({"definitions": [definitions_dir], "secret_key": "test-secret",
                          **settings})
        app.config["TESTING"] = True
        return app

    return make


def form_state(html: str) -> str:
    """The carried ``_state`` of a rendered form page."""
    match = re.search(r'name="_state" value="([^"]*)"', html)
    assert match, "no _state in page"
    return match.group(1)


def shown_errors(html: str) -> list[tuple[str, str]]:
    """(pointer, keyword) of every inline error on a rendered page, in page order."""
    return re.findall(r'data-pointer="([^"]*)" data-keyword="([^"]*)"', html)


def accepted_data(html: str) -> Any:
    """The JSON shown on the done page."""
    import html as html_lib

    match = re.search(r'<pre[^>]*id="accepted-data"[^>]*>(.*?)</pre>', html, re.S)
    assert match, "not the done page"
    return json.loads(html_lib.unescape(match.group(1)))


@pytest.fixture(autouse=True)
def _no_instance_secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("FORMENGINE_SECRET_KEY", "test-secret")
    yield
