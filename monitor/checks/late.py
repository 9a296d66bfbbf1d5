"""``late``: a report published after its deadline, with the evidence that shows it.

Evidence, each a date on or after which the report went up: the date on the report's page,
the date on the list, the date under the signature (nothing is published before it is
signed), and the crawler's own observation — an earlier crawl of the list that did not show
the report (it went up after that crawl). The latest of them decides; the days late are
counted from the deadline, so a report dated on the deadline day itself is on time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from monitor.findings import finding
from monitor.inputs import AgencyFacts, ReportFacts
from storage.types import FindingState

LABELS = {
    "page_date": "页面发布日期",
    "list_date": "列表日期",
    "signature_date": "落款日期",
    "crawler_absent": "抓取记录（此前抓取列表时尚未出现）",
}


def evidence_dates(report: ReportFacts) -> dict[str, dt.date]:
    dates: dict[str, dt.date] = {}
    if report.published_on:
        dates["page_date"] = report.published_on
    if report.list_date:
        dates["list_date"] = report.list_date
    if report.signed_on:
        dates["signature_date"] = report.signed_on
    if report.absent_at:
        dates["crawler_absent"] = report.absent_at.date()
    return dates


def check(
    reports: Iterable[ReportFacts], agencies: Mapping[str, AgencyFacts]
) -> list[FindingState]:
    out: list[FindingState] = []
    for report in reports:
        agency = agencies.get(report.agency_id)
        dates = evidence_dates(report)
        if agency is None or not dates:
            continue
        due = agency.due(report.year)
        # the first key wins a tie, so the report's own page date is named when it agrees
        basis = max(dates, key=lambda k: (dates[k], -list(dates).index(k)))
        days = (dates[basis] - due).days
        if days <= 0:
            continue
        evidence = {
            "agency": agency.name,
            "deadline": due.isoformat(),
            "days_late": days,
            "basis": basis,
            "basis_label": LABELS[basis],
            "dates": {k: v.isoformat() for k, v in dates.items()},
            "first_seen": report.first_seen.isoformat(),
            "url": report.url,
        }
        summary = (
            f"{agency.name} {report.year}年度报告逾期发布：截止{due.isoformat()}，"
            f"依据{LABELS[basis]}{dates[basis].isoformat()}，逾期{days}天"
        )
        out.append(finding("late", report.agency_id, report.year, summary, evidence))
    return out
