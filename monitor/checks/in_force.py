"""``in_force`` (low): X.in_force — in_force(Y) ≈ in_force(Y-1) + issued(Y) − repealed(Y).

Revisions and clean-ups break it legitimately, hence the low severity.
"""

from __future__ import annotations

from monitor.checks.identity import describe
from monitor.findings import finding
from parser import identities
from parser.record import Report
from storage.types import FindingState


def check(agency_id: str, previous: Report, current: Report) -> list[FindingState]:
    if current.year is None or previous.year != current.year - 1:
        return []
    failing = [i for i in identities.in_force(previous, current) if i.ok is False]
    if not failing:
        return []
    summary = (
        f"{current.agency or agency_id} {current.year}年度现行有效件数与上年不衔接："
        + "；".join(f"{i.scope} 报告{i.left}，推算{i.right}" for i in failing)
    )
    evidence = {
        "rule": "X.in_force",
        "previous_year": previous.year,
        "failures": [describe(i) for i in failing],
    }
    return [finding("in_force", agency_id, current.year, summary, evidence)]
