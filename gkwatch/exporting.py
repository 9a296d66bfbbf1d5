"""Rows for the exports (cells, reports, findings) and the writers for CSV, JSON and Parquet.

CSV is written in UTF-8 with a byte-order mark: Excel takes BOM-less UTF-8 for the local
code page and shows Chinese as mojibake.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from gkwatch import queries, render
from gkwatch.errors import QueryError

if TYPE_CHECKING:
    from storage import Agency, Archive, Finding

FORMATS = ("csv", "json", "parquet")

CELL_COLUMNS = (
    "agency_id", "agency", "region", "level", "year", "version", "template",
    "table", "row", "column", "value", "blank", "resolved", "failing",
)  # fmt: skip
REPORT_COLUMNS = (
    "agency_id", "agency", "region", "level", "year", "status", "due", "published",
    "report_id", "url", "title", "published_on", "list_date", "first_seen", "last_seen",
    "present", "versions", "latest_version",
)  # fmt: skip
FINDING_COLUMNS = (
    "id", "key", "kind", "severity", "agency_id", "year", "summary", "state",
    "opened_at", "last_seen", "resolved_at", "evidence",
)  # fmt: skip


def cell_rows(
    archive: Archive, agencies: Sequence[Agency], years: list[int] | None,
    tick: Callable[[], None] = lambda: None,
) -> Iterator[dict[str, Any]]:  # fmt: skip
    by_id = {a.id: a for a in agencies}
    for info, record in archive.latest_records(years=years, agency_ids=list(by_id)):
        agency = by_id[info.agency_id]
        failing = render.failing_cells(record)
        for table, row, column, value in record.iter_cells():
            flags = record.flags_of(table, row, column)
            yield {
                "agency_id": agency.id, "agency": agency.name, "region": agency.region,
                "level": agency.level, "year": info.year, "version": info.latest_version,
                "template": record.template, "table": table, "row": row, "column": column,
                "value": value, "blank": "blank" in flags, "resolved": "resolved" in flags,
                "failing": bool(failing.get(f"{table}.{row}.{column}")),
            }  # fmt: skip
        tick()


def report_rows(grid: Iterable[queries.Timeliness]) -> Iterator[dict[str, Any]]:
    for t in grid:
        info = t.report
        yield {
            "agency_id": t.agency.id, "agency": t.agency.name, "region": t.agency.region,
            "level": t.agency.level, "year": t.year, "status": t.status,
            "due": t.due.isoformat(),
            "published": t.published.isoformat() if t.published else None,
            "report_id": info.id if info else None, "url": info.url if info else None,
            "title": info.title if info else None,
            "published_on": info.published_on.isoformat() if info and info.published_on else None,
            "list_date": info.list_date.isoformat() if info and info.list_date else None,
            "first_seen": info.first_seen.isoformat() if info else None,
            "last_seen": info.last_seen.isoformat() if info else None,
            "present": info.status == "present" if info else None,
            "versions": info.versions if info else None,
            "latest_version": info.latest_version if info else None,
        }  # fmt: skip


def finding_rows(found: Iterable[Finding]) -> Iterator[dict[str, Any]]:
    for f in found:
        row = render.finding_json(f)
        row["evidence"] = json.dumps(f.evidence, ensure_ascii=False, default=str)
        yield {k: row.get(k) for k in FINDING_COLUMNS}


def write(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, target: Path | None
) -> int:
    """Write ``rows`` to ``target`` (stdout when None); returns the number of rows."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if target is None:
            raise QueryError("parquet is binary: give an output file with -o FILE")
        return _parquet(rows, columns, target)
    if target is None:
        import sys

        # the BOM matters to Excel reading a file, not to a pipe
        return _text(rows, columns, fmt, sys.stdout, bom=False)
    with target.open("w", encoding="utf-8", newline="") as stream:
        return _text(rows, columns, fmt, stream, bom=True)


def _text(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, stream: IO[str], *, bom: bool
) -> int:
    count = 0
    if fmt == "csv":
        if bom:
            stream.write("\ufeff")
        writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
        return count
    stream.write("[")
    for row in rows:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(row, ensure_ascii=False, default=str))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def _parquet(rows: Iterable[dict[str, Any]], columns: Sequence[str], target: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # values of one column may mix int and float (decimal cells): normalise to float there
    data: dict[str, list[Any]] = {c: [] for c in columns}
    for row in rows:
        for c in columns:
            data[c].append(row.get(c))
    if "value" in data:
        data["value"] = [None if v is None else float(v) for v in data["value"]]
    table = pa.table({c: pa.array(v) for c, v in data.items()})
    pq.write_table(table, str(target))
    return int(table.num_rows)


def csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """CSV of ``rows`` as a string with the BOM (for the web's download links)."""
    buffer = io.StringIO()
    _text(rows, columns, "csv", buffer, bom=True)
    return buffer.getvalue()


def csv_chunks(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], *, rows_per_chunk: int = 2000
) -> Iterator[bytes]:
    """CSV of ``rows`` in UTF-8 pieces, the BOM first: for a streamed download."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow(row)
        if n % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
