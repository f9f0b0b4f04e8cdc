"""Tests for formengine.prefilling.service: lookups a form needs, budget, audit, access."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from formengine.definitions.loader import load_definition
from formengine.definitions.model import FormDefinition
from formengine.prefilling.service import Forbidden, PrefillService
from formengine.storage import SqlAuditLog, make_engine, upgrade
from prefill.adapter import Linked, Unavailable
from prefill.model import Citizen
from prefill.sqlite import SqliteAdapter, read_documents

DEFINITION: dict[str, Any] = {
    "x-procedure": {"id": "svc", "version": "1", "title": "Thử"},
    "type": "object",
    "properties": {
        "id": {"type": "string", "x-prefill": {"attribute": "personal_id"}},
        "head": {"type": "object", "x-prefill": {"subject": "household_head",
                                                 "attribute": "full_name"},
                 "properties": {"given": {"type": "string"}}},
        "mother": {"type": "string", "x-prefill": {"subject": "mother",
                                                   "attribute": "full_name.given"}},
        "kids": {"type": "array", "x-prefill": {"subject": "children"},
                 "items": {"type": "object", "properties": {"personal_id": {"type": "string"}}}},
    },
}


class SlowAdapter(SqliteAdapter):
    """The embedded adapter answering late (a register under load)."""

    delay = 3.0

    def citizen(self, personal_id: str, *, procedure: str) -> Citizen:
        time.sleep(self.delay)
        return super().citizen(personal_id, procedure=procedure)


@pytest.fixture
def definition(tmp_path: Path) -> FormDefinition:
    path = tmp_path / "svc.json"
    path.write_text(json.dumps(DEFINITION))
    return load_definition(path)


@pytest.fixture
def audit(tmp_path: Path) -> Iterator[SqlAuditLog]:
    engine = make_engine(f"sqlite:///{tmp_path / 'engine.sqlite3'}")
    upgrade(engine)
    yield SqlAuditLog(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def people(population_file: Path) -> dict[str, Citizen]:
    return {d["personal_id"]: Citizen.model_validate(d) for d in read_documents(population_file)}


@pytest.fixture(scope="module")
def parent(people: dict[str, Citizen]) -> Citizen:
    """Someone whose household has another head, whose mother and children are recorded."""
    return next(c for c in people.values() if c.children and c.mother is not None
                and c.mother.personal_id and any(k.personal_id for k in c.children))


def test_only_the_lookups_the_bindings_need(definition: FormDefinition, audit: SqlAuditLog,
                                            population_file: Path, parent: Citizen) -> None:
    service = PrefillService(SqliteAdapter(population_file), audit)
    snap = service.snapshot(definition, parent.personal_id, "req-1")
    assert snap.status == "ok" and snap.values["/id"] == parent.personal_id
    entries = audit.entries(requester=parent.personal_id)
    assert {e.request_id for e in entries} == {"req-1"}
    by_subject = {e.subject: e for e in entries}
    assert len(by_subject) == len(entries)  # one entry per person read
    assert "personal_id" in by_subject[parent.personal_id].attributes
    mother = parent.mother.personal_id  # type: ignore[union-attr]
    assert "full_name.given" in by_subject[mother].attributes
    for kid in parent.children:
        if kid.personal_id:
            assert "personal_id" in by_subject[kid.personal_id].attributes
    head = parent.household.head_id  # type: ignore[union-attr]
    assert "full_name.given" in by_subject[head].attributes
    others = set(by_subject) - {parent.personal_id, mother, head,
                                *(k.personal_id for k in parent.children)}
    assert others == set()  # household members who are not read are not audited
    assert all(e.result == "ok" and e.procedure == "svc" for e in entries)


def test_no_household_or_relatives_lookup_for_self_only(tmp_path: Path, audit: SqlAuditLog,
                                                        population_file: Path,
                                                        parent: Citizen) -> None:
    path = tmp_path / "self.json"
    path.write_text(json.dumps({**DEFINITION, "properties": {
        "id": DEFINITION["properties"]["id"]}}))
    calls: list[str] = []

    class Counting(SqliteAdapter):
        def household(self, personal_id: str, *, procedure: str) -> list[Citizen]:
            calls.append("household")
            return super().household(personal_id, procedure=procedure)

        def linked(self, personal_id: str, *, procedure: str) -> Linked:
            calls.append("linked")
            return super().linked(personal_id, procedure=procedure)

    PrefillService(Counting(population_file), audit).snapshot(load_definition(path),
                                                              parent.personal_id)
    assert calls == []
    assert [e.subject for e in audit.entries()] == [parent.personal_id]


def test_slow_register_gives_unavailable_within_the_budget(
        definition: FormDefinition, audit: SqlAuditLog, population_file: Path,
        parent: Citizen) -> None:
    service = PrefillService(SlowAdapter(population_file), audit, budget=0.2)
    started = time.perf_counter()
    snap = service.snapshot(definition, parent.personal_id)
    assert time.perf_counter() - started < SlowAdapter.delay  # did not wait for the register
    assert snap.status == "unavailable" and snap.values == {} and snap.locked == []
    assert audit.entries()[0].result == "timeout"


def test_missing_file_is_unavailable_and_audited(definition: FormDefinition,
                                                 audit: SqlAuditLog, tmp_path: Path) -> None:
    service = PrefillService(SqliteAdapter(tmp_path / "none.sqlite3"), audit)
    snap = service.snapshot(definition, "001090000001")
    assert snap.status == "unavailable"
    [entry] = audit.entries()
    assert entry.result == "unavailable" and entry.attributes == ()


def test_unknown_person_is_not_found(definition: FormDefinition, audit: SqlAuditLog,
                                     population_file: Path) -> None:
    snap = PrefillService(SqliteAdapter(population_file), audit).snapshot(
        definition, "001099999999")
    assert snap.status == "not_found"
    assert audit.entries()[0].result == "not_found"


def test_no_data_without_audit(definition: FormDefinition, tmp_path: Path,
                               population_file: Path, parent: Citizen) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'not-migrated.sqlite3'}")  # no audit table
    snap = PrefillService(SqliteAdapter(population_file), SqlAuditLog(engine)).snapshot(
        definition, parent.personal_id)
    assert snap.status == "unavailable" and snap.values == {}


def test_person_is_given_only_when_linked(definition: FormDefinition, audit: SqlAuditLog,
                                         population_file: Path, parent: Citizen,
                                         people: dict[str, Citizen]) -> None:
    service = PrefillService(SqliteAdapter(population_file), audit)
    mother = parent.mother.personal_id  # type: ignore[union-attr]
    assert mother is not None
    found = service.person(definition, parent.personal_id, mother)
    assert found["full_name.given"] == people[mother].full_name.given
    assert set(found) == {"personal_id", "full_name.given"}
    linked = {parent.personal_id, mother, *(k.personal_id for k in parent.children)}
    if parent.household:
        linked |= {m.personal_id for m in parent.household.members}
    for ref in (parent.father, parent.spouse):
        if ref is not None and ref.personal_id:
            linked.add(ref.personal_id)
    stranger = next(pid for pid in people if pid not in linked)
    with pytest.raises(Forbidden):
        service.person(definition, parent.personal_id, stranger)
    assert audit.entries(subject=stranger)[0].result == "forbidden"


def test_person_when_register_is_down(definition: FormDefinition, audit: SqlAuditLog,
                                      tmp_path: Path) -> None:
    service = PrefillService(SqliteAdapter(tmp_path / "none.sqlite3"), audit)
    with pytest.raises(Unavailable):
        service.person(definition, "001090000001", "001090000001")
