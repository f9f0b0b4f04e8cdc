"""Tests for formengine.storage: engines, migrations, the audit log (SQLite and PostgreSQL).

The ``engine`` and ``database_url`` fixtures (tests/conftest.py) run each test once on a
new SQLite file and once on a throwaway PostgreSQL database.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from formengine.app import create_app
from formengine.config import PROJECT_ROOT, Settings
from formengine.storage import (
    AuditEntry,
    AuditError,
    AuditLog,
    SqlAuditLog,
    audit_log,
    current_revision,
    head_revision,
    is_at_head,
    make_engine,
    metadata,
    upgrade,
)
from formengine.storage.db import database_url

BUNDLED = PROJECT_ROOT / "form_definitions"
ALICE, BOB = "001090000001", "001090000002"


def entry(**changes: object) -> AuditEntry:
    """An audit entry of a successful lookup of Bob by Alice."""
    fields: dict[str, object] = {
        "requester": ALICE, "subject": BOB, "procedure": "ct01-residence-change",
        "attributes": ("full_name", "residence.permanent"), "source": "sqlite",
        "result": "ok", "request_id": "req-1",
    }
    return AuditEntry(**{**fields, **changes})  # type: ignore[arg-type]


@pytest.fixture
def audit(engine: Engine) -> SqlAuditLog:
    """An audit log on a migrated :func:`engine`."""
    upgrade(engine)
    return SqlAuditLog(engine)


# --- engines -----------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "driver"), [
    ("postgresql://u:p@db/x", "postgresql+psycopg"),
    ("postgres://u:p@db/x", "postgresql+psycopg"),
    ("postgresql+psycopg://u@db/x", "postgresql+psycopg"),
    ("sqlite:///tmp/x.sqlite3", "sqlite"),
])
def test_postgresql_urls_use_psycopg(given: str, driver: str) -> None:
    assert database_url(given).drivername == driver


def test_sqlite_engine_pragmas_and_folder(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'folder' / 'db.sqlite3'}")
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000
    engine.dispose()


def test_sqlite_ddl_is_transactional(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        raise RuntimeError("roll back")
    assert not sa.inspect(engine).has_table("t")
    engine.dispose()


def test_in_memory_sqlite_is_shared_between_threads() -> None:
    engine = make_engine("sqlite://")
    upgrade(engine)
    seen: list[bool] = []
    thread = threading.Thread(target=lambda: seen.append(is_at_head(engine)))
    thread.start()
    thread.join()
    assert seen == [True]


# --- migrations --------------------------------------------------------------------------


def test_upgrade_is_idempotent(engine: Engine) -> None:
    assert current_revision(engine) is None and not is_at_head(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision() and is_at_head(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert sa.inspect(engine).has_table("audit_log")


def test_migrated_schema_matches_the_tables(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, metadata) == []
        # The comparison sees what matters: a column one character longer is a difference.
        changed = sa.MetaData()
        audit_log.to_metadata(changed).c.subject.type = sa.String(13)
        assert compare_metadata(context, changed) != []
    indexes = {i["name"]: i["column_names"] for i in sa.inspect(engine).get_indexes("audit_log")}
    assert indexes == {"ix_audit_log_subject_at": ["subject", "at"],
                       "ix_audit_log_requester_at": ["requester", "at"]}


UPGRADE_AND_PRINT = (
    "import sys; from formengine.storage import make_engine, upgrade, current_revision; "
    "engine = make_engine(sys.argv[1]); upgrade(engine); print(current_revision(engine))"
)


def test_concurrent_upgrades_wait_for_each_other(database_url: str) -> None:
    """Workers starting at once (processes: the database's lock, not the process's, counts)."""
    workers = [subprocess.Popen([sys.executable, "-c", UPGRADE_AND_PRINT, database_url],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(3)]
    outputs = [worker.communicate(timeout=60) for worker in workers]
    assert [out.strip() for out, _ in outputs] == [head_revision()] * 3, outputs


def test_concurrent_upgrades_in_one_process(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(3)]
    threads = [threading.Thread(target=upgrade, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(is_at_head(e) for e in engines)
    for engine in engines:
        engine.dispose()


# --- the audit log -----------------------------------------------------------------------


def test_audit_round_trip(audit: SqlAuditLog) -> None:
    assert isinstance(audit, AuditLog)
    written = entry()
    audit.record(written)
    assert audit.entries() == [written]
    read = audit.entries()[0]
    assert read.attributes == ("full_name", "residence.permanent")
    assert read.at.tzinfo is UTC and read.at.utcoffset() == timedelta(0)


def test_audit_attributes_are_stored_as_a_json_list(audit: SqlAuditLog) -> None:
    audit.record(entry(attributes=["a", "b.c"]))
    with audit.engine.connect() as connection:
        stored = connection.execute(sa.select(audit_log.c.attributes)).scalar_one()
    assert stored == ["a", "b.c"]


def test_audit_times_are_utc(audit: SqlAuditLog) -> None:
    hanoi = timezone(timedelta(hours=7))
    audit.record(entry(at=datetime(2025, 7, 1, 8, 30, 0, 123456, tzinfo=hanoi)))
    (read,) = audit.entries()
    assert read.at == datetime(2025, 7, 1, 1, 30, 0, 123456, tzinfo=UTC)
    assert read.at.tzinfo is UTC
    before = datetime.now(UTC)
    fresh = entry()
    assert fresh.at.tzinfo is UTC and before <= fresh.at <= datetime.now(UTC)
    assert entry(at=None).at.tzinfo is UTC


def test_audit_entries_newest_first_filtered_and_limited(audit: SqlAuditLog) -> None:
    start = datetime(2025, 7, 1, tzinfo=UTC)
    audit.record(entry(at=start))
    audit.record(entry(at=start + timedelta(minutes=2), subject=ALICE, result="not_found"))
    audit.record(entry(at=start + timedelta(minutes=1), requester=None, result="timeout",
                       source="http", request_id=None))
    assert [e.result for e in audit.entries()] == ["not_found", "timeout", "ok"]
    assert [e.result for e in audit.entries(subject=BOB)] == ["timeout", "ok"]
    assert [e.result for e in audit.entries(requester=ALICE)] == ["not_found", "ok"]
    assert [e.result for e in audit.entries(subject=BOB, requester=ALICE)] == ["ok"]
    assert [e.result for e in audit.entries(limit=1)] == ["not_found"]
    nobody = audit.entries(subject=BOB)[0]
    assert nobody.requester is None and nobody.request_id is None


def test_audit_record_many_is_all_or_nothing(audit: SqlAuditLog) -> None:
    audit.record_many([entry(subject=ALICE), entry(subject=BOB)])
    assert sorted(e.subject or "" for e in audit.entries()) == sorted([ALICE, BOB])
    audit.record_many([])
    refused = entry(subject=ALICE)
    object.__setattr__(refused, "result", "maybe")  # past the entry's own check: the table's
    with pytest.raises(AuditError):
        audit.record_many([entry(subject=BOB, procedure="second"), refused])
    assert len(audit.entries()) == 2  # neither of the failed batch


def test_audit_failure_raises_without_personal_data(engine: Engine) -> None:
    log = SqlAuditLog(engine)  # never migrated: no audit_log table
    with pytest.raises(AuditError) as raised:
        log.record(entry())
    assert ALICE not in str(raised.value) and BOB not in str(raised.value)


def test_audit_result_is_checked_by_the_database(audit: SqlAuditLog) -> None:
    with pytest.raises(sa.exc.IntegrityError), audit.engine.begin() as connection:
        connection.execute(audit_log.insert(), {
            "at": datetime.now(UTC), "procedure": "p", "attributes": [], "source": "x",
            "result": "maybe"})


@pytest.mark.parametrize(("changes", "error"), [
    ({"result": "maybe"}, ValueError),
    ({"at": datetime(2025, 1, 1)}, ValueError),
    ({"attributes": "full_name"}, TypeError),
    ({"attributes": ("full_name", 3)}, TypeError),
])
def test_audit_entry_is_checked(changes: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        entry(**changes)


# --- the app -----------------------------------------------------------------------------


def test_app_has_a_migrated_database_and_an_audit_log(database_url: str) -> None:
    app = create_app({"definitions": [BUNDLED], "database_url": database_url})
    engine = app.extensions["formengine.db"]
    assert is_at_head(engine)
    assert isinstance(app.extensions["formengine.audit"], SqlAuditLog)
    assert app.extensions["formengine.audit"].engine is engine
    engine.dispose()


def test_app_without_auto_migrate_leaves_the_schema_alone(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    app = create_app({"definitions": [BUNDLED], "database_url": url, "auto_migrate": False})
    assert current_revision(app.extensions["formengine.db"]) is None
    assert "formengine db upgrade" in caplog.text


def test_database_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORMENGINE_DATABASE_URL", raising=False)
    assert Settings().database == f"sqlite:///{PROJECT_ROOT / 'instance' / 'formengine.sqlite3'}"
    monkeypatch.setenv("FORMENGINE_DATABASE_URL", "postgresql://db/forms")
    monkeypatch.setenv("FORMENGINE_AUTO_MIGRATE", "0")
    assert Settings().database == "postgresql://db/forms"
    assert Settings().auto_migrate is False


def test_tests_never_use_the_instance_database() -> None:
    assert "instance" not in Settings().database
