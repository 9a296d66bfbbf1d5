"""``prose_mismatch``: a figure stated in the text disagrees with the table value.

A blank table cell counts as 0 (the parser records it so), but the evidence says it was
blank; an unreadable cell (``None``) cannot be compared and gives nothing. Fees are stated
in 元 and tabled in 万元: they agree when equal to the table's printed precision (0.01 万元).
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.findings import finding
from parser.record import Report
from storage.figures import PROSE_PAIRS, prose_disagreements
from storage.types import FindingState

PAIRS = PROSE_PAIRS


def check_report(agency_id: str, report: Report) -> list[FindingState]:
    if report.year is None:
        return []
    out = []
    for key, stated, table, blank in prose_disagreements(report):
        label, cells, _ = PAIRS[key]
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
