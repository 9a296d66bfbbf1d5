"""``identity``: T3.balance, T3.rows, T3.results, T4.groups failing within one report.

One finding per report and rule; the evidence lists every failing scope (column, row or
group) with the cells on each side and both sums. Identities whose cells are unreadable
(``ok is None``) could not be checked and are not findings.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.findings import finding
from parser import identities, spec
from parser.record import Identity, Report
from storage.types import FindingState

RULE_LABELS = {
    "T3.balance": "本年新收+上年结转=总计+结转下年度",
    "T3.rows": "各行总计=各类申请人之和",
    "T3.results": "总计=各办理结果之和",
    "T4.groups": "复议/诉讼总计=维持+纠正+其他+尚未审结",
}


def describe(identity: Identity) -> dict[str, object]:
    return {
        "scope": identity.scope,
        "left": identity.left,
        "right": identity.right,
        "difference": None
        if identity.left is None or identity.right is None
        else identity.left - identity.right,
        "left_cells": list(identity.left_cells),
        "right_cells": list(identity.right_cells),
    }


_EMPTY: dict[str, float | None] = {}


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
    """A cheap pass over the same rules (plain sums, no cell names): False when none can
    fail, so that the full evaluation, which names every cell, runs only for the few
    reports that need it. The hot loop of a check pass, hence the plain code."""
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
        parts = [
            group.get("upheld"),
            group.get("corrected"),
            group.get("other"),
            group.get("pending"),
        ]
        if _off(group.get("total"), _sum_of(parts)):
            return True
    return False


_EMPTY_TABLE: dict[str, dict[str, float | None]] = {}


def check_report(agency_id: str, report: Report, name: str | None = None) -> list[FindingState]:
    if report.year is None or not might_fail(report):
        return []
    failing: dict[str, list[Identity]] = {}
    for identity in identities.evaluate(report):
        if identity.ok is False:
            failing.setdefault(identity.rule, []).append(identity)
    out = []
    for rule, items in failing.items():
        scopes = "、".join(i.scope for i in items)
        first = items[0]
        summary = (
            f"{name or report.agency or agency_id} {report.year}年度报告勾稽关系不符（{rule} "
            f"{RULE_LABELS.get(rule, '')}）：{scopes}；"
            f"如 {first.scope} 左边{first.left}，右边{first.right}"
        )
        evidence = {"rule": rule, "failures": [describe(i) for i in items]}
        out.append(finding("identity", agency_id, report.year, summary, evidence, rule))
    return out


def check(reports: Iterable[tuple[str, Report]]) -> list[FindingState]:
    return [f for agency_id, report in reports for f in check_report(agency_id, report)]
