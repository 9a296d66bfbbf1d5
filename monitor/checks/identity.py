"""``identity``: T3.balance, T3.rows, T3.results, T4.groups failing within one report.

One finding per report and rule; the evidence lists every failing scope (column, row or
group) with the cells on each side and both sums. Identities whose cells are unreadable
(``ok is None``) could not be checked and are not findings.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.findings import finding
from parser import identities
from parser.record import Identity, Report
from storage.facts import might_fail
from storage.types import FindingState

__all__ = ["RULE_LABELS", "check", "check_failing", "check_report", "describe", "might_fail"]

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


def check_report(agency_id: str, report: Report, name: str | None = None) -> list[FindingState]:
    if report.year is None or not might_fail(report):
        return []
    failing = [i for i in identities.evaluate(report) if i.ok is False]
    return check_failing(agency_id, report.year, failing, name or report.agency)


def check_failing(
    agency_id: str, year: int, failing: Iterable[Identity], name: str | None = None
) -> list[FindingState]:
    """The findings of identities already known to fail (storage keeps them in the facts of
    each version, so a check pass need not re-evaluate every report)."""
    by_rule: dict[str, list[Identity]] = {}
    for identity in failing:
        by_rule.setdefault(identity.rule, []).append(identity)
    out = []
    for rule, items in by_rule.items():
        scopes = "、".join(i.scope for i in items)
        first = items[0]
        summary = (
            f"{name or agency_id} {year}年度报告勾稽关系不符（{rule} "
            f"{RULE_LABELS.get(rule, '')}）：{scopes}；"
            f"如 {first.scope} 左边{first.left}，右边{first.right}"
        )
        evidence = {"rule": rule, "failures": [describe(i) for i in items]}
        out.append(finding("identity", agency_id, year, summary, evidence, rule))
    return out


def check(reports: Iterable[tuple[str, Report]]) -> list[FindingState]:
    return [f for agency_id, report in reports for f in check_report(agency_id, report)]
