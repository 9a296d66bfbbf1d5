"""Per-version "facts": the compact part of a record that a check pass reads.

A full record (~6 KB of JSON, ~0.6 ms to turn back into a ``Report``) is far more than the
checks need of most reports. When a version is stored, storage also derives and keeps:

* the key rows of the tables (``KEY_ROWS``: what the cross-year, jump and prose checks read),
  with the blank flags of their cells;
* the prose figures and the sentences they came from;
* the within-report identities that fail (usually none), in full;
* the signing date, template and agency name;
* a MinHash signature of the narrative (``storage.sketch``) for the copy check;
* the key figures as plain numbers with two precomputed flags (``storage.figures``), which
  the set-based check queries compare in SQL.

``DERIVATION`` numbers the recipe: facts derived by an older one are derived again
(``Archive.refresh_facts``), so changing what is kept needs no migration.
Pure functions only; the table is written by ``storage.factstore``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from parser import identities, spec
from parser.record import CellFlag, Identity, Report, Table
from storage.figures import figures_row
from storage.sketch import Signature, narrative_text, shingles, signature_of

DERIVATION = 2  # 2: with the figures of storage.figures

#: the rows kept whole, per table
KEY_ROWS: dict[str, tuple[str, ...]] = {
    "applications": ("new_received", "carried_over", "granted", "total", "carried_forward"),
    "appeals": spec.APPEAL_GROUPS,
    "active": ("regulations", "normative_documents", "licensing", "punishment", "fees"),
}


@dataclass(frozen=True)
class Derived:
    facts: dict[str, Any]  # JSON
    sketch: Signature | None  # None: no narrative
    figures: dict[str, Any]  # a report_figures row without its key and signature


@dataclass(frozen=True)
class CheckInput:
    """One report as a check pass sees it: the report row, and a *slim* record holding only
    the key rows (``KEY_ROWS``), prose, flags of those cells, date and template."""

    report_id: int
    agency_id: str
    year: int
    url: str
    published_on: dt.date | None
    list_date: dt.date | None
    first_seen: dt.datetime
    status: str
    removed_at: dt.datetime | None
    versions: int
    record: Report
    failing: tuple[Identity, ...]  # within-report identities that fail
    sketch: Signature | None


_EMPTY: dict[str, float | None] = {}
_EMPTY_TABLE: dict[str, dict[str, float | None]] = {}


def _sum_of(values: list[float | None]) -> float | None:
    total = 0.0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _off(left: float | None, right: float | None) -> bool:
    return left is not None and right is not None and abs(left - right) > 1e-6


def might_fail(report: Report) -> bool:
    """A cheap pass over the within-report rules (plain sums, no cell names): False when none
    can fail, so that ``parser.identities.evaluate`` (which names every cell and costs ~0.5 ms)
    runs only for the few reports that need it."""
    apps = report.applications
    if apps:
        for cols in apps.values():
            parts = [cols.get(c) for c in spec.APPLICANT_COLUMNS]
            if _off(cols.get("total"), _sum_of(parts)):
                return True
        new = apps.get("new_received", _EMPTY)
        carried = apps.get("carried_over", _EMPTY)
        total = apps.get("total", _EMPTY)
        forward = apps.get("carried_forward", _EMPTY)
        outcome_rows = [apps.get(r, _EMPTY) for r in spec.outcome_rows(report.template)]
        for c in spec.APPLICATION_COLUMNS:
            t = total.get(c)
            if _off(_sum_of([new.get(c), carried.get(c)]), _sum_of([t, forward.get(c)])):
                return True
            if _off(t, _sum_of([row.get(c) for row in outcome_rows])):
                return True
    for group in (report.appeals or _EMPTY_TABLE).values():
        parts = [group.get("upheld"), group.get("corrected"), group.get("other")]
        parts.append(group.get("pending"))
        if _off(group.get("total"), _sum_of(parts)):
            return True
    return False


def failing_identities(report: Report) -> tuple[Identity, ...]:
    if not might_fail(report):
        return ()
    return tuple(i for i in identities.evaluate(report) if i.ok is False)


def _key_rows(table: Table | None, rows: tuple[str, ...]) -> dict[str, Any] | None:
    if table is None:
        return None
    return {r: dict(table[r]) for r in rows if r in table}


def derive(record: Report, shingle: int = 5) -> Derived:
    """The facts of one record (JSON-ready) and its narrative signature."""
    tables = {name: _key_rows(record.table(name), rows) for name, rows in KEY_ROWS.items()}
    failing = failing_identities(record)
    flags = [
        [f.table, f.row, f.column, f.flag]
        for f in record.cell_flags
        if f.flag == "blank" and f.row in KEY_ROWS.get(f.table, ())
    ]
    facts: dict[str, Any] = {
        "agency": record.agency,
        "year": record.year,
        "signed_on": record.signed_on.isoformat() if record.signed_on else None,
        "template": record.template,
        "tables": tables,
        "flags": flags,
        "prose": dict(record.prose),
        "prose_sources": dict(record.prose_sources),
        "failing": [i.to_dict() for i in failing],
        "shingle": shingle,
    }
    grams = shingles(narrative_text(record), shingle)
    return Derived(
        facts, signature_of(grams) if grams else None, figures_row(record, bool(failing))
    )


def slim_record(facts: dict[str, Any]) -> Report:
    """A ``Report`` holding what the facts keep (key rows, prose, flags, date, template)."""
    signed = facts.get("signed_on")
    tables = facts.get("tables") or {}
    return Report(
        agency=facts.get("agency"),
        year=facts.get("year"),
        signed_on=dt.date.fromisoformat(signed) if signed else None,
        template=facts.get("template") or "legacy",
        active=tables.get("active"),
        applications=tables.get("applications"),
        appeals=tables.get("appeals"),
        prose=facts.get("prose") or {},
        prose_sources=facts.get("prose_sources") or {},
        cell_flags=tuple(CellFlag(*f) for f in facts.get("flags") or ()),
    )


def failing_of(facts: dict[str, Any]) -> tuple[Identity, ...]:
    return tuple(Identity.from_dict(i) for i in facts.get("failing") or ())
