"""``formengine diff OLD NEW``: what changed between two versions of a definition, and
whether drafts made on the old one stay valid on the new one.

Fields are compared by JSON pointer (rows as ``/members/*/name``), every branch included.
A change is *tightening* when an answer the old version accepted may be refused by the
new one (a choice removed, a shorter maximum, a new pattern, another type...); a field
that becomes required only asks a draft one more question. Pure: two definitions in, a
:class:`Diff` out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from formengine.definitions.model import FormDefinition
from formengine.schema import all_properties, choices, items_of, required_anywhere, schema_type

__all__ = ["Change", "Diff", "diff"]

#: Keywords that only change what a field says, never what it accepts.
_TEXT = frozenset({"title", "description", "x-help", "x-i18n", "x-error-messages",
                   "x-order", "x-width", "x-autocomplete", "examples", "$comment"})
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems")
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems")


@dataclass(frozen=True)
class Change:
    """One changed field: where, and what changed (tightening or not)."""

    pointer: str
    what: tuple[str, ...]
    tightening: bool


@dataclass(frozen=True)
class Diff:
    """Added, removed and changed fields, and the fields newly required."""

    old_version: str
    new_version: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[Change, ...] = ()
    newly_required: tuple[str, ...] = ()
    procedure: tuple[str, ...] = field(default=())

    @property
    def drafts_stay_valid(self) -> bool:
        """Whether every draft of the old version keeps all its answers valid."""
        return not self.removed and not any(c.tightening for c in self.changed)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"old_version": self.old_version, "new_version": self.new_version,
                "added": list(self.added), "removed": list(self.removed),
                "changed": [{"pointer": c.pointer, "what": list(c.what),
                             "tightening": c.tightening} for c in self.changed],
                "newly_required": list(self.newly_required),
                "procedure": list(self.procedure),
                "drafts_stay_valid": self.drafts_stay_valid}


def _fields(node: Mapping[str, Any], pointer: str = "") -> Iterator[tuple[str, Mapping[str, Any],
                                                                           bool]]:
    """(pointer, schema, required) of every field under ``node``, every branch included."""
    required = required_anywhere(node)
    for name, sub in all_properties(node).items():
        here = f"{pointer}/{name}"
        kind = schema_type(sub)
        yield here, sub, name in required
        if kind == "object":
            yield from _fields(sub, here)
        elif kind == "array" and schema_type(items_of(sub)) == "object":
            yield from _fields(items_of(sub), f"{here}/*")


def _rules(node: Mapping[str, Any]) -> dict[str, Any]:
    """What a field accepts: its keywords but texts and nested fields."""
    return {k: v for k, v in node.items()
            if k not in _TEXT and k not in ("properties", "items", "allOf", "required",
                                            "dependentSchemas", "if", "then", "else")}


def _values(node: Mapping[str, Any]) -> set[str] | None:
    found = choices(node)
    return None if found is None else {json.dumps(v) for v, _ in found}


def _compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[list[str], bool]:
    """What changed in a field's rules, and whether an old answer may now be refused."""
    what: list[str] = []
    tight = False
    before, after = _values(old), _values(new)
    if before is not None or after is not None:
        lost = (before or set()) - (after or set()) if after is not None else set()
        if lost:
            what.append("choices removed: " + ", ".join(sorted(lost)))
            tight = True
        if after is not None and before is not None and after - before:
            what.append("choices added: " + ", ".join(sorted(after - before)))
    rules_old, rules_new = _rules(old), _rules(new)
    for key in sorted(set(rules_old) | set(rules_new)):
        if key in ("enum", "oneOf", "anyOf") or rules_old.get(key) == rules_new.get(key):
            continue
        a, b = rules_old.get(key), rules_new.get(key)
        if key in _LOWER_BOUNDS:
            tighter = b is not None and (a is None or b > a)
        elif key in _UPPER_BOUNDS:
            tighter = b is not None and (a is None or b < a)
        else:  # type, format, pattern, const, x-widget...: another answer may be needed
            tighter = key != "x-widget" and b is not None
        what.append(f"{key}: {json.dumps(a, ensure_ascii=False)} -> "
                    f"{json.dumps(b, ensure_ascii=False)}")
        tight = tight or tighter
    texts = [k for k in sorted(_TEXT) if old.get(k) != new.get(k)]
    if texts:
        what.append("texts: " + ", ".join(texts))
    return what, tight


def diff(old: FormDefinition, new: FormDefinition) -> Diff:
    """What changed from ``old`` to ``new`` (two versions of one procedure)."""
    before = {p: (s, r) for p, s, r in _fields(old.schema)}
    after = {p: (s, r) for p, s, r in _fields(new.schema)}
    changed = []
    for pointer in sorted(set(before) & set(after)):
        what, tight = _compare(before[pointer][0], after[pointer][0])
        if what:
            changed.append(Change(pointer, tuple(what), tight))
    procedure = tuple(sorted(k for k in set(old.procedure) | set(new.procedure)
                             if k != "version" and old.procedure.get(k) != new.procedure.get(k)))
    return Diff(old.version, new.version,
                added=tuple(sorted(set(after) - set(before))),
                removed=tuple(sorted(set(before) - set(after))),
                changed=tuple(changed),
                newly_required=tuple(sorted(p for p in set(before) & set(after)
                                            if after[p][1] and not before[p][1])),
                procedure=procedure)
