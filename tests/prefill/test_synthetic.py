"""Tests for prefill.synthetic: determinism, and a population that looks like the register."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from formengine.validation.formats import (
    is_email,
    is_vn_phone,
    personal_id_mismatch,
    personal_id_problem,
)
from prefill import admin_units
from prefill.codes import ETHNICITIES
from prefill.model import Citizen
from prefill.sqlite import read_documents, read_meta
from prefill.synthetic import REFERENCE_DATE, generate, iter_documents, sample_ids

COUNT, SEED = 2_000, 5


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    return list(iter_documents(COUNT, SEED))


@pytest.fixture(scope="module")
def people(documents: list[dict[str, Any]]) -> dict[str, Citizen]:
    citizens = [Citizen.model_validate(doc) for doc in documents]
    return {c.personal_id: c for c in citizens}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the file ----------------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3", tmp_path / "c.sqlite3"
    summary = generate(first, 400, 3)
    generate(second, 400, 3)
    generate(other, 400, 4)
    assert digest(first) == digest(second)
    assert digest(first) != digest(other)
    assert summary.count == 400 and summary.seed == 3 and 50 < summary.households < 400


def test_bytes_do_not_depend_on_hash_randomization(tmp_path: Path) -> None:
    here = tmp_path / "here.sqlite3"
    generate(here, 300, 9)
    there = tmp_path / "there.sqlite3"
    code = f"from prefill.synthetic import generate; generate({str(there)!r}, 300, 9)"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)
    assert digest(here) == digest(there)


def test_the_file_holds_exactly_the_generated_documents(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    generate(path, 250, 8)
    stored = sorted(read_documents(path), key=lambda d: d["personal_id"])
    assert stored == sorted(iter_documents(250, 8), key=lambda d: d["personal_id"])
    meta = read_meta(path)
    assert meta["seed"] == "8" and meta["count"] == "250"
    assert meta["reference_date"] == REFERENCE_DATE.isoformat()


@pytest.mark.parametrize("count", [0, 1, 2, 7, 9, 301])
def test_exact_counts_and_unique_ids(count: int) -> None:
    ids = [doc["personal_id"] for doc in iter_documents(count, 1)]
    assert len(ids) == len(set(ids)) == count


def test_negative_count_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path / "x.sqlite3", -1, 1)


def test_every_document_is_a_valid_citizen(documents: list[dict[str, Any]],
                                           people: dict[str, Citizen]) -> None:
    assert len(people) == len(documents) == COUNT
    for doc in documents[:200]:
        citizen = people[doc["personal_id"]]
        assert Citizen.model_validate_json(citizen.model_dump_json()) == citizen
        assert citizen.model_dump(mode="json", include=set(doc)) == {
            key: citizen.model_dump(mode="json")[key] for key in doc}
        assert None not in doc.values()


# --- identity ----------------------------------------------------------------------------


def test_personal_ids_agree_with_the_person(people: dict[str, Citizen]) -> None:
    for person in people.values():
        assert personal_id_problem(person.personal_id) is None, person.personal_id
        dob = person.date_of_birth.iso if person.date_of_birth else None
        assert personal_id_mismatch(person.personal_id, dob, person.sex) is None
        assert person.sex is not None and person.date_of_birth is not None


def test_id_prefix_is_the_birth_registration_province(people: dict[str, Citizen]) -> None:
    checked = 0
    for person in people.values():
        if person.place_of_birth is None:
            continue
        province = admin_units.legacy_province(person.personal_id[1:3])
        assert province is not None
        assert province.code == person.place_of_birth.province_code
        checked += 1
    assert checked > COUNT * 0.9


def test_names_look_vietnamese(people: dict[str, Citizen]) -> None:
    families = Counter(p.full_name.family for p in people.values())
    assert families.most_common(1)[0][0] == "Nguyễn"
    for person in people.values():
        name = person.full_name
        assert name.family and name.given
        assert unicodedata.is_normalized("NFC", name.text)
    with_middle = sum(1 for p in people.values() if p.full_name.middle)
    assert with_middle > COUNT * 0.9
    women = [p for p in people.values() if p.sex == "female"]
    assert sum(p.full_name.middle.startswith("Thị") for p in women) > len(women) * 0.2


def test_codes_are_from_the_lists(people: dict[str, Citizen]) -> None:
    ethnicities = Counter(p.ethnicity for p in people.values() if p.ethnicity)
    assert set(ethnicities) <= set(ETHNICITIES)
    assert ethnicities["01"] > COUNT * 0.7 and len(ethnicities) > 5
    assert {p.nationality for p in people.values()} == {"VN"}


# --- households and relatives ------------------------------------------------------------


def test_households_of_one_to_eight_with_exactly_one_head(people: dict[str, Citizen]) -> None:
    households = {p.household.id: p.household for p in people.values() if p.household}
    sizes = Counter(len(h.members) for h in households.values())
    assert set(sizes) <= set(range(1, 9)) and len(sizes) >= 7, sizes
    for household in households.values():
        heads = [m for m in household.members if m.relationship == "head"]
        assert len(heads) == 1 and heads[0].personal_id == household.head_id
        assert household.members[0].relationship == "head"
        for member in household.members:
            person = people[member.personal_id]
            assert person.household == household
            assert person.relationship_to_head == member.relationship
            assert not person.is_deceased
    relationships = Counter(m.relationship for h in households.values() for m in h.members)
    for code in ("spouse", "child", "parent", "grandchild", "child_in_law"):
        assert relationships[code] > 0, code


def test_household_members_share_a_permanent_residence(people: dict[str, Citizen]) -> None:
    for person in people.values():
        if person.household is not None:
            head = people[person.household.head_id]
            assert person.permanent_residence == head.permanent_residence


def test_parents_and_children_are_linked_both_ways_with_plausible_ages(
        people: dict[str, Citizen]) -> None:
    links = 0
    for person in people.values():
        assert person.date_of_birth is not None
        for name, sex in (("father", "male"), ("mother", "female")):
            ref = getattr(person, name)
            if ref is None or ref.personal_id is None:
                continue
            parent = people[ref.personal_id]
            assert parent.sex == sex
            assert parent.date_of_birth is not None
            gap = person.date_of_birth.year - parent.date_of_birth.year
            assert 16 <= gap <= 50, (name, gap)
            assert person.personal_id in [c.personal_id for c in parent.children]
            assert ref.full_name == parent.full_name
            links += 1
        for child in person.children:
            assert child.personal_id is not None
            linked = people[child.personal_id]
            back = linked.father if person.sex == "male" else linked.mother
            assert back is not None and back.personal_id == person.personal_id
    assert links > COUNT * 0.3


def test_spouses_are_linked_both_ways(people: dict[str, Citizen]) -> None:
    couples = 0
    for person in people.values():
        spouse = person.spouse
        if spouse is None:
            continue
        if spouse.personal_id is None:  # abroad or not a citizen: only a name
            assert person.marital_status in ("married", None)  # None: a gap in the record
            continue
        other = people[spouse.personal_id]
        assert other.spouse is not None and other.spouse.personal_id == person.personal_id
        assert {person.sex, other.sex} == {"male", "female"}
        assert {person.marital_status, other.marital_status} <= {"married", None}
        couples += 1
    assert couples > COUNT * 0.2
    assert any(p.spouse and p.spouse.personal_id is None for p in people.values())


# --- places ------------------------------------------------------------------------------


def addresses(person: Citizen) -> list[Any]:
    return [a for a in (person.permanent_residence, person.temporary_residence,
                        person.current_residence, person.place_of_birth, person.hometown)
            if a is not None]


def test_residences_are_in_real_communes(people: dict[str, Citizen]) -> None:
    for person in people.values():
        for address in addresses(person):
            if address.commune_code is not None:
                commune = admin_units.commune(address.commune_code)
                assert commune is not None
                assert commune.province_code == address.province_code
            else:
                legacy = address.legacy
                assert legacy is not None
                assert admin_units.convert_legacy(legacy.province_code, legacy.district_code,
                                                  legacy.ward_code)


def test_about_a_tenth_keep_legacy_addresses_only(people: dict[str, Citizen]) -> None:
    legacy = [p for p in people.values() if p.permanent_residence
              and p.permanent_residence.legacy is not None]
    assert 0.05 < len(legacy) / COUNT < 0.15
    for person in legacy:
        assert person.permanent_residence is not None
        assert person.permanent_residence.commune_code is None
        assert person.permanent_residence.detail


def test_some_have_a_temporary_residence_where_they_live(people: dict[str, Citizen]) -> None:
    movers = [p for p in people.values() if p.temporary_residence is not None]
    assert movers
    for person in movers:
        assert person.current_residence in (person.temporary_residence, None)


# --- gaps, deaths, contacts --------------------------------------------------------------


def test_some_records_have_gaps(people: dict[str, Citizen]) -> None:
    fields = ("place_of_birth", "hometown", "religion", "ethnicity", "current_residence",
              "marital_status")
    gaps = Counter(f for p in people.values() for f in fields if getattr(p, f) is None)
    assert sum(gaps.values()) > COUNT * 0.01 and len(gaps) >= 4, gaps
    year_only = [p for p in people.values()
                 if p.date_of_birth is not None and p.date_of_birth.month is None]
    assert len(year_only) > COUNT * 0.01


def test_some_are_deceased_and_left_their_household(people: dict[str, Citizen]) -> None:
    dead = [p for p in people.values() if p.is_deceased]
    assert 0.003 < len(dead) / COUNT < 0.05
    for person in dead:
        assert person.household is None and person.relationship_to_head is None
        assert person.date_of_death is not None and person.date_of_birth is not None
        assert person.date_of_birth.iso < person.date_of_death.iso <= REFERENCE_DATE.isoformat()
        assert person.phone is None
    def is_dead(ref: Any) -> bool:
        return bool(ref and ref.personal_id and people[ref.personal_id].is_deceased)

    assert any(is_dead(p.father) or is_dead(p.mother) for p in people.values())


def test_phones_are_vietnamese_mobiles_in_e164(people: dict[str, Citizen]) -> None:
    phones = [p.phone for p in people.values() if p.phone]
    assert COUNT * 0.4 < len(phones) < COUNT * 0.8
    for phone in phones:
        assert phone.startswith("+84") and len(phone) == 12
        assert is_vn_phone(phone)
        number = phonenumbers.parse(phone)
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    emails = [p.email for p in people.values() if p.email]
    assert emails and all(is_email(e) and e.isascii() for e in emails)


def test_age_structure_is_plausible(people: dict[str, Citizen]) -> None:
    ages = [p.age(REFERENCE_DATE) for p in people.values() if not p.is_deceased]
    assert all(a is not None and 0 <= a <= 100 for a in ages)
    children = sum(1 for a in ages if a is not None and a < 15)
    elderly = sum(1 for a in ages if a is not None and a >= 65)
    assert 0.12 < children / len(ages) < 0.35
    assert 0.04 < elderly / len(ages) < 0.2


# --- demo citizens -----------------------------------------------------------------------


def test_sample_ids_are_varied_demo_citizens(tmp_path: Path, people: dict[str, Citizen]) -> None:
    path = tmp_path / "p.sqlite3"
    generate(path, COUNT, SEED)
    ids = sample_ids(path, 10)
    assert len(ids) == len(set(ids)) == 10
    chosen = [people[i] for i in ids]
    assert chosen[0].relationship_to_head == "head" and chosen[0].children
    assert any(c.is_deceased for c in chosen)
    assert any(c.permanent_residence and c.permanent_residence.legacy for c in chosen)
    assert any(c.temporary_residence for c in chosen)
    assert sum(1 for c in chosen if c.household is not None) >= 8
    assert sample_ids(path, 3) == ids[:3]
