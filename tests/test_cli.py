"""Tests for formengine.cli (``formengine check``; also as ``flask --app formengine check``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from formengine.cli import main
from formengine.config import PROJECT_ROOT

BUNDLED = PROJECT_ROOT / "form_definitions"
FLASK = Path(sys.executable).parent / "flask"


def definition(procedure_id: str, **properties: Any) -> dict[str, Any]:
    """A small definition document (with translated texts, so no warnings)."""
    return {
        "x-procedure": {"id": procedure_id, "version": "1",
                        "title": {"vi": "Thử", "en": "Test", "fr": "Essai"}},
        "type": "object",
        "properties": properties or {"age": {"type": "integer"}},
    }


def write(folder: Path, name: str, document: Any) -> Path:
    """Write ``document`` as JSON to ``folder/name``."""
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run(*args: str | Path) -> Result:
    """``formengine <args>`` in-process."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A definition with an unknown widget value and a misspelt x- keyword."""
    return write(tmp_path, "broken.json", definition(
        "broken-form",
        a={"type": "string", "x-widget": "txt"},
        b={"type": "string", "x-widgit": "text"},
    ))


def test_check_bundled_folder_passes() -> None:
    result = run("check", BUNDLED)
    assert result.exit_code == 0, result.output
    assert " 0 error(s)" in result.output
    checked = len(list(BUNDLED.glob("*.json")))
    assert f"{checked} definition(s) checked" in result.output


def test_check_broken_file_fails_with_file_pointer_and_message(broken: Path) -> None:
    result = run("check", broken)
    assert result.exit_code == 1
    assert (f"{broken}: /properties/a/x-widget: error: `txt` is not allowed here"
            in result.output)
    assert (f"{broken}: /properties/b: error: unknown keyword `x-widgit`; "
            "did you mean `x-widget`?" in result.output)
    assert "1 definition(s) checked, 2 error(s)" in result.output


def test_check_several_paths(tmp_path: Path, broken: Path) -> None:
    good = write(tmp_path, "good.json", definition("good-form"))
    result = run("check", good, BUNDLED / "example-residence-registration.json")
    assert result.exit_code == 0, result.output
    assert "2 definition(s) checked, 0 error(s)" in result.output
    result = run("check", good, broken)
    assert result.exit_code == 1
    assert "2 definition(s) checked, 2 error(s)" in result.output
    assert str(good) not in result.output


def test_check_reports_duplicate_procedure_ids(tmp_path: Path) -> None:
    first = write(tmp_path, "a.json", definition("same-form"))
    # an untranslated title: a warning must not hide the clash
    second_doc = definition("same-form")
    second_doc["x-procedure"]["title"] = "Chỉ tiếng Việt"
    second = write(tmp_path, "b.json", second_doc)
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert (f"{second}: /x-procedure/id: error: procedure id `same-form` is already used by "
            f"{first}") in result.output


def test_check_warnings_do_not_fail(tmp_path: Path) -> None:
    document = definition("warned-form", a={"type": "string"}, b={"type": "string"})
    document["x-layout"] = {"pages": [{"id": "one", "title": {"vi": "Một", "en": "One",
                                                              "fr": "Un"}, "fields": ["/a"]}]}
    result = run("check", write(tmp_path, "w.json", document))
    assert result.exit_code == 0, result.output
    assert "warning: not on any page, so shown on the last page: /b" in result.output


def test_check_json_format(tmp_path: Path, broken: Path) -> None:
    good = write(tmp_path, "good.json", definition("good-form"))
    result = run("check", "--format", "json", good, broken)
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["checked"] == 2
    problems = {(p["file"], p["pointer"]): p for p in report["problems"]}
    assert set(problems) == {(str(broken), "/properties/a/x-widget"),
                             (str(broken), "/properties/b")}
    assert problems[(str(broken), "/properties/b")]["severity"] == "error"
    assert "did you mean `x-widget`" in problems[(str(broken), "/properties/b")]["message"]


def test_check_json_format_clean() -> None:
    result = run("check", "--format", "json", BUNDLED)
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["checked"] >= 1
    assert [p for p in report["problems"] if p["severity"] == "error"] == []


