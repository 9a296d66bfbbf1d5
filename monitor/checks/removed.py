"""``removed``: a report page that now answers 404/410, or that left its list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from monitor.findings import finding
from monitor.inputs import AgencyFacts, ReportFacts
from storage.types import FindingState


def check(
    reports: Iterable[ReportFacts], agencies: Mapping[str, AgencyFacts]
) -> list[FindingState]:
    out = []
    for report in reports:
        if report.status != "removed":
            continue
        agency = agencies.get(report.agency_id)
        name = agency.name if agency else report.agency_id
        how = f"页面返回{report.removed_status}" if report.removed_status else "已从报告列表中消失"
        evidence = {
            "url": report.url,
            "status": report.removed_status,
            "removed_at": report.removed_at.isoformat() if report.removed_at else None,
        }
        summary = f"{name} {report.year}年度报告已被撤下：{how}"
        out.append(finding("removed", report.agency_id, report.year, summary, evidence))
    return out
