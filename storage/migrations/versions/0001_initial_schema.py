"""initial schema: tables and the SQL views ``latest_versions`` and ``t3_totals``

Revision ID: 0001
Revises:
Create Date: 2026-11-22 00:10:38.283988
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: Every parsed table cell, keys spelled out (documented in the README, "Storage").
CELLS = """
CREATE VIEW cells AS
SELECT cv.version_id, k.table_name, k.row_key, k.column_key, cv.value, cv.blank, cv.resolved
FROM cell_values cv
JOIN cell_keys k ON k.id = cv.key_id
"""

#: The latest version of every report.
LATEST_VERSIONS = """
CREATE VIEW latest_versions AS
SELECT r.id AS report_id, r.agency_id, r.year, r.url, r.status,
       v.id AS version_id, v.number, v.document_sha, v.parser_version, v.content_hash,
       v.first_seen, v.last_seen
FROM reports r
JOIN versions v ON v.report_id = r.id AND v.number = r.latest_version
"""


def _t3(row: str) -> str:
    return (
        f"LEFT JOIN cell_values t_{row} ON t_{row}.version_id = v.id AND t_{row}.key_id = "
        f"(SELECT id FROM cell_keys WHERE table_name = 'applications' AND row_key = '{row}' "
        "AND column_key = 'total')"
    )


#: Table 3 (applications), column "total", of the latest version: one row per agency and
#: year. Joins rather than GROUP BY, so a WHERE on agency_id or year reaches the indexes.
T3_ROWS = ("new_received", "carried_over", "granted", "total", "carried_forward")
T3_TOTALS = (
    "CREATE VIEW t3_totals AS\n"
    "SELECT r.agency_id, r.year, r.id AS report_id, v.id AS version_id, "
    "t_new_received.value AS new_received, t_carried_over.value AS carried_over, "
    "t_granted.value AS granted, t_total.value AS handled, "
    "t_carried_forward.value AS carried_forward\n"
    "FROM reports r\n"
    "JOIN versions v ON v.report_id = r.id AND v.number = r.latest_version\n"
    + "\n".join(_t3(row) for row in T3_ROWS)
)

def upgrade() -> None:

    op.create_table(
        "agencies",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=300), nullable=False),
        sa.Column("parent_id", sa.String(length=100), nullable=True),
        sa.Column("portal", sa.Text(), nullable=False),
        sa.Column("report_lists", sa.JSON(), nullable=False),
        sa.Column("discovered_lists", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.String(length=5), nullable=True),
        sa.Column("since", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["agencies.id"], name=op.f("fk_agencies_parent_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
    )
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agencies_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agencies_region"), ["region"], unique=False)

    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("node", sa.String(length=200), nullable=True),
        sa.Column("agency_ids", sa.JSON(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )
    op.create_table(
        "documents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("compression", sa.String(length=10), nullable=False),
        sa.Column("store", sa.String(length=10), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_documents")),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("agency_id", sa.String(length=100), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        sa.UniqueConstraint("key", name=op.f("uq_findings_key")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index("ix_findings_kind_state", ["kind", "state"], unique=False)

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("finding_key", sa.String(length=500), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_alerts_finding_id_findings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_alerts_delivered_at_next", ["delivered_at", "next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_alerts_finding_id"), ["finding_id"], unique=False)

    op.create_table(
        "fetches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("agency_id", sa.String(length=100), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("document_sha", sa.String(length=64), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("crawl_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_fetches_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"], ["crawl_runs.id"], name=op.f("fk_fetches_crawl_run_id_crawl_runs")
        ),
        sa.ForeignKeyConstraint(
            ["document_sha"], ["documents.sha256"], name=op.f("fk_fetches_document_sha_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fetches")),
    )
    with op.batch_alter_table("fetches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fetches_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fetches_crawl_run_id"), ["crawl_run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fetches_document_sha"), ["document_sha"], unique=False)
        batch_op.create_index("ix_fetches_url_fetched_at", ["url", "fetched_at"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("list_date", sa.Date(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_reports_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("agency_id", "year", name=op.f("uq_reports_agency_id_year")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_url"), ["url"], unique=False)
        batch_op.create_index("ix_reports_year", ["year"], unique=False)

    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("document_sha", sa.String(length=64), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("parser_version", sa.String(length=50), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_sha"], ["documents.sha256"], name=op.f("fk_versions_document_sha_documents")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_versions_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint("report_id", "number", name=op.f("uq_versions_report_id_number")),
    )
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_versions_document_sha"), ["document_sha"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_versions_parser_version"), ["parser_version"], unique=False
        )

    op.create_table(
        "cell_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=20), nullable=False),
        sa.Column("row_key", sa.String(length=60), nullable=False),
        sa.Column("column_key", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cell_keys")),
        sa.UniqueConstraint(
            "table_name", "row_key", "column_key", name=op.f("uq_cell_keys_table_name_row_key_column_key")
        ),
    )
    op.create_table(
        "cell_values",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("blank", sa.Boolean(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["cell_keys.id"], name=op.f("fk_cell_values_key_id_cell_keys")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["versions.id"],
            name=op.f("fk_cell_values_version_id_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "key_id", name=op.f("pk_cell_values")),
        sqlite_with_rowid=False,
    )
    op.execute(CELLS)
    op.execute(LATEST_VERSIONS)
    op.execute(T3_TOTALS)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS t3_totals")
    op.execute("DROP VIEW IF EXISTS latest_versions")
    op.execute("DROP VIEW IF EXISTS cells")

    op.drop_table("cell_values")
    op.drop_table("cell_keys")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_versions_parser_version"))
        batch_op.drop_index(batch_op.f("ix_versions_document_sha"))

    op.drop_table("versions")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_year")
        batch_op.drop_index(batch_op.f("ix_reports_url"))

    op.drop_table("reports")
    with op.batch_alter_table("fetches", schema=None) as batch_op:
        batch_op.drop_index("ix_fetches_url_fetched_at")
        batch_op.drop_index(batch_op.f("ix_fetches_document_sha"))
        batch_op.drop_index(batch_op.f("ix_fetches_crawl_run_id"))
        batch_op.drop_index(batch_op.f("ix_fetches_agency_id"))

    op.drop_table("fetches")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_finding_id"))
        batch_op.drop_index("ix_alerts_delivered_at_next")

    op.drop_table("alerts")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_kind_state")
        batch_op.drop_index(batch_op.f("ix_findings_agency_id"))

    op.drop_table("findings")
    op.drop_table("documents")
    op.drop_table("crawl_runs")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agencies_region"))
        batch_op.drop_index(batch_op.f("ix_agencies_parent_id"))

    op.drop_table("agencies")
