"""Reports, versions and cells: store observations, query them, re-derive them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from parser.record import Report
from storage.content import cells_of, content_hash
from storage.documents import DocumentStore
from storage.engine import Database
from storage.errors import NotFound, UnknownAgency
from storage.models import AgencyRow, CellRow, DocumentRow, ReportRow, VersionRow
from storage.types import CellValue, ReportInfo, ReportObservation, StoreResult, Version


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


def _write_cells(session: Session, version_id: int, record: Report) -> None:
    rows = [{"version_id": version_id, **vars(c)} for c in cells_of(record)]
    if rows:
        # Core executemany, not the ORM bulk path: a report has ~200 cells and this is the
        # hot loop of every ingest.
        session.connection().execute(insert(CellRow.__table__), rows)


def store(session: Session, obs: ReportObservation) -> StoreResult:
    if session.get(AgencyRow, obs.agency_id) is None:
        raise UnknownAgency(obs.agency_id)
    if session.get(DocumentRow, obs.document_sha) is None:
        raise NotFound("document", obs.document_sha, "; store it with put_document first")
    report = session.scalars(
        select(ReportRow).where(ReportRow.agency_id == obs.agency_id, ReportRow.year == obs.year)
    ).one_or_none()
    created = report is None
    if report is None:
        report = ReportRow(
            agency_id=obs.agency_id,
            year=obs.year,
            url=obs.url,
            title=obs.title,
            published_on=obs.published_on,
            list_date=obs.list_date,
            first_seen=obs.seen_at,
            last_seen=obs.seen_at,
            status="present",
            removed_at=None,
            latest_version=0,
        )
        session.add(report)
        session.flush()  # a concurrent writer of the same (agency, year) fails here and retries
    else:
        report.url = obs.url
        report.title = obs.title or report.title
        report.published_on = obs.published_on or report.published_on
        report.list_date = obs.list_date or report.list_date
        report.first_seen = min(report.first_seen, obs.seen_at)
        report.last_seen = max(report.last_seen, obs.seen_at)
        report.status = "present"
        report.removed_at = None
    digest = content_hash(obs.record)
    current = session.scalars(
        select(VersionRow).where(
            VersionRow.report_id == report.id, VersionRow.number == report.latest_version
        )
    ).one_or_none()
    if current is not None and current.content_hash == digest:
        current.last_seen = max(current.last_seen, obs.seen_at)
        current.first_seen = min(current.first_seen, obs.seen_at)
        if obs.attachments:
            current.attachments = list(dict.fromkeys([*current.attachments, *obs.attachments]))
        return StoreResult(report.id, current.number, created, changed=False)
    number = report.latest_version + 1
    version = VersionRow(
        report_id=report.id,
        number=number,
        document_sha=obs.document_sha,
        record=obs.record.to_dict(),
        parser_version=obs.record.parser_version,
        content_hash=digest,
        attachments=list(obs.attachments),
        first_seen=obs.seen_at,
        last_seen=obs.seen_at,
    )
    session.add(version)
    session.flush()  # two writers adding the same number: one fails on the unique key, retries
    _write_cells(session, version.id, obs.record)
    report.latest_version = number
    return StoreResult(report.id, number, created, changed=True)


def mark_missing(session: Session, url: str, status: int, seen_at: Any) -> int:
    rows = session.scalars(
        select(ReportRow).where(ReportRow.url == url, ReportRow.status == "present")
    ).all()
    for row in rows:
        row.status = "removed"
        row.removed_at = seen_at
    return len(rows)


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


def reparse(
    db: Database,
    docs: DocumentStore,
    parse: Callable[[bytes, str | None, str | None], Report],
    *,
    force: bool,
    parser_version: str | None,
    progress: Callable[[int, int], None] | None,
    on_error: Callable[[int, int, Exception], None] | None,
) -> int:
    target = parser_version
    with db.read() as s:
        query = select(VersionRow.id).order_by(VersionRow.id)
        if not force and target is not None:
            query = query.where(VersionRow.parser_version != target)
        ids = list(s.scalars(query))
    done = 0
    for i, version_id in enumerate(ids, 1):
        with db.read() as s:
            row = s.get(VersionRow, version_id)
            assert row is not None
            report = s.get(ReportRow, row.report_id)
            assert report is not None
            key = (row.report_id, row.number, row.parser_version)
            skip = not force and target is not None and row.parser_version == target
            doc = None if skip else docs.get(s, row.document_sha)
            url = report.url
        if doc is not None:
            try:
                record = parse(doc.data, url, doc.content_type)
            except ValueError as exc:
                if on_error is None:
                    raise
                on_error(key[0], key[1], exc)
                record = None
            if record is not None:
                if target is None:
                    target = record.parser_version
                if force or key[2] != record.parser_version:
                    db.write(partial(_rederive, version_id=version_id, record=record))
                    done += 1
        if progress is not None:
            progress(i, len(ids))
    return done


def _rederive(session: Session, version_id: int, record: Report) -> None:
    row = session.get(VersionRow, version_id)
    if row is None:  # deleted meanwhile: nothing to re-derive
        return
    row.record = record.to_dict()
    row.parser_version = record.parser_version
    row.content_hash = content_hash(record)
    session.execute(delete(CellRow).where(CellRow.version_id == version_id))
    _write_cells(session, version_id, record)


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
    query = (
        select(ReportRow.agency_id, ReportRow.year, VersionRow.number, CellRow)
        .join(VersionRow, VersionRow.report_id == ReportRow.id)
        .join(CellRow, CellRow.version_id == VersionRow.id)
        .order_by(ReportRow.agency_id, ReportRow.year, VersionRow.number)
    )
    if latest_only:
        query = query.where(VersionRow.number == ReportRow.latest_version)
    for col, value in (
        (CellRow.table_name, table),
        (CellRow.row_key, row),
        (CellRow.column_key, column),
    ):
        if value is not None:
            query = query.where(col == value)
    if agency_ids is not None:
        query = query.where(ReportRow.agency_id.in_(list(agency_ids)))
    if years is not None:
        query = query.where(ReportRow.year.in_(list(years)))
    return [
        CellValue(a, y, n, c.table_name, c.row_key, c.column_key, c.value, c.blank, c.resolved)
        for a, y, n, c in session.execute(query)
    ]
