"""Compile a definition's schema once and turn jsonschema errors into field errors.

Each error is re-anchored on the field it concerns (a missing required property is
reported on the missing property, not on its parent), reduced to one error per field by
priority, and given a human message in the citizen's language (see messages.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator

from formengine.schema import JSON, Schema, choices
from formengine.validation.formats import make_format_checker
from formengine.validation.keywords import EXTRA_KEYWORDS, mismatch_reason

#: Draft 2020-12 plus formengine's engine-enforced keywords (``x-personal-id-check``).
FormValidator = jsonschema.validators.extend(Draft202012Validator, dict(EXTRA_KEYWORDS))

#: When a field has several errors, the one shown is the first in this order.
PRIORITY = (
    "required", "dependentRequired", "type", "const", "enum", "oneOf", "anyOf", "format",
    "x-personal-id-check", "minLength", "maxLength", "pattern", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems",
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
    validator: Validator = FormValidator(schema, format_checker=make_format_checker())
    return validator


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
        yield from _located(best_match(error.context))
    else:
        detail = (mismatch_reason(error) or "") if keyword == "x-personal-id-check" else ""
        yield RawError(base, keyword, schema, error.instance, detail)


def field_errors(validator: Validator, instance: JSON) -> list[RawError]:
    """Every failing field of ``instance``, one error per field (highest priority first)."""
    best: dict[str, RawError] = {}
    for error in validator.iter_errors(instance):
        for raw in _located(error):
            known = best.get(raw.pointer)
            if known is None or _RANK.get(raw.keyword, 99) < _RANK.get(known.keyword, 99):
                best[raw.pointer] = raw
    return list(best.values())
