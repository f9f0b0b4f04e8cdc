"""The engine's tables (SQLAlchemy Core). Every change here needs an Alembic migration."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

#: Constraint and index names, stable across databases (Alembic needs names to alter them).
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

#: A 64-bit autoincrementing key (SQLite only autoincrements an INTEGER PRIMARY KEY).
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored and returned in UTC; naive datetimes are refused.

    PostgreSQL stores ``timestamptz``; SQLite keeps the UTC time as text (it has no zone).
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: Values of ``audit_log.result``.
AUDIT_RESULTS = ("ok", "not_found", "unavailable", "timeout", "forbidden")

#: One row per population-register lookup: who read whose data, which attributes (paths,
#: never values), for which procedure, from which source, and how it ended.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("requester", sa.String(12), nullable=True),
    sa.Column("subject", sa.String(12), nullable=True),
    sa.Column("procedure", sa.String(64), nullable=False),
    sa.Column("attributes", sa.JSON(), nullable=False),
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("result", sa.String(16), nullable=False),
    sa.Column("request_id", sa.String(64), nullable=True),
    sa.CheckConstraint(
        "result IN ({})".format(", ".join(f"'{r}'" for r in AUDIT_RESULTS)), name="result"),
    sa.Index(None, "subject", "at"),
    sa.Index(None, "requester", "at"),
)
