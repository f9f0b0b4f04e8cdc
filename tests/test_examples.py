"""The bundled example definitions: clean, rendered, fillable, and together covering every
feature of the definition format (so nobody can drop coverage silently)."""

from __future__ import annotations

import copy
import html as html_lib
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from formengine.app import create_app
from formengine.cli import main
from formengine.definitions import FormDefinition, load_definition
from formengine.rendering.pages import visible_pages
from formengine.schema import (
    SCHEMA_KEYWORDS,
    SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
    all_properties,
    choices,
)
from formengine.validation.coerce import encode, widget_of
from tests.conftest import BUNDLED, accepted_data, form_state, shown_errors

EXAMPLE_FILES = sorted(BUNDLED.glob("example-*.json"))
LANGUAGES = ("vi", "en", "fr")

#: Valid answers for each bundled example; between them they take every conditional branch.
INSTANCES: dict[str, list[dict[str, Any]]] = {
    "example-residence-registration": [
        {
            "full_name": {"family": "Lê", "middle": "Thị", "given": "Hoa"},
            "personal_id": "001190000001",
            "date_of_birth": "1990-07-14",
            "sex": "female",
            "phone": "+84912345678",
            "email": "hoa.le@example.com",
            "address": {"province_code": "01", "commune_code": "00070",
                        "detail": "5 Hàng Bài"},
            "reason": "rented",
            "owner_name": "Phạm Văn Dũng",
            "owner_consent": True,
            "floor_area": 42.5,
            "rooms": 2,
            "members": [{"name": "Lê Minh Khôi", "date_of_birth": "2015-01-20",
                         "relationship": "child", "personal_id": "001215000123"}],
            "documents_held": ["lease", "ownership"],
            "notes": "Nhà có hai tầng.\nLối vào ở ngõ 3.",
            "confirm": True,
        },
        {
            "full_name": {"family": "Trần", "given": "Bảo"},
            "personal_id": "079085000321",
            "date_of_birth": "1985-12-01",
            "sex": "male",
            "address": {"province_code": "79", "commune_code": "26743",
                        "detail": "40 Lê Thánh Tôn"},
            "reason": "move",
            "previous_address": {"province_code": "48", "commune_code": "20242",
                                 "detail": "7 Bạch Đằng"},
            "confirm": True,
        },
    ],
    "example-temporary-absence": [
        {
            "full_name": {"family": "Nguyễn", "middle": "Văn", "given": "An"},
            "personal_id": "001099012345",
            "date_of_birth": "1999-03-27",
            "sex": "male",
            "residence": {"province_code": "01", "commune_code": "00004", "detail": "5 Phố Huế"},
            "phone": "+84912345678",
            "email": "an.nguyen@example.com",
            "notify_by_email": True,
            "category": "other",
            "date_from": "2026-09-01",
            "duration_months": 13.5,
            "reason": "Đi làm việc tại Thành phố Hồ Chí Minh",
            "address_known": True,
            "destination": {"province_code": "79", "commune_code": "26740",
                            "detail": "12 Lê Lợi"},
            "with_companions": True,
            "companions": [
                {"full_name": "Trần Thị Bình", "date_of_birth": "2001-05-02", "sex": "female",
                 "relationship": "wife", "personal_id": "001301012345"},
                {"full_name": "Nguyễn Minh", "date_of_birth": "2024-02-29", "sex": "male",
                 "relationship": "child"},
            ],
            "declarant": "proxy",
            "proxy": {"full_name": {"family": "Nguyễn", "given": "Cường"},
                      "personal_id": "001070012345", "relationship": "Cha",
                      "phone": "+84987654321"},
            "confirm": True,
        },
        {
            "full_name": {"family": "Phạm", "middle": "Thu", "given": "Hà"},
            "personal_id": "079185000123",
            "date_of_birth": "1985-11-30",
            "sex": "female",
            "residence": {"province_code": "79", "commune_code": "26740",
                          "detail": "8 Nguyễn Huệ"},
            "phone": "+84389123456",
            "category": "accused",
            "decision_number": "15/2025/QĐ-CSĐT",
            "supervising_authority": "Cơ quan Cảnh sát điều tra Công an Thành phố Hồ Chí Minh",
            "date_from": "2026-02-10",
            "duration_months": 0.5,
            "reason": "Thăm mẹ ốm ở quê",
            "address_known": False,
            "destination_province": "40",
            "with_companions": False,
            "declarant": "self",
            "confirm": True,
        },
    ],
}


