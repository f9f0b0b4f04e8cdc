"""A deterministic synthetic population: households of Vietnamese citizens in a SQLite file.

``generate(path, count, seed)`` writes ``count`` Citizen records; the same count and seed
give the same file, byte for byte. People live in households of 1 to 8 (a head, a spouse,
children, the head's parents, a married son's family...), parents and children are linked
both ways with plausible ages, residences are in real communes (:mod:`prefill.admin_units`),
about 10 % of households still carry pre-July-2025 three-level codes only, some records
have gaps, some people have died. Personal IDs follow the rule of Circular 07/2016: the
birth-registration province, the century-and-sex digit and the year agree with the person.
The population is as of :data:`REFERENCE_DATE`.
"""

from __future__ import annotations

import datetime
import functools
import json
import random
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any, Generic, TypeVar

from prefill import admin_units
from prefill import synthetic_data as data
from prefill.sqlite import read_documents, write_database

__all__ = ["REFERENCE_DATE", "Summary", "generate", "iter_documents", "sample_ids",
           "sample_personas"]

REFERENCE_DATE = datetime.date(2026, 7, 1)
"""The day the synthetic population describes (ages and deaths are as of this day)."""

GENERATOR_VERSION = "1"
"""Changes when the same seed would give other people (kept in the file's metadata)."""

_T = TypeVar("_T")
_Doc = dict[str, Any]
_YEAR = REFERENCE_DATE.year
_NEW_UNITS_FROM = (2025, 7)  # births from July 2025 are registered in the new provinces
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ID_STEP = 389_237  # coprime with 10**6: the last six digits never repeat within a prefix
_NORTHWEST = frozenset({"02", "04", "10", "11", "12", "14", "15", "62", "64", "66", "67"})


@dataclass(frozen=True)
class Summary:
    """What :func:`generate` wrote."""

    path: Path
    count: int
    households: int
    seed: int


class _Pick(Generic[_T]):
    """A weighted random choice over fixed items (one ``random()`` call per draw)."""

    __slots__ = ("cumulative", "items", "rand", "total")

    def __init__(self, rand: Callable[[], float], weighted: Sequence[tuple[_T, float]]) -> None:
        self.rand = rand
        self.items = [item for item, _ in weighted]
        self.cumulative = list(accumulate(weight for _, weight in weighted))
        self.total = self.cumulative[-1]

    def __call__(self) -> _T:
        return self.items[bisect_right(self.cumulative, self.rand() * self.total)]


@dataclass(slots=True)
class _Ward:
    """A pre-2025 ward with the commune(s) it became."""

    legacy: dict[str, str]
    province: str
    communes: tuple[str, ...]
    urban: bool
    region: str


class _Person:
    """A person while their household is built (turned into a Citizen document at the end)."""

    __slots__ = ("born", "children", "death", "dob", "email", "father", "hometown", "id",
                 "marital", "mother", "name", "other", "phone", "relationship", "sex",
                 "spouse", "temporary", "year")

    def __init__(self, pid: str, name: _Doc, sex: str, year: int, dob: str, born: _Doc,
                 hometown: _Doc) -> None:
        self.id, self.name, self.sex, self.year, self.dob = pid, name, sex, year, dob
        self.born, self.hometown = born, hometown
        self.children: list[_Doc] = []
        self.father: _Doc | None = None
        self.mother: _Doc | None = None
        self.spouse: _Doc | None = None
        self.marital = "single"
        self.relationship: str | None = None
        self.phone: str | None = None
        self.email: str | None = None
        self.death: str | None = None
        self.other: list[str] | None = None
        self.temporary: _Doc | None = None

    def ref(self) -> _Doc:
        """This person as a PersonRef document."""
        return {"personal_id": self.id, "full_name": self.name, "date_of_birth": self.dob,
                "nationality": "VN"}


