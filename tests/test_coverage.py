"""Tests for formengine.prefilling.coverage and ``formengine coverage``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from formengine.cli import main
from formengine.definitions.loader import DefinitionError, load_definition
from formengine.prefilling.coverage import Coverage, coverage, records_of, typical, under
from formengine.prefilling.snapshot import Snapshot, take
from tests.conftest import BUNDLED

DEFINITION: dict[str, Any] = {
    "x-procedure": {"id": "cov", "version": "1", "title": "Thử"},
    "type": "object",
    "properties": {
        "name": {"type": "object", "x-prefill": {"attribute": "full_name"},
                 "properties": {"family": {"type": "string"}, "given": {"type": "string"}}},
        "phone": {"type": "string", "x-prefill": {"attribute": "phone"}},
        "reason": {"type": "string"},
        "kids": {"type": "array", "x-prefill": {"subject": "children"},
                 "items": {"type": "object", "properties": {
                     "personal_id": {"type": "string"}, "school": {"type": "string"}}}},
        "pets": {"type": "array", "items": {"type": "object", "properties": {
            "kind": {"type": "string"}, "name": {"type": "string"}}}},
    },
    "allOf": [{"if": {"properties": {"reason": {"const": "x"}}, "required": ["reason"]},
               "then": {"properties": {"detail": {"type": "string"}}}}],
}
PERSON: dict[str, Any] = {
    "personal_id": "001090000001", "full_name": {"family": "Lê", "middle": "", "given": "An"},
    "phone": None,
    "children": [{"personal_id": "001215000003", "full_name": {"given": "Bé"}},
                 {"personal_id": None, "full_name": {"given": "Nuôi"}}],
}


def load(tmp_path: Path) -> Any:
    path = tmp_path / "cov.json"
    path.write_text(json.dumps(DEFINITION))
    return load_definition(path)


def test_fields_shown_and_fields_from_data(tmp_path: Path) -> None:
    definition = load(tmp_path)
    snap = take(definition, records_of(PERSON, {PERSON["personal_id"]: PERSON}),
                source="test", fetched_at="")
    found = coverage(definition, snap)
    # name: 2 (from data); phone: 1 (typed: none in the register); reason: 1 typed;
    # kids: 2 rows x 2, personal_id from data in both (the second child has none in the
    # register: locked empty), school typed; pets: one row the citizen would add, 2 typed;
    # detail: hidden.
    assert found == Coverage("cov", 10, 4)
    assert found.typed == 6 and round(found.share, 2) == 0.4
    assert found.to_json() == {"procedure": "cov", "fields": 10, "from_data": 4, "typed": 6,
                               "share": 0.4, "sample": 0}


def test_nothing_from_data_without_register(tmp_path: Path) -> None:
    definition = load(tmp_path)
    found = coverage(definition, Snapshot(None, "anonymous"))
    assert found.from_data == 0 and found.fields == 8


def test_typical_is_the_median(tmp_path: Path) -> None:
    definition = load(tmp_path)
    everyone = {PERSON["personal_id"]: PERSON}
    alone = {**PERSON, "personal_id": "001090000002", "children": []}
    found = typical(definition, [records_of(p, everyone) for p in (PERSON, alone, alone)])
    assert found == Coverage("cov", 8, 2)
    assert typical(definition, []) == Coverage("cov", 0, 0)


def test_command_prints_a_table_and_json() -> None:
    result = CliRunner().invoke(main, ["coverage", str(BUNDLED), "--sample", "20"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert "example-residence-registration" in result.output
    assert "median over 20 synthetic adults (seed 1)" in result.output
    result = CliRunner().invoke(main, ["coverage", str(BUNDLED), "--sample", "20", "--json"],
                                catch_exceptions=False)
    data = json.loads(result.output)
    assert data["sample"] == 20
    rows = {r["procedure"]: r for r in data["procedures"]}
    example = rows["example-residence-registration"]
    assert example["from_data"] + example["typed"] == example["fields"]
    assert example["from_data"] >= 10  # identity, household and contacts come from data


def test_a_co_applicant_who_agreed_counts_as_data(tmp_path: Path) -> None:
    spec = {**DEFINITION, "properties": {
        "partner": {"type": "object", "properties": {
            "name": {"type": "string",
                     "x-prefill": {"subject": "co_applicant", "attribute": "full_name.given"}},
            "job": {"type": "string"}}}}}
    spec.pop("allOf")
    path = tmp_path / "pair.json"
    path.write_text(json.dumps(spec))
    definition = load_definition(path)
    other = {"personal_id": "001196000002", "full_name": {"given": "Mai"}}
    alone = take(definition, records_of(PERSON, {}), source="test", fetched_at="")
    agreed = take(definition, records_of(PERSON, {}, other), source="test", fetched_at="")
    assert coverage(definition, alone) == Coverage("cov", 2, 0)
    assert coverage(definition, agreed) == Coverage("cov", 2, 1)
    assert agreed.co_applicant == "001196000002" and alone.co_applicant is None


# --- typical answers (x-procedure.typical_answers) --------------------------------------

#: A form whose branch, opened by a typed choice, holds answers the register fills.
BRANCHED: dict[str, Any] = {
    "x-procedure": {"id": "branched", "version": "1", "title": "Thử"},
    "type": "object",
    "properties": {
        "phone": {"type": "string", "x-prefill": {"attribute": "phone"}},
        "relation": {"enum": ["father", "other"]},
        "trip": {"type": "object", "properties": {
            "kind": {"enum": ["short", "long"]}, "note": {"type": "string"}}},
    },
    "allOf": [
        {"if": {"properties": {"relation": {"const": "father"}}, "required": ["relation"]},
         "then": {"properties": {"father": {"type": "object", "properties": {
             "personal_id": {"type": "string", "pattern": "^[0-9]{12}$", "x-prefill": {
                 "subject": "father", "attribute": "personal_id"}},
             "given": {"type": "string", "x-prefill": {
                 "subject": "father", "attribute": "full_name.given"}}}}}}},
        {"if": {"properties": {"relation": {"const": "other"}}, "required": ["relation"]},
         "then": {"properties": {"who": {"type": "string"}}}},
    ],
}
FATHER: dict[str, Any] = {"personal_id": "001060000009",
                          "full_name": {"family": "Lê", "middle": "Văn", "given": "Ba"}}
CHILD: dict[str, Any] = {**PERSON, "children": [], "phone": "0912345678",
                         "father": {"personal_id": FATHER["personal_id"]}}


def branched(tmp_path: Path, answers: dict[str, Any] | None = None) -> Any:
    document = json.loads(json.dumps(BRANCHED))
    if answers is not None:
        document["x-procedure"]["typical_answers"] = answers
    path = tmp_path / "branched.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return load_definition(path)


def child_snapshot(definition: Any) -> Snapshot:
    everyone = {CHILD["personal_id"]: CHILD, FATHER["personal_id"]: FATHER}
    return take(definition, records_of(CHILD, everyone), source="test", fetched_at="")


def test_typical_answers_open_the_branches_they_choose(tmp_path: Path) -> None:
    before = branched(tmp_path)
    # phone (from data), relation, trip/kind, trip/note: the father's details are hidden.
    assert coverage(before, child_snapshot(before)) == Coverage("branched", 4, 1)
    after = branched(tmp_path, {"relation": "father"})
    assert after.typical_answers == {"relation": "father"}
    # ... and with "father" answered, his ID and given name come from the register.
    assert coverage(after, child_snapshot(after)) == Coverage("branched", 6, 3)
    # answers={} is the form before any answer, whatever the definition says.
    assert coverage(after, child_snapshot(after), {}) == Coverage("branched", 4, 1)


def test_typical_answers_count_as_typed(tmp_path: Path) -> None:
    definition = branched(tmp_path, {"relation": "other", "trip": {"kind": "long"}})
    found = coverage(definition, child_snapshot(definition))
    # relation, who (opened by "other"), trip/kind, trip/note: typed; only phone is data.
    assert found == Coverage("branched", 5, 1)
    assert found.typed == 4


def test_typical_answers_never_override_the_register(tmp_path: Path) -> None:
    definition = branched(tmp_path)
    snapshot = child_snapshot(definition)
    typical_phone = {"phone": "0999999999", "relation": "father",
                     "father": {"personal_id": "001060000001", "given": "Khác"}}
    # The check refuses such answers; coverage still lets the register win over them.
    assert coverage(definition, snapshot, typical_phone) == Coverage("branched", 6, 3)
    empty = dataclasses.replace(snapshot, values={}, locked=["/phone"])
    assert coverage(definition, empty, {"phone": "0999999999"}) == Coverage("branched", 4, 1)
    assert under({"a": 1, "b": {"c": 2}, "rows": [{"x": 1}]},
                 {"a": 9, "b": {"c": 8, "d": 3}, "e": [4], "rows": [{"x": 5, "y": 6}, {}]}) == {
        "a": 1, "b": {"c": 2, "d": 3}, "e": [4], "rows": [{"x": 1, "y": 6}, {}]}


def test_typical_answers_are_left_untouched(tmp_path: Path) -> None:
    definition = branched(tmp_path, {"relation": "father", "trip": {"kind": "long"}})
    for _ in range(2):
        coverage(definition, child_snapshot(definition))
    assert definition.typical_answers == {"relation": "father", "trip": {"kind": "long"}}


def test_check_reports_bad_typical_answers(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as caught:
        branched(tmp_path, {"relaton": "father", "relation": "mother",
                            "trip": {"kind": "long", "knd": "x", "note": 3},
                            "father": {"personal_id": "001060000009"}, "phone": "0912345678"})
    found = {p.pointer: p.message for p in caught.value.problems}
    base = "/x-procedure/typical_answers"
    assert found == {
        f"{base}/relaton": "`relaton` is not a property of the form; did you mean `relation`?",
        f"{base}/relation": "`\"mother\"` is not a valid answer here: 'mother' is not one of "
                            "['father', 'other']",
        f"{base}/trip/knd": "`knd` is not a property of this object; did you mean `kind`?",
        f"{base}/trip/note": "`3` is not a valid answer here: 3 is not of type 'string'",
        # Inside a group, only what the register fills is refused.
        f"{base}/father/personal_id": "`/father/personal_id` is filled from the register "
                                      "(x-prefill): a typical answer would mask the "
                                      "register's value; remove it",
        f"{base}/phone": "`/phone` is filled from the register (x-prefill): a typical answer "
                         "would mask the register's value; remove it",
    }
    assert all(p.file == str(tmp_path / "branched.json") for p in caught.value.problems)


def test_check_command_names_file_and_pointer(tmp_path: Path) -> None:
    document = json.loads(json.dumps(BRANCHED))
    document["x-procedure"]["typical_answers"] = {"relation": "uncle", "nope": 1}
    path = tmp_path / "branched.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert (f"{path}: /x-procedure/typical_answers/relation: error: `\"uncle\"` is not a "
            "valid answer here") in result.output
    assert (f"{path}: /x-procedure/typical_answers/nope: error: `nope` is not a property of "
            "the form") in result.output


def test_death_registration_counts_the_deceased_father() -> None:
    definition = load_definition(BUNDLED / "death-registration.json")
    assert definition.typical_answers == {"relationship": "father", "died_at": "residence"}
    snapshot = take(definition, records_of(PERSON, {PERSON["personal_id"]: PERSON}),
                    source="test", fetched_at="")
    before, found = coverage(definition, snapshot, {}), coverage(definition, snapshot)
    assert found.fields == before.fields + 11  # the father: name 3, ID, birth, sex... residence 3


def test_typical_relatives_choose_the_sample(tmp_path: Path) -> None:
    document = json.loads(json.dumps(BRANCHED))
    document["x-procedure"]["typical_answers"] = {"relation": "father"}
    document["x-procedure"]["typical_relatives"] = ["father"]
    path = tmp_path / "branched.json"
    path.write_text(json.dumps(document))
    definition = load_definition(path)
    assert definition.typical_relatives == ("father",)
    everyone = {FATHER["personal_id"]: FATHER}
    orphan = {**CHILD, "personal_id": "001090000004", "father": None}
    people = [records_of(p, everyone) for p in (CHILD, orphan, orphan)]
    found = typical(definition, people)
    # Only the child whose father has a record is a typical applicant: phone and the
    # father's ID and name from data; the relation and the trip (2) typed.
    assert (found.fields, found.from_data, found.sample) == (6, 3, 1)
    assert typical(load_definition(tmp_path / "branched.json"), []).sample == 0


def test_check_refuses_unknown_typical_relatives(tmp_path: Path) -> None:
    document = json.loads(json.dumps(BRANCHED))
    document["x-procedure"]["typical_relatives"] = ["uncle"]
    path = tmp_path / "branched.json"
    path.write_text(json.dumps(document))
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert any("typical_relatives" in p.pointer for p in caught.value.problems)
