"""Reading reports, versions and cells back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parser.record import Report
from storage.errors import NotFound
from storage.models import AgencyRow, CellKeyRow, CellValueRow, ReportRow, VersionRow
from storage.types import CellValue, ReportInfo, Version


def to_info(row: ReportRow) -> ReportInfo:
    return ReportInfo(
        id=row.id,
        agency_id=row.agency_id,
        year=row.year,
        url=row.url,
        title=row.title,
        published_on=row.published_on,
        list_date=row.list_date,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        status=row.status,
        removed_at=row.removed_at,
        # Numbers run 1, 2, 3 … without gaps, so the latest number is also the count.
        versions=row.latest_version,
        latest_version=row.latest_version,
    )


def to_version(row: VersionRow) -> Version:
    return Version(
        report_id=row.report_id,
        number=row.number,
        document_sha=row.document_sha,
        record=Report.from_dict(row.record),
        parser_version=row.parser_version,
        content_hash=row.content_hash,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        attachments=tuple(row.attachments or ()),
        id=row.id,
    )


def _filtered(
    agency_id: str | None,
    year: int | None,
    region: str | None,
    ids: Iterable[int] | None,
    years: Iterable[int] | None = None,
    agency_ids: Iterable[str] | None = None,
) -> Any:
    query = select(ReportRow)
    if agency_id is not None:
        query = query.where(ReportRow.agency_id == agency_id)
    if agency_ids is not None:
        query = query.where(ReportRow.agency_id.in_(list(agency_ids)))
    if year is not None:
        query = query.where(ReportRow.year == year)
    if years is not None:
        query = query.where(ReportRow.year.in_(list(years)))
    if ids is not None:
        query = query.where(ReportRow.id.in_(list(ids)))
    if region is not None:
        region = region.strip("/")
        region_ids = select(AgencyRow.id).where(
            (AgencyRow.region == region)
            | AgencyRow.region.startswith(region + "/", autoescape=True)
        )
        query = query.where(ReportRow.agency_id.in_(region_ids))
    return query.order_by(ReportRow.agency_id, ReportRow.year)


def select_reports(
    session: Session,
    *,
    agency_id: str | None = None,
    year: int | None = None,
    region: str | None = None,
    ids: Iterable[int] | None = None,
) -> list[ReportInfo]:
    return [to_info(r) for r in session.scalars(_filtered(agency_id, year, region, ids))]


def get(session: Session, agency_id: str, year: int) -> ReportInfo:
    row = session.scalars(
        select(ReportRow).where(ReportRow.agency_id == agency_id, ReportRow.year == year)
    ).one_or_none()
    if row is None:
        raise NotFound("report", f"{agency_id}/{year}")
    return to_info(row)


def versions(session: Session, report_id: int) -> list[Version]:
    query = select(VersionRow).where(VersionRow.report_id == report_id).order_by(VersionRow.number)
    return [to_version(r) for r in session.scalars(query)]


def version(session: Session, report_id: int, number: int) -> Version:
    row = session.scalars(
        select(VersionRow).where(VersionRow.report_id == report_id, VersionRow.number == number)
    ).one_or_none()
    if row is None:
        raise NotFound("version", f"report {report_id} version {number}")
    return to_version(row)


def latest_records(
    session: Session,
    *,
    years: Iterable[int] | None = None,
    agency_ids: Iterable[str] | None = None,
) -> Iterator[tuple[ReportInfo, Report]]:
    query = (
        _filtered(None, None, None, None, years=years, agency_ids=agency_ids)
        .add_columns(VersionRow.record)
        .join(
            VersionRow,
            (VersionRow.report_id == ReportRow.id)
            & (VersionRow.number == ReportRow.latest_version),
        )
        .execution_options(yield_per=500)
    )
    for row, record in session.execute(query):
        yield to_info(row), Report.from_dict(record)


def cells(
    session: Session,
    *,
    table: str | None,
    row: str | None,
    column: str | None,
    agency_ids: Iterable[str] | None,
    years: Iterable[int] | None,
    latest_only: bool,
) -> list[CellValue]:
    k, c = CellKeyRow, CellValueRow
    query = (
        select(
            ReportRow.agency_id,
            ReportRow.year,
            VersionRow.number,
            k.table_name,
            k.row_key,
            k.column_key,
            c.value,
            c.blank,
            c.resolved,
        )
        .join(VersionRow, VersionRow.report_id == ReportRow.id)
        .join(c, c.version_id == VersionRow.id)
        .join(k, k.id == c.key_id)
        .order_by(ReportRow.agency_id, ReportRow.year, VersionRow.number, c.key_id)
    )
    if latest_only:
        query = query.where(VersionRow.number == ReportRow.latest_version)
    for col, value in ((k.table_name, table), (k.row_key, row), (k.column_key, column)):
        if value is not None:
            query = query.where(col == value)
    if agency_ids is not None:
        query = query.where(ReportRow.agency_id.in_(list(agency_ids)))
    if years is not None:
        query = query.where(ReportRow.year.in_(list(years)))
    return [CellValue(*r) for r in session.execute(query)]
