"""Demo sign-in: only in demo mode, over the synthetic population."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from formengine.app import create_app
from prefill.sqlite import read_documents
from prefill.synthetic import generate
from tests.conftest import BUNDLED


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("population") / "population.sqlite3"
    generate(path, 200, 7)
    return path


@pytest.fixture
def demo(population: Path) -> Flask:
    app = create_app({"definitions": [BUNDLED], "demo": True, "population_db": population,
                      "secret_key": "s"})
    app.config["TESTING"] = True
    return app


def test_no_demo_sign_in_outside_demo_mode(population: Path) -> None:
    app = create_app({"definitions": [BUNDLED], "population_db": population})
    client = app.test_client()
    assert client.get("/auth/demo").status_code == 404
    assert client.post("/auth/demo", data={"personal_id": "001090012345"}).status_code == 404


def test_list_shows_synthetic_citizens_with_their_ids(demo: Flask, population: Path) -> None:
    html = demo.test_client().get("/auth/demo?lang=en").get_data(as_text=True)
    ids = re.findall(r'name="personal_id" value="(\d{12})"', html)
    known = {doc["personal_id"] for doc in read_documents(population)}
    assert len(ids) >= 10 and set(ids) <= known
    assert "Demonstration service" in html


def test_sign_in_and_out(demo: Flask, population: Path) -> None:
    client = demo.test_client()
    someone = next(iter(read_documents(population)))["personal_id"]
    response = client.post("/auth/demo", data={"personal_id": someone,
                                               "next": "/forms/example-residence-registration"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/forms/example-residence-registration"
    with client.session_transaction() as session:
        assert session["personal_id"] == someone and session["assurance"] == 2
    assert "Sign out" in client.get("/?lang=en").get_data(as_text=True)
    assert client.post("/auth/logout").status_code == 303
    with client.session_transaction() as session:
        assert "personal_id" not in session


def test_unknown_id_is_a_clear_error_and_keeps_what_was_typed(demo: Flask) -> None:
    response = demo.test_client().post("/auth/demo?lang=en",
                                       data={"personal_id": "001 099 000 000"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "fe-error-summary" in html
    assert 'value="001099000000"' in html


def test_next_must_stay_on_this_site(demo: Flask, population: Path) -> None:
    someone = next(iter(read_documents(population)))["personal_id"]
    for target in ("https://evil.example/", "//evil.example/x"):
        response = demo.test_client().post("/auth/demo", data={"personal_id": someone,
                                                               "next": target})
        assert response.headers["Location"] == "/"


def test_missing_population_file_is_a_503_not_a_500(tmp_path: Path) -> None:
    app = create_app({"definitions": [BUNDLED], "demo": True,
                      "population_db": tmp_path / "missing.sqlite3"})
    client = app.test_client()
    assert client.get("/auth/demo").status_code == 200
    assert client.post("/auth/demo", data={"personal_id": "001090012345"}).status_code == 503
