"""The conformance corpus (tests/corpus/*.json, see tests/corpus/README.md).

Every case runs twice: through the validator (formengine.validation.report.validate, after
the same coercion as the web path when the case posts raw form fields) and through the HTML
form path (POST /forms/<id> with every field at once, then the page shown). Both must give
exactly the expected outcome. Cases under corpus/pending/ are known product gaps: they are
checked for shape here but not run.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from formengine.definitions import FormDefinition, load_definition
from formengine.i18n import translate
from formengine.schema import all_properties, prune
from formengine.validation.coerce import encode, encode_scalar, read_form, widget_of
from formengine.validation.report import validate
from tests.conftest import accepted_data, shown_errors

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("[0-9][0-9][0-9]-*.json"))
CASE_KEYS = {"description", "definition", "data", "form", "expect", "expect_html", "messages"}
LANG = "en"

#: Keywords (and format / type / widget values) that at least one case's definition must use,
#: so that the corpus cannot silently stop covering them.
COVERED_KEYWORDS = frozenset({
    "type", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "const", "enum", "oneOf", "format", "items", "uniqueItems",
    "minItems", "maxItems", "properties", "required", "if", "then", "else", "dependentRequired",
    "dependentSchemas", "allOf", "$ref", "$defs", "additionalProperties",
    "unevaluatedProperties", "x-personal-id-check", "x-error-messages", "x-widget",
    "format:date", "format:email", "format:vn-personal-id", "format:vn-phone",
    "type:string", "type:integer", "type:number", "type:boolean", "type:object", "type:array",
    "x-widget:consent", "x-widget:checkbox", "x-widget:select", "x-widget:radios",
    "ref:components/phone.json", "ref:components/person-name.json", "ref:#/$defs/",
})
#: Keywords that at least one case must expect as an error (HTML and validator alike).
EXPECTED_ERROR_KEYWORDS = frozenset({
    "required", "dependentRequired", "type", "const", "enum", "oneOf", "format",
    "x-personal-id-check", "minLength", "maxLength", "pattern", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems",
    "additionalProperties", "unevaluatedProperties",
})

Pair = tuple[str, str]


def load_case(path: Path) -> dict[str, Any]:
    """One corpus case, checked for shape (a malformed case fails loudly, never passes)."""
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert set(case) <= CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    assert isinstance(case.get("description"), str) and case["description"]
    assert ("data" in case) != ("form" in case), "give exactly one of data and form"
    definition = case["definition"]
    assert "x-layout" not in definition, "corpus definitions are single-page"
    assert definition["type"] == "object" and "properties" in definition
    expect = case["expect"]
    assert len(expect) == 1 and next(iter(expect)) in ("accepted", "errors", "refused")
    if "errors" in expect:
        assert expect["errors"], "an error case lists at least one error"
        assert all(set(e) == {"pointer", "keyword"} for e in expect["errors"])
    if "refused" in expect:
        assert "form" in case, "only raw form fields can name a field the form does not have"
    if "expect_html" in case:
        assert "data" in case and set(case["expect_html"]) == {"refused"}
    return case


CASES = {path.stem: load_case(path) for path in FILES}


def expected_pairs(expect: Mapping[str, Any]) -> list[Pair]:
    """The expected (pointer, keyword) pairs, sorted."""
    return sorted((e["pointer"], e["keyword"]) for e in expect.get("errors", ()))


def write_definition(folder: Path, document: Mapping[str, Any]) -> Path:
    """Write ``document`` as a definition file of ``folder`` (beside its components/)."""
    path = folder / f"{document['x-procedure']['id']}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def form_fields(raw: Mapping[str, Any]) -> MultiDict[str, str]:
    """A case's raw ``form`` (a value may be a list: several values for one name)."""
    pairs = [(name, value) for name, values in raw.items()
             for value in (values if isinstance(values, list) else [values])]
    assert all(isinstance(value, str) for _, value in pairs), "form values are strings"
    return MultiDict(pairs)


def unknown_fields(node: Mapping[str, Any], data: Any, prefix: str = "") -> Iterator[
        tuple[str, str]]:
    """(field name, value) of the properties in ``data`` that the form does not have.

    ``encode`` leaves them out (a form has no input for them); the HTML path posts them
    anyway, as a forged request would.
    """
    if not isinstance(data, Mapping):
        return
    props = all_properties(node)
    for name, value in data.items():
        if name not in props:
            yield prefix + name, encode_scalar(value) if not isinstance(value, dict | list) else ""
        elif widget_of(props[name]) == "fieldset":
            yield from unknown_fields(props[name], value, f"{prefix}{name}.")
        elif widget_of(props[name]) == "rows" and isinstance(value, list):
            items = props[name].get("items", {})
            for index, row in enumerate(value):
                yield from unknown_fields(items, row, f"{prefix}{name}.{index}.")


def posted_fields(definition: FormDefinition, case: Mapping[str, Any]) -> MultiDict[str, str]:
    """What the HTML path posts for ``case``: its raw form, or its data encoded as fields."""
    if "form" in case:
        return form_fields(case["form"])
    fields = encode(definition.schema, case["data"])
    extra = list(unknown_fields(definition.schema, case["data"]))
    refused = case.get("expect_html", {}).get("refused", [])
    assert [name for name, _ in extra] == refused, (
        "data with properties the form does not have must say so in expect_html.refused")
    for name, value in extra:
        fields.add(name, value)
    return fields


