"""Tests for formengine.definitions.loader (file -> checked FormDefinition, all problems)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from formengine.config import PROJECT_ROOT
from formengine.definitions.loader import METASCHEMA_PATH, DefinitionError, load_definition
from formengine.definitions.model import FormDefinition, Page, Problem

EXAMPLE = PROJECT_ROOT / "form_definitions" / "example-residence-registration.json"

MINIMAL: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "x-procedure": {"id": "test-form", "version": "2026.1", "title": {"vi": "Thử", "en": "Test"}},
    "type": "object",
    "properties": {
        "name": {"type": "string", "title": "Tên"},
        "age": {"type": "integer"},
    },
    "x-layout": {"pages": [{"id": "one", "title": "Một", "fields": ["/name", "/age"]}]},
}


def minimal(**changes: Any) -> dict[str, Any]:
    """A deep copy of MINIMAL with top-level keys replaced (None removes a key)."""
    document = copy.deepcopy(MINIMAL)
    for key, value in changes.items():
        key = key.replace("_", "-")
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    return document


def write(tmp_path: Path, document: Any, name: str = "test-form.json") -> Path:
    """Write ``document`` as JSON into ``tmp_path``."""
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    """The problems that refuse ``path`` (fails if it loads)."""
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return caught.value.problems


def layout_warnings(definition: FormDefinition) -> list[Problem]:
    """The warnings about the layout (others, e.g. missing translations, are not ours)."""
    return [w for w in definition.warnings if w.pointer == "/x-layout"]


def located(problems: list[Problem]) -> dict[str, str]:
    """{pointer: message} of ``problems``."""
    return {p.pointer: p.message for p in problems}


def test_metaschema_is_a_valid_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json.loads(METASCHEMA_PATH.read_text("utf-8")))


def test_bundled_example_loads() -> None:
    definition = load_definition(EXAMPLE)
    assert isinstance(definition, FormDefinition)
    assert definition.id == "example-residence-registration"
    assert [p.id for p in definition.pages] == ["applicant", "residence", "household"]
    assert layout_warnings(definition) == []
    assert "$ref" not in json.dumps(definition.schema)
    assert definition.validator.is_valid({}) is False


def test_valid_definition_loads(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    definition = load_definition(path)
    assert definition.id == "test-form"
    assert definition.version == "2026.1"
    assert definition.title == {"vi": "Thử", "en": "Test"}
    assert definition.pages == (Page("one", "Một", ("/name", "/age")),)
    assert definition.path == path
    assert definition.page("one") is definition.pages[0]
    assert definition.page("nope") is None
    assert definition.validator.is_valid({"age": 3})
    assert not definition.validator.is_valid({"age": "3"})
    assert definition.is_valid({"required": ["age"]}, {"age": 3})


def test_content_hash_changes_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    first = load_definition(path).content_hash
    assert load_definition(path).content_hash == first
    changed = minimal()
    changed["properties"]["name"]["maxLength"] = 10
    write(tmp_path, changed)
    assert load_definition(path).content_hash != first


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "type": "object",\n  "properties" {}\n}', encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.file == str(path)
    assert "not valid JSON" in problem.message
    assert "line 3, column 16" in problem.message


def test_not_utf8_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin-1.json"
    path.write_bytes('{"title": "Tên"}'.encode("latin-1"))
    [problem] = problems_of(path)
    assert "not valid JSON" in problem.message


def test_metaschema_problems_all_at_once(tmp_path: Path) -> None:
    document = minimal(**{"$id": "https://example.com/x"})
    document["properties"].update({
        "a": {"type": "string", "x-widgit": "text"},
        "b": {"type": "string", "x-widget": "txt"},
        "Bad-Name": {"type": "string"},
        "c": {"type": "object", "dependencies": {"a": ["b"]}},
    })
    document["x-layout"]["pages"][0]["title"] = {"de": "Eins"}
    path = write(tmp_path, document)
    problems = problems_of(path)
    assert {p.file for p in problems} == {str(path)}
    assert {p.severity for p in problems} == {"error"}
    messages = located(problems)
    assert messages["/properties/a"] == "unknown keyword `x-widgit`; did you mean `x-widget`?"
    assert messages["/properties/b/x-widget"].startswith("`txt` is not allowed here; use one of")
    assert "`textarea`" in messages["/properties/b/x-widget"]
    assert "`Bad-Name`" in messages["/properties"]
    assert "lower-case" in messages["/properties"]
    assert messages[""].startswith("remove $id")
    assert messages["/properties/c"].startswith("remove dependencies")
    assert "dependentRequired" in messages["/properties/c"]
    assert messages["/x-layout/pages/0/title"] == (
        'must be a text: a string, or {"vi": ..., "en": ..., "fr": ...}')
    assert len(problems) == 6


def test_unknown_keyword_far_from_anything() -> None:
    from formengine.definitions.loader import check_document

    problems = check_document(minimal(**{"x-zzzzzz": 1}), "f.json")
    assert located(problems) == {"": "unknown keyword `x-zzzzzz`"}


def test_missing_procedure(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, minimal(x_procedure=None)))
    assert located(problems) == {"": "missing `x-procedure`"}


def test_bad_procedure_fields(tmp_path: Path) -> None:
    document = minimal(x_procedure={"id": "Test Form", "title": ""})
    messages = located(problems_of(write(tmp_path, document)))
    assert messages["/x-procedure"] == "missing `version`"
    assert messages["/x-procedure/id"].startswith("`Test Form` does not match")
    assert "must be a text" in messages["/x-procedure/title"]


def test_nested_schemas_are_checked_too(tmp_path: Path) -> None:
    """x- keywords deep in allOf/then/items are checked by the same rules."""
    document = minimal()
    document["allOf"] = [{"if": {"required": ["name"]}, "then": {"properties": {"rows": {
        "type": "array", "items": {"type": "object", "x-widget": "fancy"}}}}}]
    messages = located(problems_of(write(tmp_path, document)))
    assert list(messages) == ["/allOf/0/then/properties/rows/items/x-widget"]


def test_unresolvable_ref_is_a_problem(tmp_path: Path) -> None:
    document = minimal()
    document["properties"]["phone"] = {"$ref": "components/telephone.json"}
    messages = located(problems_of(write(tmp_path, document)))
    assert "cannot resolve $ref `components/telephone.json`" in messages["/properties/phone/$ref"]


def test_layout_problems(tmp_path: Path) -> None:
    document = minimal(x_layout={"pages": [
        {"id": "one", "title": "Một", "fields": ["/nmae", "/age"]},
        {"id": "two", "title": "Hai", "fields": ["/age", "/name"]},
        {"id": "one", "title": "Ba", "fields": ["/zzz"]},
    ]})
    messages = located(problems_of(write(tmp_path, document)))
    assert messages == {
        "/x-layout/pages/0/fields/0": "`/nmae` is not a property of the form; "
                                      "did you mean `name`?",
        "/x-layout/pages/1/fields/0": "`/age` is already on page `one`",
        "/x-layout/pages/2/id": "page id `one` is used twice",
        "/x-layout/pages/2/fields/0": "`/zzz` is not a property of the form",
    }


def test_layout_may_place_conditional_properties(tmp_path: Path) -> None:
    document = minimal()
    document["if"] = {"required": ["age"]}
    document["then"] = {"properties": {"school": {"type": "string"}}}
    document["x-layout"]["pages"].append({"id": "two", "title": "Hai", "fields": ["/school"]})
    assert load_definition(write(tmp_path, document)).pages[1].fields == ("/school",)


def test_field_missing_from_layout_is_a_warning(tmp_path: Path) -> None:
    document = minimal(x_layout={"pages": [
        {"id": "one", "title": "Một", "fields": ["/name"]},
        {"id": "two", "title": "Hai", "fields": ["/age"]},
    ]})
    document["properties"]["extra"] = {"type": "string"}
    document["properties"]["more"] = {"type": "string"}
    definition = load_definition(write(tmp_path, document))
    assert definition.pages[-1].fields == ("/age", "/extra", "/more")
    assert definition.pages[0].fields == ("/name",)
    [warning] = layout_warnings(definition)
    assert warning.severity == "warning"
    assert warning.pointer == "/x-layout"
    assert "/extra, /more" in warning.message


def test_no_layout_is_one_page_with_every_property(tmp_path: Path) -> None:
    document = minimal(x_layout=None)
    document["allOf"] = [{"properties": {"extra": {"type": "string"}}}]
    definition = load_definition(write(tmp_path, document))
    [page] = definition.pages
    assert page.id == "form"
    assert page.title == MINIMAL["x-procedure"]["title"]
    assert set(page.fields) == {"/name", "/age", "/extra"}
    assert layout_warnings(definition) == []


def test_problem_str() -> None:
    assert str(Problem("a.json", "", "bad")) == "a.json: /: error: bad"
    assert str(Problem("a.json", "/x", "hm", "warning")) == "a.json: /x: warning: hm"


BROKEN_DOCUMENTS = [
    {"x-procedure": {"id": "b", "version": "1", "title": "x"}, "type": "object",
     "properties": {"a": {"type": "strin", "x-widgit": 1}}},
    {"x-procedure": {"id": "ok-id", "version": "1", "title": {"de": "x"}}, "type": "object",
     "properties": {"a": {"items": {"x-widget": "nope"}}, "B": {}},
     "allOf": [{"if": {"x-help": 3}, "then": {"$id": "x"}}],
     "$defs": {"d": {"dependencies": {}, "x-order": "a"}}},
    {"type": "object", "properties": {"a": {"oneOf": [{"const": 1, "x-i18n": {"de": {}}}]}}},
]


@pytest.mark.parametrize("document", BROKEN_DOCUMENTS)
def test_fast_meta_check_equals_the_published_meta_schema(document: dict[str, Any]) -> None:
    from formengine.definitions.loader import _leaves, check_document, explain, metaschema_validator

    published = {explain(leaf) for error in metaschema_validator().iter_errors(document)
                 for leaf in _leaves(error)}
    fast = {(p.pointer, p.message) for p in check_document(document, "f.json")}
    assert published and fast == published


def test_components_are_checked_with_their_own_file(tmp_path: Path) -> None:
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "bad.json").write_text(
        '{"type": "object", "x-widgit": 1, "properties": {"a": {"x-widget": "txt"}}}')
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"x-procedure": {"id": "dd", "version": "1", "title": "T"},
                                "type": "object",
                                "properties": {"b": {"$ref": "components/bad.json"}}}))
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    found = {(p.file.rsplit("/", 1)[-1], p.pointer) for p in info.value.problems}
    assert found == {("bad.json", ""), ("bad.json", "/properties/a/x-widget")}


def test_schema_keyword_must_be_2020_12(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"$schema": "http://json-schema.org/draft-07/schema#",
                                "x-procedure": {"id": "dd", "version": "1", "title": "T"},
                                "type": "object", "properties": {}}))
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    assert [p.pointer for p in info.value.problems] == ["/$schema"]


def test_root_x_order_orders_the_single_page(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"x-procedure": {"id": "dd", "version": "1", "title": "T"},
                                "type": "object", "x-order": ["c", "*", "a"],
                                "properties": {"a": {}, "b": {}, "c": {}, "d": {}}}))
    assert load_definition(path).pages[0].fields == ("/c", "/b", "/d", "/a")


ADDRESS: dict[str, Any] = {
    "type": "object",
    "properties": {"province": {"$ref": "components/province.json"},
                   "commune": {"type": "string", "x-widget": "commune"}},
    "x-commune-of": {"province": "province", "commune": "commune"},
}


def with_address(address: dict[str, Any]) -> dict[str, Any]:
    return minimal(properties={"home": address}, x_layout=None)


def test_commune_of_names_must_be_properties(tmp_path: Path) -> None:
    address = copy.deepcopy(ADDRESS)
    address["x-commune-of"] = {"province": "provinse", "commune": "commune"}
    found = located(problems_of(write(tmp_path, with_address(address))))
    assert found == {"/properties/home/x-commune-of/province":
                     "`provinse` is not a property of this object; did you mean `province`?"}


def test_commune_widget_needs_its_commune_of(tmp_path: Path) -> None:
    address = copy.deepcopy(ADDRESS)
    del address["x-commune-of"]
    found = located(problems_of(write(tmp_path, with_address(address))))
    assert list(found) == ["/properties/home/properties/commune/x-widget"]
    assert '"x-commune-of": {"province": "<province property>", "commune": "commune"}' in (
        found["/properties/home/properties/commune/x-widget"])


def test_commune_of_shape_is_checked_by_the_metaschema(tmp_path: Path) -> None:
    address = copy.deepcopy(ADDRESS)
    address["x-commune-of"] = {"province": "province", "ward": "commune"}
    found = located(problems_of(write(tmp_path, with_address(address))))
    assert "/properties/home/x-commune-of" in found


def test_a_well_linked_commune_list_loads(tmp_path: Path) -> None:
    definition = load_definition(write(tmp_path, with_address(ADDRESS)))
    assert definition.schema["properties"]["home"]["x-commune-of"]["commune"] == "commune"
