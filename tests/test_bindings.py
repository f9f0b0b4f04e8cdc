"""Tests for formengine.definitions.bindings (x-prefill resolution and its checks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from formengine.config import PROJECT_ROOT
from formengine.definitions.bindings import resolve
from formengine.definitions.loader import DefinitionError, load_definition
from tests.test_loader import minimal

NAME = {
    "type": "object",
    "properties": {"family": {"type": "string"}, "middle": {"type": "string"},
                   "given": {"type": "string"}},
}


def bound(schema: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    bindings, problems = resolve({"type": "object", "properties": schema})
    assert problems == []
    return {b.pointer: (b.subject, b.attribute, b.mode) for b in bindings}


def problems(schema: dict[str, Any]) -> list[tuple[str, str]]:
    return resolve({"type": "object", "properties": schema})[1]


def test_a_group_binds_its_properties_by_name() -> None:
    schema = {"name": {**NAME, "x-prefill": {"attribute": "full_name"}}}
    assert bound(schema) == {
        "/name/family": ("self", "full_name.family", "locked"),
        "/name/middle": ("self", "full_name.middle", "locked"),
        "/name/given": ("self", "full_name.given", "locked"),
    }


def test_contact_data_is_editable_by_default_and_mode_can_be_set() -> None:
    schema = {
        "phone": {"type": "string", "x-prefill": {"attribute": "phone"}},
        "sex": {"enum": ["male", "female"], "x-prefill": {"attribute": "sex",
                                                           "mode": "editable"}},
        "email": {"type": "string", "x-prefill": {"attribute": "email", "mode": "locked"}},
    }
    assert bound(schema) == {"/phone": ("self", "phone", "editable"),
                             "/sex": ("self", "sex", "editable"),
                             "/email": ("self", "email", "locked")}


def test_a_child_binding_overrides_the_name_and_inherits_subject_and_mode() -> None:
    schema = {"dad": {
        "type": "object", "x-prefill": {"subject": "father", "attribute": "full_name",
                                        "mode": "editable"},
        "properties": {"surname": {"type": "string",
                                   "x-prefill": {"attribute": "full_name.family"}},
                       "given": {"type": "string"}, "nickname": {"type": "string"}},
    }}
    assert bound(schema) == {"/dad/surname": ("father", "full_name.family", "editable"),
                             "/dad/given": ("father", "full_name.given", "editable")}


def test_array_subject_binds_rows_from_each_person() -> None:
    schema = {"household": {
        "type": "array", "x-prefill": {"subject": "household_members"},
        "items": {"type": "object", "properties": {
            "full_name": NAME, "personal_id": {"type": "string"},
            "relation": {"type": "string", "x-prefill": {"attribute": "relationship_to_head"}},
            "note": {"type": "string"}}},
    }}
    found = bound(schema)
    assert found["/household/*/full_name/given"] == ("household_members", "full_name.given",
                                                      "locked")
    assert found["/household/*/relation"] == ("household_members", "relationship_to_head",
                                               "locked")
    assert "/household/*/note" not in found


def test_array_attribute_binds_rows_of_the_list() -> None:
    schema = {"kids": {"type": "array", "x-prefill": {"attribute": "children"},
                       "items": {"type": "object", "properties": {
                           "full_name": NAME, "date_of_birth": {"type": "string"}}}}}
    found = bound(schema)
    assert found["/kids/*/date_of_birth"] == ("self", "children[].date_of_birth", "locked")


def test_false_switches_a_binding_off() -> None:
    schema = {"name": {**NAME, "x-prefill": False},
              "dad": {**NAME, "x-prefill": {"subject": "father", "attribute": "full_name"},
                      "properties": {**NAME["properties"],
                                     "given": {"type": "string", "x-prefill": False}}}}
    assert bound(schema) == {"/dad/family": ("father", "full_name.family", "locked"),
                             "/dad/middle": ("father", "full_name.middle", "locked")}


def test_bindings_inside_conditional_branches_are_found() -> None:
    bindings, found = resolve({"type": "object", "properties": {}, "allOf": [{
        "if": {"properties": {"a": {"const": 1}}},
        "then": {"properties": {"home": {
            "type": "object", "x-prefill": {"attribute": "permanent_residence"},
            "properties": {"province_code": {"type": "string"}, "detail": {"type": "string"}}}}},
    }]})
    assert found == []
    assert {b.pointer for b in bindings} == {"/home/province_code", "/home/detail"}


@pytest.mark.parametrize(("schema", "expected"), [
    ({"a": {"type": "string", "x-prefill": {"attribute": "full_nam"}}},
     "x-prefill attribute `full_nam` does not exist in the Citizen record; did you mean "
     "`full_name`?"),
    # Words in another order are matched too.
    ({"a": {"type": "string", "x-prefill": {"attribute": "residence.permanent.commune"}}},
     "x-prefill attribute `residence.permanent.commune` does not exist in the Citizen "
     "record; did you mean `permanent_residence.commune_code`?"),
    ({"a": {"type": "integer", "x-prefill": {"attribute": "personal_id"}}},
     "type mismatch: `personal_id` holds string values, the field is integer"),
    ({"a": {"type": "string", "x-prefill": {"attribute": "full_name"}}},
     "`full_name` is a group of values"),
    ({"a": {"enum": ["male"], "x-prefill": {"attribute": "sex"}}},
     "the register can hold `female` for `sex`, which this field does not offer"),
    ({"a": {"type": "object", "properties": {"x": {"type": "string"}},
            "x-prefill": {"attribute": "full_name"}}},
     "no property of this group is a key of `full_name`"),
    ({"a": {"type": "string", "x-prefill": {"subject": "children"}}},
     "subject `children` is several persons"),
    ({"a": {"type": "object", "properties": {}, "x-prefill": {"subject": "spouse"}}},
     "name the `attribute` to read"),
    ({"a": {"type": "array", "x-prefill": {"subject": "household_members"},
            "items": {"type": "object", "properties": {
                "b": {"type": "string", "x-prefill": {"subject": "self",
                                                      "attribute": "phone"}}}}}},
     "remove `subject`"),
])
def test_problems_are_reported_with_their_pointer(schema: dict[str, Any], expected: str) -> None:
    found = problems(schema)
    assert len(found) == 1, found
    pointer, message = found[0]
    assert pointer.startswith("/properties/a") and pointer.endswith("x-prefill")
    assert expected in message


def test_check_rejects_a_bad_binding_with_file_and_pointer(tmp_path: Path) -> None:
    document = minimal()
    document["properties"]["name"]["x-prefill"] = {"attribute": "date_of_brith"}
    path = tmp_path / "bad.json"
    path.write_text(__import__("json").dumps(document))
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    [problem] = caught.value.problems
    assert problem.pointer == "/properties/name/x-prefill"
    assert "did you mean `date_of_birth`" in problem.message


def test_meta_schema_rejects_unknown_subjects_and_modes(tmp_path: Path) -> None:
    document = minimal()
    document["properties"]["name"]["x-prefill"] = {"subject": "cousin", "mode": "frozen"}
    path = tmp_path / "bad.json"
    path.write_text(__import__("json").dumps(document))
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    messages = " ".join(p.message for p in caught.value.problems)
    assert "`cousin` is not allowed" in messages and "`frozen` is not allowed" in messages


def test_bundled_example_binds_identity_household_and_residence() -> None:
    definition = load_definition(
        PROJECT_ROOT / "form_definitions" / "example-residence-registration.json")
    found = {b.pointer: (b.subject, b.attribute, b.mode) for b in definition.bindings}
    assert found["/personal_id"] == ("self", "personal_id", "locked")
    assert found["/phone"] == ("self", "phone", "editable")
    assert found["/household/*/personal_id"] == ("household_members", "personal_id", "locked")
    assert found["/previous_address/province_code"][1] == "permanent_residence.province_code"