class _Generator:
    """Builds households one after another from one seeded random stream."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        r = self.r = rng.random
        self.ids: dict[str, list[int]] = {}
        self.family = _Pick(r, data.FAMILY_NAMES)
        self.middle = {key: _Pick(r, names) for key, names in data.MIDDLE_NAMES.items()}
        self.ethnicity = _Pick(r, data.ETHNICITY_SHARES)
        self.religion = _Pick(r, data.RELIGION_SHARES)
        self.mobile = _Pick(r, data.MOBILE_BLOCKS)
        self.domain = _Pick(r, data.EMAIL_DOMAINS)
        self.migration = _Pick(r, data.MIGRATION_TARGETS)
        self.kind = _Pick(r, (("single", 14), ("couple", 12), ("nuclear", 44),
                              ("single_parent", 7), ("three_generations", 15),
                              ("extended", 8)))
        self.wards = _wards()
        population = data.LEGACY_PROVINCE_POPULATION
        self.province = _Pick(r, [(code, float(population[code])) for code in self.wards])
        self.ascii: dict[str, str] = {}
        self.households = 0

    # --- small draws -------------------------------------------------------------------

    def one(self, items: Sequence[_T]) -> _T:
        return items[int(self.r() * len(items))]

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + int(self.r() * (high - low + 1))

    def chance(self, p: float) -> bool:
        return self.r() < p

    def date_in(self, year: int) -> str:
        """A "YYYY-MM-DD" in ``year``, before the reference date."""
        month = self.between(1, REFERENCE_DATE.month - 1 if year == _YEAR else 12)
        return f"{year:04d}-{month:02d}-{self.between(1, _DAYS[month - 1]):02d}"

    def personal_id(self, prefix: str, sex: str, year: int) -> str:
        head = f"0{prefix}{(year // 100 - 19) * 2 + (sex == 'female')}{year % 100:02d}"
        state = self.ids.get(head)
        if state is None:
            state = self.ids[head] = [0, int(self.r() * 1_000_000)]
        serial, offset = state
        if serial >= 1_000_000:
            raise ValueError("too many people born in one province and year")
        state[0] = serial + 1
        return f"{head}{(serial * _ID_STEP + offset) % 1_000_000:06d}"

    def name(self, sex: str, year: int, family: str | None = None) -> _Doc:
        middle = self.middle[sex, year < 1980]() if not self.chance(0.02) else ""
        return {"family": family or self.family(), "middle": middle,
                "given": self.one(data.GIVEN_NAMES[sex])}

    # --- places ------------------------------------------------------------------------

    def ward(self, province: str | None = None) -> _Ward:
        return self.one(self.wards[province or self.province()])

    def address(self, ward: _Ward, *, legacy_only: bool = False) -> _Doc:
        detail = self.detail(ward)
        if legacy_only:
            return {"detail": detail, "legacy": ward.legacy}
        return {"province_code": ward.province, "commune_code": self.one(ward.communes),
                "detail": detail}

    def detail(self, ward: _Ward) -> str:
        if ward.urban:
            street = self.one(data.STREETS)
            if ward.region == "south":
                return f"Số {self.between(1, 420)}, đường {street}, khu phố {self.between(1, 12)}"
            if self.chance(0.5):
                return f"Số {self.between(1, 90)}, ngõ {self.between(2, 300)}, phố {street}"
            return f"Số {self.between(1, 420)}, đường {street}, tổ dân phố {self.between(1, 30)}"
        if ward.region == "northwest" and self.chance(0.6):
            return f"Bản {self.one(data.HIGHLAND_VILLAGES)}"
        if ward.region == "south":
            return f"Ấp {self.one(data.VILLAGES)}"
        if self.chance(0.4):
            return f"Xóm {self.between(1, 15)}"
        return f"Thôn {self.one(data.VILLAGES)}"

    def place(self, ward: _Ward) -> _Doc:
        return {"province_code": ward.province, "commune_code": self.one(ward.communes)}

    # --- people ------------------------------------------------------------------------

    def person(self, sex: str, year: int, home: _Ward, *, family: str | None = None,
               hometown: _Doc | None = None, migrant: float = 0.0) -> _Person:
        """A person born in ``year``, in ``home``'s province unless they migrated.

        The ID's prefix is the province where the birth was registered: the old province
        before July 2025, the new one (whose code is one of the old codes) since.
        """
        dob = self.date_in(year)
        birth = self.ward() if self.chance(migrant) else home
        old_province = birth.legacy["province_code"]
        new_units = (year, int(dob[5:7])) >= _NEW_UNITS_FROM
        born = self.place(birth if self.chance(0.7) else self.ward(old_province))
        if hometown is None:
            hometown = self.place(self.ward(old_province))
        return _Person(self.personal_id(birth.province if new_units else old_province, sex,
                                        year),
                       self.name(sex, year, family), sex, year, dob, born, hometown)

    def death_date(self, earliest: int) -> str:
        """A date of death in a year from ``earliest`` (not before 1990) to the reference
        date; callers pass a year well after the person's and their children's births."""
        return self.date_in(self.between(min(max(earliest, 1990), _YEAR), _YEAR))

    def adult_year(self, low_age: int, high_age: int) -> int:
        return _YEAR - self.between(low_age, high_age)

    def children_of(self, mother_year: int, count: int) -> list[int]:
        """Birth years of up to ``count`` children of a mother born in ``mother_year``."""
        years = []
        for _ in range(count):
            year = mother_year + self.between(20, 40)
            if year <= _YEAR:
                years.append(year)
        return sorted(years)

    def outside_parent(self, sex: str, child_year: int) -> _Doc | None:
        """A parent the register names without an ID (about half the time), or None."""
        if not self.chance(0.5):
            return None
        year = child_year - self.between(20, 38)
        name = self.name(sex, year)
        return {"full_name": name, "date_of_birth": str(year), "nationality": "VN"}

    # --- households --------------------------------------------------------------------

    def household(self, home: _Ward) -> tuple[list[_Person], list[_Person]]:
        """(members, head first; deceased relatives who are no longer members)."""
        kind = self.kind()
        if kind == "single":
            return self.single(home)
        if kind == "couple":
            return self.couple(home, self.adult_year(22, 35) if self.chance(0.45)
                               else self.adult_year(50, 85))
        if kind == "nuclear":
            return self.nuclear(home)
        if kind == "single_parent":
            return self.single_parent(home)
        if kind == "three_generations":
            return self.three_generations(home)
        return self.extended(home)

    def single(self, home: _Ward) -> tuple[list[_Person], list[_Person]]:
        young = self.chance(0.6)
        year = self.adult_year(19, 40) if young else self.adult_year(55, 92)
        sex = "male" if self.chance(0.5) else "female"
        person = self.person(sex, year, home, migrant=0.3)
        self.parents_outside(person)
        roll = self.r()
        if young:
            person.marital = "single" if roll < 0.9 else "married" if roll < 0.95 else "divorced"
        else:
            person.marital = ("widowed" if roll < 0.55 else "single" if roll < 0.7
                              else "divorced" if roll < 0.85 else "married")
        if person.marital == "married":
            person.spouse = self.absent_spouse(person)
        if not young and self.chance(0.08):
            person.death = self.death_date(year + 50)
            return [], [person]
        return [person], []

    def absent_spouse(self, person: _Person) -> _Doc:
        """A spouse who is not in this register: abroad, or not a Vietnamese citizen."""
        sex = "female" if person.sex == "male" else "male"
        year = person.year + self.between(-4, 6) * (1 if sex == "female" else -1)
        if self.chance(0.3):
            nationality, family, given = self.one(data.FOREIGN_SPOUSES)
            name = {"family": family, "middle": "", "given": given}
        else:
            nationality, name = "VN", self.name(sex, year)
        return {"full_name": name, "date_of_birth": str(year), "nationality": nationality}

    def parents_outside(self, person: _Person) -> None:
        person.father = self.outside_parent("male", person.year)
        person.mother = self.outside_parent("female", person.year)

    def couple(self, home: _Ward, husband_year: int) -> tuple[list[_Person], list[_Person]]:
        husband = self.person("male", husband_year, home, migrant=0.25)
        wife_year = min(husband_year + self.between(-2, 8), _YEAR - 19)
        wife = self.person("female", wife_year, home, migrant=0.3)
        for spouse in (husband, wife):
            self.parents_outside(spouse)
        _marry(husband, wife)
        return ([husband, wife] if self.chance(0.85) else [wife, husband]), []

    def add_children(self, father: _Person | None, mother: _Person, home: _Ward,
                     count: int) -> list[_Person]:
        children = []
        family = father.name["family"] if father is not None else mother.name["family"]
        hometown = father.hometown if father is not None else mother.hometown
        for year in self.children_of(mother.year, count):
            sex = "male" if self.chance(0.51) else "female"
            child = self.person(sex, year, home, family=family, hometown=hometown,
                                migrant=0.05)
            if father is not None:
                _parent(father, child)
            _parent(mother, child)
            children.append(child)
        return children

    def nuclear(self, home: _Ward) -> tuple[list[_Person], list[_Person]]:
        members, _ = self.couple(home, self.adult_year(25, 60))
        father, mother = (members[0], members[1]) if members[0].sex == "male" else (
            members[1], members[0])
        count = self.one((1, 1, 1, 2, 2, 2, 2, 3, 3, 4))
        members += self.add_children(father, mother, home, count)
        if self.chance(0.05):
            sibling_year = min(members[0].year + self.between(-8, 12), _YEAR - 16)
            sibling = self.person("male" if self.chance(0.5) else "female", sibling_year,
                                  home, family=members[0].name["family"], migrant=0.2)
            sibling.relationship = "sibling"
            members.append(sibling)
        return members, []

    def single_parent(self, home: _Ward) -> tuple[list[_Person], list[_Person]]:
        sex = "female" if self.chance(0.8) else "male"
        parent = self.person(sex, self.adult_year(25, 60), home, migrant=0.25)
        self.parents_outside(parent)
        roll = self.r()
        parent.marital = "divorced" if roll < 0.5 else "widowed" if roll < 0.8 else "single"
        if sex == "female":
            children = self.add_children(None, parent, home, self.between(1, 3))
        else:
            mother_year = parent.year + self.between(-2, 6)
            children = []
            for year in self.children_of(mother_year, self.between(1, 3)):
                child = self.person("male" if self.chance(0.51) else "female", year, home,
                                    family=parent.name["family"], hometown=parent.hometown)
                _parent(parent, child)
                children.append(child)
        other = "male" if sex == "female" else "female"
        for child in children:
            ref = self.outside_parent(other, child.year)
            if other == "male":
                child.father = ref
            else:
                child.mother = ref
        return [parent, *children], []

    def three_generations(self, home: _Ward) -> tuple[list[_Person], list[_Person]]:
        members, _ = self.nuclear(home)
        members = [m for m in members if m.relationship != "sibling"]
        head, spouse = members[0], members[1]
        child = spouse if self.chance(0.2) else head  # whose parents live with them
        relationship = "parent" if child is head else "parent_in_law"
        father_year = max(child.year - self.between(22, 40), _YEAR - 98)
        mother_year = min(father_year + self.between(-2, 6), child.year - 18)
        father = self.person("male", father_year, home, migrant=0.1,
                             family=child.name["family"])
        mother = self.person("female", mother_year, home, migrant=0.2)
        child.father, child.mother = None, None
        _parent(father, child)
        _parent(mother, child)
        _marry(father, mother)
        for elder in (father, mother):
            self.parents_outside(elder)
            elder.relationship = relationship
        roll = self.r()
        if roll < 0.55:
            return [*members, father, mother], []
        alive, gone = (father, mother) if self.chance(0.4) else (mother, father)
        alive.marital = "widowed"
        alive.spouse = gone.spouse = None
        if roll < 0.8:
            gone.death = self.death_date(gone.year + 45)  # after their child's birth
            gone.marital = "married"
            return [*members, alive], [gone]
        # no record of the other parent: only a name in the child's record
        ref = {"full_name": gone.name, "date_of_birth": str(gone.year), "nationality": "VN"}
        if gone.sex == "male":
            child.father = ref
        else:
            child.mother = ref
        return [*members, alive], []

    def extended(self, home: _Ward) -> tuple[list[_Person], list[_Person]]:
        members, _ = self.couple(home, self.adult_year(58, 82))
        head, spouse = members
        father, mother = (head, spouse) if head.sex == "male" else (spouse, head)
        son_year = max(mother.year + self.between(20, 34), father.year + 20)
        son_year = min(son_year, _YEAR - 22)
        son = self.person("male", son_year, home, family=father.name["family"],
                          hometown=father.hometown, migrant=0.05)
        _parent(father, son)
        _parent(mother, son)
        wife = self.person("female", min(son_year + self.between(-1, 6), _YEAR - 19), home,
                           migrant=0.4)
        self.parents_outside(wife)
        _marry(son, wife)
        son.relationship, wife.relationship = "child", "child_in_law"
        grandchildren = self.add_children(son, wife, home, self.between(1, 3))
        for grandchild in grandchildren:
            grandchild.relationship = "grandchild"
        unmarried = []
        if self.chance(0.3):  # a younger child of the head still living at home
            year = min(son_year + self.between(2, 10), mother.year + 42, father.year + 48,
                       _YEAR - 16)
            unmarried = [self.person("female" if self.chance(0.5) else "male", year, home,
                                     family=father.name["family"], hometown=father.hometown)]
            _parent(father, unmarried[0])
            _parent(mother, unmarried[0])
        return [*members, son, wife, *grandchildren, *unmarried], []

    # --- finishing -----------------------------------------------------------------------

    def contact(self, person: _Person) -> None:
        age = _YEAR - person.year
        if person.death is not None or age < 15 or not self.chance(0.8 if age < 70 else 0.4):
            return
        block = self.mobile()
        person.phone = f"+84{block[1:]}{self.between(0, 9_999_999):07d}"
        if age < 60 and self.chance(0.3):
            given = self.fold(person.name["given"])
            family = self.fold(person.name["family"])
            number = self.between(1, 9999) if self.chance(0.7) else person.year
            person.email = f"{given}.{family}{number}@{self.domain()}"

    def fold(self, word: str) -> str:
        """Lower-case ASCII of a name part ("Đức" -> "duc")."""
        folded = self.ascii.get(word)
        if folded is None:
            decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
            folded = "".join(c for c in decomposed if c.isascii() and c.isalnum())
            self.ascii[word] = folded
        return folded

    def documents(self, count: int) -> Iterator[_Doc]:
        """``count`` documents, household after household (members, then their dead)."""
        remaining = count
        while remaining > 0:
            home = self.ward()
            members, gone = self.household(home)
            if len(members) + len(gone) > remaining:  # fill the last few records exactly
                members, gone = [self.person("male" if self.chance(0.5) else "female",
                                             self.adult_year(19, 60), home)], []
                self.parents_outside(members[0])
            docs = self.finish(home, members, gone)
            remaining -= len(docs)
            yield from docs

    def finish(self, home: _Ward, members: list[_Person], gone: list[_Person]) -> list[_Doc]:
        """The documents of one household, with its shared residence and finishing touches."""
        legacy = self.chance(0.10)
        ethnicity, religion = self.ethnicity(), self.religion()
        docs: list[_Doc] = []
        household: _Doc | None = None
        if members:
            self.households += 1
            head = members[0]
            head.relationship = "head"
            for member in members[1:]:
                if member.relationship is None:
                    member.relationship = _relationship(head, member)
            number = (self.households * 7_919_113 + 104_729) % 10_000_000_000
            household = {"id": f"{number:010d}", "head_id": head.id,
                         "members": [{"personal_id": m.id, "relationship": m.relationship}
                                     for m in members]}
        residence = self.address(home, legacy_only=legacy)
        for person in members + gone:
            self.contact(person)
            if person.death is None and 18 <= _YEAR - person.year <= 40 and self.chance(0.08):
                person.temporary = self.address(self.ward(self.migration()))
            if self.chance(0.015):
                person.other = [self.one(data.OTHER_NAMES)]
            doc = _document(person, residence, household if person.death is None else None,
                            ethnicity, religion)
            if (person.year < 1955 and self.chance(0.2)) or self.chance(0.01):
                doc["date_of_birth"] = doc["date_of_birth"][:4]
            if self.chance(0.04):
                doc.pop(self.one(_MAY_BE_MISSING), None)
            docs.append(doc)
        return docs


_MAY_BE_MISSING = ("place_of_birth", "hometown", "religion", "ethnicity", "current_residence",
                   "marital_status", "phone")


def _marry(husband: _Person, wife: _Person) -> None:
    husband.spouse, wife.spouse = wife.ref(), husband.ref()
    husband.marital = wife.marital = "married"


def _parent(parent: _Person, child: _Person) -> None:
    if parent.sex == "male":
        child.father = parent.ref()
    else:
        child.mother = parent.ref()
    parent.children.append(child.ref())


def _relationship(head: _Person, member: _Person) -> str:
    """The relationship of a member the builder did not label (spouse or child)."""
    if head.spouse is not None and head.spouse.get("personal_id") == member.id:
        return "spouse"
    return "child"


def _document(person: _Person, residence: _Doc, household: _Doc | None, ethnicity: str,
              religion: str) -> _Doc:
    """The Citizen document of ``person`` (keys in the model's order, no None values)."""
    doc: _Doc = {"personal_id": person.id, "full_name": person.name}
    if person.other:
        doc["other_names"] = person.other
    doc["date_of_birth"] = person.dob
    doc["sex"] = person.sex
    doc["place_of_birth"] = person.born
    doc["hometown"] = person.hometown
    doc["ethnicity"] = ethnicity
    doc["religion"] = religion
    doc["nationality"] = "VN"
    doc["permanent_residence"] = residence
    if person.temporary is not None:
        doc["temporary_residence"] = person.temporary
        doc["current_residence"] = person.temporary
    else:
        doc["current_residence"] = residence
    doc["marital_status"] = person.marital
    if household is not None:
        doc["relationship_to_head"] = person.relationship
        doc["household"] = household
    if person.father is not None:
        doc["father"] = person.father
    if person.mother is not None:
        doc["mother"] = person.mother
    if person.spouse is not None:
        doc["spouse"] = person.spouse
    if person.children:
        doc["children"] = person.children
    if person.phone is not None:
        doc["phone"] = person.phone
    if person.email is not None:
        doc["email"] = person.email
    if person.death is not None:
        doc["date_of_death"] = person.death
    return doc


@functools.cache
def _wards() -> dict[str, list[_Ward]]:
    """Every pre-2025 ward by old province code, with its new commune(s) (read-only)."""
    urban = {c.code: c.kind == "phuong" for c in admin_units.communes()}
    wards: dict[str, list[_Ward]] = {}
    for old in admin_units.legacy_addresses():
        communes = admin_units.convert_legacy(old.province_code, old.district_code,
                                              old.ward_code)
        if not communes:
            continue
        code = old.province_code
        region = ("northwest" if code in _NORTHWEST else "south" if code >= "70"
                  else "north" if code <= "37" else "central")
        parts = (("province_code", code), ("district_code", old.district_code),
                 ("ward_code", old.ward_code))
        legacy = {key: value for key, value in parts if value}
        wards.setdefault(code, []).append(_Ward(
            legacy, communes[0].province_code, tuple(c.code for c in communes),
            urban[communes[0].code], region))
    return wards


def iter_documents(count: int, seed: int) -> Iterator[_Doc]:
    """The ``count`` Citizen documents (JSON-ready dicts) of the population for ``seed``."""
    if count < 0:
        raise ValueError("count must not be negative")
    return _Generator(seed).documents(count)


def generate(path: Path | str, count: int, seed: int = 1) -> Summary:
    """Write a population of ``count`` citizens for ``seed`` to the SQLite file ``path``.

    The file is replaced atomically; the same count and seed give the same bytes.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    path = Path(path)
    generator = _Generator(seed)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    rows = ((int(doc["personal_id"]), dumps(doc)) for doc in generator.documents(count))
    meta = {"generator": "prefill.synthetic", "generator_version": GENERATOR_VERSION,
            "seed": str(seed), "count": str(count),
            "reference_date": REFERENCE_DATE.isoformat(),
            "admin_units": admin_units.DATASET_VERSION}
    write_database(path, rows, meta)
    return Summary(path, count, generator.households, seed)


def sample_ids(path: Path | str, n: int = 8) -> list[str]:
    """Personal IDs of varied demo citizens: household heads, a spouse, a child, a legacy
    address, a temporary residence, a year-only birth date, someone deceased... (in that
    order of preference, then any adults), at most ``n``."""
    return [personal_id for _, personal_id in sample_personas(path, n)]


def sample_personas(path: Path | str, n: int = 8) -> list[tuple[str, str]]:
    """(what is special about them, personal ID) of the citizens of :func:`sample_ids`;
    the label of an adult taken to fill up is "adult"."""
    wanted: dict[str, Callable[[_Doc], bool]] = {
        "head with children": lambda d: _is_head(d) and bool(d.get("children"))
        and len(d["household"]["members"]) >= 3,
        "spouse": lambda d: d.get("relationship_to_head") == "spouse",
        "legacy address": lambda d: _adult(d) and "legacy" in d.get(
            "permanent_residence", {}),
        "temporary residence": lambda d: _adult(d) and "temporary_residence" in d,
        "three generations": lambda d: _is_head(d) and any(
            m["relationship"] in ("parent", "parent_in_law") for m in d["household"]["members"]),
        "year-only birth date": lambda d: _adult(d) and len(d.get("date_of_birth", "")) == 4,
        "lives alone": lambda d: _is_head(d) and len(d["household"]["members"]) == 1,
        "deceased": lambda d: "date_of_death" in d,
    }
    found: dict[str, str] = {}
    spare: list[str] = []
    for doc in read_documents(path):
        for label, test in wanted.items():
            if label not in found and doc["personal_id"] not in found.values() and test(doc):
                found[label] = doc["personal_id"]
                break
        else:
            if _adult(doc) and len(spare) < n:
                spare.append(doc["personal_id"])
        if len(found) == len(wanted) and len(spare) >= n:
            break
    ordered = [(label, found[label]) for label in wanted if label in found]
    taken = {personal_id for _, personal_id in ordered}
    return (ordered + [("adult", s) for s in spare if s not in taken])[:n]


def _is_head(doc: _Doc) -> bool:
    return doc.get("relationship_to_head") == "head" and "household" in doc


def _adult(doc: _Doc) -> bool:
    """A living household member aged 18 or more (by birth year)."""
    born = doc.get("date_of_birth")
    return (born is not None and "household" in doc and "date_of_death" not in doc
            and _YEAR - int(born[:4]) >= 18)
