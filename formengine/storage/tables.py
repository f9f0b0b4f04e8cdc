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

#: One draft per citizen and procedure: the answers so far, resumed rather than duplicated.
drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("owner", sa.String(12), nullable=False),
    sa.Column("procedure", sa.String(64), nullable=False),
    sa.Column("version", sa.String(64), nullable=False),
    sa.Column("page", sa.String(64), nullable=True),
    sa.Column("answers", sa.JSON(), nullable=False),
    sa.Column("snapshot", sa.JSON(), nullable=True),
    sa.Column("submission_key", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("owner", "procedure"),
    sa.Index(None, "expires_at"),
)

#: Values of ``submissions.status``.
SUBMISSION_STATUSES = ("received", "delivered", "processed")

#: Submissions, stored once (``submission_key`` is the idempotency key carried by the form),
#: pinned to the definition's id, version and content hash, and signed.
submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("receipt", sa.String(16), nullable=False, unique=True),
    sa.Column("submission_key", sa.String(64), nullable=False, unique=True),
    sa.Column("owner", sa.String(12), nullable=True),
    sa.Column("procedure", sa.String(64), nullable=False),
    sa.Column("version", sa.String(64), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("record", sa.JSON(), nullable=True),
    sa.Column("signature", sa.String(128), nullable=False),
    sa.Column("key_id", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("submitted_at", UtcDateTime(), nullable=False),
    sa.Column("processed_at", UtcDateTime(), nullable=True),
    sa.Column("purged_at", UtcDateTime(), nullable=True),
    sa.Column("tenant", sa.String(64), nullable=True),
    sa.CheckConstraint(
        "status IN ({})".format(", ".join(f"'{s}'" for s in SUBMISSION_STATUSES)),
        name="status"),
    sa.Index(None, "owner", "submitted_at"),
    sa.Index(None, "tenant", "submitted_at"),
)

#: Values of ``outbox.state``.
OUTBOX_STATES = ("pending", "delivered", "parked")

#: One delivery per submission to the province's processing system (written in the
#: submission's transaction, so nothing is lost while the receiver is down).
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("submission_id", BigId, sa.ForeignKey("submissions.id"), nullable=False,
              unique=True),
    sa.Column("delivery_id", sa.String(36), nullable=False, unique=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
    sa.Column("last_error", sa.String(200), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("delivered_at", UtcDateTime(), nullable=True),
    sa.CheckConstraint(
        "state IN ({})".format(", ".join(f"'{s}'" for s in OUTBOX_STATES)), name="state"),
    sa.Index(None, "state", "next_attempt_at"),
)

#: Values of ``consents.status``.
CONSENT_STATUSES = ("pending", "granted", "refused")

#: Requests that a co-applicant (the other party of a marriage) let the applicant's form
#: use their register record: asked by the applicant with the co-applicant's personal ID,
#: decided by the co-applicant with their own sign-in. The link's token is kept hashed.
consents = sa.Table(
    "consents",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("requester", sa.String(12), nullable=False),
    sa.Column("subject", sa.String(12), nullable=False),
    sa.Column("procedure", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("decided_at", UtcDateTime(), nullable=True),
    sa.Column("expires_at", UtcDateTime(), nullable=False),
    sa.CheckConstraint(
        "status IN ({})".format(", ".join(f"'{s}'" for s in CONSENT_STATUSES)), name="status"),
    sa.UniqueConstraint("requester", "procedure"),
    sa.Index(None, "expires_at"),
)
