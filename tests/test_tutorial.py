"""The tutorial (docs/tutorial.md) works: its finished file passes the checks without a
warning, its snippets are valid JSON taken from it, and a citizen can submit it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from formengine.app import create_app
from formengine.config import PROJECT_ROOT
from formengine.definitions.loader import load_definition
from formengine.prefilling.coverage import synthetic_adults, typical
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.conftest import accepted_record
from tests.demo import send_all, sign_in

TUTORIAL = PROJECT_ROOT / "docs" / "tutorial.md"
FINISHED = PROJECT_ROOT / "docs" / "tutorial" / "residence-confirmation.json"


def test_the_finished_file_passes_check_without_warnings() -> None:
    definition = load_definition(FINISHED)
    assert definition.id == "residence-confirmation" and not definition.warnings


def test_the_snippets_are_parts_of_the_finished_file() -> None:
    finished = json.loads(FINISHED.read_text(encoding="utf-8"))
    blocks = re.findall(r"```json\n(.*?)```", TUTORIAL.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 3
    procedure = json.loads("{" + blocks[0] + "}")
    assert all(finished["x-procedure"][k] == v for k, v in procedure.items())
    assert json.loads("{" + blocks[1] + "}")["confirm_items"] == (
        finished["properties"]["confirm_items"])
    assert json.loads("{" + blocks[2] + "}")["allOf"] == finished["allOf"]


def test_the_coverage_the_tutorial_quotes() -> None:
    found = typical(load_definition(FINISHED), synthetic_adults(200, 1))
    assert (found.from_data, found.fields) == (10, 13)
    assert "10 of 13\nfields come from the register (77 %)" in TUTORIAL.read_text(
        encoding="utf-8")


def test_a_citizen_can_submit_it(tmp_path: Path, population_file: Path) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / FINISHED.name).write_text(FINISHED.read_text(encoding="utf-8"), encoding="utf-8")
    app = create_app({"definitions": [folder], "demo": True, "secret_key": "s",
                      "population_db": population_file,
                      "database_url": f"sqlite:///{tmp_path / 'e.sqlite3'}"})
    person = next(c for c in (Citizen.model_validate(d) for d in read_documents(
        population_file)) if c.date_of_death is None and c.permanent_residence is not None
        and c.date_of_birth is not None and c.date_of_birth.is_complete)
    client = sign_in(app, person)
    html = client.get("/forms/residence-confirmation?lang=en").get_data(as_text=True)
    record = accepted_record(send_all(client, "/forms/residence-confirmation", html, {
        "confirm_items": "permanent", "purpose": "other",
        "purpose_other": "Vay vốn ngân hàng", "consent": "true",
        "phone": person.phone or ""}))
    assert record["answers"]["personal_id"] == person.personal_id
    assert record["answers"]["purpose_other"] == "Vay vốn ngân hàng"
