"""Engines for the engine database, and Alembic migrations run from code.

No ``alembic.ini`` is needed: :func:`alembic_config` builds the configuration with
``script_location`` set to this package's ``migrations/`` folder.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

MIGRATIONS = Path(__file__).parent / "migrations"

#: How long a SQLite connection waits for another writer's lock, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 5_000

#: Key of the PostgreSQL advisory lock held while migrating (concurrent upgraders queue).
_PG_MIGRATION_LOCK = 0x666F726D  # "form"

#: Alembic keeps the running migration in module globals: one upgrade at a time per process.
_ALEMBIC_LOCK = threading.Lock()

#: Execution option: open the SQLite transaction with BEGIN IMMEDIATE (take the write lock).
_BEGIN_IMMEDIATE = "formengine_begin_immediate"
#: Execution options of a connection whose transactions take SQLite's write lock at BEGIN
#: (read-then-write transactions: no "database is locked" when another writer won the race).
WRITE_INTENT: dict[str, bool] = {_BEGIN_IMMEDIATE: True}


def database_url(url: str) -> URL:
    """Parse ``url``; ``postgresql://`` (and ``postgres://``) become ``postgresql+psycopg://``."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url`` (SQLite or PostgreSQL); ``options`` go to ``create_engine``.

    SQLite: the file's folder is created, connections use WAL, foreign keys and a busy
    timeout, and transactions are real (``BEGIN`` issued by us, so DDL is transactional).
    An in-memory database (``sqlite://``) is one connection shared by every thread.
    """
    parsed = database_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True, **options)
    memory = parsed.database in (None, "", ":memory:")
    if memory:
        options.setdefault("poolclass", StaticPool)
        options.setdefault("connect_args", {"check_same_thread": False})
    elif parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, **options)
    _sqlite_events(engine, wal=not memory)
    return engine


def _sqlite_events(engine: Engine, *, wal: bool) -> None:
    """Pragmas on every new connection; SQLAlchemy, not pysqlite, begins transactions.

    This is the SQLAlchemy recipe for pysqlite: its own transaction handling skips BEGIN
    before DDL, which would make a migration half-applied after a failure.
    """

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if wal:
            cursor.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit
            # survives the process being killed; only a power cut or an OS crash can lose
            # the last commits (docs/storage.md). PostgreSQL is the choice for stricter needs.
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_BEGIN_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def alembic_config(connection: Connection | None = None) -> Config:
    """The Alembic configuration, built in code; ``connection`` is the one to migrate."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    """The revision the migrations lead to (read once per process)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's revision, or None when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_at_head(engine: Engine) -> bool:
    """Whether the schema is at the head revision (one small query)."""
    return current_revision(engine) == head_revision()


def upgrade(engine: Engine) -> None:
    """Migrate the database to head, in one transaction; does nothing when already there.

    Concurrent upgraders (several workers starting at once) wait for each other: a
    PostgreSQL advisory lock, or SQLite's write lock, is held for the whole upgrade, and
    the revision is read again once it is held. Within a process a lock serialises
    upgrades too (Alembic's ``context`` and ``op`` are process-wide).
    """
    if is_at_head(engine):
        return
    with _ALEMBIC_LOCK, engine.connect() as connection:
        connection = connection.execution_options(**{_BEGIN_IMMEDIATE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
            command.upgrade(alembic_config(connection), "head")
