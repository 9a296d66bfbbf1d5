"""A SYNTHETIC bulk path for ``storage_scale.py``: fill a PostgreSQL benchmark schema fast.

The normal path (``Archive.store_report`` / ``store_reports``) costs ~2.6 ms of CPU and several
round trips per report: 1 000 000 reports would take about two hours here. This path writes the
*same rows* with ``COPY`` (documents, reports, versions, cell_values, version_facts), computing
the content as the normal path does (``Report.to_dict``, ``storage.facts.derive``;
``storage.content``'s cells and content hash re-stated over plain tuples and computed once per
table set), for a schema that only the benchmark writes to. It is benchmark-only:
no locking, no deduplication against concurrent writers, explicit ids (sequences are moved
past them at the end). ``verify`` checks, on a sample, that it writes what the normal path
writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import psycopg

from parser.record import Report
from storage import Archive, ReportObservation
from storage.content import _number, normalise_text
from storage.facts import derive
from storage.factstore import row as facts_row

Item = tuple[bytes, ReportObservation]
CACHE_LIMIT = 5000
CellRow = tuple[str, str, str, float | None, bool, bool]
_NULL = "\\N"


def _cells(record: Report) -> list[CellRow]:
    """``storage.content.cells_of`` as plain tuples (its dataclasses cost half its time)."""
    flags: dict[tuple[str, str, str], set[str]] = {}
    for f in record.cell_flags:
        flags.setdefault((f.table, f.row, f.column), set()).add(f.flag)
    none: set[str] = set()
    out = []
    for t, r, c, v in record.iter_cells():
        marks = flags.get((t, r, c), none)
        out.append(
            (t, r, c, None if v is None else float(v), "blank" in marks, "resolved" in marks)
        )
    return out


_SPLICE = "__cells__"


def cells_json(cells: list[CellRow]) -> str:
    """The ``cells`` part of the content-hash payload (sorted rows, compact JSON)."""
    return json.dumps(sorted(cells), ensure_ascii=False, separators=(",", ":"))


def _hash(record: Report, cells: str) -> str:
    """``storage.content.content_hash`` with its cells part given as JSON text (``cells_json``,
    computed once per table set); ``verify`` proves the two agree."""
    sections = [
        [normalise_text(s.heading), [t for p in s.paragraphs if (t := normalise_text(p))]]
        for s in record.sections
    ]
    payload = {
        "agency": normalise_text(record.agency or ""),
        "year": record.year,
        "signed_on": record.signed_on.isoformat() if record.signed_on else None,
        "template": record.template,
        "cells": _SPLICE,
        "prose": sorted((k, _number(v)) for k, v in record.prose.items()),
        "sections": sections,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    blob = blob.replace(f'"{_SPLICE}"', cells, 1)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def conninfo(url: str) -> str:
    """A libpq URL from a SQLAlchemy one (``postgresql+psycopg://`` → ``postgresql://``)."""
    return "postgresql://" + url.split("://", 1)[1]


class BulkWriter:
    """COPYs reports (one version each, as a first observation makes) into the schema."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(conninfo(url))
        # a scratch schema refilled from scratch if the server dies: no need to wait for fsync
        self.conn.execute("SET synchronous_commit = off")
        with self.conn.cursor() as cur:
            cur.execute("SELECT table_name, row_key, column_key, id FROM cell_keys")
            self.keys = {(t, r, c): i for t, r, c, i in cur.fetchall()}
            cur.execute("SELECT coalesce(max(id), 0) FROM reports")
            self.next_report = int(cur.fetchone()[0]) + 1  # type: ignore[index]
            cur.execute("SELECT coalesce(max(id), 0) FROM versions")
            self.next_version = int(cur.fetchone()[0]) + 1  # type: ignore[index]
        self.conn.commit()
        self._cache: dict[tuple[Any, ...], tuple[Any, str, str]] = {}
        with self.conn.cursor() as cur:  # documents shared by several reports go in once
            cur.execute("SELECT sha256 FROM documents")
            self._docs = {sha for (sha,) in cur.fetchall()}
        self.conn.commit()
        self._suspended: list[tuple[str, str]] = []

    def suspend_cell_constraints(self) -> None:
        """Drop the primary key and foreign keys of ``cell_values`` for the load (each cell
        row would otherwise cost two foreign-key lookups and an index insert, ~10 µs of server
        time, 200 per report); ``finish`` adds them back and PostgreSQL validates them."""
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                "WHERE conrelid = 'cell_values'::regclass AND contype IN ('p', 'f') "
                "ORDER BY contype DESC"  # the primary key first, when added back
            )
            self._suspended = [(name, definition) for name, definition, _ in cur.fetchall()]
            for name, _ in self._suspended:
                cur.execute(f'ALTER TABLE cell_values DROP CONSTRAINT "{name}"')
        self.conn.commit()

    def write(self, items: Sequence[Item]) -> None:
        now = dt.datetime.now(dt.UTC)
        docs, reports, versions, cells, facts = [], [], [], [], []
        for page, obs in items:
            sha = hashlib.sha256(page).hexdigest()
            if sha not in self._docs:
                self._docs.add(sha)
                docs.append(
                    (sha, len(page), "text/html", "zlib", "db", zlib.compress(page, 6), now)
                )
            record = obs.record
            found, text = self._cells_text(record)
            rid, vid = self.next_report, self.next_version
            self.next_report, self.next_version = rid + 1, vid + 1
            seen = obs.seen_at.astimezone(dt.UTC)
            reports.append(
                (rid, obs.agency_id, obs.year, obs.url, obs.title, obs.published_on,
                 obs.list_date, seen, seen, "present", None, 1)
            )  # fmt: skip
            versions.append(
                (vid, rid, 1, sha, json.dumps(record.to_dict()), record.parser_version,
                 _hash(record, found), json.dumps(list(obs.attachments)), seen, seen)
            )  # fmt: skip
            f = facts_row(vid, derive(record))
            facts.append((vid, f["derivation"], json.dumps(f["facts"]), f["shingles"], f["sketch"]))
            cells.append(text.replace("\x00", str(vid)))
        with self.conn.cursor() as cur:
            self._copy(cur, "documents (sha256, size, content_type, compression, store, data, "
                       "created_at)", docs)  # fmt: skip
            self._copy(cur, "reports (id, agency_id, year, url, title, published_on, "
                       "list_date, first_seen, last_seen, status, removed_at, latest_version)",
                       reports)  # fmt: skip
            self._copy(cur, "versions (id, report_id, number, document_sha, record, "
                       "parser_version, content_hash, attachments, first_seen, last_seen)",
                       versions)  # fmt: skip
            with cur.copy("COPY cell_values (version_id, key_id, value, blank, resolved) "
                          "FROM STDIN") as copy:  # fmt: skip
                copy.write("".join(cells))
            self._copy(
                cur, "version_facts (version_id, derivation, facts, shingles, sketch)", facts
            )
        self.conn.commit()

    def _cells_text(self, record: Report) -> tuple[str, str]:
        """The record's cells, and their COPY text with ``\x00`` for the version id. Records
        sharing their table objects (the pooled bulk stream) share the result; the cache
        holds those objects, so their ids cannot be reused by others while cached."""
        tables = (record.active, record.applications, record.appeals)
        key = (*map(id, tables), record.cell_flags)
        hit = self._cache.get(key)
        if hit is not None:
            return hit[1], hit[2]
        found = _cells(record)
        as_json = cells_json(found)
        text = "".join(
            f"\x00\t{self.keys[(t, r, c)]}\t{_NULL if v is None else repr(v)}\t"
            f"{'t' if b else 'f'}\t{'t' if z else 'f'}\n"
            for t, r, c, v, b, z in found
        )
        if len(self._cache) < CACHE_LIMIT:
            self._cache[key] = (tables, as_json, text)
        return as_json, text

    @staticmethod
    def _copy(cur: Any, target: str, rows: Iterable[tuple[Any, ...]]) -> None:
        with cur.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        """Add back suspended constraints, move the id sequences past the explicit ids, then
        refresh the planner statistics."""
        with self.conn.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '1GB'")
            for name, definition in self._suspended:
                cur.execute(f'ALTER TABLE cell_values ADD CONSTRAINT "{name}" {definition}')
            self._suspended = []
            for table in ("reports", "versions"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        self.conn.commit()
        self.conn.autocommit = True
        self.conn.execute("ANALYZE")
        self.conn.autocommit = False

    def close(self) -> None:
        self.conn.close()


_SNAPSHOT = """
SELECT r.agency_id, r.year, r.url, r.title, r.published_on, r.list_date, r.first_seen,
       r.last_seen, r.status, r.removed_at, r.latest_version,
       v.number, v.document_sha, v.record::text, v.parser_version, v.content_hash,
       v.attachments::text, v.first_seen, v.last_seen,
       d.size, d.content_type, d.compression, d.store, d.data,
       f.derivation, f.facts::text, f.shingles, f.sketch,
       (SELECT array_agg(row(c.key_id, c.value, c.blank, c.resolved)::text ORDER BY c.key_id)
          FROM cell_values c WHERE c.version_id = v.id)
FROM reports r JOIN versions v ON v.report_id = r.id JOIN documents d ON d.sha256 = v.document_sha
LEFT JOIN version_facts f ON f.version_id = v.id
WHERE (r.agency_id, r.year) IN (SELECT * FROM unnest(%s::text[], %s::int[]))
ORDER BY r.agency_id, r.year, v.number
"""


Keys = tuple[list[str], list[int]]


def _snapshot(conn: Any, keys: Keys) -> list[tuple[Any, ...]]:
    rows = conn.execute(_SNAPSHOT, keys).fetchall()
    out = []
    for row in rows:
        row = list(row)
        row[13], row[16] = json.loads(row[13]), json.loads(row[16])  # JSON text: compare values
        row[23] = zlib.decompress(row[23])  # compressed bytes: compare what they hold
        row[25] = json.loads(row[25]) if row[25] is not None else None
        out.append(tuple(row))
    return out


def _delete(conn: Any, keys: Keys) -> None:
    conn.execute(
        "CREATE TEMP TABLE gone ON COMMIT DROP AS SELECT r.id AS report_id, v.id, v.document_sha "
        "FROM versions v JOIN reports r ON r.id = v.report_id "
        "WHERE (r.agency_id, r.year) IN (SELECT * FROM unnest(%s::text[], %s::int[]))",
        keys,
    )
    conn.execute("DELETE FROM cell_values WHERE version_id IN (SELECT id FROM gone)")
    conn.execute("DELETE FROM version_facts WHERE version_id IN (SELECT id FROM gone)")
    conn.execute("DELETE FROM versions WHERE id IN (SELECT id FROM gone)")
    conn.execute("DELETE FROM reports WHERE id IN (SELECT report_id FROM gone)")
    conn.execute("DELETE FROM documents WHERE sha256 IN (SELECT document_sha FROM gone)")
    conn.commit()


#: every table of the schema this path was written against (0003); a table added by a later
#: migration may be one the normal path fills for each report, which this path does not
KNOWN_TABLES = frozenset(
    [
        "agencies",
        "documents",
        "fetches",
        "crawl_runs",
        "reports",
        "versions",
        "cell_keys",
        "cell_values",
        "version_facts",
        "findings",
        "alerts",
        "leases",
        "job_runs",
        "alembic_version",
        # kept by triggers on reports and agencies (migration 0005), which fire for COPY too
        "report_tallies",
    ]
)
_TABLES = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
)


def verify(url: str, archive: Archive, items: Sequence[Item], log: Callable[[str], None]) -> None:
    """Store ``items`` through the normal batch path, snapshot the rows, delete them, write the
    same items through ``BulkWriter`` and compare: the rows must be equal (ids aside)."""
    from dataclasses import replace

    keys: Keys = ([o.agency_id for _, o in items], [o.year for _, o in items])
    shas = archive.put_documents((page, "text/html") for page, _ in items)
    archive.store_reports(replace(o, document_sha=s) for (_, o), s in zip(items, shas, strict=True))
    with psycopg.connect(conninfo(url)) as conn:
        normal = _snapshot(conn, keys)
        _delete(conn, keys)
    writer = BulkWriter(url)
    try:
        writer.write(items)
        bulk = _snapshot(writer.conn, keys)
    finally:
        writer.close()
    if len(normal) != len(items) or normal != bulk:
        diffs = [i for i, (a, b) in enumerate(zip(normal, bulk, strict=False)) if a != b]
        raise SystemExit(
            f"bulk path differs from the normal path: {len(normal)} vs {len(bulk)} rows, "
            f"first differing row {diffs[:1]}"
        )
    log(f"bulk path verified: {len(items)} reports written by both paths have equal rows")
    with psycopg.connect(conninfo(url)) as conn:
        tables = {t for (t,) in conn.execute(_TABLES).fetchall()}
    if tables - KNOWN_TABLES:
        log(
            f"WARNING: tables added since this bulk path was written, NOT filled by it: "
            f"{', '.join(sorted(tables - KNOWN_TABLES))}"
        )
