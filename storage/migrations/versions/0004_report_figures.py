"""report_figures: the key figures of every version as plain numbers (backfilled here)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_APPLICATION_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
_JUMP = (
    "new_applications",
    "handled_total",
    "share_granted",
    "review_total",
    "litigation_total",
    "licensing_decisions",
    "punishment_decisions",
    "documents_issued",
    "fees_amount",
)
#: frozen here: a later change of storage.figures comes with a migration of its own
_NUMBERS = (
    [f"jump_{n}" for n in _JUMP]
    + [f"over_{c}" for c in _APPLICATION_COLUMNS]
    + [f"forward_{c}" for c in _APPLICATION_COLUMNS]
    + [f"{p}_{c}" for p in ("reg", "nd") for c in ("in_force", "issued", "repealed")]
)


def upgrade() -> None:
    op.create_table(
        "report_figures",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=20), nullable=False),
        sa.Column("failing", sa.Boolean(), nullable=False),
        sa.Column("prose_mismatch", sa.Boolean(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.Column("sketch", sa.LargeBinary(), nullable=True),
        *(sa.Column(name, sa.Float(), nullable=True) for name in _NUMBERS),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["versions.id"],
            name=op.f("fk_report_figures_version_id_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_report_figures")),
    )
    # Every stored version gets its figures (and facts of the current derivation) from its
    # record now, so that the first check pass after the upgrade does not stall on it.
    from storage.factstore import refresh

    refresh(op.get_bind())


def downgrade() -> None:
    op.drop_table("report_figures")
