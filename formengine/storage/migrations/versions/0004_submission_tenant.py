"""the tenant a submission came through

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("tenant", sa.String(64), nullable=True))
    op.create_index("ix_submissions_tenant_submitted_at", "submissions",
                    ["tenant", "submitted_at"])


def downgrade() -> None:
    op.drop_index("ix_submissions_tenant_submitted_at", table_name="submissions")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("tenant")