def _cases() -> list[tuple[str, int]]:
    return [(path.stem, i) for path in EXAMPLE_FILES for i in range(len(INSTANCES.get(
        path.stem, [])))]


@pytest.fixture(scope="module")
def app() -> Flask:
    """One app over the bundled definitions for the whole module (building one is slow)."""
    # Every case submits from one address: far past the default submit limit
    # (tests/test_limits.py tests the limits).
    app = create_app({"definitions": [BUNDLED], "secret_key": "test-secret",
                      "rate_limit_submit": "1000000/minute"})
    app.config["TESTING"] = True
    return app


@pytest.fixture(scope="module")
def definitions() -> dict[str, FormDefinition]:
    """Every bundled example, loaded once."""
    return {path.stem: load_definition(path) for path in EXAMPLE_FILES}


def _post(client: FlaskClient, procedure: str, form: MultiDict[str, str], **extra: str) -> str:
    data = MultiDict(form)
    for key, value in extra.items():
        data.add(key, value)
    response = client.post(f"/forms/{procedure}", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _messages(html: str) -> dict[str, str]:
    """pointer -> the error message shown inline for it."""
    found = re.findall(r'data-pointer="([^"]*)" data-keyword="[^"]*"><span[^>]*>[^<]*</span>'
                       r"\s*(.*?)</p>", html, re.S)
    return {pointer: html_lib.unescape(text.strip()) for pointer, text in found}


# --- every example is clean, has answers, and renders --------------------------------------


def test_there_are_two_examples() -> None:
    assert {p.stem for p in EXAMPLE_FILES} >= set(INSTANCES)
    assert len(EXAMPLE_FILES) >= 2


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_has_valid_instances(path: Path) -> None:
    """A new example must come with answers here, so it is tested end to end too."""
    assert INSTANCES.get(path.stem), f"add valid instances for {path.name} to INSTANCES"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_loads_without_warnings(path: Path) -> None:
    definition = load_definition(path)
    assert definition.id == path.stem
    assert [str(w) for w in definition.warnings] == []


def test_check_command_is_clean() -> None:
    result = CliRunner().invoke(main, ["check", *map(str, EXAMPLE_FILES)])
    assert result.exit_code == 0, result.output
    assert f"{len(EXAMPLE_FILES)} definition(s) checked, 0 error(s), 0 warning(s)" in result.output


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_page_renders_in_every_language(path: Path, client: FlaskClient,
                                              definitions: dict[str, FormDefinition]) -> None:
    definition = definitions[path.stem]
    for page in definition.pages:
        for lang in LANGUAGES:
            response = client.get(f"/forms/{definition.id}?page={page.id}&lang={lang}")
            assert response.status_code == 200
            html = response.get_data(as_text=True)
            assert f'name="_page" value="{page.id}"' in html
            title = page.title if isinstance(page.title, str) else page.title[lang]
            assert f"<h1>{html_lib.escape(title, quote=False)}</h1>" in html.replace("&#39;", "'")
            assert shown_errors(html) == []


# --- every example is fillable end to end --------------------------------------------------


@pytest.mark.parametrize(("procedure", "index"), _cases())
def test_valid_instance_is_accepted_in_one_post(
        procedure: str, index: int, client: FlaskClient,
        definitions: dict[str, FormDefinition]) -> None:
    instance = INSTANCES[procedure][index]
    form = encode(definitions[procedure].schema, instance)
    html = _post(client, procedure, form, _page="*", _action="submit")
    assert shown_errors(html) == []
    assert accepted_data(html) == instance


@pytest.mark.parametrize(("procedure", "index"), _cases())
def test_valid_instance_is_accepted_page_by_page(
        procedure: str, index: int, client: FlaskClient,
        definitions: dict[str, FormDefinition]) -> None:
    """Continue through each page with only its fields, then send from check your answers."""
    definition = definitions[procedure]
    instance = INSTANCES[procedure][index]
    form = encode(definition.schema, instance)
    state = ""
    pages = visible_pages(definition, instance)
    for page in pages:
        names = {f[1:] for f in page.fields}
        fields = MultiDict([(k, v) for k, v in form.items(multi=True)
                            if k.split(".", 1)[0] in names])
        html = _post(client, procedure, fields, _state=state, _page=page.id, _action="next")
        assert shown_errors(html) == [], page.id
        state = form_state(html)
    assert 'value="submit"' in html  # check your answers
    html = _post(client, procedure, MultiDict(), _state=state, _action="submit")
    assert accepted_data(html) == instance


@pytest.mark.parametrize(("procedure", "index"), _cases())
def test_every_answer_has_an_input_on_some_page(
        procedure: str, index: int, client: FlaskClient,
        definitions: dict[str, FormDefinition]) -> None:
    """The fields the answers post are really rendered (conditional ones included)."""
    definition = definitions[procedure]
    form = encode(definition.schema, INSTANCES[procedure][index])
    rendered: set[str] = set()
    for page in definition.pages:
        html = _post(client, procedure, form, _page="*", _action=f"goto:{page.id}")
        rendered |= set(re.findall(r'name="([^"]+)"', html))
    assert set(form.keys()) - rendered == set()


# --- the temporary-absence example behaves as its legal rules say ---------------------------

ABSENCE = "example-temporary-absence"


def _changed(base: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(INSTANCES[ABSENCE][base])
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(("base", "changes", "pointer", "keyword", "text"), [
    # if/then: the accused must give the document that allows them to leave
    (1, {"decision_number": None}, "/decision_number", "required", None),
    (1, {"supervising_authority": None}, "/supervising_authority", "required", None),
    # pattern, with the definition's own message
    (1, {"decision_number": "quyết định 15"}, "/decision_number", "pattern",
     "Enter the number as written on the document, like 15/2025/QĐ-CSĐT"),
    # exclusiveMinimum, multipleOf
    (1, {"duration_months": 0}, "/duration_months", "exclusiveMinimum", "more than 0"),
    (1, {"duration_months": 1.25}, "/duration_months", "multipleOf", "multiple of 0.5"),
    # else (not accused): at least 3 months; other: at least 12 months (merged branches)
    (0, {"category": "military", "duration_months": 2}, "/duration_months", "minimum",
     "3 or more"),
    (0, {"duration_months": 6}, "/duration_months", "minimum", "12 or more"),
    # else: the full address is required when it is known (reported field by field)
    (0, {"destination": None}, "/destination/province_code", "required", None),
    (0, {"destination": {"province_code": "79", "commune_code": "26740"}},
     "/destination/detail", "required", None),
    # then: the province alone when it is not known
    (1, {"destination_province": None}, "/destination_province", "required", None),
    (1, {"destination_province": "99"}, "/destination_province", "oneOf", None),
    # checkbox-controlled repeating group: minItems via required rows, item checks
    (0, {"companions": None}, "/companions", "required", None),
    (0, {"companions": [{"full_name": "Trần Thị Bình", "date_of_birth": "2001-05-02",
                         "sex": "male", "relationship": "wife",
                         "personal_id": "001301012345"}]},
     "/companions/0/personal_id", "x-personal-id-check", "does not match the sex"),
    # x-error-messages "<keyword>/<detail>" override on the root x-personal-id-check
    (0, {"date_of_birth": "1998-03-27"}, "/personal_id", "x-personal-id-check",
     "does not match the year of birth given. Check the number or the date of birth"),
    # nested objects inside a conditional object
    (0, {"proxy": {"full_name": {"family": "Nguyễn"}, "personal_id": "001070012345",
                   "relationship": "Cha", "phone": "+84987654321"}},
     "/proxy/full_name/given", "required", None),
    # consent with its own message
    (1, {"confirm": None}, "/confirm", "required", "You must declare that the information is true"),
])
def test_absence_rules(base: int, changes: dict[str, Any], pointer: str, keyword: str,
                       text: str | None, client: FlaskClient,
                       definitions: dict[str, FormDefinition]) -> None:
    data = _changed(base, changes)
    form = encode(definitions[ABSENCE].schema, data)
    response = client.post(f"/forms/{ABSENCE}?lang=en",
                           data=MultiDict([*form.items(multi=True), ("_page", "*"),
                                           ("_action", "submit")]))
    html = response.get_data(as_text=True)
    assert (pointer, keyword) in shown_errors(html)
    if text is not None:
        assert text in _messages(html)[pointer]


def test_hidden_answers_are_dropped(client: FlaskClient,
                                    definitions: dict[str, FormDefinition]) -> None:
    """dependentSchemas: no e-mail, no e-mail notice; answers of closed branches go too."""
    data = _changed(0, {"email": None, "with_companions": False, "declarant": "self"})
    form = encode(definitions[ABSENCE].schema, data)
    html = _post(client, ABSENCE, form, _page="*", _action="submit")
    accepted = accepted_data(html)
    assert "notify_by_email" not in accepted
    assert "companions" not in accepted and "proxy" not in accepted
    assert accepted == {k: v for k, v in data.items()
                        if k not in ("notify_by_email", "companions", "proxy")}


def test_conditional_fields_appear_with_their_condition(app: Flask) -> None:
    client = app.test_client()
    empty = client.get(f"/forms/{ABSENCE}?page=absence").get_data(as_text=True)
    assert 'name="decision_number"' not in empty
    assert 'name="destination.province_code"' in empty  # else branch: the full address
    html = _post(client, ABSENCE, MultiDict({"category": "accused", "address_known": "false"}),
                 _page="absence", _action="refresh")
    assert 'name="decision_number"' in html and 'placeholder="số/năm/ký hiệu"' in html
    assert 'name="destination_province"' in html
    assert 'name="destination.province_code"' not in html


def test_companion_rows_follow_x_order(client: FlaskClient) -> None:
    """The row's properties are written personal_id first; x-order puts it last."""
    html = _post(client, ABSENCE, MultiDict({"with_companions": "true", "declarant": "self"}),
                 _page="declarant", _action="add:companions")
    names = list(dict.fromkeys(re.findall(r'name="companions\.0\.([a-z][a-z_]*)', html)))
    assert names == ["full_name", "date_of_birth", "sex", "relationship", "personal_id"]
    assert 'value="remove:companions.0"' not in html  # minItems 1: the only row stays
    assert 'value="add:companions"' in html


# --- together the examples exercise every feature ------------------------------------------


def _subschemas(node: Any) -> Iterator[Mapping[str, Any]]:
    """``node`` and every subschema below it."""
    if not isinstance(node, Mapping):
        return
    yield node
    for key, value in node.items():
        if key in SCHEMA_KEYWORDS:
            yield from _subschemas(value)
        elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
            for item in value:
                yield from _subschemas(item)
        elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, Mapping):
            for item in value.values():
                yield from _subschemas(item)


def _fields(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every field of the form tree below an object node (merged over its branches)."""
    for sub in all_properties(node).values():
        yield sub
        if widget_of(sub) == "fieldset":
            yield from _fields(sub)
        items = sub.get("items")
        if widget_of(sub) == "rows" and isinstance(items, Mapping):
            yield from _fields(items)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _features(definition: FormDefinition) -> set[str]:
    found: set[str] = set()
    raw = json.loads(definition.path.read_text(encoding="utf-8"))
    refs = list(_refs(raw))
    if any(r.startswith("components/") for r in refs):
        found.add("$ref component")
    if any(r.startswith("#/$defs/") for r in refs) and raw.get("$defs"):
        found.add("$ref local $defs")
    layout = raw.get("x-layout", {}).get("pages", [])
    if len(layout) > 1:
        found.add("pages")
    if any("description" in page for page in layout):
        found.add("page description")
    if definition.schema.get("unevaluatedProperties") is False:
        found.add("unevaluatedProperties false")
    for node in _subschemas(definition.schema):
        found.update(k for k in node if k.startswith("x-") or k in (
            "dependentSchemas", "dependentRequired", "allOf", "pattern", "minLength",
            "maxLength", "exclusiveMinimum", "multipleOf", "minItems", "maxItems"))
        if {"if", "then", "else"} <= set(node):
            found.add("if/then/else")
        elif {"if", "then"} <= set(node):
            found.add("if/then")
        branches = node.get("oneOf")
        if branches and all("const" in b and "title" in b for b in branches):
            found.add("oneOf const+title")
        if "*" in node.get("x-order", ()):
            found.add("x-order *")
        if any("/" in key for key in node.get("x-error-messages", {})):
            found.add("x-error-messages keyword/detail")
    for node in _fields(definition.schema):
        widget = widget_of(node)
        found.add(f"widget:{widget}")
        if "x-widget" not in node:
            found.add(f"inferred:{widget}")
        kind = node.get("type")
        if widget == "text" and ("minLength" in node or "maxLength" in node):
            found.add("text length")
        if widget == "text" and "pattern" in node:
            found.add("text pattern")
        if kind == "integer" and "minimum" in node and "maximum" in node:
            found.add("integer minimum/maximum")
        if kind == "number" and "multipleOf" in node:
            found.add("number multipleOf")
        if widget == "checkbox" and kind == "boolean":
            found.add("boolean checkbox")
        if widget == "consent" and node.get("const") is True:
            found.add("consent const true")
        if widget == "select" and len(choices(node) or []) > 6:
            found.add("select many options")
        if widget == "rows" and "minItems" in node and "maxItems" in node:
            found.add("rows minItems/maxItems")
        if widget == "radios" and kind == "boolean":
            found.add("boolean radios")
    return found


REQUIRED_FEATURES = {
    "widget:text", "text length", "text pattern", "widget:textarea", "inferred:textarea",
    "widget:number", "integer minimum/maximum", "number multipleOf", "exclusiveMinimum",
    "boolean checkbox", "consent const true", "inferred:consent", "widget:date", "widget:email",
    "widget:tel", "widget:select", "select many options", "inferred:select", "widget:radios",
    "inferred:radios", "boolean radios", "widget:checkboxes", "widget:fieldset", "widget:rows",
    "rows minItems/maxItems", "if/then", "if/then/else", "dependentSchemas",
    "dependentRequired", "allOf", "oneOf const+title", "$ref component", "$ref local $defs",
    "x-order", "x-order *", "x-help", "x-placeholder", "x-autocomplete", "x-width",
    "x-error-messages", "x-error-messages keyword/detail", "x-i18n", "x-personal-id-check",
    "x-commune-of", "widget:commune", "x-widget", "pages", "page description",
    "unevaluatedProperties false",
}


def test_examples_cover_every_feature(definitions: dict[str, FormDefinition]) -> None:
    covered: set[str] = set()
    for definition in definitions.values():
        covered |= _features(definition)
    assert REQUIRED_FEATURES - covered == set()


def test_each_example_adds_something(definitions: dict[str, FormDefinition]) -> None:
    """No example is redundant: each covers a feature the others do not."""
    features = {name: _features(d) for name, d in definitions.items()}
    for name, mine in features.items():
        others = set().union(*(f for n, f in features.items() if n != name))
        assert (mine - others) & REQUIRED_FEATURES, name
