"""``carryover``: X.carry — carried_over(Y) must equal carried_forward(Y-1), per column."""

from __future__ import annotations

from monitor.checks.identity import describe
from monitor.findings import finding
from parser import identities, spec
from parser.record import Report
from storage.types import FindingState


def _might_break(previous: Report, current: Report) -> bool:
    """Plain comparison first (the hot path of a check pass): the identities, which name
    every cell, are built only when a column disagrees."""
    over = (current.applications or {}).get("carried_over", {})
    forward = (previous.applications or {}).get("carried_forward", {})
    for column in spec.APPLICATION_COLUMNS:
        a, b = over.get(column), forward.get(column)
        if a is not None and b is not None and abs(a - b) > 1e-6:
            return True
    return False


def check(agency_id: str, previous: Report, current: Report) -> list[FindingState]:
    if current.year is None or previous.year != current.year - 1:
        return []
    if not _might_break(previous, current):
        return []
    failing = [i for i in identities.carry(previous, current) if i.ok is False]
    if not failing:
        return []
    first = failing[0]
    summary = (
        f"{current.agency or agency_id} {current.year}年度“上年结转”与{previous.year}年度"
        f"“结转下年度继续办理”不一致：{'、'.join(i.scope for i in failing)}"
        f"（如 {first.scope}：{first.left} ≠ {first.right}）"
    )
    evidence = {
        "rule": "X.carry",
        "previous_year": previous.year,
        "failures": [describe(i) for i in failing],
    }
    return [finding("carryover", agency_id, current.year, summary, evidence)]
