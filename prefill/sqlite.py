"""The embedded population database: Citizen records in one SQLite file.

The file holds two tables: ``citizens(id INTEGER PRIMARY KEY, doc TEXT)``, one compact JSON
Citizen document per person keyed by the personal ID read as a number (so a lookup is one
B-tree search), and ``meta(key, value)`` (format version, generator, seed, count).
:class:`SqliteAdapter` reads it through a small pool of read-only connections, so request
threads can share one adapter.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from prefill.adapter import Health, Linked, NotFound, Timeout, Unavailable
from prefill.model import Citizen

__all__ = ["FORMAT_VERSION", "SqliteAdapter", "read_documents", "read_meta", "write_database"]

FORMAT_VERSION = "1"
"""Version of the file layout, kept in ``meta``; the adapter refuses other versions."""

_BATCH = 20_000
_BUSY_TIMEOUT_S = 2.0


def _key(personal_id: str) -> int | None:
    """The row key of a personal ID; None for a string that cannot be one."""
    if len(personal_id) != 12 or not personal_id.isascii() or not personal_id.isdigit():
        return None
    return int(personal_id)


def write_database(path: Path, rows: Iterable[tuple[int, str]], meta: Mapping[str, str]) -> int:
    """Write ``(key, JSON document)`` rows and ``meta`` to a new file replacing ``path``.

    One transaction without a journal into a temporary file beside ``path``, then an atomic
    rename (so readers and concurrent writers never see half a file); the bytes depend only
    on the rows and meta. Returns the number of rows. Raises ValueError on a repeated key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    written = 0
    connection = sqlite3.connect(temporary, isolation_level=None)
    try:
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE",
                       "cache_size = -262144", "temp_store = MEMORY"):
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("BEGIN")
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute("CREATE TABLE citizens (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)")
        insert = "INSERT INTO citizens (id, doc) VALUES (?, ?)"
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, _BATCH)):
            connection.executemany(insert, batch)
            written += len(batch)
        connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                               sorted({**meta, "format_version": FORMAT_VERSION}.items()))
        connection.execute("COMMIT")
    except sqlite3.IntegrityError as exc:
        connection.close()
        temporary.unlink(missing_ok=True)
        raise ValueError(f"two records with one personal ID ({exc})") from None
    except BaseException:
        connection.close()
        temporary.unlink(missing_ok=True)
        raise
    connection.close()
    os.replace(temporary, path)
    return written


def _open(path: Path) -> sqlite3.Connection:
    """A read-only connection to a population file of our format, or Unavailable."""
    if not path.is_file():
        raise Unavailable("the population database file does not exist")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                     timeout=_BUSY_TIMEOUT_S, check_same_thread=False)
    except sqlite3.Error as exc:
        raise Unavailable(f"cannot open the population database ({exc})") from None
    try:
        row = connection.execute(
            "SELECT value FROM meta WHERE key = 'format_version'").fetchone()
    except sqlite3.Error as exc:
        connection.close()
        raise Unavailable(f"not a population database ({exc})") from None
    if row is None or row[0] != FORMAT_VERSION:
        connection.close()
        raise Unavailable(f"population database format {row and row[0]!r}, "
                          f"expected {FORMAT_VERSION!r}")
    return connection


def read_meta(path: Path | str) -> dict[str, str]:
    """The ``meta`` table of a population file (Unavailable if it is not one)."""
    connection = _open(Path(path))
    try:
        return dict(connection.execute("SELECT key, value FROM meta ORDER BY key"))
    finally:
        connection.close()


def read_documents(path: Path | str) -> Iterator[dict[str, Any]]:
    """Every Citizen document of a population file, as parsed JSON, in key order."""
    connection = _open(Path(path))
    try:
        for (doc,) in connection.execute("SELECT doc FROM citizens ORDER BY id"):
            yield json.loads(doc)
    finally:
        connection.close()


class SqliteAdapter:
    """A :class:`~prefill.adapter.PopulationAdapter` over a population file.

    Connections are opened on first use (so a missing file is reported by the lookups and
    :meth:`health`, not by the constructor), kept in a pool and shared by threads one at a
    time.
    """

    source = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._pool: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SqliteAdapter({str(self.path)!r})"

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._pool.pop() if self._pool else None
        if connection is None:
            connection = _open(self.path)
        try:
            yield connection
        except sqlite3.OperationalError as exc:
            connection.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise Timeout("the population database is busy") from None
            raise Unavailable(f"population database error ({exc})") from None
        except sqlite3.Error as exc:
            connection.close()
            raise Unavailable(f"population database error ({exc})") from None
        else:
            with self._lock:
                self._pool.append(connection)

    def _documents(self, keys: Sequence[int]) -> dict[int, str]:
        with self._connection() as connection:
            if len(keys) == 1:
                row = connection.execute("SELECT doc FROM citizens WHERE id = ?",
                                         (keys[0],)).fetchone()
                return {} if row is None else {keys[0]: row[0]}
            marks = ",".join("?" * len(keys))
            return dict(connection.execute(
                f"SELECT id, doc FROM citizens WHERE id IN ({marks})", keys).fetchall())

    def _parse(self, doc: str) -> Citizen:
        try:
            return Citizen.model_validate_json(doc)
        except ValidationError:
            raise Unavailable("a record in the population database is malformed") from None

    def _many(self, personal_ids: Iterable[str | None]) -> dict[str, Citizen]:
        keys = sorted({k for p in personal_ids if p and (k := _key(p)) is not None})
        if not keys:
            return {}
        return {f"{key:012d}": self._parse(doc) for key, doc in self._documents(keys).items()}

    def citizen(self, personal_id: str, *, procedure: str) -> Citizen:
        """The record of ``personal_id``; NotFound if the file has none."""
        key = _key(personal_id)
        doc = self._documents([key]).get(key) if key is not None else None
        if doc is None:
            raise NotFound("no citizen with this personal ID")
        return self._parse(doc)

    def household(self, personal_id: str, *, procedure: str) -> list[Citizen]:
        """The members of the person's household, the head first, in the record's order."""
        person = self.citizen(personal_id, procedure=procedure)
        if person.household is None:
            return []
        members = self._many(m.personal_id for m in person.household.members
                             if m.personal_id != person.personal_id)
        members[person.personal_id] = person
        return [members[m.personal_id] for m in person.household.members
                if m.personal_id in members]

    def linked(self, personal_id: str, *, procedure: str) -> Linked:
        """The records of the person's father, mother, spouse and children."""
        person = self.citizen(personal_id, procedure=procedure)
        refs = [person.father, person.mother, person.spouse, *person.children]
        found = self._many(ref.personal_id for ref in refs if ref is not None)

        def record(ref: Any) -> Citizen | None:
            return None if ref is None or ref.personal_id is None else found.get(
                ref.personal_id)

        children = tuple(c for c in map(record, person.children) if c is not None)
        return Linked(record(person.father), record(person.mother), record(person.spouse),
                      children)

    def health(self) -> Health:
        """Ok with the number of records, or not ok with the reason (never raises)."""
        try:
            with self._connection() as connection:
                row = connection.execute(
                    "SELECT value FROM meta WHERE key = 'count'").fetchone()
                connection.execute("SELECT id FROM citizens LIMIT 1").fetchone()
        except Unavailable as exc:
            return Health(False, str(exc))
        return Health(True, f"{row[0] if row else 'unknown number of'} citizens")

    def close(self) -> None:
        """Close the idle connections (the adapter stays usable: it opens new ones)."""
        with self._lock:
            pool, self._pool = self._pool, []
        for connection in pool:
            connection.close()

    def __enter__(self) -> SqliteAdapter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
