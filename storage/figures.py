"""Per-version key figures as plain numbers: what the set-based check queries compare in SQL.

Derived with the facts when a version is stored (``storage.facts.derive``) and kept in the
``report_figures`` table, one row per version. The definitions of the jump figures and of the
prose/table pairs live here, not in ``monitor``, so that the stored columns and the pure
checks (``monitor.checks.jump``, ``monitor.checks.prose_mismatch``) cannot drift apart.
Pure functions only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from parser import spec
from parser.record import Report

Cell = tuple[str, str, str]


def blank_aware(report: Report, cells: Iterable[Cell]) -> float | None:
    """The sum of ``cells``; None when one is unreadable or blank (a blank states nothing)."""
    total = 0.0
    for table, row, column in cells:
        value = report.cell(table, row, column)
        if value is None or "blank" in report.flags_of(table, row, column):
            return None
        total += value
    return total


def _sum(*cells: Cell) -> Callable[[Report], float | None]:
    return lambda report: blank_aware(report, cells)


#: a share of fewer requests than this swings by chance (1 of 7 is 14 points): not compared
SHARE_MIN_BASE = 20


def _share_granted(report: Report) -> float | None:
    granted = blank_aware(report, (("applications", "granted", "total"),))
    handled = blank_aware(report, (("applications", "total", "total"),))
    if granted is None or handled is None or handled < SHARE_MIN_BASE:
        return None
    return round(100 * granted / handled, 2)


def _documents_issued(report: Report) -> float | None:
    column = "issued" if report.template == "2021" else "new_made"
    return blank_aware(
        report,
        (("active", "regulations", column), ("active", "normative_documents", column)),
    )


def _fees(report: Report) -> float | None:
    if report.template != "2021":
        return None
    return blank_aware(report, (("active", "fees", "amount"),))


#: the year-over-year key figures (``monitor.checks.jump`` labels them)
JUMP: dict[str, Callable[[Report], float | None]] = {
    "new_applications": _sum(("applications", "new_received", "total")),
    "handled_total": _sum(("applications", "total", "total")),
    "share_granted": _share_granted,
    "review_total": _sum(("appeals", "review", "total")),
    "litigation_total": _sum(
        ("appeals", "litigation_direct", "total"), ("appeals", "litigation_after_review", "total")
    ),
    "licensing_decisions": _sum(("active", "licensing", "decisions")),
    "punishment_decisions": _sum(("active", "punishment", "decisions")),
    "documents_issued": _documents_issued,
    "fees_amount": _fees,
}

_LITIGATION: tuple[Cell, ...] = (
    ("appeals", "litigation_direct", "total"),
    ("appeals", "litigation_after_review", "total"),
)
_REVIEW: tuple[Cell, ...] = (("appeals", "review", "total"),)

#: prose key -> (label, the table cells whose sum is the same quantity, scale prose->table)
PROSE_PAIRS: dict[str, tuple[str, tuple[Cell, ...], float]] = {
    "applications_received": (
        "收到政府信息公开申请",
        (("applications", "new_received", "total"),),
        1.0,
    ),
    "review_total": ("行政复议", _REVIEW, 1.0),
    "litigation_total": ("行政诉讼", _LITIGATION, 1.0),
    "appeals_total": ("行政复议和行政诉讼", _REVIEW + _LITIGATION, 1.0),
    "fees_amount": ("收取信息处理费（元→万元）", (("active", "fees", "amount"),), 1 / 10000),
}
#: fees are stated in 元 and tabled in 万元: equal to the table's printed precision
PROSE_TOLERANCE = {"fees_amount": 0.005}
_DEFAULT_TOLERANCE = 1e-9


def table_value(report: Report, cells: Iterable[Cell]) -> tuple[float | None, list[str]]:
    """A blank cell counts as 0 here (named in the second item); unreadable gives None."""
    total = 0.0
    blank = []
    for table, row, column in cells:
        value = report.cell(table, row, column)
        if value is None:
            return None, []
        if "blank" in report.flags_of(table, row, column):
            blank.append(f"{table}.{row}.{column}")
        total += value
    return total, blank


def prose_disagreements(report: Report) -> list[tuple[str, float, float, list[str]]]:
    """``(key, stated, table value, blank cells)`` of every prose figure the table contradicts."""
    if report.year is None:
        return []
    out = []
    for key, stated in report.prose.items():
        if key not in PROSE_PAIRS or stated is None:
            continue
        if key == "fees_amount" and report.template != "2021":
            continue  # the 2019 table has no fee amount
        _, cells, scale = PROSE_PAIRS[key]
        table, blank = table_value(report, cells)
        if table is None:
            continue
        if abs(stated * scale - table) <= PROSE_TOLERANCE.get(key, _DEFAULT_TOLERANCE):
            continue
        out.append((key, stated, table, blank))
    return out


def _cell(report: Report, table: str, row: str, column: str) -> float | None:
    value = report.cell(table, row, column)
    return None if value is None else float(value)


CARRY_COLUMNS = spec.APPLICATION_COLUMNS
IN_FORCE_ROWS = {"regulations": "reg", "normative_documents": "nd"}


def columns() -> list[str]:
    """The numeric columns of ``report_figures`` (besides key, template and flags)."""
    out = [f"jump_{name}" for name in JUMP]
    out += [f"over_{c}" for c in CARRY_COLUMNS] + [f"forward_{c}" for c in CARRY_COLUMNS]
    for prefix in IN_FORCE_ROWS.values():
        out += [f"{prefix}_in_force", f"{prefix}_issued", f"{prefix}_repealed"]
    return out


def figures_row(report: Report, failing: bool) -> dict[str, Any]:
    """The ``report_figures`` values of one record (without ``version_id``)."""
    row: dict[str, Any] = {f"jump_{name}": compute(report) for name, compute in JUMP.items()}
    for c in CARRY_COLUMNS:
        row[f"over_{c}"] = _cell(report, "applications", "carried_over", c)
        row[f"forward_{c}"] = _cell(report, "applications", "carried_forward", c)
    for name, prefix in IN_FORCE_ROWS.items():
        for column in ("in_force", "issued", "repealed"):
            row[f"{prefix}_{column}"] = _cell(report, "active", name, column)
    row["template"] = report.template
    row["failing"] = failing
    row["prose_mismatch"] = bool(prose_disagreements(report))
    row["signed_on"] = report.signed_on
    return row
