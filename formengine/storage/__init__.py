"""The engine database: engine, tables, Alembic migrations and the audit log (docs/storage.md).

Public API::

    make_engine(url) -> Engine           SQLite or PostgreSQL (psycopg)
    upgrade(engine) -> None              migrate to head (idempotent)
    is_at_head(engine) -> bool           schema already at head?
    AuditEntry, AuditLog, SqlAuditLog    the audit log of population-register lookups
"""

from __future__ import annotations

from formengine.storage.audit import (
    RESULTS,
    AuditEntry,
    AuditError,
    AuditLog,
    AuditResult,
    SqlAuditLog,
)
from formengine.storage.db import current_revision, head_revision, is_at_head, make_engine, upgrade
from formengine.storage.tables import audit_log, metadata

__all__ = [
    "RESULTS",
    "AuditEntry",
    "AuditError",
    "AuditLog",
    "AuditResult",
    "SqlAuditLog",
    "audit_log",
    "current_revision",
    "head_revision",
    "is_at_head",
    "make_engine",
    "metadata",
    "upgrade",
]