def test_check_defaults_to_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                       broken: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    write(other, "good.json", definition("good-form"))
    monkeypatch.setenv("FORMENGINE_DEFINITIONS", f"{other}:{BUNDLED}")
    result = run("check")
    assert result.exit_code == 0, result.output
    assert str(broken) not in result.output
    expected = 1 + len(list(BUNDLED.glob("*.json")))
    assert f"{expected} definition(s) checked" in result.output


def test_check_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope.json")])
    assert result.exit_code == 2


def test_flask_app_check(tmp_path: Path, broken: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    write(good, "good.json", definition("good-form"))
    env = {**os.environ, "FORMENGINE_DEFINITIONS": str(good), "FORMENGINE_SECRET_KEY": "x"}
    ok = subprocess.run([str(FLASK), "--app", "formengine", "check"], cwd="/tmp", env=env,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 definition(s) checked, 0 error(s)" in ok.stdout
    failed = subprocess.run([str(FLASK), "--app", "formengine", "check", str(broken)],
                            cwd="/tmp", env=env, capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1
    assert f"{broken}: /properties/a/x-widget" in failed.stdout


@pytest.mark.parametrize("command", [["formengine"], ["flask", "--app", "formengine"]])
def test_serve_answers_on_a_real_socket(command: list[str], tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "FORMENGINE_DEFINITIONS": str(PROJECT_ROOT / "form_definitions"),
           "FORMENGINE_POPULATION_DB": str(tmp_path / "population.sqlite3")}
    binary = str(Path(sys.executable).parent / command[0])
    server = subprocess.Popen([binary, *command[1:], "serve", "--port", str(port), "--demo"],
                              cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        line = server.stderr.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?lang=en", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.1)
        assert "example-residence-registration" in body and "Demonstration service" in body
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- formengine population ---------------------------------------------------------------


def test_population_generate_writes_the_file(tmp_path: Path) -> None:
    from prefill.sqlite import SqliteAdapter, read_documents, read_meta

    path = tmp_path / "sub" / "people.sqlite3"
    result = run("population", "generate", "--count", "60", "--seed", "4", "--db", path)
    assert result.exit_code == 0, result.output
    assert "60 citizens in " in result.output and str(path) in result.output
    assert read_meta(path)["seed"] == "4"
    first = next(read_documents(path))["personal_id"]
    assert SqliteAdapter(path).citizen(first, procedure="test").personal_id == first
    assert run("population", "generate", "--count", "-1", "--db", path).exit_code == 2


def test_population_generate_defaults_to_the_setting(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    from prefill.sqlite import read_meta

    path = tmp_path / "setting.sqlite3"
    monkeypatch.setenv("FORMENGINE_POPULATION_DB", str(path))
    result = run("population", "generate", "-n", "10")
    assert result.exit_code == 0, result.output
    assert read_meta(path)["count"] == "10" and read_meta(path)["seed"] == "1"


def test_flask_app_population_generate(tmp_path: Path) -> None:
    path = tmp_path / "flask.sqlite3"
    env = {**os.environ, "FORMENGINE_POPULATION_DB": str(path), "FORMENGINE_SECRET_KEY": "x"}
    done = subprocess.run([str(FLASK), "--app", "formengine", "population", "generate",
                           "--count", "5"], cwd="/tmp", env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert path.exists() and "5 citizens" in done.stdout


def test_serve_demo_generates_a_missing_population(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    served: list[Any] = []
    portals: list[Any] = []
    monkeypatch.setattr("formengine.cli.run_simple", lambda *a, **k: served.append(a))
    monkeypatch.setattr("formengine.cli._start_portal", lambda *a: portals.append(a))
    path = tmp_path / "demo.sqlite3"
    monkeypatch.setenv("FORMENGINE_POPULATION_DB", str(path))
    result = run("serve")
    assert result.exit_code == 0 and not path.exists()
    result = run("serve", "--demo")
    assert result.exit_code == 0, result.output
    assert f"demo population of 2000 citizens generated in {path}" in result.output
    made = path.stat().st_mtime_ns
    result = run("serve", "--demo")
    assert "demo population" not in result.output and path.stat().st_mtime_ns == made
    assert len(served) == 3
    assert portals == [("127.0.0.1", 5001, 5000)] * 2  # the sample portal, with --demo only
    run("serve", "--demo", "--portal-port", "0")
    assert len(portals) == 2


# --- formengine db -----------------------------------------------------------------------


def test_db_upgrade_and_current(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    from formengine.storage import head_revision, is_at_head, make_engine

    monkeypatch.setenv("FORMENGINE_DATABASE_URL", database_url)
    current = run("db", "current")
    assert current.exit_code == 1
    assert f"revision none (behind the latest {head_revision()}" in current.output
    done = run("db", "upgrade")
    assert done.exit_code == 0, done.output
    assert f"upgraded from empty to {head_revision()}" in done.output
    again = run("db", "upgrade")
    assert again.exit_code == 0 and "already at the latest revision" in again.output
    current = run("db", "current")
    assert current.exit_code == 0 and f"revision {head_revision()} (latest)" in current.output
    engine = make_engine(database_url)
    assert is_at_head(engine)
    engine.dispose()


def test_db_commands_hide_the_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("formengine.storage.upgrade", lambda engine: None)
    monkeypatch.setattr("formengine.storage.current_revision", lambda engine: None)
    monkeypatch.setenv("FORMENGINE_DATABASE_URL", "postgresql://forms:s3cret@db.invalid/forms")
    result = run("db", "upgrade")
    assert "s3cret" not in result.output and "forms:***@db.invalid" in result.output


def test_db_is_a_flask_command_too() -> None:
    from formengine.app import create_app

    app = create_app({"definitions": [BUNDLED]})
    assert {"upgrade", "current"} <= set(app.cli.commands["db"].commands)  # type: ignore[attr-defined]


# --- submissions: verify, purge, processed -------------------------------------------------

SIGNING_KEY = "bXktdGVzdC1rZXktMzItYnl0ZXMtbG9uZy4uLi4uLi4="


@pytest.fixture
def stored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """One stored submission in a database of its own; its receipt number."""
    from formengine.definitions.loader import load_definition
    from formengine.storage import make_engine, upgrade
    from formengine.submissions.signing import Signer
    from formengine.submissions.store import SubmissionStore, new_key

    url = f"sqlite:///{tmp_path / 'engine.sqlite3'}"
    monkeypatch.setenv("FORMENGINE_DATABASE_URL", url)
    monkeypatch.setenv("FORMENGINE_SIGNING_KEY", SIGNING_KEY)
    engine = make_engine(url)
    upgrade(engine)
    definition = load_definition(PROJECT_ROOT / "form_definitions"
                                 / "example-residence-registration.json")
    store = SubmissionStore(engine, Signer.from_text(SIGNING_KEY))
    receipt = store.submit(definition, "001090000001", new_key(), {"answers": {"a": 1}}).receipt
    engine.dispose()
    return receipt


def test_verify_intact_and_tampered(stored: str, tmp_path: Path) -> None:
    import sqlalchemy as sa

    from formengine.storage import make_engine
    from formengine.storage.tables import submissions

    result = run("verify", stored.lower())
    assert result.exit_code == 0 and f"{stored}: intact" in result.output
    engine = make_engine(f"sqlite:///{tmp_path / 'engine.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(sa.update(submissions).values(record={"answers": {"a": 2}}))
    engine.dispose()
    result = CliRunner().invoke(main, ["verify", stored])
    assert result.exit_code == 1 and "NOT intact" in result.output
    result = CliRunner().invoke(main, ["verify", "ZZZZ-ZZZZ"])
    assert result.exit_code == 1 and "no such submission" in result.output


def test_processed_then_purge(stored: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("submissions", "processed", stored).exit_code == 0
    assert CliRunner().invoke(main, ["submissions", "processed", "ZZZZ-ZZZZ"]).exit_code == 1
    monkeypatch.setenv("FORMENGINE_RETENTION_DAYS", "1")
    result = run("purge", "--dry-run")
    assert ("0 expired draft(s) and 0 expired co-applicant request(s) would be deleted"
            in result.output)
    assert "of 0 submission(s)" in result.output  # decided today: kept for a day
    assert "intact" in run("verify", stored).output
