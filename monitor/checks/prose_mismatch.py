"""``prose_mismatch``: a figure stated in the text disagrees with the table value.

A blank table cell counts as 0 (the parser records it so), but the evidence says it was
blank; an unreadable cell (``None``) cannot be compared and gives nothing. Fees are stated
in 元 and tabled in 万元: they agree when equal to the table's printed precision (0.01 万元).
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.findings import finding
from parser.record import Report
from storage.types import FindingState

Cell = tuple[str, str, str]
_LITIGATION: tuple[Cell, ...] = (
    ("appeals", "litigation_direct", "total"),
    ("appeals", "litigation_after_review", "total"),
)
_REVIEW: tuple[Cell, ...] = (("appeals", "review", "total"),)

#: prose key -> (label, the table cells whose sum is the same quantity, scale prose->table)
PAIRS: dict[str, tuple[str, tuple[Cell, ...], float]] = {
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
_TOLERANCE = {"fees_amount": 0.005}


def _table_value(report: Report, cells: Iterable[Cell]) -> tuple[float | None, list[str]]:
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


def check_report(agency_id: str, report: Report) -> list[FindingState]:
    if report.year is None:
        return []
    out = []
    for key, stated in report.prose.items():
        if key not in PAIRS or stated is None:
            continue
        label, cells, scale = PAIRS[key]
        if key == "fees_amount" and report.template != "2021":
            continue  # the 2019 table has no fee amount
        table, blank = _table_value(report, cells)
        if table is None:
            continue
        if abs(stated * scale - table) <= _TOLERANCE.get(key, 1e-9):
            continue
        evidence = {
            "prose_key": key,
            "prose_value": stated,
            "sentence": report.prose_sources.get(key),
            "table_value": table,
            "table_cells": [".".join(c) for c in cells],
            "blank_cells": blank,
        }
        summary = (
            f"{report.agency or agency_id} {report.year}年度报告正文与表格不符：{label}"
            f"正文为{stated}，表格为{table:g}{'（表格空白）' if blank else ''}"
        )
        out.append(finding("prose_mismatch", agency_id, report.year, summary, evidence, key))
    return out


def check(reports: Iterable[tuple[str, Report]]) -> list[FindingState]:
    return [f for agency_id, report in reports for f in check_report(agency_id, report)]
