"""Tests for prefill.sqlite: the adapter contract, and the file's failure modes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from prefill.adapter import NotFound, Unavailable
from prefill.sqlite import (
    FORMAT_VERSION,
    SqliteAdapter,
    read_documents,
    read_meta,
    write_database,
)
from prefill.synthetic import generate
from tests.prefill.conftest import COUNT, SEED
from tests.prefill.contract import PROCEDURE, AdapterContract


class TestSqliteContract(AdapterContract):
    @pytest.fixture
    def adapter(self, population_file: Path) -> SqliteAdapter:
        return SqliteAdapter(population_file)

    @pytest.fixture
    def unavailable_adapter(self, tmp_path: Path) -> SqliteAdapter:
        return SqliteAdapter(tmp_path / "missing.sqlite3")


def test_meta_describes_the_file(population_file: Path) -> None:
    meta = read_meta(population_file)
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["count"] == str(COUNT) and meta["seed"] == str(SEED)
    assert SqliteAdapter(population_file).health().detail == f"{COUNT} citizens"


def test_missing_file_is_unavailable_until_it_exists(tmp_path: Path) -> None:
    path = tmp_path / "later.sqlite3"
    adapter = SqliteAdapter(path)
    with pytest.raises(Unavailable, match="does not exist"):
        adapter.citizen("001090000001", procedure=PROCEDURE)
    assert not adapter.health()
    generate(path, 5, 1)
    first = next(read_documents(path))["personal_id"]
    assert adapter.citizen(first, procedure=PROCEDURE).personal_id == first
    assert adapter.health()


def test_corrupt_file_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(b"this is not a database" * 500)
    adapter = SqliteAdapter(path)
    with pytest.raises(Unavailable):
        adapter.citizen("001090000001", procedure=PROCEDURE)
    health = adapter.health()
    assert not health.ok and health.detail


def test_other_sqlite_file_or_format_is_unavailable(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(Unavailable, match="not a population database"):
        SqliteAdapter(other).citizen("001090000001", procedure=PROCEDURE)
    future = tmp_path / "future.sqlite3"
    write_database(future, [], {})
    connection = sqlite3.connect(future)
    with connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'format_version'")
    connection.close()
    with pytest.raises(Unavailable, match="format"):
        SqliteAdapter(future).citizen("001090000001", procedure=PROCEDURE)


def test_malformed_record_is_unavailable_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    write_database(path, [(1090000001, '{"personal_id": "001090000001"}')], {})
    adapter = SqliteAdapter(path)
    with pytest.raises(Unavailable, match="malformed"):
        adapter.citizen("001090000001", procedure=PROCEDURE)
    with pytest.raises(NotFound):
        adapter.citizen("001090000002", procedure=PROCEDURE)


def test_write_refuses_duplicate_ids_and_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "dup.sqlite3"
    with pytest.raises(ValueError, match="one personal ID"):
        write_database(path, [(1, "{}"), (1, "{}")], {})
    assert list(tmp_path.iterdir()) == []


def test_regenerating_replaces_the_file_under_an_open_adapter(tmp_path: Path) -> None:
    path = tmp_path / "population.sqlite3"
    generate(path, 20, 1)
    adapter = SqliteAdapter(path)
    old = next(read_documents(path))["personal_id"]
    adapter.citizen(old, procedure=PROCEDURE)
    generate(path, 20, 2)
    adapter.close()  # pooled connections still read the replaced file; reopen
    new = next(read_documents(path))["personal_id"]
    assert adapter.citizen(new, procedure=PROCEDURE).personal_id == new
    assert [p.name for p in tmp_path.iterdir()] == ["population.sqlite3"]


def test_context_manager_closes_and_stays_usable(population_file: Path) -> None:
    first = next(read_documents(population_file))["personal_id"]
    with SqliteAdapter(population_file) as adapter:
        adapter.citizen(first, procedure=PROCEDURE)
    assert adapter.citizen(first, procedure=PROCEDURE).personal_id == first
