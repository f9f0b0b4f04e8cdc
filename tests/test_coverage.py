"""Tests for formengine.prefilling.coverage and ``formengine coverage``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from formengine.cli import main
from formengine.definitions.loader import load_definition
from formengine.prefilling.coverage import Coverage, coverage, records_of, typical
from formengine.prefilling.snapshot import Snapshot, take
from tests.conftest import BUNDLED

DEFINITION: dict[str, Any] = {
    "x-procedure": {"id": "cov", "version": "1", "title": "Thử"},
    "type": "object",
    "properties": {
        "name": {"type": "object", "x-prefill": {"attribute": "full_name"},
                 "properties": {"family": {"type": "string"}, "given": {"type": "string"}}},
        "phone": {"type": "string", "x-prefill": {"attribute": "phone"}},
        "reason": {"type": "string"},
        "kids": {"type": "array", "x-prefill": {"subject": "children"},
                 "items": {"type": "object", "properties": {
                     "personal_id": {"type": "string"}, "school": {"type": "string"}}}},
        "pets": {"type": "array", "items": {"type": "object", "properties": {
            "kind": {"type": "string"}, "name": {"type": "string"}}}},
    },
    "allOf": [{"if": {"properties": {"reason": {"const": "x"}}, "required": ["reason"]},
               "then": {"properties": {"detail": {"type": "string"}}}}],
}
PERSON: dict[str, Any] = {
    "personal_id": "001090000001", "full_name": {"family": "Lê", "middle": "", "given": "An"},
    "phone": None,
    "children": [{"personal_id": "001215000003", "full_name": {"given": "Bé"}},
                 {"personal_id": None, "full_name": {"given": "Nuôi"}}],
}


def load(tmp_path: Path) -> Any:
    path = tmp_path / "cov.json"
    path.write_text(json.dumps(DEFINITION))
    return load_definition(path)


def test_fields_shown_and_fields_from_data(tmp_path: Path) -> None:
    definition = load(tmp_path)
    snap = take(definition, records_of(PERSON, {PERSON["personal_id"]: PERSON}),
                source="test", fetched_at="")
    found = coverage(definition, snap)
    # name: 2 (from data); phone: 1 (typed: none in the register); reason: 1 typed;
    # kids: 2 rows x 2, personal_id from data in both (the second child has none in the
    # register: locked empty), school typed; pets: one row the citizen would add, 2 typed;
    # detail: hidden.
    assert found == Coverage("cov", 10, 4)
    assert found.typed == 6 and round(found.share, 2) == 0.4
    assert found.to_json() == {"procedure": "cov", "fields": 10, "from_data": 4, "typed": 6,
                               "share": 0.4}


def test_nothing_from_data_without_register(tmp_path: Path) -> None:
    definition = load(tmp_path)
    found = coverage(definition, Snapshot(None, "anonymous"))
    assert found.from_data == 0 and found.fields == 8


def test_typical_is_the_median(tmp_path: Path) -> None:
    definition = load(tmp_path)
    everyone = {PERSON["personal_id"]: PERSON}
    alone = {**PERSON, "personal_id": "001090000002", "children": []}
    found = typical(definition, [records_of(p, everyone) for p in (PERSON, alone, alone)])
    assert found == Coverage("cov", 8, 2)
    assert typical(definition, []) == Coverage("cov", 0, 0)


def test_command_prints_a_table_and_json() -> None:
    result = CliRunner().invoke(main, ["coverage", str(BUNDLED), "--sample", "20"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert "example-residence-registration" in result.output
    assert "median over 20 synthetic adults (seed 1)" in result.output
    result = CliRunner().invoke(main, ["coverage", str(BUNDLED), "--sample", "20", "--json"],
                                catch_exceptions=False)
    data = json.loads(result.output)
    assert data["sample"] == 20
    rows = {r["procedure"]: r for r in data["procedures"]}
    example = rows["example-residence-registration"]
    assert example["from_data"] + example["typed"] == example["fields"]
    assert example["from_data"] >= 10  # identity, household and contacts come from data


def test_a_co_applicant_who_agreed_counts_as_data(tmp_path: Path) -> None:
    spec = {**DEFINITION, "properties": {
        "partner": {"type": "object", "properties": {
            "name": {"type": "string",
                     "x-prefill": {"subject": "co_applicant", "attribute": "full_name.given"}},
            "job": {"type": "string"}}}}}
    spec.pop("allOf")
    path = tmp_path / "pair.json"
    path.write_text(json.dumps(spec))
    definition = load_definition(path)
    other = {"personal_id": "001196000002", "full_name": {"given": "Mai"}}
    alone = take(definition, records_of(PERSON, {}), source="test", fetched_at="")
    agreed = take(definition, records_of(PERSON, {}, other), source="test", fetched_at="")
    assert coverage(definition, alone) == Coverage("cov", 2, 0)
    assert coverage(definition, agreed) == Coverage("cov", 2, 1)
    assert agreed.co_applicant == "001196000002" and alone.co_applicant is None
