"""Store local files as if they had been fetched: a fetch row, the document, the report."""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from parser.record import Report
from storage.archive import Archive
from storage.types import FetchRecord, ReportObservation, StoreResult

#: ``parse(data, url, content_type, name) -> Report``
IngestParse = Callable[[bytes, str, str | None, str], Report]


@dataclass(frozen=True)
class IngestOutcome:
    path: Path
    document_sha: str | None
    year: int | None
    result: StoreResult | None
    error: str | None  # why the file did not become a report version (its bytes are kept)

    @property
    def ok(self) -> bool:
        return self.error is None


def ingest_file(
    archive: Archive,
    path: Path,
    *,
    agency_id: str,
    parse: IngestParse,
    year: int | None = None,
    url: str | None = None,
    now: dt.datetime | None = None,
) -> IngestOutcome:
    """Ingest one file. The document is stored even when parsing fails, so a later
    ``reparse`` (with a better parser) can still read it. Never raises for a bad file."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return IngestOutcome(path, None, year, None, f"cannot read: {exc.strerror or exc}")
    content_type = mimetypes.guess_type(path.name)[0]
    source_url = url or path.resolve().as_uri()
    sha = archive.put_document(data, content_type)
    archive.record_fetch(
        FetchRecord(source_url, agency_id, now, 200, document_sha=sha, content_type=content_type)
    )
    try:
        record = parse(data, source_url, content_type, str(path))
    except ValueError as exc:
        return IngestOutcome(path, sha, year, None, str(exc))
    found_year = year if year is not None else record.year
    if found_year is None:
        return IngestOutcome(path, sha, None, None, "the report names no year; give --year")
    result = archive.store_report(
        ReportObservation(
            agency_id=agency_id,
            year=found_year,
            url=source_url,
            title=record.title or record.source.title,
            published_on=None,
            list_date=None,
            seen_at=now,
            document_sha=sha,
            record=record,
        )
    )
    return IngestOutcome(path, sha, found_year, result, None)
