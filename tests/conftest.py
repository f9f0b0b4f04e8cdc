"""Shared fixtures: apps over the bundled or a temporary definitions folder."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy.engine import Engine

from formengine.app import create_app
from formengine.config import PROJECT_ROOT

# Property tests: random examples on developers' machines (they find new cases), the same
# examples on every CI run (a red CI run means a change, not a lucky draw).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

#: Fixtures of these modules are available to every test (``serve``: a WSGI app on a socket).
pytest_plugins = ["tests.servers"]

BUNDLED = PROJECT_ROOT / "form_definitions"
EXAMPLE = "example-residence-registration"


#: The session population (small: tests need variety, not size).
POPULATION_COUNT, POPULATION_SEED = 300, 11


@pytest.fixture(scope="session")
def population_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A population file of POPULATION_COUNT citizens generated with POPULATION_SEED."""
    from prefill.synthetic import generate

    path = tmp_path_factory.mktemp("population") / "population.sqlite3"
    generate(path, POPULATION_COUNT, POPULATION_SEED)
    return path


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


def accepted_record(html: str) -> Any:
    """The record shown on the done page: answers, provenance and corrections."""
    import html as html_lib

    match = re.search(r'<pre[^>]*id="accepted-data"[^>]*>(.*?)</pre>', html, re.S)
    assert match, "not the done page"
    return json.loads(html_lib.unescape(match.group(1)))


def accepted_data(html: str) -> Any:
    """The answers shown on the done page."""
    return accepted_record(html)["answers"]


class BrowserClient(FlaskClient):
    """A test client that posts like a browser showing one of the app's pages: it keeps the
    CSRF cookie and sends the page's token (``X-CSRF-Token``, as htmx does) with every
    unsafe request. ``csrf=False`` sends none (tests of the protection itself)."""

    def open(self, *args: Any, csrf: bool = True, **kwargs: Any) -> Any:
        from werkzeug.datastructures import Headers

        from formengine.web import csrf as protection

        method = str(kwargs.get("method", "GET")).upper()
        plain = not args or isinstance(args[0], str)  # a URL, not a prepared request
        if csrf and method in protection.UNSAFE_METHODS and plain:
            secure = str(kwargs.get("base_url", "")).startswith("https:")
            name = "__Host-fe_csrf" if secure else "fe_csrf"
            cookie = self.get_cookie(name)
            if cookie is None:
                self.set_cookie(name, "test-browser-" + name, secure=secure)
                cookie = self.get_cookie(name)
            assert cookie is not None
            headers = Headers(kwargs.pop("headers", None))
            if protection.HEADER not in headers:
                secret = str(self.application.config["SECRET_KEY"])
                headers[protection.HEADER] = protection.sign(secret, cookie.value)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _browser_clients() -> Iterator[None]:
    """Every app's test client is a :class:`BrowserClient` (CSRF protection stays on)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "test_client_class", BrowserClient)
        yield


@pytest.fixture(autouse=True)
def _no_instance_secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("FORMENGINE_SECRET_KEY", "test-secret")
    yield


@pytest.fixture(scope="session", autouse=True)
def session_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The engine database of every app a test creates that does not name its own: one
    SQLite file per session (per xdist worker), never instance/; with
    ``FORMENGINE_TEST_DATABASE=postgresql``, a PostgreSQL database per session instead (how
    CI runs the suite on both). Set in the environment, so that module-scoped apps and
    ``formengine`` subprocesses use it too."""
    if os.environ.get("FORMENGINE_TEST_DATABASE") == "postgresql":
        with _postgres_database("app") as url, pytest.MonkeyPatch.context() as patch:
            patch.setenv("FORMENGINE_DATABASE_URL", url)
            yield url
        return
    url = f"sqlite:///{tmp_path_factory.mktemp('database') / 'formengine.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FORMENGINE_DATABASE_URL", url)
        yield url


# --- engine databases: SQLite and PostgreSQL -------------------------------------------

#: The PostgreSQL server the storage tests use (trust auth); override with this variable.
POSTGRES_URL = os.environ.get("FORMENGINE_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")


@contextlib.contextmanager
def _postgres_database(purpose: str) -> Iterator[str]:
    """A throwaway PostgreSQL database for this session (xdist worker) and ``purpose``.

    Created from a connection to the ``test`` database and dropped at the end. When the
    server cannot be reached the tests needing it are skipped, except in CI (``CI`` set),
    where they fail.
    """
    import sqlalchemy as sa

    from formengine.storage import make_engine

    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT",
                        connect_args={"connect_timeout": 3})
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL at {POSTGRES_URL} unreachable ({type(exc.orig).__name__})"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI is set, so this is an error")
        pytest.skip(message)
    # The pid keeps two test runs on one machine (two worktrees) apart.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"test_{purpose}_{worker}_{os.getpid()}".lower()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for the storage tests of this session: its URL."""
    with _postgres_database("storage") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty engine database, once SQLite (a new file) and once PostgreSQL (the session
    database, emptied)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'engine.sqlite3'}"
    url: str = request.getfixturevalue("postgres_database")
    from formengine.storage import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on :func:`database_url` (not migrated), disposed after the test."""
    from formengine.storage import make_engine

    engine = make_engine(database_url)
    yield engine
    engine.dispose()
