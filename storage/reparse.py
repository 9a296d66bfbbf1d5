"""Re-derive records and cells from the stored documents when the parser changed."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parser.record import Report
from storage import factstore
from storage.cellkeys import CellKeys
from storage.documents import DocumentStore
from storage.engine import Database
from storage.models import CellValueRow, ReportRow, VersionRow
from storage.reports import Prepared, prepare, write_cells


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
    write_cells(session, version_id, prepared)
    factstore.replace(session.connection(), version_id, prepared.derived)