# --- the validator path ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
def test_validator(name: str, definitions_dir: Path) -> None:
    case = CASES[name]
    definition = load_definition(write_definition(definitions_dir, case["definition"]))
    expect = case["expect"]
    if "form" in case:
        data, unknown = read_form(form_fields(case["form"]), definition.schema)
        assert sorted(unknown) == sorted(expect.get("refused", []))
        if "refused" in expect:
            return
        data = prune(definition.schema, data, definition.is_valid)
    else:
        data = case["data"]
    errors = validate(definition, data, LANG)
    found = sorted((e.pointer, e.keyword) for e in errors)
    assert len(found) == len({e.pointer for e in errors}), "one error per field"
    if "accepted" in expect:
        assert found == []
        if "form" in case:
            assert data == expect["accepted"]
    else:
        assert found == expected_pairs(expect)
    for lang in sorted({lang for texts in case.get("messages", {}).values() for lang in texts}):
        by_pointer = {e.pointer: e.message for e in validate(definition, data, lang)}
        for pointer, texts in case.get("messages", {}).items():
            if lang in texts:
                assert by_pointer.get(pointer) == texts[lang], (pointer, lang)


# --- the HTML form path ------------------------------------------------------------------


def inline_messages(html: str) -> dict[str, str]:
    """The text of each inline error message by pointer (without the hidden prefix)."""
    found = re.findall(r'<p class="fe-error-message"[^>]*data-pointer="([^"]*)"[^>]*>'
                       r'<span class="fe-visually-hidden">[^<]*</span>(.*?)</p>', html, re.S)
    return {pointer: html_lib.unescape(text).strip() for pointer, text in found}


def summary_links(html: str) -> list[str]:
    """The anchors (ids) the error summary links to."""
    match = re.search(r'<div class="fe-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return re.findall(r'<a href="#([^"]*)"', match.group(0))


def page_title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match
    return html_lib.unescape(match.group(1)).strip()


@pytest.mark.parametrize("name", list(CASES))
def test_html_form(name: str, make_app: Callable[..., Flask]) -> None:
    case = CASES[name]
    app = make_app(case["definition"])
    definition = app.extensions["formengine.catalog"].get(case["definition"]["x-procedure"]["id"])
    assert definition is not None, "the definition was refused"
    fields = posted_fields(definition, case)
    fields.add("_page", "*")
    fields.add("_action", "submit")
    url = f"/forms/{definition.id}"
    client = app.test_client()
    response = client.post(f"{url}?lang={LANG}", data=fields)
    html = response.get_data(as_text=True)
    expect = case["expect"]
    refused = expect.get("refused") or case.get("expect_html", {}).get("refused")
    if refused:
        assert response.status_code == 400, html[:300]
        assert all(field in html for field in refused)
        return
    assert response.status_code == 200, html[:500]
    if "accepted" in expect:
        assert accepted_data(html) == expect["accepted"], shown_errors(html)
        return
    assert sorted(shown_errors(html)) == expected_pairs(expect)
    assert page_title(html).startswith(translate(LANG, "Error:"))
    links = summary_links(html)
    assert len(links) == len(expect["errors"])
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    assert all(link in ids for link in links), (links, sorted(ids))
    messages = case.get("messages", {})
    for lang in sorted({lang for texts in messages.values() for lang in texts}):
        page = html if lang == LANG else client.post(f"{url}?lang={lang}", data=fields).get_data(
            as_text=True)
        shown = inline_messages(page)
        for pointer, texts in messages.items():
            if lang in texts:
                assert shown.get(pointer) == texts[lang], (pointer, lang)


# --- the corpus itself -------------------------------------------------------------------


def used_keywords(node: Any) -> Iterator[str]:
    """Every keyword of a definition, plus ``format:``, ``type:``, ``x-widget:`` and ``ref:``
    values, walking all nested schemas."""
    if isinstance(node, list):
        for item in node:
            yield from used_keywords(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        yield key
        if key in ("format", "type", "x-widget") and isinstance(value, str):
            yield f"{key}:{value}"
        if key == "type" and isinstance(value, list):
            yield from (f"type:{v}" for v in value)
        if key == "$ref" and isinstance(value, str):
            yield "ref:" + (value.rsplit("/", 1)[0] + "/" if value.startswith("#") else value)
        if key not in ("x-procedure", "x-i18n", "x-error-messages", "const", "enum"):
            yield from used_keywords(value)


def test_corpus_size_and_coverage() -> None:
    assert len(CASES) >= 40
    used = {k for case in CASES.values() for k in used_keywords(case["definition"])}
    assert COVERED_KEYWORDS - used == set()
    expected = {e["keyword"] for c in CASES.values() for e in c["expect"].get("errors", ())}
    assert EXPECTED_ERROR_KEYWORDS - expected == set()
    outcomes = {next(iter(c["expect"])) for c in CASES.values()}
    assert outcomes == {"accepted", "errors", "refused"}
    assert any("form" in c for c in CASES.values()) and any("data" in c for c in CASES.values())
    assert any("messages" in c for c in CASES.values())


def test_procedure_ids_are_unique_and_files_numbered() -> None:
    pending = sorted((CORPUS / "pending").glob("*.json"))
    everything = [*CASES.values(), *(load_case(path) for path in pending)]
    ids = [c["definition"]["x-procedure"]["id"] for c in everything]
    assert len(ids) == len(set(ids))
    numbers = [path.name[:3] for path in [*FILES, *pending]]
    assert len(numbers) == len(set(numbers))
    misnamed = [p.name for p in [*CORPUS.glob("*.json"), *pending]
                if not re.fullmatch(r"[0-9]{3}-[a-z0-9-]+\.json", p.name)]
    assert not misnamed, "misnamed case file"
