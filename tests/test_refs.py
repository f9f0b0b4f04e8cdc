"""Tests for formengine.definitions.refs ($ref resolved offline and inlined)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from formengine.definitions.refs import BUNDLED_COMPONENTS, inline_refs


def inline(document: dict[str, Any], path: Path) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """``inline_refs`` plus the (pointer, message) problems it reported."""
    problems: list[tuple[str, str]] = []
    result, _used = inline_refs(
        document, path, lambda pointer, text: problems.append((pointer, text)))
    return result, problems


def bundled(name: str) -> dict[str, Any]:
    """A bundled component, parsed."""
    component: dict[str, Any] = json.loads((BUNDLED_COMPONENTS / name).read_text("utf-8"))
    return component


def doc(**properties: Any) -> dict[str, Any]:
    """A definition-like document with these properties."""
    return {"type": "object", "properties": properties}


def test_bundled_component_used_when_nothing_beside(tmp_path: Path) -> None:
    schema, problems = inline(doc(phone={"$ref": "components/phone.json"}), tmp_path / "d.json")
    assert problems == []
    phone = bundled("phone.json")
    phone.pop("$schema", None)
    assert schema["properties"]["phone"] == phone


def test_component_beside_the_definition_wins(tmp_path: Path) -> None:
    (tmp_path / "components").mkdir()
    own = {"type": "string", "title": "Điện thoại riêng"}
    (tmp_path / "components" / "phone.json").write_text(json.dumps(own), "utf-8")
    schema, problems = inline(doc(phone={"$ref": "components/phone.json"}), tmp_path / "d.json")
    assert problems == []
    assert schema["properties"]["phone"] == own


def test_nested_component_refs_fall_back_too(tmp_path: Path) -> None:
    """address.json refers to province.json relative to itself."""
    schema, problems = inline(doc(address={"$ref": "components/address.json"}),
                              tmp_path / "d.json")
    assert problems == []
    province = schema["properties"]["address"]["properties"]["province_code"]
    assert province["x-widget"] == "select"
    assert "$ref" not in json.dumps(schema)


def test_local_defs_refs_and_defs_dropped(tmp_path: Path) -> None:
    document = {
        **doc(a={"$ref": "#/$defs/code"}, b={"items": {"$ref": "#/$defs/code"}}),
        "$defs": {"code": {"type": "string", "pattern": "^[0-9]+$"}},
        "$comment": "dropped",
    }
    schema, problems = inline(document, tmp_path / "d.json")
    assert problems == []
    assert schema == {"type": "object", "properties": {
        "a": {"type": "string", "pattern": "^[0-9]+$"},
        "b": {"items": {"type": "string", "pattern": "^[0-9]+$"}},
    }}


def test_refs_inside_every_kind_of_subschema(tmp_path: Path) -> None:
    code = {"$ref": "#/$defs/c"}
    document = {
        "allOf": [{"properties": {"x": code}}],
        "if": {"properties": {"x": code}},
        "then": {"properties": {"y": code}},
        "dependentSchemas": {"x": {"properties": {"z": code}}},
        "$defs": {"c": {"const": 1}},
    }
    schema, problems = inline(document, tmp_path / "d.json")
    assert problems == []
    assert "$ref" not in json.dumps(schema)
    assert schema["dependentSchemas"]["x"]["properties"]["z"] == {"const": 1}


def test_annotations_beside_ref_override(tmp_path: Path) -> None:
    document = doc(address={
        "$ref": "components/address.json",
        "title": "Nơi ở mới",
        "x-help": "Ghi rõ",
        "x-i18n": {"en": {"title": "New home"}},
    })
    schema, problems = inline(document, tmp_path / "d.json")
    assert problems == []
    address = schema["properties"]["address"]
    assert address["title"] == "Nơi ở mới"
    assert address["x-help"] == "Ghi rõ"
    assert address["x-i18n"]["en"] == {"title": "New home"}
    assert "allOf" not in address
    # the component's own children are untouched
    assert address["properties"]["commune_code"]["title"] == bundled("address.json")[
        "properties"]["commune_code"]["title"]


def test_overridden_title_drops_the_components_translation(tmp_path: Path) -> None:
    """A French reader must not see the component's "Adresse" for an overridden title."""
    document = doc(address={"$ref": "components/address.json", "title": "Nơi ở mới",
                            "x-i18n": {"en": {"title": "New home"}}})
    schema, _ = inline(document, tmp_path / "d.json")
    i18n = schema["properties"]["address"]["x-i18n"]
    assert bundled("address.json")["x-i18n"]["fr"]["title"] == "Adresse"
    assert "title" not in i18n.get("fr", {})


def test_untouched_translations_are_kept(tmp_path: Path) -> None:
    document = doc(dob={"$ref": "components/date-of-birth.json", "x-help": "Theo giấy khai sinh"})
    schema, _ = inline(document, tmp_path / "d.json")
    dob = schema["properties"]["dob"]
    assert dob["x-i18n"]["en"] == {"title": "Date of birth"}  # x-help translation dropped
    assert dob["x-i18n"]["fr"]["title"] == "Date de naissance"


def test_assertions_beside_ref_become_all_of(tmp_path: Path) -> None:
    document = doc(name={"$ref": "#/$defs/name", "maxLength": 20, "title": "Tên"})
    document["$defs"] = {"name": {"type": "string", "maxLength": 100, "allOf": [{"minLength": 1}]}}
    schema, problems = inline(document, tmp_path / "d.json")
    assert problems == []
    assert schema["properties"]["name"] == {
        "type": "string", "maxLength": 100, "title": "Tên",
        "allOf": [{"minLength": 1}, {"maxLength": 20}],
    }


def test_unresolvable_ref_reported_with_pointer(tmp_path: Path) -> None:
    document = doc(a={"$ref": "components/no-such.json"}, b={"$ref": "#/$defs/missing"},
                   c={"$ref": "https://example.com/schema.json"})
    _, problems = inline(document, tmp_path / "d.json")
    assert [p for p, _ in problems] == ["/properties/a/$ref", "/properties/b/$ref",
                                        "/properties/c/$ref"]
    assert "components/no-such.json" in problems[0][1]
    assert "cannot resolve" in problems[0][1]


def test_recursive_ref_reported_with_pointer(tmp_path: Path) -> None:
    document = doc(person={"$ref": "#/$defs/person"})
    document["$defs"] = {"person": {"type": "object",
                                    "properties": {"parent": {"$ref": "#/$defs/person"}}}}
    schema, problems = inline(document, tmp_path / "d.json")
    assert problems == [("/properties/person/properties/parent/$ref",
                         "$ref `#/$defs/person` refers back to itself (recursive schemas "
                         "cannot be rendered as a form)")]
    assert schema["properties"]["person"]["properties"]["parent"] == {}
