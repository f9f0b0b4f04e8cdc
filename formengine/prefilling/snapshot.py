"""The prefill snapshot: what the register said for one form, taken when the form opened.

Pure functions over JSON (no IO, no Flask): :func:`take` maps register records onto a
definition's bindings; :func:`inject` puts locked values back into posted answers (locked
values are never read from the request); :func:`provenance` says, per answer, where it came
from. The snapshot travels signed with the form (web/prefill.py), so it cannot be altered.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final, Literal

from formengine.definitions.bindings import ARRAY_SUBJECTS, Binding
from formengine.definitions.model import FormDefinition
from formengine.schema import all_properties, per_node, required_anywhere, split_pointer
from formengine.validation.validator import compile_validator
from prefill import admin_units

JSON = Any
Status = Literal["ok", "anonymous", "unavailable", "not_found"]

#: Longest correction a citizen may report for one answer.
CORRECTION_LIMIT: Final = 1000

__all__ = [
    "CORRECTION_LIMIT",
    "Records",
    "Snapshot",
    "forget",
    "inject",
    "provenance",
    "read_attribute",
    "seed",
    "take",
]


@dataclass(frozen=True)
class Records:
    """The register's answer for one form: the person and the relatives its bindings need.

    Each record is a Citizen as JSON (``Citizen.model_dump(mode="json")``).
    """

    person: Mapping[str, JSON]
    household: Sequence[Mapping[str, JSON]] = ()
    father: Mapping[str, JSON] | None = None
    mother: Mapping[str, JSON] | None = None
    spouse: Mapping[str, JSON] | None = None
    children: Sequence[Mapping[str, JSON]] = ()
    co_applicant: Mapping[str, JSON] | None = None

    def subject(self, name: str) -> list[Mapping[str, JSON]]:
        """The records of one subject; a relative without a record of their own is the
        reference the person's record holds (ID, name, birth date, nationality)."""
        person = self.person
        if name == "self":
            return [person]
        if name == "household_head":
            return [self.household[0]] if self.household else []
        if name == "household_members":
            return [m for m in self.household if m.get("personal_id") != person["personal_id"]]
        if name in ("father", "mother", "spouse"):
            found = getattr(self, name) or person.get(name)
            return [found] if found else []
        if name == "co_applicant":
            return [self.co_applicant] if self.co_applicant else []
        if name == "children":
            full = {c.get("personal_id"): c for c in self.children}
            return [full.get(ref.get("personal_id"), ref) if ref.get("personal_id") else ref
                    for ref in person.get("children") or ()]
        raise KeyError(name)


@dataclass
class Snapshot:
    """What the register gave one form, and what the citizen said about it.

    ``values``: JSON pointer -> value of every bound answer the register holds.
    ``locked``: pointers of locked answers (a locked pointer without a value is a locked
    empty answer). ``rows``: locked repeating groups -> their number of rows.
    ``choices``: answers the citizen must pick among the register's candidates (an old
    ward split between several communes). ``sources``: pointer -> [subject, attribute].
    ``corrections``: top-level pointer -> what the citizen says is right.
    ``co_applicant``: the personal ID of the co-applicant whose record it holds (None: none
    confirmed yet).
    """

    owner: str | None
    status: Status
    source: str = ""
    fetched_at: str = ""
    values: dict[str, JSON] = field(default_factory=dict)
    locked: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    corrections: dict[str, str] = field(default_factory=dict)
    co_applicant: str | None = None

    def to_json(self) -> dict[str, JSON]:
        """A JSON-ready dict (for the signed token)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, JSON]) -> Snapshot:
        """The snapshot :meth:`to_json` gave."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def is_locked(self, pointer: str) -> bool:
        """Whether the answer at ``pointer`` is locked."""
        return pointer in self.locked

    def correctable(self, top: str) -> bool:
        """Whether the top-level answer ``top`` holds register data a citizen can report."""
        prefix = top + "/"
        return any(p == top or p.startswith(prefix) for p in self.locked) or top in self.rows


def _modern_address(address: Mapping[str, JSON]) -> tuple[dict[str, JSON], list[str]]:
    """An address with only pre-July-2025 codes converted: (address, candidate communes).

    A ward that went whole into one commune gives that commune; a split ward gives its
    province (when the candidates share one) and the candidates to choose from.
    """
    out = dict(address)
    legacy = address.get("legacy")
    if address.get("province_code") or not isinstance(legacy, Mapping):
        return out, []
    communes = admin_units.convert_legacy(legacy.get("province_code", ""),
                                          legacy.get("district_code"), legacy.get("ward_code"))
    provinces = {c.province_code for c in communes}
    if len(provinces) == 1:
        out["province_code"] = provinces.pop()
    elif not communes and (province := admin_units.legacy_province(
            str(legacy.get("province_code", "")))) is not None:
        out["province_code"] = province.code
    if len(communes) == 1:
        out["commune_code"] = communes[0].code
        return out, []
    return out, [c.code for c in communes]


