"""Warnings about conditions that do not do what their designer meant.

For every ``if`` of a definition (inlined, references resolved):

* a condition on a property the form does not have never holds (a typo, or a question
  that was renamed): its ``then`` never opens;
* a condition asking for a value the question cannot take (``const: "fathr"`` when the
  choices are ``father``, ``mother``) never holds either;
* a condition on a value that does not ``require`` its property holds while the question
  is still unanswered, so the ``then`` questions show before anyone has chosen;
* ``additionalProperties: false`` beside branches that add questions refuses their
  answers (``unevaluatedProperties: false`` is what is meant).

They are warnings: the form works, but not as intended. Pure; runs once per load.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from formengine.definitions.model import Problem
from formengine.schema import all_properties, choices, schema_type

__all__ = ["condition_problems"]

_SAME_OBJECT = ("allOf", "anyOf", "oneOf")
_BRANCHES = ("then", "else", "not")


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _expected(condition: Mapping[str, Any]) -> list[Any] | None:
    """The values a condition on one property accepts (None: not a const/enum test)."""
    if "const" in condition:
        return [condition["const"]]
    if isinstance(condition.get("enum"), list):
        return list(condition["enum"])
    return None


def _possible(question: Mapping[str, Any]) -> list[Any] | None:
    """The values a question can take (None: too many to list)."""
    found = choices(question)
    if found is not None:
        return [value for value, _ in found]
    if schema_type(question) == "boolean":
        return [True, False]
    return None


def _check_if(condition: Mapping[str, Any], scope: Mapping[str, Mapping[str, Any]],
              file: str, where: str) -> Iterator[Problem]:
    required = set(condition.get("required", ()))
    for name, test in (condition.get("properties") or {}).items():
        if not isinstance(test, Mapping):
            continue
        if name not in scope:
            close = difflib.get_close_matches(name, list(scope), n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            yield Problem(file, f"{where}/properties/{name}",
                          f"this condition tests `{name}`, which is not a question here, so "
                          f"it never holds and its `then` never opens{hint}", "warning")
            continue
        expected, possible = _expected(test), _possible(scope[name])
        if expected is not None and possible is not None and not any(
                value in possible for value in expected):
            yield Problem(file, f"{where}/properties/{name}",
                          f"this condition never holds: `{name}` is never "
                          f"{' or '.join(_show(v) for v in expected)}; its answers are "
                          f"{', '.join(_show(v) for v in possible)}", "warning")
        elif expected is not None and name not in required:
            yield Problem(file, where,
                          f"this condition holds while `{name}` is unanswered, so its `then` "
                          f"questions show before anyone chooses: add \"required\": "
                          f"[\"{name}\"] beside \"properties\" in the `if`", "warning")


def _closed_too_early(node: Mapping[str, Any], file: str, where: str) -> Iterator[Problem]:
    """``additionalProperties: false`` beside branches that declare more properties: the
    answers to those questions are refused ("not part of this form")."""
    if node.get("additionalProperties") is not False:
        return
    own = set(node.get("properties") or {})
    extra = sorted(set(all_properties(node)) - own)
    if extra:
        yield Problem(file, f"{where}/additionalProperties",
                      "`additionalProperties: false` refuses the answers to questions "
                      f"declared in conditional branches ({', '.join(extra)}): use "
                      "`\"unevaluatedProperties\": false` instead", "warning")


def _walk(node: Any, scope: Mapping[str, Mapping[str, Any]], file: str,
          where: str) -> Iterator[Problem]:
    if not isinstance(node, Mapping):
        return
    yield from _closed_too_early(node, file, where)
    if isinstance(node.get("if"), Mapping):
        yield from _check_if(node["if"], scope, file, f"{where}/if")
    for key in _SAME_OBJECT:
        for index, branch in enumerate(node.get(key) or ()):
            yield from _walk(branch, scope, file, f"{where}/{key}/{index}")
    for key in _BRANCHES:
        yield from _walk(node.get(key), scope, file, f"{where}/{key}")
    for name, branch in (node.get("dependentSchemas") or {}).items():
        yield from _walk(branch, scope, file, f"{where}/dependentSchemas/{name}")
    for name, child in (node.get("properties") or {}).items():
        if isinstance(child, Mapping):
            yield from _walk(child, all_properties(child), file, f"{where}/properties/{name}")
    items = node.get("items")
    if isinstance(items, Mapping):
        yield from _walk(items, all_properties(items), file, f"{where}/items")


def condition_problems(schema: Mapping[str, Any], file: str) -> list[Problem]:
    """A warning for every ``if`` of ``schema`` that never holds or holds too early."""
    return list(_walk(schema, all_properties(schema), file, ""))
