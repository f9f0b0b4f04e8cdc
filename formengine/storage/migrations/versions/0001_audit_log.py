"""audit_log: one row per population-register lookup

Revision ID: 0001
Revises:
Create Date: 2025-07-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requester", sa.String(12), nullable=True),
        sa.Column("subject", sa.String(12), nullable=True),
        sa.Column("procedure", sa.String(64), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sa.CheckConstraint(
            "result IN ('ok', 'not_found', 'unavailable', 'timeout', 'forbidden')",
            name="ck_audit_log_result"),
    )
    op.create_index("ix_audit_log_subject_at", "audit_log", ["subject", "at"])
    op.create_index("ix_audit_log_requester_at", "audit_log", ["requester", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_requester_at", table_name="audit_log")
    op.drop_index("ix_audit_log_subject_at", table_name="audit_log")
    op.drop_table("audit_log")
