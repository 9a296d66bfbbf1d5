"""Reports, versions and cells: store observations, query them, re-derive them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from parser.record import Report
from storage.cellkeys import CellKeys
from storage.content import cells_of, content_hash
from storage.documents import DocumentStore
from storage.engine import Database
from storage.errors import NotFound, UnknownAgency
from storage.models import (
    AgencyRow,
    CellKeyRow,
    CellValueRow,
    DocumentRow,
    ReportRow,
    VersionRow,
    as_utc,
)
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


@dataclass(frozen=True)
class Prepared:
    """What storing a record needs, computed before the transaction (which then holds the
    SQLite write lock for less time)."""

    content_hash: str
    record_json: dict[str, Any]
    cells: list[tuple[int, float | None, bool, bool]]  # (key_id, value, blank, resolved)


def prepare(record: Report, keys: CellKeys) -> Prepared:
    cells = cells_of(record)
    ids = keys.ids((c.table_name, c.row_key, c.column_key) for c in cells)
    rows = [
        (ids[(c.table_name, c.row_key, c.column_key)], c.value, c.blank, c.resolved) for c in cells
    ]
    return Prepared(content_hash(record, cells), record.to_dict(), rows)


_CELL_COLUMNS = "cell_values (version_id, key_id, value, blank, resolved)"


def _write_cells(session: Session, version_id: int, prepared: Prepared) -> None:
    if not prepared.cells:
        return
    # The hot loop of every ingest (~200 cells a report): COPY on PostgreSQL, plain DB-API
    # executemany on SQLite; both cost a fraction of SQLAlchemy's per-row parameter handling.
    conn = session.connection()
    rows = [(version_id, *cell) for cell in prepared.cells]
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.dbapi_connection
        with raw.cursor() as cur, cur.copy(f"COPY {_CELL_COLUMNS} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    conn.exec_driver_sql(f"INSERT INTO {_CELL_COLUMNS} VALUES (?, ?, ?, ?, ?)", rows)


def check_refs(session: Session, batch: Sequence[ReportObservation]) -> None:
    """Refuse observations naming an unknown agency or document, before writing anything."""
    agencies = {o.agency_id for o in batch}
    known = set(session.scalars(select(AgencyRow.id).where(AgencyRow.id.in_(agencies))))
    for agency_id in sorted(agencies - known):
        raise UnknownAgency(agency_id)
    shas = {o.document_sha for o in batch}
    have = set(session.scalars(select(DocumentRow.sha256).where(DocumentRow.sha256.in_(shas))))
    for sha in sorted(shas - have):
        raise NotFound("document", sha, "; store it with put_document first")


_R = cast(Table, ReportRow.__table__)
_V = cast(Table, VersionRow.__table__)
# Built once: constructing statements costs more than running them on this path.
_FIND_REPORT = select(_R.c.id, _R.c.latest_version, _R.c.first_seen, _R.c.last_seen).where(
    _R.c.agency_id == bindparam("p_agency"), _R.c.year == bindparam("p_year")
)
_ADD_REPORT = insert(_R).returning(_R.c.id)
_FIND_VERSION = select(
    _V.c.id, _V.c.number, _V.c.content_hash, _V.c.first_seen, _V.c.last_seen, _V.c.attachments
).where(_V.c.report_id == bindparam("p_report"), _V.c.number == bindparam("p_number"))
_ADD_VERSION = insert(_V).returning(_V.c.id)


def _update(table: Table, row_id: int, values: dict[str, Any]) -> Any:
    return update(table).where(table.c.id == row_id).values(**values)


def store(
    session: Session, obs: ReportObservation, prepared: Prepared, *, refs_checked: bool = False
) -> StoreResult:
    # Core statements, not ORM objects: this runs for every report of every crawl.
    if not refs_checked:
        check_refs(session, [obs])
    conn = session.connection()
    seen = as_utc(obs.seen_at)
    found = conn.execute(_FIND_REPORT, {"p_agency": obs.agency_id, "p_year": obs.year}).first()
    created = found is None
    if found is None:
        # a concurrent writer of the same (agency, year) fails here on the unique key and retries
        report_id = conn.execute(
            _ADD_REPORT,
            {
                "agency_id": obs.agency_id,
                "year": obs.year,
                "url": obs.url,
                "title": obs.title,
                "published_on": obs.published_on,
                "list_date": obs.list_date,
                "first_seen": seen,
                "last_seen": seen,
                "status": "present",
                "removed_at": None,
                "latest_version": 0,
            },
        ).scalar_one()
        latest = 0
    else:
        report_id, latest = found.id, found.latest_version
        values: dict[str, Any] = {
            "url": obs.url,
            "status": "present",  # seen again: a removed report is back
            "removed_at": None,
            "first_seen": min(found.first_seen, seen),
            "last_seen": max(found.last_seen, seen),
        }
        for name in ("title", "published_on", "list_date"):
            if getattr(obs, name) is not None:
                values[name] = getattr(obs, name)
        conn.execute(_update(_R, report_id, values))
    current = (
        conn.execute(_FIND_VERSION, {"p_report": report_id, "p_number": latest}).first()
        if latest
        else None
    )
    if current is not None and current.content_hash == prepared.content_hash:
        changes: dict[str, Any] = {
            "first_seen": min(current.first_seen, seen),
            "last_seen": max(current.last_seen, seen),
        }
        if obs.attachments:
            merged = list(dict.fromkeys([*(current.attachments or ()), *obs.attachments]))
            changes["attachments"] = merged
        conn.execute(_update(_V, current.id, changes))
        return StoreResult(report_id, current.number, created, changed=False)
    number = latest + 1
    # two writers adding the same number: one fails on the unique key and retries
    version_id = conn.execute(
        _ADD_VERSION,
        {
            "report_id": report_id,
            "number": number,
            "document_sha": obs.document_sha,
            "record": prepared.record_json,
            "parser_version": obs.record.parser_version,
            "content_hash": prepared.content_hash,
            "attachments": list(obs.attachments),
            "first_seen": seen,
            "last_seen": seen,
        },
    ).scalar_one()
    _write_cells(session, version_id, prepared)
    conn.execute(_update(_R, report_id, {"latest_version": number}))
    return StoreResult(report_id, number, created, changed=True)


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
    keys: CellKeys,
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
                    prepared = prepare(record, keys)
                    db.write(
                        partial(_rederive, version_id=version_id, record=record, prepared=prepared)
                    )
                    done += 1
        if progress is not None:
            progress(i, len(ids))
    return done


def _rederive(session: Session, version_id: int, record: Report, prepared: Prepared) -> None:
    row = session.get(VersionRow, version_id)
    if row is None:  # deleted meanwhile: nothing to re-derive
        return
    row.record = prepared.record_json
    row.parser_version = record.parser_version
    row.content_hash = prepared.content_hash
    session.execute(delete(CellValueRow).where(CellValueRow.version_id == version_id))
    _write_cells(session, version_id, prepared)


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
