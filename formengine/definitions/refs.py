"""Resolve ``$ref`` offline and inline it, so rendering and validation see one tree.

Definitions reference shared components by relative path (``components/phone.json``), which
editors can follow too. A component is looked up beside the definition first, then in the
bundled ``form_definitions/components`` so every province folder can use the shared
dictionary. Nothing is fetched over the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT202012

from formengine.config import PROJECT_ROOT
from formengine.schema import SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS

BUNDLED_COMPONENTS = PROJECT_ROOT / "form_definitions" / "components"

#: Keywords that may sit beside ``$ref`` and simply annotate the referenced schema.
ANNOTATIONS = frozenset(
    {"title", "description", "default", "examples", "readOnly", "writeOnly", "deprecated"}
)

Report = Callable[[str, str], None]


def component_path(uri: str) -> Path:
    """The file a ``$ref`` URI names: beside the definition, else the bundled component."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
    path = Path(unquote(parts.path))
    if not path.is_file() and path.parent.name == "components":
        path = BUNDLED_COMPONENTS / path.name
    if path.suffix != ".json" or not path.is_file():
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
    return path


def inline_refs(
    document: Mapping[str, Any], path: Path, report: Report
) -> tuple[dict[str, Any], list[tuple[Path, Any]]]:
    """``document`` with every ``$ref`` replaced by its target, and the component files it
    used (path, parsed contents) so they can be checked too; problems go to ``report``."""
    used: list[tuple[Path, Any]] = []

    def retrieve(uri: str) -> Resource[Any]:
        file = component_path(uri)
        contents = json.loads(file.read_text(encoding="utf-8"))
        used.append((file, contents))
        return DRAFT202012.create_resource(contents)

    base = path.resolve().as_uri()
    registry: Registry[Any] = Registry(retrieve=retrieve)  # type: ignore[call-arg]
    registry = registry.with_resource(base, DRAFT202012.create_resource(document))
    resolver = registry.resolver(base_uri=base)
    result = _inline(document, resolver, "", (), report)
    return (result if isinstance(result, dict) else {}), used


def _inline(node: Any, resolver: Any, pointer: str, seen: tuple[int, ...], report: Report) -> Any:
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        where = f"{pointer}/{key}"
        if key in ("$ref", "$defs", "$schema", "$comment"):
            continue
        if key in SCHEMA_KEYWORDS:
            out[key] = _inline(value, resolver, where, seen, report)
        elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
            out[key] = [
                _inline(v, resolver, f"{where}/{i}", seen, report) for i, v in enumerate(value)
            ]
        elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, Mapping):
            out[key] = {
                k: _inline(v, resolver, f"{where}/{k}", seen, report) for k, v in value.items()
            }
        else:
            out[key] = value
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return out
    try:
        resolved = resolver.lookup(ref)
    except Unresolvable:
        report(f"{pointer}/$ref", f"cannot resolve $ref `{ref}`: no such file or location "
               "(components are looked up beside the definition, then in the bundled "
               "form_definitions/components)")
        return out
    if id(resolved.contents) in seen:
        report(f"{pointer}/$ref", f"$ref `{ref}` refers back to itself (recursive schemas "
               "cannot be rendered as a form)")
        return out
    target = _inline(resolved.contents, resolved.resolver, pointer,
                     (*seen, id(resolved.contents)), report)
    return _combine(target, out)


def _combine(target: Any, siblings: dict[str, Any]) -> Any:
    """A ``$ref`` target plus the keywords beside the ``$ref``."""
    if not siblings:
        return target
    if not isinstance(target, dict):
        return {"allOf": [target], **siblings}
    annotations = {k: v for k, v in siblings.items() if k in ANNOTATIONS or k.startswith("x-")}
    assertions = {k: v for k, v in siblings.items() if k not in annotations}
    merged = {**target, **annotations}
    if "x-i18n" in target:
        # A text overridden beside the $ref must not keep the component's translation.
        overridden = set(annotations) & {"title", "description", "x-help", "x-placeholder"}
        own = annotations.get("x-i18n", {})
        merged["x-i18n"] = {
            lang: {
                **{k: v for k, v in target["x-i18n"].get(lang, {}).items() if k not in overridden},
                **own.get(lang, {}),
            }
            for lang in {*target["x-i18n"], *own}
        }
    if assertions:
        merged["allOf"] = [*merged.get("allOf", []), assertions]
    return merged
