"""co-applicant consents

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("requester", sa.String(12), nullable=False),
        sa.Column("subject", sa.String(12), nullable=False),
        sa.Column("procedure", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_consents"),
        sa.UniqueConstraint("token_hash", name="uq_consents_token_hash"),
        sa.UniqueConstraint("requester", "procedure", name="uq_consents_requester_procedure"),
        sa.CheckConstraint("status IN ('pending', 'granted', 'refused')",
                           name="ck_consents_status"),
    )
    op.create_index("ix_consents_expires_at", "consents", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_consents_expires_at", table_name="consents")
    op.drop_table("consents")
