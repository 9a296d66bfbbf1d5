"""A bulk loader for SYNTHETIC benchmark archives — never for real data.

It writes the rows the normal path (``import_registry``, ``store_report``, ``mark_missing``)
would write for the same agencies and records — agencies, reports, versions with their record
JSON and content hash, version facts — but in a few large statements (COPY on PostgreSQL,
executemany on SQLite) into an *empty* archive, with ids assigned here. Shortcuts, all
labelled:

* every version points at ONE tiny placeholder document (its bytes say it is synthetic), and
  no ``cell_values`` rows are written (a check pass does not read them);
* a version may come as a ``Derivation`` instead of a ``Report``: the caller (a benchmark's
  generator) gives the facts, figures and signature it computed directly, and the stored
  record is a SYNTHETIC placeholder (``placeholder``: agency, year, title, signing date and
  the narrative sections, no tables; ``parser_version`` ``PLACEHOLDER_PARSER``; content hash
  of the placeholder's JSON). A check pass reads a latest version's record only for the copy
  check's text comparison (the narrative, kept) and old versions for ``changed`` (give those
  as ``Report``: stored in full).

``tests/storage/test_storage_facts.py`` checks that the rows equal the normal path's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, insert, text

from parser.record import Report, Section
from storage import factstore
from storage.content import content_hash
from storage.engine import Database
from storage.facts import Derived, derive
from storage.models import AgencyRow, DocumentRow, ReportRow, VersionRow
from storage.sketch import Signature
from storage.types import Agency

PLACEHOLDER = b"SYNTHETIC placeholder document written by storage.bulk for a benchmark"
PLACEHOLDER_SHA = hashlib.sha256(PLACEHOLDER).hexdigest()
BATCH = 5000
PLACEHOLDER_PARSER = "SYNTHETIC-placeholder"


@dataclass(frozen=True)
class Derivation:
    """One version given by what storage derives of it (``storage.facts.derive``), computed
    directly by a SYNTHETIC generator, with a placeholder record (``placeholder``)."""

    record: dict[str, Any]
    facts: dict[str, Any]
    figures: dict[str, Any]  # a report_figures row without version_id, shingles and sketch
    sketch: Signature | None


def placeholder(
    agency: str,
    year: int,
    title: str | None,
    signed_on: dt.date | None,
    template: str,
    sections: Iterable[Section],
) -> dict[str, Any]:
    """A SYNTHETIC stand-in for a full record: what the copy check reads (the narrative),
    no tables; equal to ``Report(...).to_dict()`` of such a record, without building one."""
    return _BLANK | {
        "agency": agency,
        "year": year,
        "signed_on": signed_on.isoformat() if signed_on else None,
        "template": template,
        "title": title,
        "sections": [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in sections],
    }


def _placeholder_hash(record: dict[str, Any]) -> str:
    """A placeholder's content hash: of its title and narrative (not ``content_hash``, which
    is of a full record's cells; no check reads it)."""
    text = "\n".join(p for s in record["sections"] for p in s["paragraphs"])
    return hashlib.sha256(f"{PLACEHOLDER_PARSER}\n{record['title']}\n{text}".encode()).hexdigest()


_BLANK = Report(
    agency=None, year=None, signed_on=None, template="legacy", parser_version=PLACEHOLDER_PARSER
).to_dict()


@dataclass(frozen=True)
class BulkReport:
    """One report: its versions' records (oldest first), as ``store_report`` would have seen
    them at ``seen_at`` (every version), and whether it was later marked missing."""

    agency_id: str
    year: int
    url: str
    title: str | None
    published_on: dt.date | None
    list_date: dt.date | None
    seen_at: dt.datetime
    records: tuple[Report | Derivation, ...]
    removed_at: dt.datetime | None = None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def agency_rows(agencies: Iterable[Agency], now: dt.datetime) -> Iterator[dict[str, Any]]:
    for a in agencies:
        yield {
            "id": a.id,
            "name": a.name,
            "level": a.level,
            "region": a.region,
            "parent_id": a.parent,
            "portal": a.portal,
            "report_lists": list(a.report_lists),
            "discovered_lists": list(a.discovered_lists),
            "deadline": a.deadline,
            "since": a.since,
            "created_at": now,
            "updated_at": now,
        }