def read_attribute(record: Mapping[str, JSON], path: str) -> tuple[JSON, list[str]]:
    """The value at attribute ``path`` (no ``[]``) of a record, and candidate codes when it
    is the commune of an address that must be chosen."""
    value: JSON = record
    candidates: list[str] = []
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None, []
        if "legacy" in value:
            value, candidates = _modern_address(value)
        value = value.get(part)
    if part != "commune_code":
        candidates = []
    if value == "" or value == []:
        value = None
    return value, candidates


def _expand(binding: Binding, records: Records) -> Iterator[tuple[str, JSON, list[str]]]:
    """(pointer, value, candidates) of every answer one binding fills; rows as indices."""
    people = records.subject(binding.subject)
    if binding.subject in ARRAY_SUBJECTS:
        for index, person in enumerate(people):
            yield (binding.pointer.replace("*", str(index), 1),
                   *read_attribute(person, binding.attribute))
        return
    if not people:  # no such relative in the register: nothing to lock, the citizen answers
        return
    record = people[0]
    if "*" not in binding.pointer:
        yield (binding.pointer, *read_attribute(record, binding.attribute))
        return
    head, _, rest = binding.attribute.partition("[]")
    items, _ = read_attribute(record, head)
    for index, item in enumerate(items or ()):
        if isinstance(item, Mapping):
            yield (binding.pointer.replace("*", str(index), 1),
                   *(read_attribute(item, rest.lstrip(".")) if rest else (item, [])))


def _row_counts(binding: Binding, records: Records) -> tuple[str, int] | None:
    group = binding.rows
    if group is None:
        return None
    people = records.subject(binding.subject)
    if binding.subject in ARRAY_SUBJECTS:
        return group, len(people)
    if not people:
        return group, 0
    items, _ = read_attribute(people[0], binding.attribute.partition("[]")[0])
    return group, len(items or ())


def take(definition: FormDefinition, records: Records, *, source: str,
         fetched_at: str) -> Snapshot:
    """Map the register's records onto the definition's bindings.

    A locked answer whose value the field would reject (a year-only birth date where the
    form asks for a full date), or that the register lacks while the form requires it,
    becomes editable: locked data never blocks a valid submission.
    """
    snap = Snapshot(records.person.get("personal_id"), "ok", source, fetched_at)
    if records.co_applicant:
        found = records.co_applicant.get("personal_id")
        snap.co_applicant = found if isinstance(found, str) else None
    for binding in definition.bindings:
        counted = _row_counts(binding, records)
        if counted is not None and binding.mode == "locked":
            snap.rows[counted[0]] = counted[1]
        for pointer, value, candidates in _expand(binding, records):
            snap.sources[pointer] = [binding.subject, binding.attribute]
            if candidates and binding.mode == "locked":
                snap.choices[pointer] = candidates
                continue
            fits = value is not None and _checker(binding.schema)(value)
            if value is not None:
                snap.values[pointer] = value
            if binding.mode == "locked" and (fits or (value is None and not _required(
                    definition, pointer))):
                snap.locked.append(pointer)
    return snap


@per_node
def _checker(node: Mapping[str, JSON]) -> Callable[[JSON], bool]:
    """Whether a value fits a bound field's schema (compiled once per field)."""
    check: Callable[[JSON], bool] = compile_validator(node).is_valid
    return check


def _required(definition: FormDefinition, pointer: str) -> bool:
    """Whether the property at ``pointer`` is listed as required by its parent (any branch)."""
    node: Mapping[str, JSON] = definition.schema
    tokens = split_pointer(pointer)
    for token in tokens[:-1]:
        if token.isdigit() and isinstance(node.get("items"), Mapping):
            node = node["items"]
            continue
        node = all_properties(node).get(token, {})
    return tokens[-1] in required_anywhere(node)


def _set(data: dict[str, JSON], pointer: str, value: JSON) -> None:
    """Set ``pointer`` in ``data``, making the objects and rows on the way."""
    tokens = split_pointer(pointer)
    current: Any = data
    for token, following in itertools.pairwise(tokens):
        if isinstance(current, list):
            index = int(token)
            while len(current) <= index:
                current.append({})
            if not isinstance(current[index], (dict, list)):
                current[index] = {}
            current = current[index]
            continue
        child = current.get(token)
        if not isinstance(child, (dict, list)):
            child = [] if following.isdigit() else {}
            current[token] = child
        current = child
    last = tokens[-1]
    if isinstance(current, list):
        index = int(last)
        while len(current) <= index:
            current.append({})
        current[index] = value
    else:
        current[last] = value


