"""Every message ``formengine check`` prints is explained in docs/check.md: a battery of
broken definitions, and each problem must match a heading of the page (its words, with
``…`` for your names and values)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from formengine.config import PROJECT_ROOT
from formengine.definitions.loader import DefinitionError, load_definition

HEADINGS = [line[4:].strip() for line in (PROJECT_ROOT / "docs" / "check.md").read_text(
    encoding="utf-8").splitlines() if line.startswith("### ")]

BASE: dict[str, Any] = {
    "x-procedure": {"id": "thu", "version": "1",
                    "title": {"vi": "Thử", "en": "Try", "fr": "Essai"}},
    "type": "object",
    "properties": {"name": {"type": "string", "title": "Tên",
                            "x-i18n": {"en": {"title": "Name"}, "fr": {"title": "Nom"}}}},
    "x-layout": {"pages": [{"id": "p", "title": {"vi": "T", "en": "T", "fr": "T"},
                            "fields": ["/name"]}]},
}


def changed(*edits: tuple[str, Any]) -> dict[str, Any]:
    """BASE with ``(path, value)`` edits; path is dotted (``properties.name.type``)."""
    document = copy.deepcopy(BASE)
    for path, value in edits:
        *parents, last = path.split(".")
        node = document
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
        node[last] = value
    return document


BROKEN: list[Any] = [
    "{not json",
    changed(("properties.name.x-widgit", "text")),
    changed(("properties.date-from", {"type": "string"})),
    changed(("properties.name.x-widget", "chekbox")),
    changed(("x-procedure.title", 5)),
    changed(("x-procedure.cost", 5)),
    changed(("x-procedure.id", "Bad Id")),
    changed(("$id", "x")),
    changed(("properties.name.minLength", "5")),
    changed(("properties.name.pattern", "([a-z")),
    changed(("properties.addr", {"$ref": "components/adress.json"})),
    changed(("x-layout.pages.0.fields", ["/name", "/nme"])),
    changed(("x-layout.pages", [{"id": "p", "title": "T", "fields": ["/name"]},
                                {"id": "p", "title": "T", "fields": ["/name"]}])),
    changed(("properties.name.x-prefill", {"attribute": "residence.permanent.commune"})),
    changed(("properties.name", {"type": "integer", "x-prefill": {"attribute": "personal_id"}})),
    changed(("properties.name.x-prefill", {"attribute": "full_name"})),
    changed(("properties.kids", {"type": "string", "x-prefill": {"attribute": "children"}})),
    changed(("properties.name.x-prefill", {"subject": "father"})),
    changed(("properties.home", {"type": "object", "x-prefill": {
        "attribute": "permanent_residence"}, "properties": {"street": {"type": "string"}}})),
    changed(("properties.name.x-prefill", {"attribute": "full_name.given"}),
            ("x-procedure.typical_answers", {"name": "An", "nam": 1})),
    changed(("properties.other", {"type": "string"})),
    changed(("x-procedure.agency", "Công an")),
    changed(("properties.kind", {"enum": ["a", "b"], "title": "Loại"}),
            ("allOf", [{"if": {"properties": {"kind": {"const": "c"}}, "required": ["kind"]},
                        "then": {}},
                       {"if": {"properties": {"knd": {"const": "a"}}, "required": ["knd"]},
                        "then": {}},
                       {"if": {"properties": {"kind": {"const": "a"}}},
                        "then": {"properties": {"x": {"type": "string"}}}}]),
            ("additionalProperties", False)),
]


def problems_of(tmp_path: Path, index: int, document: Any) -> list[str]:
    path = tmp_path / f"broken-{index}.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document,
                                                                         ensure_ascii=False))
    try:
        definition = load_definition(path)
    except DefinitionError as exc:
        return [p.message for p in exc.problems]
    return [p.message for p in definition.warnings]


def documented(message: str) -> bool:
    """Whether a heading's words (split at ``…``, alternatives at `` / ``) are all in it."""
    for heading in HEADINGS:
        for alternative in heading.split(" / "):
            parts = [re.sub(r"^`|`$", "", p.strip()) if p.strip().startswith("`") and
                     p.strip().endswith("`") and p.count("`") == 2 else p.strip()
                     for p in alternative.split("…")]
            if all(part in message for part in parts if part):
                return True
    return False


@pytest.mark.parametrize("index", range(len(BROKEN)))
def test_every_message_is_explained(tmp_path: Path, index: int) -> None:
    messages = problems_of(tmp_path, index, BROKEN[index])
    assert messages, f"case {index} found nothing"
    assert [m for m in messages if not documented(m)] == []
