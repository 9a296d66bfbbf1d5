"""version_facts: the compact per-version facts a check pass reads (backfilled here)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "version_facts",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("derivation", sa.Integer(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.Column("sketch", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["versions.id"],
            name=op.f("fk_version_facts_version_id_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_version_facts")),
    )
    # Existing versions get their facts from their stored records, in this migration, so that
    # the first check pass after the upgrade does not stall on it.
    from storage.factstore import refresh

    refresh(op.get_bind())


def downgrade() -> None:
    op.drop_table("version_facts")
