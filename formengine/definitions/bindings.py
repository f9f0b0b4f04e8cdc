"""``x-prefill`` bindings: which answer comes from which item of the population register.

A binding sits on a field or a group::

    "full_name": {"$ref": "components/person-name.json",
                  "x-prefill": {"subject": "self", "attribute": "full_name"}}

* ``subject`` whose record is read: ``self`` (the signed-in person), ``household_head``,
  ``father``, ``mother``, ``spouse``, ``co_applicant`` (another person who confirmed with
  their own sign-in that the form may use their record: the other party of a marriage),
  or, on a repeating group, ``household_members`` or ``children`` (one row per person).
  Default: the enclosing binding's, else ``self``.
* ``attribute``: a path of :data:`prefill.model.ATTRIBUTES` (``permanent_residence``,
  ``full_name.family``, ``children[].date_of_birth``). A group bound to an object attribute
  binds each of its properties whose name is a key of that object; a repeating group bound
  to an array attribute does the same for its rows. Inside the rows of a ``household_members``
  or ``children`` group, attributes are read from each row's person, and a row property
  named like a Citizen attribute binds to it.
* ``mode``: ``locked`` (shown as text, never read from the request) or ``editable``
  (filled in, the citizen may change it). Default: the enclosing binding's, else
  ``editable`` for contact data (:data:`EDITABLE_BY_DEFAULT`) and ``locked`` for the rest.

``"x-prefill": false`` says a field or group is never filled from the register, which also
switches off a binding its shared component brings. A binding without ``subject`` applies to
a top-level property or inside a bound group; deeper inside a group or rows that no binding
names (a proxy, companions) it is ignored: that is how the default bindings of shared
components (person-name: ``full_name``...) stay out of other people's answers.

:func:`resolve` turns a definition's (inlined) schema into flat :class:`Binding` leaves and
reports every problem; it runs once, when the definition is loaded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from formengine.schema import choices, schema_type
from prefill.model import ATTRIBUTES, AttributeInfo

__all__ = [
    "ARRAY_SUBJECTS",
    "EDITABLE_BY_DEFAULT",
    "SUBJECTS",
    "Binding",
    "resolve",
]

Mode = Literal["locked", "editable"]

#: Whose record a binding reads.
SUBJECTS: Final = ("self", "household_head", "household_members", "father", "mother",
                   "spouse", "children", "co_applicant")
#: Subjects that are several persons: they bind a repeating group, one row per person.
ARRAY_SUBJECTS: Final = frozenset({"household_members", "children"})
#: Attributes a citizen may update on a form: prefilled but editable unless said otherwise.
EDITABLE_BY_DEFAULT: Final = frozenset({"phone", "email"})


@dataclass(frozen=True)
class Binding:
    """One bound answer: the JSON pointer of the answer, whose record, which attribute.

    ``pointer`` may hold ``*`` for "every row" (``/household/*/full_name/family``); the
    attribute then holds ``[]`` at the same depth, unless the rows are persons (an array
    subject), in which case ``attribute`` is read from each row's person.
    ``top`` is the page-level property the answer belongs to (``/household``).
    """

    pointer: str
    subject: str
    attribute: str
    mode: Mode
    schema: Mapping[str, Any]

    @property
    def top(self) -> str:
        """The top-level answer (``/name``) holding this one."""
        return "/" + self.pointer.split("/")[1]

    @property
    def rows(self) -> str | None:
        """The pointer of the repeating group this binding fills row by row, if any."""
        head, star, _ = self.pointer.partition("/*")
        return head if star else None


@dataclass(frozen=True)
class _Context:
    subject: str
    attribute: str | None  # None: the whole record (rows of an array subject)
    mode: Mode | None
    in_rows: bool


def _suggest(word: str, options: Any) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def _words(path: str) -> set[str]:
    return {w for w in re.split(r"[._\[\]]+", path.lower()) if w}


def _suggest_attribute(typed: str) -> str:
    """The attribute path closest to ``typed``: the most words in common (in any order:
    ``residence.permanent.commune`` -> ``permanent_residence.commune_code``), else the
    closest spelling."""
    words = _words(typed)
    best, score = None, 0.0
    for path in ATTRIBUTES:
        other = _words(path)
        overlap = len(words & other) / len(words | other) if words | other else 0.0
        overlap += difflib.SequenceMatcher(None, typed, path).ratio() / 100  # tie-break
        if overlap > score:
            best, score = path, overlap
    if best is not None and score >= 0.5:
        return f"; did you mean `{best}`?"
    return _suggest(typed, ATTRIBUTES)


def _join(base: str | None, name: str) -> str:
    return f"{base}.{name}" if base else name


def _children(node: Mapping[str, Any], pointer: str
              ) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(name, schema pointer, subschema) of every property a node may have, in any branch."""
    stack: list[tuple[str, Mapping[str, Any]]] = [(pointer, node)]
    while stack:
        where, current = stack.pop(0)
        for name, sub in current.get("properties", {}).items():
            if isinstance(sub, Mapping):
                yield name, f"{where}/properties/{name}", sub
        for index, sub in enumerate(current.get("allOf", ())):
            stack.append((f"{where}/allOf/{index}", sub))
        for key in ("then", "else"):
            if isinstance(current.get(key), Mapping):
                stack.append((f"{where}/{key}", current[key]))
        for key, sub in current.get("dependentSchemas", {}).items():
            stack.append((f"{where}/dependentSchemas/{key}", sub))


class _Resolver:
    def __init__(self) -> None:
        self.bindings: dict[str, Binding] = {}
        self.problems: list[tuple[str, str]] = []

    def problem(self, where: str, text: str) -> None:
        self.problems.append((where, text))

    def walk(self, node: Mapping[str, Any], where: str, pointer: str,
             context: _Context | None) -> None:
        """Visit the properties of an object node."""
        for name, sub_where, sub in _children(node, where):
            self.visit(sub, sub_where, f"{pointer}/{name}", name, context)

    def visit(self, node: Mapping[str, Any], where: str, pointer: str, name: str,
              context: _Context | None) -> None:
        spec = node.get("x-prefill")
        if spec is False:  # never from the register (a component's default switched off)
            return
        if not isinstance(spec, Mapping):
            if context is None:
                kind = schema_type(node)
                if kind == "object":
                    self.walk(node, where, pointer, None)
                elif kind == "array" and isinstance(node.get("items"), Mapping):
                    self.walk(node["items"], f"{where}/items", pointer + "/*", None)
                return
            # Inside a bound group: a property named like a key of the bound object.
            path = _join(context.attribute, name)
            if path in ATTRIBUTES:
                self.bind(node, where, pointer, _Context(context.subject, path, context.mode,
                                                         context.in_rows), implicit=True)
            return
        if context is None and "subject" not in spec and pointer.count("/") > 1:
            # A shared component's default binding, used for someone else (inside a group
            # or rows no binding names): it does not apply. Name a subject to bind here.
            return
        where = f"{where}/x-prefill"
        subject = spec.get("subject")
        if subject is not None and context is not None and context.in_rows:
            self.problem(where, "inside the rows of a household_members or children group "
                         "every answer is read from the row's person: remove `subject`")
            return
        subject = subject or (context.subject if context else "self")
        mode = spec.get("mode") or (context.mode if context else None)
        attribute = spec.get("attribute")
        if attribute is None and context is not None and subject == context.subject:
            attribute = _join(context.attribute, name)
        in_rows = context.in_rows if context else False
        if subject in ARRAY_SUBJECTS and not in_rows:
            self.bind_people(node, where, pointer, subject, attribute, mode)
            return
        if attribute is None:
            self.problem(where, "name the `attribute` to read (a path in the Citizen record, "
                         "such as `full_name` or `permanent_residence`)")
            return
        self.bind(node, where, pointer, _Context(subject, attribute, mode, in_rows),
                  implicit=False)

    def bind_people(self, node: Mapping[str, Any], where: str, pointer: str, subject: str,
                    attribute: str | None, mode: Mode | None) -> None:
        """A repeating group with one row per person of ``subject``."""
        items = node.get("items")
        if schema_type(node) != "array" or not isinstance(items, Mapping) or schema_type(
                items) != "object":
            self.problem(where, f"subject `{subject}` is several persons: put it on a "
                         "repeating group (an array of objects), one row per person")
            return
        if attribute is not None:
            self.problem(where, f"a `{subject}` group reads whole records: remove "
                         "`attribute` and bind the row's properties instead")
            return
        before = len(self.bindings), len(self.problems)
        self.walk(items, f"{where.rsplit('/', 1)[0]}/items", pointer + "/*",
                  _Context(subject, None, mode, True))
        if (len(self.bindings), len(self.problems)) == before:
            self.problem(where, "no property of the rows matches an attribute of the Citizen "
                         "record (such as `full_name`, `personal_id`, `date_of_birth`)")

    def bind(self, node: Mapping[str, Any], where: str, pointer: str, context: _Context,
             implicit: bool) -> None:
        assert context.attribute is not None
        info = ATTRIBUTES.get(context.attribute)
        if info is None:
            self.problem(where, f"x-prefill attribute `{context.attribute}` does not exist "
                         "in the Citizen record" + _suggest_attribute(context.attribute))
            return
        kind = schema_type(node)
        if info.type == "object":
            if kind != "object":
                self.problem(where, f"`{info.path}` is a group of values: bind it to a group "
                             f"(an object), not a {kind or 'untyped'} field")
                return
            before = len(self.bindings)
            self.walk(node, where.removesuffix("/x-prefill"), pointer, context)
            if len(self.bindings) == before and not implicit:
                keys = ", ".join(f"`{k}`" for k in info.schema.get("properties", {}))
                self.problem(where, f"no property of this group is a key of `{info.path}` "
                             f"({keys})")
            return
        if info.type == "array" and "[]" not in context.attribute and isinstance(
                info.schema.get("items"), Mapping) and info.schema["items"].get(
                "type") == "object":
            items = node.get("items")
            if kind != "array" or not isinstance(items, Mapping):
                self.problem(where, f"`{info.path}` is a list: bind it to a repeating group")
                return
            self.walk(items, where.removesuffix("/x-prefill") + "/items", pointer + "/*",
                      _Context(context.subject, context.attribute + "[]", context.mode,
                               context.in_rows))
            return
        mismatch = _mismatch(node, info)
        if mismatch:
            self.problem(where, mismatch)
            return
        mode: Mode = context.mode or (
            "editable" if context.attribute in EDITABLE_BY_DEFAULT else "locked")
        self.bindings[pointer] = Binding(pointer, context.subject, context.attribute, mode,
                                         node)


def _mismatch(node: Mapping[str, Any], info: AttributeInfo) -> str | None:
    """Why a field cannot hold the values of a scalar (or scalar-list) attribute."""
    kind = schema_type(node)
    if kind != info.type:
        return (f"type mismatch: `{info.path}` holds {info.type} values, the field is "
                f"{kind or 'untyped'}")
    source = info.schema
    if info.type == "array":
        items: Mapping[str, Any] = node["items"] if isinstance(node.get("items"),
                                                                Mapping) else {}
        source, node = info.schema.get("items", {}), items
        if schema_type(node) != source.get("type"):
            return f"type mismatch: the items of `{info.path}` are {source.get('type')}"
    offered = choices(node)
    if offered is not None and "enum" in source:
        values = {value for value, _branch in offered}
        missing = [v for v in source["enum"] if v not in values]
        if missing:
            listed = ", ".join(f"`{v}`" for v in missing[:5])
            return (f"the register can hold {listed} for `{info.path}`, which this field "
                    "does not offer: add the missing choices")
    return None


def resolve(schema: Mapping[str, Any]) -> tuple[tuple[Binding, ...], list[tuple[str, str]]]:
    """Every binding of a definition's inlined schema, and (schema pointer, message) for each
    problem found."""
    resolver = _Resolver()
    resolver.walk(schema, "", "", None)
    return tuple(resolver.bindings.values()), resolver.problems
