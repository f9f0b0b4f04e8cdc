"""The audit log of population-register lookups: who read whose data, why, and how it went.

**No lookup without audit.** :meth:`AuditLog.record` raises :class:`AuditError` when the
entry cannot be stored, and the caller must then fail the lookup (discard what it read and
answer as if the register were unavailable). Personal data read without a trace is worse
than a form the citizen fills in by hand, so a database error is never swallowed here.

Entries hold attribute *paths* (``"full_name"``, ``"residence.permanent"``), never values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol, get_args, runtime_checkable

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from formengine.storage.tables import AUDIT_RESULTS, audit_log

__all__ = ["RESULTS", "AuditEntry", "AuditError", "AuditLog", "AuditResult", "SqlAuditLog"]

#: How a lookup ended.
AuditResult = Literal["ok", "not_found", "unavailable", "timeout", "forbidden"]
RESULTS: tuple[str, ...] = get_args(AuditResult)
assert RESULTS == AUDIT_RESULTS


class AuditError(RuntimeError):
    """The audit entry could not be stored: the lookup it records must fail too."""


@dataclass(frozen=True)
class AuditEntry:
    """One population-register lookup.

    ``requester`` is the signed-in person's personal ID (None: nobody signed in), ``subject``
    the personal ID whose data was read (None: not known), ``attributes`` the paths read
    (never values), ``source`` the adapter kind (``"sqlite"``, ``"http"``), ``at`` the time
    (default: now, UTC; a naive datetime is refused).
    """

    requester: str | None
    subject: str | None
    procedure: str
    attributes: tuple[str, ...]
    source: str
    result: AuditResult
    request_id: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if self.result not in RESULTS:
            raise ValueError(f"result must be one of {', '.join(RESULTS)}")
        if isinstance(self.attributes, str) or not all(
                isinstance(a, str) for a in self.attributes):
            raise TypeError("attributes must be a sequence of attribute paths (str)")
        object.__setattr__(self, "attributes", tuple(self.attributes))
        if self.at is None:  # explicitly passed None: now, too
            object.__setattr__(self, "at", datetime.now(UTC))
        elif self.at.tzinfo is None:
            raise ValueError("at must be timezone-aware")
        else:
            object.__setattr__(self, "at", self.at.astimezone(UTC))


@runtime_checkable
class AuditLog(Protocol):
    """Where audit entries go; ``app.extensions["formengine.audit"]`` holds the app's."""

    def record(self, entry: AuditEntry) -> None:
        """Store ``entry`` durably before returning; raise :class:`AuditError` otherwise."""

    def record_many(self, entries: Sequence[AuditEntry]) -> None:
        """Store ``entries`` durably, all or none (one lookup of several persons)."""

    def entries(self, *, subject: str | None = None, requester: str | None = None,
                limit: int = 100) -> list[AuditEntry]:
        """The newest entries first, optionally only one subject's and/or requester's."""


class SqlAuditLog:
    """:class:`AuditLog` in the engine database (table ``audit_log``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, entry: AuditEntry) -> None:
        """Insert ``entry`` and commit; :class:`AuditError` (no personal data) on failure."""
        self.record_many([entry])

    def record_many(self, entries: Sequence[AuditEntry]) -> None:
        """Insert ``entries`` in one transaction (one commit for all the persons a form
        reads); :class:`AuditError` (no personal data) on failure, and then none is stored."""
        rows = [{
            "at": entry.at, "requester": entry.requester, "subject": entry.subject,
            "procedure": entry.procedure, "attributes": list(entry.attributes),
            "source": entry.source, "result": entry.result, "request_id": entry.request_id,
        } for entry in entries]
        if not rows:
            return
        try:
            with self.engine.begin() as connection:
                connection.execute(audit_log.insert(), rows)
        except SQLAlchemyError as exc:
            # The driver's message may quote the row: keep only the error's class.
            raise AuditError(f"audit entry not stored ({type(exc).__name__})") from None

    def entries(self, *, subject: str | None = None, requester: str | None = None,
                limit: int = 100) -> list[AuditEntry]:
        """The newest ``limit`` entries first (ties: the later insert first)."""
        query = sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
        if subject is not None:
            query = query.where(audit_log.c.subject == subject)
        if requester is not None:
            query = query.where(audit_log.c.requester == requester)
        with self.engine.connect() as connection:
            rows = connection.execute(query.limit(limit)).mappings().all()
        return [
            AuditEntry(requester=r["requester"], subject=r["subject"],
                       procedure=r["procedure"], attributes=tuple(r["attributes"]),
                       source=r["source"], result=r["result"], request_id=r["request_id"],
                       at=r["at"])
            for r in rows
        ]
