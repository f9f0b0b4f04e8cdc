"""Tests for formengine.prefilling.snapshot (register records -> answers, locking, provenance)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from formengine.definitions.loader import load_definition
from formengine.definitions.model import FormDefinition
from formengine.prefilling.snapshot import Records, Snapshot, inject, provenance, seed, take
from prefill import admin_units

PERSON: dict[str, Any] = {
    "personal_id": "001090000001",
    "full_name": {"family": "Nguyễn", "middle": "", "given": "An"},
    "date_of_birth": "1990-02-03",
    "sex": "male",
    "phone": "+84912345678",
    "permanent_residence": {"country": "VN", "province_code": "01", "commune_code": "00004",
                            "detail": "12 Phố Huế", "legacy": None},
    "household": {"id": "H1", "head_id": "001090000001", "members": [
        {"personal_id": "001090000001", "relationship": "head"},
        {"personal_id": "001192000002", "relationship": "spouse"}]},
    "father": {"personal_id": None, "full_name": {"family": "Nguyễn", "middle": "Văn",
                                                  "given": "Bình"}, "date_of_birth": "1960"},
    "children": [],
}
SPOUSE: dict[str, Any] = {
    "personal_id": "001192000002",
    "full_name": {"family": "Lê", "middle": "Thị", "given": "Hoa"},
    "date_of_birth": "1992-05-01", "sex": "female",
}

DEFINITION: dict[str, Any] = {
    "x-procedure": {"id": "snap", "version": "1", "title": "Thử"},
    "type": "object",
    "properties": {
        "name": {"type": "object", "x-prefill": {"attribute": "full_name"},
                 "properties": {"family": {"type": "string"}, "middle": {"type": "string"},
                                "given": {"type": "string"}},
                 "required": ["family", "given"]},
        "birth": {"type": "string", "format": "date", "x-prefill": {"attribute": "date_of_birth"}},
        "phone": {"type": "string", "x-prefill": {"attribute": "phone"}},
        "email": {"type": "string", "x-prefill": {"attribute": "email"}},
        "ethnicity": {"type": "string", "x-prefill": {"attribute": "ethnicity", "mode": "locked"}},
        "religion": {"type": "string", "x-prefill": {"attribute": "religion"}},
        "home": {"type": "object", "x-prefill": {"attribute": "permanent_residence"},
                 "properties": {"province_code": {"type": "string"},
                                "commune_code": {"type": "string"},
                                "detail": {"type": "string"}}},
        "members": {"type": "array", "x-prefill": {"subject": "household_members"},
                    "items": {"type": "object", "properties": {
                        "personal_id": {"type": "string"},
                        "full_name": {"type": "object", "properties": {
                            "given": {"type": "string"}}},
                        "moving": {"type": "boolean"}}}},
        "father_name": {"type": "object", "x-prefill": {"subject": "father",
                                                        "attribute": "full_name"},
                        "properties": {"given": {"type": "string"}}},
    },
    "required": ["name", "birth", "ethnicity"],
}


@pytest.fixture(scope="module")
def definition(tmp_path_factory: pytest.TempPathFactory) -> FormDefinition:
    path: Path = tmp_path_factory.mktemp("defs") / "snap.json"
    path.write_text(json.dumps(DEFINITION))
    return load_definition(path)


def snapshot_of(definition: FormDefinition, person: dict[str, Any] = PERSON) -> Snapshot:
    return take(definition, Records(person, (person, SPOUSE)), source="sqlite",
                fetched_at="2026-12-01T10:00:00+00:00")


def test_take_fills_locks_and_sources(definition: FormDefinition) -> None:
    snap = snapshot_of(definition)
    assert snap.owner == "001090000001" and snap.status == "ok"
    assert snap.values["/name/family"] == "Nguyễn"
    assert "/name/middle" not in snap.values  # "" in the register: nothing to show
    assert snap.is_locked("/name/middle")  # ...and locked empty: it is optional
    assert snap.is_locked("/birth") and snap.values["/birth"] == "1990-02-03"
    assert snap.values["/phone"] == "+84912345678" and not snap.is_locked("/phone")
    assert snap.sources["/members/0/personal_id"] == ["household_members", "personal_id"]
    assert snap.values["/members/0/full_name/given"] == "Hoa"
    assert snap.rows == {"/members": 1}
    assert snap.values["/father_name/given"] == "Bình"  # from the record's reference


def test_missing_required_value_is_left_to_the_citizen(definition: FormDefinition) -> None:
    snap = snapshot_of(definition)  # the register holds no ethnicity for this person
    assert "/ethnicity" not in snap.values and not snap.is_locked("/ethnicity")
    assert snap.is_locked("/religion")  # optional and missing: locked empty


def test_value_the_field_rejects_is_not_locked(definition: FormDefinition) -> None:
    snap = snapshot_of(definition, {**PERSON, "date_of_birth": "1990"})
    assert snap.values["/birth"] == "1990" and not snap.is_locked("/birth")


def test_legacy_address_is_converted_without_asking(definition: FormDefinition) -> None:
    [commune] = admin_units.convert_legacy("01", "001", "00001")
    old = {"country": "VN", "province_code": None, "commune_code": None, "detail": "1 Hàng Đào",
           "legacy": {"province_code": "01", "district_code": "001", "ward_code": "00001"}}
    snap = snapshot_of(definition, {**PERSON, "permanent_residence": old})
    assert snap.values["/home/commune_code"] == commune.code
    assert snap.values["/home/province_code"] == commune.province_code
    assert snap.is_locked("/home/commune_code") and snap.choices == {}


def test_split_ward_asks_only_which_commune(definition: FormDefinition) -> None:
    candidates = admin_units.convert_legacy("01", "001", "00007")
    assert len(candidates) > 1
    old = {"country": "VN", "detail": "5 Kim Mã",
           "legacy": {"province_code": "01", "district_code": "001", "ward_code": "00007"}}
    snap = snapshot_of(definition, {**PERSON, "permanent_residence": old})
    assert snap.choices["/home/commune_code"] == [c.code for c in candidates]
    assert snap.is_locked("/home/province_code") and not snap.is_locked("/home/commune_code")
    data = inject(snap, {"home": {"commune_code": "99999"}})
    assert "commune_code" not in data["home"]  # not a candidate: dropped
    data = inject(snap, {"home": {"commune_code": candidates[1].code}})
    assert data["home"]["commune_code"] == candidates[1].code


def test_inject_ignores_whatever_the_request_says(definition: FormDefinition) -> None:
    snap = snapshot_of(definition)
    tampered = {"name": {"family": "Trần", "middle": "Giả", "given": "Mạo"},
                "birth": "2001-01-01", "phone": "+84900000000",
                "members": [{"personal_id": "999999999999", "moving": True}, {"moving": True}]}
    data = inject(snap, tampered)
    assert data["name"] == {"family": "Nguyễn", "given": "An"}
    assert data["birth"] == "1990-02-03"
    assert data["phone"] == "+84900000000"  # editable: the citizen's answer stands
    assert data["members"] == [{"personal_id": "001192000002", "moving": True,
                                "full_name": {"given": "Hoa"}}]
    removed = inject(snap, {})
    assert removed["name"] == {"family": "Nguyễn", "given": "An"}
    assert removed["members"][0]["personal_id"] == "001192000002"


def test_seed_fills_editable_values_once(definition: FormDefinition) -> None:
    snap = snapshot_of(definition)
    assert seed(snap, {})["phone"] == "+84912345678"
    assert seed(snap, {"phone": "+84987654321"})["phone"] == "+84987654321"


def test_provenance_marks_register_and_declared_answers(definition: FormDefinition) -> None:
    snap = snapshot_of(definition)
    snap.corrections["/name"] = "My given name is Ân"
    data = inject(snap, {"phone": "+84987654321", "ethnicity": "01"})
    where = provenance(snap, data)
    assert where["/name/given"] == {
        "source": "sqlite", "subject": "self", "attribute": "full_name.given",
        "fetched_at": "2026-12-01T10:00:00+00:00", "mode": "locked",
        "correction_reported": "My given name is Ân"}
    assert where["/phone"] == {"source": "declared"}  # changed by the citizen
    assert where["/ethnicity"] == {"source": "declared"}
    assert seed(snap, {})["phone"] == "+84912345678"
    assert provenance(snap, seed(snap, {}))["/phone"]["mode"] == "editable"


def test_snapshot_round_trips_through_json(definition: FormDefinition) -> None:
    snap = snapshot_of(definition)
    again = Snapshot.from_json(json.loads(json.dumps(snap.to_json())))
    assert again == snap
    assert again.correctable("/name") and again.correctable("/members")
    assert not again.correctable("/phone")


def test_children_merge_references_with_full_records() -> None:
    kid_ref = {"personal_id": "001215000003", "full_name": {"given": "Bé"}}
    no_id = {"personal_id": None, "full_name": {"given": "Con nuôi"}}
    full = {**kid_ref, "date_of_birth": "2015-01-01"}
    records = Records({**PERSON, "children": [kid_ref, no_id]}, children=(full,))
    assert records.subject("children") == [full, no_id]
    assert records.subject("spouse") == []
    assert records.subject("household_head") == []
