"""``missing`` (and the optional ``due`` reminder): an expected report that is not there.

An agency is expected to report for year Y when its ``since`` (or the configured first year)
is at most Y. ``missing`` opens the day after deadline + grace; ``due`` (when
``due_days`` > 0) runs from ``due_days`` before the deadline until ``missing`` takes over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from monitor.findings import finding
from monitor.inputs import AgencyFacts
from storage.types import FindingState


def expected_years(agency: AgencyFacts, today: dt.date, first_year: int) -> range:
    """Years whose report could already be due (the report for Y is due in Y+1)."""
    start = agency.since if agency.since is not None else first_year
    return range(start, today.year)


def check(
    agencies: Iterable[AgencyFacts],
    present: Collection[tuple[str, int]],
    today: dt.date,
    *,
    grace_days: int = 7,
    due_days: int = 0,
    first_year: int = 2019,
) -> list[FindingState]:
    """``present`` holds ``(agency_id, year)`` of every report the archive has (any status)."""
    out: list[FindingState] = []
    grace = dt.timedelta(days=grace_days)
    for agency in agencies:
        for year in expected_years(agency, today, first_year):
            if (agency.id, year) in present:
                continue
            due = agency.due(year)
            evidence = {
                "agency": agency.name,
                "deadline": due.isoformat(),
                "grace_days": grace_days,
            }
            if today > due + grace:
                days = (today - due).days
                summary = (
                    f"{agency.name} {year}年度报告缺失：截止日期{due.isoformat()}，已超过{days}天"
                )
                out.append(
                    finding("missing", agency.id, year, summary, {**evidence, "days_overdue": days})
                )
            elif due_days and today >= due - dt.timedelta(days=due_days):
                left = (due - today).days
                summary = f"{agency.name} {year}年度报告将于{due.isoformat()}到期，尚未发现"
                out.append(
                    finding("due", agency.id, year, summary, {**evidence, "days_left": left})
                )
    return out
