"""How much of a form the register fills in: fields from data versus fields still typed.

A *field* is one input the citizen would see: a leaf of the form as shown for their
prefilled answers and the procedure's typical answers (``x-procedure.typical_answers``: what
a typical applicant answers to the questions that open branches), counted once per row of a
repeating group (a group the register does not fill counts one row, the one the citizen
would add). Branches that these answers leave closed do not count. A field comes *from
data* when the register fills it in (locked or editable) or locks it empty; the typical
answers are typed by the citizen and count as typed. Pure: records in, counts out.
"""

from __future__ import annotations

import copy
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from formengine.definitions.model import FormDefinition
from formengine.prefilling.snapshot import Records, Snapshot, inject, seed, take
from formengine.schema import effective, items_of, prune, schema_type
from formengine.validation.coerce import widget_of

__all__ = ["Coverage", "coverage", "records_of", "typical", "under"]


@dataclass(frozen=True)
class Coverage:
    """The fields of one procedure for one citizen (or the median of several)."""

    procedure: str
    fields: int
    from_data: int

    @property
    def typed(self) -> int:
        """Fields the citizen still types."""
        return self.fields - self.from_data

    @property
    def share(self) -> float:
        """The share of fields from data (0 to 1)."""
        return self.from_data / self.fields if self.fields else 0.0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"procedure": self.procedure, "fields": self.fields,
                "from_data": self.from_data, "typed": self.typed,
                "share": round(self.share, 3)}


def _leaves(definition: FormDefinition, node: Mapping[str, Any], data: Any,
            pointer: str) -> Iterable[str]:
    node = effective(node, data, definition.is_valid)
    widget = widget_of(node)
    if widget == "fieldset":
        values = data if isinstance(data, Mapping) else {}
        for name, sub in node.get("properties", {}).items():
            if isinstance(sub, Mapping):
                yield from _leaves(definition, sub, values.get(name), f"{pointer}/{name}")
        return
    if widget == "rows":
        rows = data if isinstance(data, list) and data else [{}]
        items = items_of(node)
        for index, row in enumerate(rows):
            if schema_type(items) == "object":
                yield from _leaves(definition, items, row, f"{pointer}/{index}")
            else:
                yield f"{pointer}/{index}"
        return
    yield pointer


def under(data: Any, answers: Any) -> Any:
    """``data`` with ``answers`` filling only the places it leaves unanswered: objects and
    rows are merged place by place, and wherever ``data`` holds a value, it wins."""
    if isinstance(data, Mapping) and isinstance(answers, Mapping):
        out = {key: under(value, answers[key]) if key in answers else value
               for key, value in data.items()}
        out.update({key: copy.deepcopy(value) for key, value in answers.items()
                    if key not in data})
        return out
    if isinstance(data, list) and isinstance(answers, list):
        return ([under(d, a) for d, a in zip(data, answers, strict=False)]
                + data[len(answers):] + copy.deepcopy(answers[len(data):]))
    return data


def coverage(definition: FormDefinition, snapshot: Snapshot,
             answers: Mapping[str, Any] | None = None) -> Coverage:
    """Fields shown and fields from data, for one citizen's snapshot and the typical
    answers (``answers``; default the definition's ``x-procedure.typical_answers``, ``{}``
    for the form before any answer). The register's values win over the typical answers."""
    typed = definition.typical_answers if answers is None else answers
    data = inject(snapshot, under(seed(snapshot, {}), typed))
    data = prune(definition.schema, data, definition.is_valid)
    shown = list(_leaves(definition, definition.schema, data, ""))
    filled = set(snapshot.values) | set(snapshot.locked)
    return Coverage(definition.id, len(shown), sum(1 for p in shown if p in filled))


def records_of(person: Mapping[str, Any], everyone: Mapping[str, Mapping[str, Any]]) -> Records:
    """A person's Records out of a population held as JSON documents by personal ID."""
    household = person.get("household") or {}
    members = tuple(everyone[m["personal_id"]] for m in household.get("members", ())
                    if m["personal_id"] in everyone)

    def linked(ref: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        return everyone.get(ref["personal_id"]) if ref and ref.get("personal_id") else None

    children = tuple(c for ref in person.get("children") or () if (c := linked(ref)))
    return Records(person, members, linked(person.get("father")), linked(person.get("mother")),
                   linked(person.get("spouse")), children)


def typical(definition: FormDefinition, people: Sequence[Records]) -> Coverage:
    """The median coverage of ``definition`` over ``people``."""
    found = [coverage(definition, take(definition, records, source="synthetic",
                                       fetched_at="")) for records in people]
    if not found:
        return Coverage(definition.id, 0, 0)
    return Coverage(definition.id, round(statistics.median(c.fields for c in found)),
                    round(statistics.median(c.from_data for c in found)))
