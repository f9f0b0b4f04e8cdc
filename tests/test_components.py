"""The shared data dictionary (form_definitions/components/): generated code lists are up to
date, every component is complete in three languages, default bindings apply where they
should."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from formengine.config import PROJECT_ROOT
from formengine.definitions.bindings import resolve
from formengine.definitions.loader import check_document, load_definition
from prefill.codes import ETHNICITIES, MARITAL_STATUSES, RELATIONSHIPS
from prefill.model import ATTRIBUTES
from tools.build_components import main as build

COMPONENTS = PROJECT_ROOT / "form_definitions" / "components"


def test_generated_components_are_up_to_date() -> None:
    assert build(["--check"]) == 0, "run .venv/bin/python tools/build_components.py"


@pytest.mark.parametrize("path", sorted(COMPONENTS.glob("*.json")), ids=lambda p: p.name)
def test_component_is_valid_and_its_binding_known(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert check_document(document, str(path), component=True) == []
    binding = document.get("x-prefill")
    if isinstance(binding, dict):
        assert binding["attribute"] in ATTRIBUTES


def codes(name: str) -> list[Any]:
    document = json.loads((COMPONENTS / name).read_text(encoding="utf-8"))
    return [option["const"] for option in document["oneOf"]]


def test_code_lists_match_the_register() -> None:
    assert codes("ethnicity.json") == list(ETHNICITIES)
    assert codes("marital-status.json") == list(MARITAL_STATUSES)
    assert codes("relationship.json") == list(RELATIONSHIPS)
    nationalities = codes("nationality.json")
    assert nationalities[0] == "VN" and len(nationalities) == len(set(nationalities)) > 240
    assert "XK" not in nationalities and "EU" not in nationalities


def test_default_bindings_apply_at_the_top_and_in_bound_groups_only(tmp_path: Path) -> None:
    document = {
        "x-procedure": {"id": "dictionary", "version": "1", "title": "Thử"},
        "type": "object",
        "properties": {
            "full_name": {"$ref": "components/person-name.json"},
            "ethnicity": {"$ref": "components/ethnicity.json"},
            "nationality": {"$ref": "components/nationality.json", "x-prefill": False},
            "mother": {"type": "object", "x-prefill": {"subject": "mother",
                                                       "attribute": "full_name"},
                       "properties": {"given": {"type": "string"}}},
            "landlord": {"type": "object", "properties": {
                "full_name": {"$ref": "components/person-name.json"},
                "phone": {"$ref": "components/phone.json"}}},
            "others": {"type": "array", "items": {"type": "object", "properties": {
                "personal_id": {"$ref": "components/personal-id.json"}}}},
        },
    }
    (tmp_path / "dictionary.json").write_text(json.dumps(document), encoding="utf-8")
    definition = load_definition(tmp_path / "dictionary.json")
    found = {b.pointer: (b.subject, b.attribute) for b in definition.bindings}
    assert found["/full_name/given"] == ("self", "full_name.given")
    assert found["/ethnicity"] == ("self", "ethnicity")
    assert found["/mother/given"] == ("mother", "full_name.given")
    assert not [p for p in found if p.startswith(("/nationality", "/landlord", "/others"))]
    assert resolve(definition.schema)[1] == []
