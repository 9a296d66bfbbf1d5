"""Reports, versions and cells: store observations, query them, re-derive them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from parser.record import Report
from storage import factstore
from storage.cellkeys import CellKeys
from storage.content import cells_of, content_hash
from storage.errors import NotFound, UnknownAgency
from storage.facts import Derived, derive
from storage.models import (
    AgencyRow,
    DocumentRow,
    ReportRow,
    VersionRow,
    as_utc,
)
from storage.types import ReportObservation, StoreResult


@dataclass(frozen=True)
class Prepared:
    """What storing a record needs, computed before the transaction (which then holds the
    SQLite write lock for less time)."""

    content_hash: str
    record_json: dict[str, Any]
    cells: list[tuple[int, float | None, bool, bool]]  # (key_id, value, blank, resolved)
    derived: Derived  # the compact facts a check pass reads


def prepare(record: Report, keys: CellKeys) -> Prepared:
    cells = cells_of(record)
    ids = keys.ids((c.table_name, c.row_key, c.column_key) for c in cells)
    rows = [
        (ids[(c.table_name, c.row_key, c.column_key)], c.value, c.blank, c.resolved) for c in cells
    ]
    return Prepared(content_hash(record, cells), record.to_dict(), rows, derive(record))


_CELL_COLUMNS = "cell_values (version_id, key_id, value, blank, resolved)"


def write_cells(session: Session, version_id: int, prepared: Prepared) -> None:
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
    write_cells(session, version_id, prepared)
    factstore.store(conn, version_id, prepared.derived)
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
