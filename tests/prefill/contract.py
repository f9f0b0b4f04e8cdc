"""The contract every population-data adapter must keep (run against each adapter).

Use it by subclassing :class:`AdapterContract` in a ``Test...`` class and providing three
fixtures:

* ``adapter``: the adapter under test, serving the population of ``population``;
* ``population``: that population as generated (``generated(count, seed)``), by personal ID;
* ``unavailable_adapter``: the same kind of adapter whose source cannot answer (missing
  file, stopped service).

The population must be a synthetic one (:mod:`prefill.synthetic`) of a few hundred people,
so it holds households, linked relatives, deceased people and legacy addresses.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

import pytest

from prefill.adapter import Health, Linked, NotFound, PopulationAdapter, PrefillError, Unavailable
from prefill.model import Citizen
from prefill.synthetic import iter_documents

PROCEDURE = "contract-test"

Population = Mapping[str, Citizen]


def generated(count: int, seed: int) -> dict[str, Citizen]:
    """The population ``prefill.synthetic`` generates for ``count`` and ``seed``, by ID."""
    citizens = (Citizen.model_validate(doc) for doc in iter_documents(count, seed))
    return {c.personal_id: c for c in citizens}


def unknown_id(population: Population) -> str:
    """A well-formed personal ID that is not in ``population``."""
    for serial in itertools.count():
        candidate = f"001090{serial:06d}"
        if candidate not in population:
            return candidate
    raise AssertionError("unreachable")


def pick(population: Population, test: str) -> list[Citizen]:
    """Citizens of ``population`` with a property (``test`` names it), sorted by ID."""
    tests: dict[str, Callable[[Citizen], bool]] = {
        "household": lambda c: c.household is not None and len(c.household.members) >= 3,
        "linked": lambda c: any(r is not None and r.personal_id for r in
                                (c.father, c.mother, c.spouse, *c.children)),
        "deceased": lambda c: c.is_deceased,
        "legacy": lambda c: c.permanent_residence is not None
        and c.permanent_residence.legacy is not None,
        "no household": lambda c: c.household is None,
    }
    found = sorted((c for c in population.values() if tests[test](c)),
                   key=lambda c: c.personal_id)
    assert found, f"the test population has nobody with: {test}"
    return found


class AdapterContract:
    """Tests every adapter must pass; see the module docstring for the fixtures."""

    def test_satisfies_the_protocol(self, adapter: PopulationAdapter) -> None:
        assert isinstance(adapter, PopulationAdapter)
        assert isinstance(adapter.source, str) and adapter.source

    def test_known_ids_return_the_generated_record(self, adapter: PopulationAdapter,
                                                   population: Population) -> None:
        sample = [*sorted(population)[:40], pick(population, "deceased")[0].personal_id,
                  pick(population, "legacy")[0].personal_id]
        for personal_id in sample:
            assert adapter.citizen(personal_id, procedure=PROCEDURE) == population[personal_id]

    def test_every_id_resolves(self, adapter: PopulationAdapter,
                               population: Population) -> None:
        for personal_id in population:
            assert adapter.citizen(personal_id, procedure=PROCEDURE).personal_id == personal_id

    @pytest.mark.parametrize("bad", ["", "abc", "00109001234", "0010900123456",
                                     "００１０９００１２３４５", " 001090000001"])
    def test_malformed_ids_are_not_found(self, adapter: PopulationAdapter, bad: str) -> None:
        with pytest.raises(NotFound):
            adapter.citizen(bad, procedure=PROCEDURE)

    def test_unknown_id_raises_not_found_without_personal_data(
            self, adapter: PopulationAdapter, population: Population) -> None:
        missing = unknown_id(population)
        for lookup in (adapter.citizen, adapter.household, adapter.linked):
            with pytest.raises(NotFound) as caught:
                lookup(missing, procedure=PROCEDURE)
            assert isinstance(caught.value, PrefillError)
            assert missing not in str(caught.value)

    def test_household_members_resolve_and_include_the_person(
            self, adapter: PopulationAdapter, population: Population) -> None:
        for person in pick(population, "household")[:15]:
            assert person.household is not None
            members = adapter.household(person.personal_id, procedure=PROCEDURE)
            expected = [m.personal_id for m in person.household.members]
            assert [m.personal_id for m in members] == expected
            assert person.personal_id in expected
            assert members[0].personal_id == person.household.head_id
            assert members == [population[i] for i in expected]
            for member in members:
                assert member.household == person.household

    def test_household_is_empty_without_one(self, adapter: PopulationAdapter,
                                            population: Population) -> None:
        person = pick(population, "no household")[0]
        assert adapter.household(person.personal_id, procedure=PROCEDURE) == []

    def test_linked_persons_resolve_both_ways(self, adapter: PopulationAdapter,
                                              population: Population) -> None:
        for person in pick(population, "linked")[:25]:
            linked = adapter.linked(person.personal_id, procedure=PROCEDURE)
            assert isinstance(linked, Linked)
            for name in ("father", "mother", "spouse"):
                ref = getattr(person, name)
                record = getattr(linked, name)
                if ref is None or ref.personal_id is None:
                    assert record is None
                    continue
                assert record == population[ref.personal_id]
                assert linked.subject(name) == (record,)
                back = adapter.linked(record.personal_id, procedure=PROCEDURE)
                if name == "spouse":
                    assert back.spouse is not None
                    assert back.spouse.personal_id == person.personal_id
                else:
                    assert person.personal_id in [c.personal_id for c in back.children]
            child_ids = [c.personal_id for c in person.children if c.personal_id]
            assert [c.personal_id for c in linked.children] == child_ids
            for child in linked.children:
                parent = child.father if person.sex == "male" else child.mother
                assert parent is not None and parent.personal_id == person.personal_id

    def test_lookups_are_thread_safe(self, adapter: PopulationAdapter,
                                     population: Population) -> None:
        ids = sorted(population)[:200]

        def look(personal_id: str) -> bool:
            return adapter.citizen(personal_id, procedure=PROCEDURE) == population[personal_id]

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert all(pool.map(look, ids * 2))

    def test_health_is_ok(self, adapter: PopulationAdapter) -> None:
        health = adapter.health()
        assert isinstance(health, Health)
        assert health.ok and bool(health)

    def test_unavailable_source(self, unavailable_adapter: PopulationAdapter,
                                population: Population) -> None:
        some_id = sorted(population)[0]
        for lookup in (unavailable_adapter.citizen, unavailable_adapter.household,
                       unavailable_adapter.linked):
            with pytest.raises(Unavailable) as caught:
                lookup(some_id, procedure=PROCEDURE)
            assert some_id not in str(caught.value)
        health = unavailable_adapter.health()
        assert not health.ok and not health
