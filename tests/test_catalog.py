"""Tests for formengine.definitions.catalog (every definition of an app, by procedure id)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from formengine.config import PROJECT_ROOT
from formengine.definitions.catalog import Catalog, definition_files

BUNDLED = PROJECT_ROOT / "form_definitions"


def definition(procedure_id: str, **extra: Any) -> dict[str, Any]:
    """A small valid definition document."""
    return {
        "x-procedure": {"id": procedure_id, "version": "1", "title": procedure_id},
        "type": "object",
        "properties": {"name": {"type": "string"}},
        **extra,
    }


def write(folder: Path, name: str, document: Any) -> Path:
    """Write ``document`` as ``folder/name``."""
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_definition_files_ignores_components_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "components").mkdir()
    write(tmp_path / "components", "phone.json", {"type": "string"})
    write(tmp_path, "b.json", definition("b-form"))
    write(tmp_path, "a.json", definition("a-form"))
    (tmp_path / "notes.txt").write_text("not a definition")
    (tmp_path / "a.json.bak").write_text("{}")
    (tmp_path / "dir.json").mkdir()
    assert list(definition_files([tmp_path])) == [tmp_path / "a.json", tmp_path / "b.json"]


def test_definition_files_takes_files_as_given(tmp_path: Path) -> None:
    one = write(tmp_path, "one.txt", {})
    folder = tmp_path / "more"
    folder.mkdir()
    two = write(folder, "two.json", {})
    assert list(definition_files([one, folder])) == [one, two]


def test_bundled_catalogue() -> None:
    catalog = Catalog.load([BUNDLED])
    assert catalog.problems == []
    assert len(catalog) >= 1
    example = catalog.get("example-residence-registration")
    assert example is not None
    assert example in list(catalog)
    assert catalog.get("nope") is None


def test_broken_definition_refused_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path, "good.json", definition("good-form"))
    broken = write(tmp_path, "broken.json", definition("broken-form", **{"x-layout": {
        "pages": [{"id": "p", "title": "P", "fields": ["/nmae"]}]}}))
    (tmp_path / "garbage.json").write_text("{nope", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="formengine.definitions.catalog"):
        catalog = Catalog.load([tmp_path])
    assert [d.id for d in catalog] == ["good-form"]
    assert catalog.get("broken-form") is None
    assert {p.file for p in catalog.problems} == {str(broken), str(tmp_path / "garbage.json")}
    refused = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(refused) == 2
    assert any(str(broken) in text and "/x-layout/pages/0/fields/0" in text for text in refused)


def test_duplicate_procedure_id_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = write(tmp_path, "a.json", definition("same-form"))
    second = write(tmp_path, "b.json", definition("same-form", title="second"))
    with caplog.at_level(logging.ERROR, logger="formengine.definitions.catalog"):
        catalog = Catalog.load([tmp_path])
    assert len(catalog) == 1
    served = catalog.get("same-form")
    assert served is not None and served.path == first
    [problem] = catalog.problems
    assert problem.file == str(second)
    assert problem.pointer == "/x-procedure/id"
    assert "`same-form` is already used by" in problem.message
    assert str(first) in problem.message
    assert any("already used" in r.getMessage() for r in caplog.records)


def test_several_folders(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    write(one, "x.json", definition("x-form"))
    write(two, "y.json", definition("y-form"))
    assert sorted(d.id for d in Catalog.load([one, two])) == ["x-form", "y-form"]
