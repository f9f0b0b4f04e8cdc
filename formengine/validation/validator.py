"""Compile a definition's schema once and turn jsonschema errors into field errors.

Each error is re-anchored on the field it concerns (a missing required property is
reported on the missing property, not on its parent), reduced to one error per field by
priority, and given a human message in the citizen's language (see messages.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cache
from typing import Any

import jsonschema
import regex
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance
from jsonschema.protocols import Validator

from formengine.schema import (
    JSON,
    SCHEMA_KEYWORDS,
    SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
    Schema,
    choices,
)
from formengine.validation.formats import make_format_checker
from formengine.validation.keywords import EXTRA_KEYWORDS, keyword_detail


def decimal_multiple_of(
    validator: Any, factor: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``multipleOf`` on the decimal numbers as written: 0.57 is a multiple of 0.01 and 0.3
    of 0.1 (jsonschema divides binary floats and says no). Exact, also for big integers."""
    if not validator.is_type(instance, "number"):
        return
    try:
        failed = (Fraction(str(instance)) / Fraction(str(factor))).denominator != 1
    except (ValueError, ZeroDivisionError):
        failed = True
    if failed:
        yield ValidationError(f"{instance!r} is not a multiple of {factor!r}")


@cache
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """A JSON Schema ``pattern`` compiled with Unicode property support (``\\p{L}``),
    as ECMA-262 with the ``u`` flag allows; Python's ``re`` rejects those."""
    return regex.compile(pattern, regex.VERSION1)


def unicode_pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``pattern`` with :func:`compile_pattern` (so ``^[\\p{L} ]+$`` accepts "Nguyễn")."""
    if validator.is_type(instance, "string") and not compile_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: Draft 2020-12 plus formengine's engine-enforced keywords (``x-personal-id-check``,
#: ``x-commune-of``), a decimal ``multipleOf`` and a Unicode-aware ``pattern``.
FormValidator = jsonschema.validators.extend(
    Draft202012Validator,
    {**EXTRA_KEYWORDS, "multipleOf": decimal_multiple_of, "pattern": unicode_pattern},
)

#: When a field has several errors, the one shown is the first in this order.
PRIORITY = (
    "required", "dependentRequired", "type", "const", "enum", "oneOf", "anyOf", "format",
    "x-personal-id-check", "x-commune-of", "minLength", "maxLength", "pattern", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
    "uniqueItems",
)
_RANK = {keyword: rank for rank, keyword in enumerate(PRIORITY)}


@dataclass(frozen=True)
class RawError:
    """A validation error located on a field: JSON pointer, keyword and what failed."""

    pointer: str
    keyword: str
    schema: Schema
    instance: JSON
    detail: str = ""


def compile_validator(schema: Schema) -> Validator:
    """A validator for ``schema`` with formengine's format checker (compile once, reuse)."""
    validator: Validator = FormValidator(choices_as_enums(schema),
                                         format_checker=make_format_checker())
    return validator


#: Keywords a branch of a labelled choice may carry besides ``const`` (annotations only).
_LABEL_KEYWORDS = frozenset({"const", "title", "description", "$comment"})


def choices_as_enums(node: Any) -> Any:
    """``node`` with every labelled choice (``oneOf``/``anyOf`` of distinct ``const``s with
    titles) written as the equivalent ``enum``, marked ``x-choice``.

    Same instances accepted; jsonschema checks an ``enum`` several times faster than a
    ``oneOf`` of branches. Errors are reported with the original keyword (see
    :func:`_located`).
    """
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in SCHEMA_KEYWORDS:
            out[key] = choices_as_enums(value)
        elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
            out[key] = [choices_as_enums(item) for item in value]
        elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, Mapping):
            out[key] = {name: choices_as_enums(item) for name, item in value.items()}
        else:
            out[key] = value
    for keyword in ("oneOf", "anyOf"):
        branches = node.get(keyword)
        if not isinstance(branches, list) or not branches or "enum" in node:
            continue
        if not all(isinstance(b, Mapping) and "const" in b
                   and set(b) - _LABEL_KEYWORDS <= {k for k in b if k.startswith("x-")}
                   for b in branches):
            continue
        values = [b["const"] for b in branches]
        if all(values.index(v) == i for i, v in enumerate(values)):  # distinct (JSON ==)
            del out[keyword]
            out["enum"] = values
            out["x-choice"] = keyword
        break
    return out


class Conditions:
    """Evaluates ``if`` subschemas with compiled, cached validators (one per subschema)."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Schema, Validator]] = {}

    def is_valid(self, schema: Schema, data: JSON) -> bool:
        """Whether ``data`` satisfies ``schema`` (used for ``if``)."""
        entry = self._cache.get(id(schema))
        if entry is None:
            entry = (schema, compile_validator(schema))
            self._cache[id(schema)] = entry
        return bool(entry[1].is_valid(data))


def pointer_of(path: Any) -> str:
    """A JSON pointer (RFC 6901) for a jsonschema path deque."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "".join("/" + part for part in parts)


def _located(error: ValidationError) -> Iterator[RawError]:
    base = pointer_of(error.absolute_path)
    keyword = str(error.validator)
    schema: Schema = error.schema if isinstance(error.schema, Mapping) else {}
    if keyword in ("required", "dependentRequired") and isinstance(error.instance, Mapping):
        names = error.validator_value
        if keyword == "dependentRequired":
            names = [n for deps in names.values() for n in deps]
        for name in names:
            if name not in error.instance:
                yield RawError(f"{base}/{name}", keyword, schema, None)
    elif keyword in ("oneOf", "anyOf") and choices(schema) is None and error.context:
        # The branch that fits best, as best_match descends into a context: the deepest
        # error, then one whose type the instance has. (best_match(error.context) ranks the
        # flat list by max and so prefers a branch of the wrong type.)
        yield from _located(min(error.context, key=relevance))
    else:
        if keyword == "enum" and "x-choice" in schema:
            keyword = str(schema["x-choice"])  # a labelled choice, checked as an enum
        detail = keyword_detail(error)
        yield RawError(base, keyword, schema, error.instance, detail)


def field_errors(
    validator: Validator, instance: JSON, relocate: Callable[[str], str] | None = None
) -> list[RawError]:
    """Every failing field of ``instance``, one error per field (highest priority first).

    ``relocate`` may move an error to the field that shows it (e.g. an item of a checkbox
    group to the group).
    """
    best: dict[str, RawError] = {}
    for error in validator.iter_errors(instance):
        for raw in _located(error):
            if relocate is not None:
                raw = replace(raw, pointer=relocate(raw.pointer))
            known = best.get(raw.pointer)
            if known is None or _RANK.get(raw.keyword, 99) < _RANK.get(known.keyword, 99):
                best[raw.pointer] = raw
    return list(best.values())