def report_rows(
    reports: Iterable[BulkReport], first_report_id: int = 1, first_version_id: int = 1
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]]:
    """Per report: its ``reports`` row, its ``versions`` rows, and their ``version_facts`` and
    ``report_figures`` rows (in one list: the facts row, then the figures row)."""
    report_id, version_id = first_report_id, first_version_id
    for r in reports:
        report = {
            "id": report_id,
            "agency_id": r.agency_id,
            "year": r.year,
            "url": r.url,
            "title": r.title,
            "published_on": r.published_on,
            "list_date": r.list_date,
            "first_seen": r.seen_at,
            "last_seen": r.seen_at,
            "status": "removed" if r.removed_at else "present",
            "removed_at": r.removed_at,
            "latest_version": len(r.records),
        }
        versions, facts = [], []
        for number, record in enumerate(r.records, 1):
            if isinstance(record, Derivation):
                stored = record.record
                parser_version = PLACEHOLDER_PARSER
                digest = _placeholder_hash(stored)
                derived = Derived(record.facts, record.sketch, record.figures)
            else:
                stored = record.to_dict()
                parser_version = record.parser_version
                digest = content_hash(record)
                derived = derive(record)
            versions.append(
                {
                    "id": version_id,
                    "report_id": report_id,
                    "number": number,
                    "document_sha": PLACEHOLDER_SHA,
                    "record": stored,
                    "parser_version": parser_version,
                    "content_hash": digest,
                    "attachments": [],
                    "first_seen": r.seen_at,
                    "last_seen": r.seen_at,
                }
            )
            facts.append(factstore.row(version_id, derived))
            facts.append(factstore.figures_row(version_id, derived))
            version_id += 1
        report_id += 1
        yield report, versions, facts


_ORDER = {
    "agencies": [c.name for c in cast(Table, AgencyRow.__table__).columns],
    "reports": [c.name for c in cast(Table, ReportRow.__table__).columns],
    "versions": [c.name for c in cast(Table, VersionRow.__table__).columns],
    "version_facts": [c.name for c in factstore.FACTS.columns],
    "report_figures": [c.name for c in factstore.FIGURES.columns],
}
_JSON = {"report_lists", "discovered_lists", "record", "facts", "attachments"}


def _write(conn: Connection, name: str, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        table = {
            "agencies": AgencyRow.__table__,
            "reports": ReportRow.__table__,
            "versions": VersionRow.__table__,
            "version_facts": factstore.FACTS,
            "report_figures": factstore.FIGURES,
        }[name]
        conn.execute(insert(cast(Table, table)), list(rows))
        return
    columns = _ORDER[name]
    raw: Any = conn.connection.dbapi_connection
    with raw.cursor() as cur, cur.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_json(row[c]) if c in _JSON else row[c] for c in columns])


def load(
    url: str,
    agencies: Iterable[Agency],
    reports: Iterable[BulkReport],
    *,
    now: dt.datetime,
    progress: Any = None,
) -> int:
    """Write SYNTHETIC agencies and reports into an empty, migrated archive; returns the number
    of reports. Each batch is its own transaction."""
    db = Database(url)
    try:
        return _load(db, agencies, reports, now=now, progress=progress)
    finally:
        db.dispose()


def _load(
    db: Database,
    agencies: Iterable[Agency],
    reports: Iterable[BulkReport],
    *,
    now: dt.datetime,
    progress: Any,
) -> int:
    with db.engine.begin() as conn:
        _write(conn, "agencies", list(agency_rows(agencies, now)))
        conn.execute(
            insert(cast(Table, DocumentRow.__table__)).values(
                sha256=PLACEHOLDER_SHA,
                size=len(PLACEHOLDER),
                content_type="text/plain",
                compression="zlib",
                store="db",
                data=zlib.compress(PLACEHOLDER),
                created_at=now,
            )
        )
    done = 0
    batch: list[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]] = []

    def flush() -> None:
        with db.engine.begin() as conn:
            _write(conn, "reports", [r for r, _, _ in batch])
            _write(conn, "versions", [v for _, vs, _ in batch for v in vs])
            rows = [f for _, _, fs in batch for f in fs]
            _write(conn, "version_facts", rows[0::2])
            _write(conn, "report_figures", rows[1::2])

    for item in report_rows(reports):
        batch.append(item)
        if len(batch) == BATCH:
            flush()
            done += len(batch)
            batch = []
            if progress is not None:
                progress(done)
    if batch:
        flush()
        done += len(batch)
    with db.engine.begin() as conn:
        if db.backend == "postgresql":  # ids were given here: move the sequences past them
            for table in ("reports", "versions"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )
        # planner statistics, as autovacuum (or SQLite's optimize) would have them for an
        # archive filled over time: without them a pass right after the load plans blind
        for table in _ORDER:
            conn.execute(text(f"ANALYZE {table}"))
    return done
