"""Warnings about conditions that never hold or hold too early
(formengine/definitions/reachability.py), as ``formengine check`` reports them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from formengine.definitions.loader import load_definition
from formengine.definitions.reachability import condition_problems
from tests.conftest import BUNDLED

FORM: dict[str, Any] = {
    "x-procedure": {"id": "conds", "version": "1", "title": "Thử"},
    "type": "object",
    "properties": {
        "relationship": {"type": "string", "enum": ["father", "mother"]},
        "abroad": {"type": "boolean"},
        "note": {"type": "string"},
        "child": {"type": "object", "properties": {"born_at": {"enum": ["home", "hospital"]}},
                  "allOf": [{"if": {"properties": {"born_at": {"const": "clinic"}},
                                    "required": ["born_at"]},
                             "then": {"properties": {"clinic": {"type": "string"}}}}]},
    },
    "allOf": [
        {"if": {"properties": {"relationshp": {"const": "father"}},
                "required": ["relationshp"]},
         "then": {"properties": {"father": {"type": "string"}}}},
        {"if": {"properties": {"relationship": {"enum": ["uncle", "aunt"]}},
                "required": ["relationship"]},
         "then": {"properties": {"other": {"type": "string"}}}},
        {"if": {"properties": {"abroad": {"const": "yes"}}, "required": ["abroad"]},
         "then": {"properties": {"country": {"type": "string"}}}},
        {"if": {"properties": {"relationship": {"const": "mother"}}},
         "then": {"properties": {"mother": {"type": "string"}}}},
        {"if": {"properties": {"relationship": {"const": "father"}},
                "required": ["relationship"]},
         "then": {"properties": {"fine": {"type": "string"}}}},
        {"if": {"properties": {"note": {"minLength": 3}}, "required": ["note"]},
         "then": {"properties": {"also_fine": {"type": "string"}}}},
    ],
}


def test_conditions_that_never_hold_or_hold_too_early() -> None:
    found = {p.pointer: p.message for p in condition_problems(FORM, "f.json")}
    assert found == {
        "/allOf/0/if/properties/relationshp":
            "this condition tests `relationshp`, which is not a question here, so it never "
            "holds and its `then` never opens; did you mean `relationship`?",
        "/allOf/1/if/properties/relationship":
            'this condition never holds: `relationship` is never "uncle" or "aunt"; its '
            'answers are "father", "mother"',
        "/allOf/2/if/properties/abroad":
            'this condition never holds: `abroad` is never "yes"; its answers are true, false',
        "/allOf/3/if":
            "this condition holds while `relationship` is unanswered, so its `then` questions "
            'show before anyone chooses: add "required": ["relationship"] beside '
            '"properties" in the `if`',
        "/properties/child/allOf/0/if/properties/born_at":
            'this condition never holds: `born_at` is never "clinic"; its answers are "home", '
            '"hospital"',
    }
    assert all(p.severity == "warning" and p.file == "f.json"
               for p in condition_problems(FORM, "f.json"))


def test_check_reports_them_as_warnings(tmp_path: Path) -> None:
    path = tmp_path / "conds.json"
    path.write_text(json.dumps(FORM), encoding="utf-8")
    definition = load_definition(path)  # warnings do not refuse a definition
    assert {p.pointer for p in definition.warnings} >= {"/allOf/0/if/properties/relationshp",
                                                        "/allOf/3/if"}


def test_the_bundled_procedures_have_none() -> None:
    for path in sorted(BUNDLED.glob("*.json")):
        definition = load_definition(path)
        assert not [p for p in definition.warnings if "condition" in p.message], path


def test_additional_properties_false_beside_branches_is_flagged() -> None:
    closed = {"type": "object", "additionalProperties": False,
              "properties": {"purpose": {"enum": ["job", "other"]}},
              "allOf": [{"if": {"properties": {"purpose": {"const": "other"}},
                                "required": ["purpose"]},
                         "then": {"properties": {"purpose_other": {"type": "string"}}}}]}
    found = [(p.pointer, p.message) for p in condition_problems(closed, "f.json")]
    assert found == [("/additionalProperties",
                      "`additionalProperties: false` refuses the answers to questions declared "
                      "in conditional branches (purpose_other): use `\"unevaluatedProperties\": "
                      "false` instead")]
    fine = {**closed, "unevaluatedProperties": False}
    del fine["additionalProperties"]
    assert condition_problems(fine, "f.json") == []