def _get(data: JSON, pointer: str) -> tuple[bool, JSON]:
    current = data
    for token in split_pointer(pointer):
        if isinstance(current, Mapping) and token in current:
            current = current[token]
        elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            return False, None
    return True, current


def _delete(data: JSON, pointer: str) -> None:
    tokens = split_pointer(pointer)
    found, parent = _get(data, "/" + "/".join(tokens[:-1])) if len(tokens) > 1 else (True, data)
    if found and isinstance(parent, dict):
        parent.pop(tokens[-1], None)


def seed(snapshot: Snapshot, data: Mapping[str, JSON]) -> dict[str, JSON]:
    """``data`` with every value of the register filled in where nothing is answered yet
    (editable ones too); locked values are then forced by :func:`inject`."""
    out = _copy(data)
    for pointer, value in snapshot.values.items():
        if not _get(out, pointer)[0]:
            _set(out, pointer, _copy(value))
    return inject(snapshot, out)


def forget(snapshot: Snapshot, subject: str, data: Mapping[str, JSON]) -> dict[str, JSON]:
    """``data`` without the answers ``snapshot`` filled from ``subject``'s record (a
    co-applicant who withdrew their consent)."""
    out: dict[str, JSON] = _copy(data)
    for pointer, (whose, _attribute) in snapshot.sources.items():
        if whose == subject:
            _delete(out, pointer)
    return out


def inject(snapshot: Snapshot, data: Mapping[str, JSON]) -> dict[str, JSON]:
    """``data`` with every locked answer set from the snapshot (removed when the register
    holds none), locked groups cut to the register's rows, and picks outside the
    candidates dropped. Whatever the request said at those places is ignored."""
    out: dict[str, JSON] = _copy(data)
    for group, count in snapshot.rows.items():
        found, rows = _get(out, group)
        rows = list(rows) if found and isinstance(rows, list) else []
        rows = rows[:count] + [{} for _ in range(count - len(rows))]
        if count:
            _set(out, group, rows)
        else:
            _delete(out, group)
    for pointer in snapshot.locked:
        if pointer in snapshot.values:
            _set(out, pointer, _copy(snapshot.values[pointer]))
        else:
            _delete(out, pointer)
    for pointer, allowed in snapshot.choices.items():
        found, value = _get(out, pointer)
        if found and value not in allowed:
            _delete(out, pointer)
    return out


def _copy(value: JSON) -> JSON:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _leaves(value: JSON, pointer: str = "") -> Iterator[tuple[str, JSON]]:
    if isinstance(value, Mapping):
        for key, sub in value.items():
            yield from _leaves(sub, f"{pointer}/{key}")
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for index, sub in enumerate(value):
            yield from _leaves(sub, f"{pointer}/{index}")
    else:
        yield pointer, value


def provenance(snapshot: Snapshot, data: Mapping[str, JSON]) -> dict[str, dict[str, JSON]]:
    """Per answered JSON pointer: where the answer came from.

    ``{"source": "sqlite", "subject": "self", "attribute": "full_name.given",
    "fetched_at": "...", "mode": "locked"}`` for a value of the register (locked, or
    editable and left as the register gave it); ``{"source": "declared"}`` for what the
    citizen typed or changed; ``"candidate": true`` for a commune picked among the
    register's candidates. A reported correction is added to the answers it concerns.
    """
    out: dict[str, dict[str, JSON]] = {}
    for pointer, value in _leaves(data):
        origin = snapshot.sources.get(pointer)
        from_register = origin is not None and (
            snapshot.is_locked(pointer)
            or (pointer in snapshot.values and snapshot.values[pointer] == value))
        if origin is not None and pointer in snapshot.choices:
            out[pointer] = {"source": snapshot.source, "subject": origin[0],
                            "attribute": origin[1], "fetched_at": snapshot.fetched_at,
                            "mode": "chosen", "candidates": snapshot.choices[pointer]}
        elif from_register:
            assert origin is not None
            out[pointer] = {"source": snapshot.source, "subject": origin[0],
                            "attribute": origin[1], "fetched_at": snapshot.fetched_at,
                            "mode": "locked" if snapshot.is_locked(pointer) else "editable"}
        else:
            out[pointer] = {"source": "declared"}
    for top, text in snapshot.corrections.items():
        for pointer, record in out.items():
            if (pointer == top or pointer.startswith(top + "/")) and record["source"] != (
                    "declared"):
                record["correction_reported"] = text
    return out
