"""Reports laid out like the template, and every archive value in its JSON form.

Both the terminal (rich) and the dashboard (Jinja2) draw from these views, so the two show
the same cells, the same failing identities and the same labels.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from gkwatch import labels
from gkwatch.queries import ReportView, Timeliness
from parser import spec
from parser.record import Number, Report

if TYPE_CHECKING:
    from storage import Agency, Finding, ReportInfo, Version


@dataclass(frozen=True)
class Cell:
    ref: str  # table.row.column
    value: Number | None
    flags: frozenset[str]
    failing: tuple[str, ...]  # human descriptions of the identities this cell breaks

    @property
    def suspect(self) -> bool:
        """In two or more failing identities: the likeliest wrong cell."""
        return len(self.failing) >= 2

    @property
    def text(self) -> str:
        if self.value is None:
            return "?"
        if "blank" in self.flags:
            return "—"
        if isinstance(self.value, float) and not self.value.is_integer():
            return f"{self.value:,.4f}".rstrip("0")
        return f"{int(self.value):,}"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (key, label)
    rows: tuple[Row, ...]

    @property
    def failing(self) -> bool:
        return any(c.failing for r in self.rows for c in r.cells)


def failing_cells(report: Report) -> dict[str, list[str]]:
    """``table.row.column`` → the failing identities (rule and numbers) that involve it."""
    out: dict[str, list[str]] = defaultdict(list)
    for ident in report.failing_identities:
        text = f"{labels.rule(ident.rule)}（{ident.scope}）：{ident.left} ≠ {ident.right}"
        for ref in (*ident.left_cells, *ident.right_cells):
            out[ref.split(":", 1)[-1]].append(text)
    return out


def _cell(report: Report, failing: dict[str, list[str]], table: str, row: str, col: str) -> Cell:
    ref = f"{table}.{row}.{col}"
    return Cell(
        ref,
        report.cell(table, row, col),
        report.flags_of(table, row, col),
        tuple(failing.get(ref, ())),
    )


def tables(report: Report) -> list[Table]:
    """Tables 2, 3 and 4 in template order (none for a legacy report)."""
    failing = failing_cells(report)
    out: list[Table] = []
    active = spec.active_layout(report.template)
    if report.active is not None and active:
        columns: list[str] = []
        for cols in active.values():
            columns += [c for c in cols if c not in columns]
        rows = tuple(
            Row(
                r,
                labels.ACTIVE_ROWS.get(r, r),
                tuple(
                    _cell(report, failing, "active", r, c)
                    if c in cols
                    else Cell("", None, frozenset({"absent"}), ())
                    for c in columns
                ),
            )
            for r, cols in active.items()
        )
        out.append(_table("active", columns, labels.ACTIVE_COLUMNS, rows))
    if report.applications is not None:
        rows = tuple(
            Row(
                r,
                labels.APPLICATION_ROWS.get(r, r),
                tuple(
                    _cell(report, failing, "applications", r, c) for c in spec.APPLICATION_COLUMNS
                ),
            )
            for r in spec.application_rows(report.template)
        )
        out.append(
            _table("applications", spec.APPLICATION_COLUMNS, labels.APPLICATION_COLUMNS, rows)
        )
    if report.appeals is not None:
        rows = tuple(
            Row(
                g,
                labels.APPEAL_GROUPS[g],
                tuple(_cell(report, failing, "appeals", g, c) for c in spec.APPEAL_COLUMNS),
            )
            for g in spec.APPEAL_GROUPS
        )
        out.append(_table("appeals", spec.APPEAL_COLUMNS, labels.APPEAL_COLUMNS, rows))
    return out


def _table(key: str, columns: Any, names: dict[str, str], rows: tuple[Row, ...]) -> Table:
    return Table(key, labels.TABLE_TITLES[key], tuple((c, names.get(c, c)) for c in columns), rows)


def prose(report: Report) -> list[dict[str, Any]]:
    """Prose figures in spec order, each with its label and the sentence it came from."""
    return [
        {
            "key": key,
            "label": labels.PROSE[key],
            "value": report.prose[key],
            "sentence": report.prose_sources.get(key),
        }
        for key in spec.PROSE_KEYS
        if key in report.prose
    ]


# -- JSON forms -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def agency_json(agency: Agency) -> dict[str, Any]:
    return dict(_plain(asdict(agency)))


def report_info_json(info: ReportInfo) -> dict[str, Any]:
    return dict(_plain(asdict(info)))


def finding_json(finding: Finding) -> dict[str, Any]:
    return dict(_plain(asdict(finding)))


def timeliness_json(row: Timeliness) -> dict[str, Any]:
    return {
        "agency_id": row.agency.id,
        "agency": row.agency.name,
        "region": row.agency.region,
        "level": row.agency.level,
        "year": row.year,
        "status": row.status,
        "due": row.due.isoformat(),
        "published": row.published.isoformat() if row.published else None,
        "report": report_info_json(row.report) if row.report else None,
    }


def version_json(version: Version, *, record: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": version.number,
        "document_sha": version.document_sha,
        "parser_version": version.parser_version,
        "content_hash": version.content_hash,
        "first_seen": version.first_seen.isoformat(),
        "last_seen": version.last_seen.isoformat(),
    }
    if record:
        out["record"] = version.record.to_dict()
    return out


def report_view_json(view: ReportView) -> dict[str, Any]:
    record = view.record
    return {
        "agency": agency_json(view.agency),
        "report": report_info_json(view.info),
        "timeliness": timeliness_json(view.timeliness),
        "version": version_json(view.version, record=True),
        "versions": [version_json(v) for v in view.versions],
        "failing_identities": [i.to_dict() for i in record.failing_identities],
        "failing_cells": failing_cells(record),
        "prose": prose(record),
    }
