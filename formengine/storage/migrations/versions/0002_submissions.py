"""drafts, submissions and the outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("owner", sa.String(12), nullable=False),
        sa.Column("procedure", sa.String(64), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("page", sa.String(64), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("submission_key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
        sa.UniqueConstraint("owner", "procedure", name="uq_drafts_owner_procedure"),
    )
    op.create_index("ix_drafts_expires_at", "drafts", ["expires_at"])
    op.create_table(
        "submissions",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("receipt", sa.String(16), nullable=False),
        sa.Column("submission_key", sa.String(64), nullable=False),
        sa.Column("owner", sa.String(12), nullable=True),
        sa.Column("procedure", sa.String(64), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("record", sa.JSON(), nullable=True),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.UniqueConstraint("receipt", name="uq_submissions_receipt"),
        sa.UniqueConstraint("submission_key", name="uq_submissions_submission_key"),
        sa.CheckConstraint("status IN ('received', 'delivered', 'processed')",
                           name="ck_submissions_status"),
    )
    op.create_index("ix_submissions_owner_submitted_at", "submissions",
                    ["owner", "submitted_at"])
    op.create_table(
        "outbox",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("submission_id", BIG_ID, nullable=False),
        sa.Column("delivery_id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name="fk_outbox_submission_id_submissions"),
        sa.UniqueConstraint("submission_id", name="uq_outbox_submission_id"),
        sa.UniqueConstraint("delivery_id", name="uq_outbox_delivery_id"),
        sa.CheckConstraint("state IN ('pending', 'delivered', 'parked')",
                           name="ck_outbox_state"),
    )
    op.create_index("ix_outbox_state_next_attempt_at", "outbox", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_state_next_attempt_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_submissions_owner_submitted_at", table_name="submissions")
    op.drop_table("submissions")
    op.drop_index("ix_drafts_expires_at", table_name="drafts")
    op.drop_table("drafts")
