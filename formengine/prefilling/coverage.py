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
from dataclasses import dataclass, field
from typing import Any

from formengine.definitions.model import FormDefinition
from formengine.prefilling.snapshot import Records, Snapshot, inject, seed, take
from formengine.schema import effective, items_of, prune, schema_type
from formengine.validation.coerce import widget_of

__all__ = ["Coverage", "coverage", "records_of", "synthetic_adults", "typical", "under"]


@dataclass(frozen=True)
class Coverage:
    """The fields of one procedure for one citizen (or the median of several)."""

    procedure: str
    fields: int
    from_data: int
    #: How many citizens a median was taken over (0: one citizen's figures).
    sample: int = field(default=0, compare=False)

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
                "share": round(self.share, 3), "sample": self.sample}


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


def records_of(person: Mapping[str, Any], everyone: Mapping[str, Mapping[str, Any]],
               co_applicant: Mapping[str, Any] | None = None) -> Records:
    """A person's Records out of a population held as JSON documents by personal ID
    (with ``co_applicant``: someone who agreed that the person's forms use their record)."""
    household = person.get("household") or {}
    members = tuple(everyone[m["personal_id"]] for m in household.get("members", ())
                    if m["personal_id"] in everyone)

    def linked(ref: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        return everyone.get(ref["personal_id"]) if ref and ref.get("personal_id") else None

    children = tuple(c for ref in person.get("children") or () if (c := linked(ref)))
    return Records(person, members, linked(person.get("father")), linked(person.get("mother")),
                   linked(person.get("spouse")), children, co_applicant)


def typical(definition: FormDefinition, people: Sequence[Records]) -> Coverage:
    """The median coverage of ``definition`` over ``people``: those of them who have a
    record of each of the definition's ``typical_relatives``."""
    wanted = definition.typical_relatives
    applicants = [r for r in people if all(getattr(r, name) for name in wanted)]
    found = [coverage(definition, take(definition, records, source="synthetic",
                                       fetched_at="")) for records in applicants]
    if not found:
        return Coverage(definition.id, 0, 0)
    return Coverage(definition.id, round(statistics.median(c.fields for c in found)),
                    round(statistics.median(c.from_data for c in found)), len(found))


def synthetic_adults(sample: int, seed: int) -> list[Records]:
    """The Records of ``sample`` living adults (born 2007 or before, in a household) of the
    synthetic population of ``seed``, the sample ``formengine coverage`` takes the median
    over. Each has the next adult of the sample as a co-applicant who agreed (the typical
    case where a form reads a co-applicant; other forms ignore it)."""
    from prefill.model import Citizen
    from prefill.synthetic import iter_documents

    everyone = {doc["personal_id"]: Citizen.model_validate(doc).model_dump(mode="json")
                for doc in iter_documents(max(600, sample * 4), seed)}
    adults = [p for p in everyone.values() if p.get("household") and not p.get(
        "date_of_death") and p.get("date_of_birth") and int(p["date_of_birth"][:4]) <= 2007]
    return [records_of(person, everyone, adults[(i + 1) % len(adults)])
            for i, person in enumerate(adults[:sample])]
