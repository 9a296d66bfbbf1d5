"""The ORM models (SQLAlchemy 2 typed). The migrations in ``storage/migrations`` must match them;
``tests/storage/test_storage_migrations.py`` fails when they do not."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.figures import columns as figure_columns

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def as_utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC in and out; SQLite keeps no zone, so one is attached on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
        # SQLite compares datetimes as text: store them without an offset so they sort.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads it from the class
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class AgencyRow(Base):
    __tablename__ = "agencies"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(300), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    portal: Mapped[str] = mapped_column(Text)
    report_lists: Mapped[list[Any]] = mapped_column(JSON)
    discovered_lists: Mapped[list[Any]] = mapped_column(JSON)
    deadline: Mapped[str | None] = mapped_column(String(5))
    since: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class DocumentRow(Base):
    __tablename__ = "documents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str | None] = mapped_column(String(200))
    compression: Mapped[str] = mapped_column(String(10))  # "zlib"
    store: Mapped[str] = mapped_column(String(10))  # "db" | "dir"
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # compressed; None when store="dir"
    created_at: Mapped[dt.datetime]


class CrawlRunRow(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    node: Mapped[str | None] = mapped_column(String(200))
    agency_ids: Mapped[list[Any]] = mapped_column(JSON)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))


class FetchRow(Base):
    __tablename__ = "fetches"
    __table_args__ = (Index("ix_fetches_url_fetched_at", "url", "fetched_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    agency_id: Mapped[str | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    fetched_at: Mapped[dt.datetime]
    status: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    document_sha: Mapped[str | None] = mapped_column(ForeignKey("documents.sha256"), index=True)
    content_type: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("agency_id", "year"), Index("ix_reports_year", "year"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"))
    year: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(Text, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    list_date: Mapped[dt.date | None] = mapped_column(Date)
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(10))  # "present" | "removed"
    removed_at: Mapped[dt.datetime | None]
    latest_version: Mapped[int] = mapped_column(Integer)


class VersionRow(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    number: Mapped[int] = mapped_column(Integer)
    document_sha: Mapped[str] = mapped_column(ForeignKey("documents.sha256"), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    parser_version: Mapped[str] = mapped_column(String(50), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    attachments: Mapped[list[Any]] = mapped_column(JSON)
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]


class CellKeyRow(Base):
    """One (table, row, column) key; cells refer to it by a small id to stay compact."""

    __tablename__ = "cell_keys"
    __table_args__ = (UniqueConstraint("table_name", "row_key", "column_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(20))
    row_key: Mapped[str] = mapped_column(String(60))
    column_key: Mapped[str] = mapped_column(String(60))


class CellValueRow(Base):
    """One parsed table cell of a version. SQL users read the ``cells`` view, which names the
    key: ``cells(version_id, table_name, row_key, column_key, value, blank, resolved)``."""

    __tablename__ = "cell_values"
    # SQLite: the primary key is the table itself (no rowid, no second copy of the key).
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - read by SQLAlchemy

    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True
    )
    key_id: Mapped[int] = mapped_column(ForeignKey("cell_keys.id"), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)
    blank: Mapped[bool] = mapped_column(Boolean)
    resolved: Mapped[bool] = mapped_column(Boolean)


class VersionFactsRow(Base):
    """The compact facts of a version that a check pass reads (see ``storage.facts``)."""

    __tablename__ = "version_facts"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True
    )
    derivation: Mapped[int] = mapped_column(Integer)  # storage.facts.DERIVATION
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    shingles: Mapped[int] = mapped_column(Integer)  # distinct narrative shingles
    sketch: Mapped[bytes | None] = mapped_column(LargeBinary)  # None: no narrative


#: The key figures of a version as plain numbers (``storage.figures``), for the set-based
#: check queries (``storage.candidates``); ``shingles``/``sketch`` repeat the narrative
#: signature of ``version_facts`` so that those queries never read the facts JSON.
report_figures = Table(
    "report_figures",
    Base.metadata,
    Column("version_id", ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True),
    Column("template", String(20), nullable=False),
    Column("failing", Boolean, nullable=False),
    Column("prose_mismatch", Boolean, nullable=False),
    Column("signed_on", Date),
    Column("shingles", Integer, nullable=False),
    Column("sketch", LargeBinary),
    *(Column(name, Float) for name in figure_columns()),
)


#: Reports counted per agency group and year, kept by triggers (migration 0005) in the
#: transaction that changes a report or an agency: what the timeliness overview needs without
#: a pass over every report. "" / 0 stand for no registry deadline / ``since`` (a key column
#: cannot be NULL for an upsert to find its row). ``on_time``: reports published by their
#: deadline (``storage.deadline_sql``'s rule); rows may hold 0 after an agency moves.
report_tallies = Table(
    "report_tallies",
    Base.metadata,
    Column("region", String(300), primary_key=True),
    Column("level", String(20), primary_key=True),
    Column("deadline", String(5), primary_key=True),
    Column("since", Integer, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("reports", Integer, nullable=False),
    Column("on_time", Integer, nullable=False),
    Column("versions", Integer, nullable=False),
)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        Index("ix_findings_kind_state", "kind", "state"),
        # the findings list: open ones, newest first, a page at a time
        Index("ix_findings_state_opened_at_id", "state", "opened_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10))
    agency_id: Mapped[str | None] = mapped_column(String(100), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10))  # "open" | "resolved"
    opened_at: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]
    resolved_at: Mapped[dt.datetime | None]


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_delivered_at_next", "delivered_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), index=True)
    finding_key: Mapped[str] = mapped_column(String(500))
    event: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime]
    attempts: Mapped[int] = mapped_column(Integer)
    last_attempt_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime | None]
    lease_until: Mapped[dt.datetime | None]


class LeaseRow(Base):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str] = mapped_column(String(300))
    acquired_at: Mapped[dt.datetime]
    until: Mapped[dt.datetime]


class JobRunRow(Base):
    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started_at", "job", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
