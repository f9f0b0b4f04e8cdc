"""The designer preview (formengine/web/designer.py, ``formengine preview``)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from flask import Flask

from formengine.app import create_app
from formengine.scaffold import write_starter
from formengine.web.designer import UNKNOWN_PERSON


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_starter("thu-nghiem", tmp_path / "defs")
    return tmp_path / "defs"


@pytest.fixture
def app(folder: Path, tmp_path: Path, population_file: Path) -> Flask:
    return create_app({"definitions": [folder], "demo": True, "designer": True,
                       "secret_key": "s", "population_db": population_file,
                       "database_url": f"sqlite:///{tmp_path / 'e.sqlite3'}"})


def touch_later(path: Path) -> None:
    """Make sure the next stat sees a new modification time."""
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_off_unless_asked(tmp_path: Path, population_file: Path) -> None:
    app = create_app({"demo": True, "secret_key": "s", "population_db": population_file,
                      "database_url": f"sqlite:///{tmp_path / 'e.sqlite3'}"})
    assert app.test_client().get("/designer/").status_code == 404
    assert app.test_client().post("/designer/sign-in",
                                  data={"personal_id": UNKNOWN_PERSON}).status_code == 404


def test_the_preview_page(app: Flask) -> None:
    client = app.test_client()
    assert "thu-nghiem" in client.get("/designer/?lang=en").get_data(as_text=True)
    html = client.get("/designer/thu-nghiem?lang=en").get_data(as_text=True)
    assert 'id="designer-form"' in html and 'src="/forms/thu-nghiem"' in html
    assert "legacy address" in html and f"not in the register ({UNKNOWN_PERSON})" in html
    assert re.search(r"10 of 12 fields come from the register \(83 %\), median over \d+ "
                     r"synthetic adults", html)
    assert "components/person-name.json" not in html  # the schema is shown inlined
    assert "&#34;family&#34;" in html or "&quot;family&quot;" in html
    assert "No problems." in html


def test_personas_sign_in_even_when_the_register_does_not_know_them(app: Flask) -> None:
    client = app.test_client()
    response = client.post("/designer/sign-in", data={
        "personal_id": UNKNOWN_PERSON, "next": "/designer/thu-nghiem"})
    assert response.status_code == 303 and response.location == "/designer/thu-nghiem"
    form = client.get("/forms/thu-nghiem?lang=en").get_data(as_text=True)
    assert 'data-prefill-status="not_found"' in form
    assert client.post("/designer/sign-in", data={"personal_id": "12"}).status_code == 400


def test_saving_the_file_reloads_it(app: Flask, folder: Path) -> None:
    client = app.test_client()
    stamp = client.get("/designer/thu-nghiem/version").get_data(as_text=True)
    assert client.get(f"/designer/thu-nghiem/version?seen={stamp}").headers.get(
        "HX-Refresh") is None
    path = folder / "thu-nghiem.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["x-procedure"]["title"]["en"] = "Renamed while previewing"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    touch_later(path)
    changed = client.get(f"/designer/thu-nghiem/version?seen={stamp}")
    assert changed.headers.get("HX-Refresh") == "true"
    assert "Renamed while previewing" in client.get("/forms/thu-nghiem?lang=en").get_data(
        as_text=True)


def test_a_broken_file_shows_its_problems(app: Flask, folder: Path) -> None:
    path = folder / "thu-nghiem.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["x-layout"]["pages"][0]["fields"].append("/nonexistent")
    path.write_text(json.dumps(document), encoding="utf-8")
    touch_later(path)
    html = app.test_client().get("/designer/thu-nghiem?lang=en").get_data(as_text=True)
    assert 'data-severity="error"' in html and "/nonexistent" in html
    assert 'id="designer-form"' not in html
    assert app.test_client().get("/designer/nothing-here").status_code == 404
