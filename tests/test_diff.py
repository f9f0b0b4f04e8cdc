"""``formengine diff`` (formengine/definitions/diff.py): what changed between two versions."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from formengine.cli import main
from formengine.definitions.diff import Change, diff
from formengine.definitions.loader import load_definition

V1: dict[str, Any] = {
    "x-procedure": {"id": "cap-phep", "version": "1", "title": "Thử",
                    "fee": {"amount": 0}},
    "type": "object",
    "properties": {
        "name": {"type": "string", "title": "Tên", "maxLength": 50},
        "kind": {"enum": ["a", "b", "c"]},
        "note": {"type": "string"},
        "rows": {"type": "array", "items": {"type": "object", "properties": {
            "age": {"type": "integer", "minimum": 0}}}},
    },
    "allOf": [{"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
               "then": {"properties": {"extra": {"type": "string"}}}}],
    "required": ["name"],
}


def write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def versions(tmp_path: Path, v2: dict[str, Any]) -> tuple[Path, Path]:
    return write(tmp_path, "v1.json", V1), write(tmp_path, "v2.json", v2)


def test_text_only_changes_keep_drafts_valid(tmp_path: Path) -> None:
    v2 = copy.deepcopy(V1)
    v2["x-procedure"]["version"] = "2"
    v2["properties"]["name"]["title"] = "Họ và tên"
    v2["properties"]["name"]["maxLength"] = 80  # looser
    v2["properties"]["kind"]["enum"].append("d")
    v2["properties"]["added"] = {"type": "string"}
    v2["required"] = ["name", "note"]
    old, new = (load_definition(p) for p in versions(tmp_path, v2))
    found = diff(old, new)
    assert found.added == ("/added",) and found.removed == ()
    assert found.newly_required == ("/note",)
    assert found.changed == (
        Change("/kind", ('choices added: "d"',), False),
        Change("/name", ("maxLength: 50 -> 80", "texts: title"), False),
    )
    assert found.drafts_stay_valid


def test_tightening_and_removal_may_break_drafts(tmp_path: Path) -> None:
    v2 = copy.deepcopy(V1)
    v2["x-procedure"]["version"] = "2"
    v2["x-procedure"]["fee"] = {"amount": 10000}
    v2["properties"]["kind"]["enum"] = ["a", "b"]
    v2["properties"]["rows"]["items"]["properties"]["age"]["minimum"] = 18
    del v2["properties"]["note"]
    v2["allOf"][0]["then"]["properties"]["extra"]["pattern"] = "^[0-9]+$"
    old, new = (load_definition(p) for p in versions(tmp_path, v2))
    found = diff(old, new)
    assert found.removed == ("/note",)
    assert {c.pointer: c.tightening for c in found.changed} == {
        "/extra": True, "/kind": True, "/rows/*/age": True}
    assert found.procedure == ("fee",)
    assert not found.drafts_stay_valid
    assert found.to_json()["drafts_stay_valid"] is False


def test_cli(tmp_path: Path) -> None:
    v2 = copy.deepcopy(V1)
    v2["x-procedure"]["version"] = "2"
    old, new = versions(tmp_path, v2)
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0
    assert "cap-phep: version 1 -> 2" in result.output
    assert "drafts made on version 1 stay valid on 2" in result.output
    v2["properties"]["name"]["maxLength"] = 10
    old, new = versions(tmp_path, v2)
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["procedure_id"] == "cap-phep" and data["drafts_stay_valid"] is False
    other = copy.deepcopy(V1)
    other["x-procedure"]["id"] = "khac"
    result = CliRunner().invoke(main, ["diff", str(old), str(write(tmp_path, "o.json", other))])
    assert result.exit_code == 2 and "not two versions of one procedure" in result.output
