"""``formengine new`` (formengine/scaffold.py): a starter that passes the checks and is
prefilled from the register."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from formengine.app import create_app
from formengine.cli import main
from formengine.definitions.loader import load_definition
from formengine.scaffold import ScaffoldError, starter, write_starter
from prefill.model import Citizen
from prefill.sqlite import read_documents
from tests.demo import locked_value, sign_in


def test_the_starter_passes_the_checks_and_binds_the_applicant(tmp_path: Path) -> None:
    path = write_starter("cap-giay-phep", tmp_path)
    definition = load_definition(path)
    assert definition.id == "cap-giay-phep" and not definition.warnings
    bound = {b.pointer: (b.subject, b.attribute, b.mode) for b in definition.bindings}
    assert bound["/personal_id"] == ("self", "personal_id", "locked")
    assert bound["/full_name/given"] == ("self", "full_name.given", "locked")
    assert bound["/permanent_residence/commune_code"][1] == "permanent_residence.commune_code"
    assert bound["/phone"] == ("self", "phone", "editable")
    assert [p.id for p in definition.pages] == ["applicant", "request"]
    for text in (definition.procedure["title"], definition.pages[1].title):
        assert set(text) == {"vi", "en", "fr"}  # type: ignore[arg-type]


def test_it_never_overwrites_and_refuses_bad_ids(tmp_path: Path) -> None:
    write_starter("mot-thu-tuc", tmp_path)
    with pytest.raises(ScaffoldError, match="exists already"):
        write_starter("mot-thu-tuc", tmp_path)
    for bad in ("Thủ tục", "a", "-x", "x/y"):
        with pytest.raises(ScaffoldError, match="not a procedure id"):
            starter(bad)


def test_a_signed_in_citizen_sees_it_prefilled(tmp_path: Path, population_file: Path) -> None:
    write_starter("thu-nghiem", tmp_path / "defs")
    app = create_app({"definitions": [tmp_path / "defs"], "demo": True, "secret_key": "s",
                      "population_db": population_file,
                      "database_url": f"sqlite:///{tmp_path / 'e.sqlite3'}"})
    person = next(c for c in (Citizen.model_validate(d) for d in read_documents(
        population_file)) if c.date_of_death is None and c.permanent_residence is not None)
    html = sign_in(app, person).get("/forms/thu-nghiem?lang=en").get_data(as_text=True)
    assert locked_value(html, "personal_id") == person.personal_id
    assert locked_value(html, "full_name.given") == person.full_name.given


def test_cli(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new", "giay-xac-nhan", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "passes `formengine check`" in result.output
    check = CliRunner().invoke(main, ["check", str(tmp_path / "giay-xac-nhan.json")])
    assert check.exit_code == 0 and "0 error(s), 0 warning(s)" in check.output
    again = CliRunner().invoke(main, ["new", "giay-xac-nhan", "--output", str(tmp_path)])
    assert again.exit_code == 1 and "exists already" in again.output
