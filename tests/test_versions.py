"""Versions of a definition: ``formengine keep``, the catalog's kept versions, and a draft
that stays on the version it was started on (formengine/definitions/catalog.py,
formengine/web/citizen.py ``definition_or_404``)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from flask import Flask

from formengine.app import create_app
from formengine.cli import main
from formengine.definitions import Catalog
from formengine.scaffold import write_starter
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import accepted_record, form_state
from tests.demo import hidden, send_all, sign_in

ID = "giay-phep"


def publish_v2(folder: Path) -> None:
    """Keep version 1, then make the file version 2 with one more required question."""
    path = folder / f"{ID}.json"
    result = CliRunner().invoke(main, ["keep", str(path)])
    assert result.exit_code == 0, result.output
    document = json.loads(path.read_text(encoding="utf-8"))
    document["x-procedure"]["version"] = "2"
    document["properties"]["purpose"] = {
        "type": "string", "title": "Mục đích", "minLength": 2,
        "x-i18n": {"en": {"title": "Purpose"}, "fr": {"title": "Objet"}}}
    document["required"].append("purpose")
    document["x-layout"]["pages"][1]["fields"].insert(0, "/purpose")
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def app_on(folder: Path, tmp_path: Path, population_file: Path) -> Flask:
    return create_app({"definitions": [folder], "demo": True, "secret_key": "s",
                       "population_db": population_file,
                       "database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}"})


def test_keep_writes_a_self_contained_copy(tmp_path: Path) -> None:
    write_starter(ID, tmp_path)
    publish_v2(tmp_path)
    kept = tmp_path / "versions" / f"{ID}@1.json"
    assert "$ref" not in kept.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["keep", str(tmp_path / f"{ID}.json")])
    assert result.exit_code == 0
    assert CliRunner().invoke(main, ["keep", str(tmp_path / f"{ID}.json")]).exit_code == 1
    catalog = Catalog.load([tmp_path])
    assert catalog.versions(ID) == ["1", "2"] and [d.version for d in catalog] == ["2"]
    assert catalog.get(ID).version == "2"  # type: ignore[union-attr]
    assert catalog.get(ID, "1").version == "1"  # type: ignore[union-attr]
    assert catalog.get(ID, "3") is None and not catalog.problems


def test_a_draft_made_on_version_1_is_finished_on_version_1(
        tmp_path: Path, population_file: Path) -> None:
    folder = tmp_path / "defs"
    write_starter(ID, folder)
    person = next(c for c in (Citizen.model_validate(d) for d in read_documents(
        population_file)) if c.date_of_death is None and c.permanent_residence is not None
        and c.date_of_birth is not None and c.date_of_birth.is_complete)
    client = sign_in(app_on(folder, tmp_path, population_file), person)
    html = client.get(f"/forms/{ID}?lang=en").get_data(as_text=True)
    step = {"_page": "applicant", "_action": "next", "_state": form_state(html),
            "_prefill": hidden(html, "_prefill"), "_key": hidden(html, "_key")}
    assert client.post(f"/forms/{ID}?lang=en", data=step).status_code == 200  # draft saved

    publish_v2(folder)
    app = app_on(folder, tmp_path, population_file)  # the new version is deployed
    client = sign_in(app, person)
    html = client.get(f"/forms/{ID}?page=request&lang=en").get_data(as_text=True)
    assert 'name="request"' in html and 'name="purpose"' not in html  # still version 1
    accepted_record(send_all(client, f"/forms/{ID}", html, {
        "request": "Xin cấp giấy phép", "consent": "true", "phone": person.phone or ""}))
    stored = app.extensions["formengine.submissions"].for_owner(person.personal_id)
    assert [s.version for s in stored] == ["1"]
    # Its receipt shows the answers with the questions of version 1.
    receipt = client.get(f"/submissions/{stored[0].receipt}?lang=en").get_data(as_text=True)
    assert "Xin cấp giấy phép" in receipt and "Purpose" not in receipt

    # Someone starting now gets version 2.
    other = next(c for c in (Citizen.model_validate(d) for d in read_documents(
        population_file)) if c.date_of_death is None and c.personal_id != person.personal_id)
    fresh = sign_in(app, other).get(f"/forms/{ID}?page=request&lang=en").get_data(as_text=True)
    assert 'name="purpose"' in fresh
