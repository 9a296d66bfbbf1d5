"""The archive at a glance: counts, open findings by kind and severity, timeliness by year and
by region. The dashboard's overview and region pages and the demo's closing summary use it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gkwatch import queries, timeliness

if TYPE_CHECKING:
    from storage import Archive, Finding


def region_path(region: str) -> list[str]:
    """``示范省/青禾市/松川区`` → every region it lies in, outermost first."""
    parts = [p for p in region.replace("／", "/").split("/") if p]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))] or [region]


@dataclass(frozen=True)
class RegionRollup:
    """One region with everything under it (its sub-regions' agencies included)."""

    region: str
    agencies: int
    reports: int
    statuses: dict[str, int]  # timeliness status -> agency-years
    open_findings: int

    @property
    def depth(self) -> int:
        return len(region_path(self.region)) - 1

    @property
    def name(self) -> str:
        return region_path(self.region)[-1].rsplit("/", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "agencies": self.agencies,
            "reports": self.reports,
            "statuses": dict(self.statuses),
            "open_findings": self.open_findings,
        }


@dataclass(frozen=True)
class Overview:
    today: dt.date
    agencies: int
    reports: int
    versions: int
    open_findings: int
    by_kind_severity: dict[str, dict[str, int]]  # kind -> severity -> open findings
    by_year: dict[int, dict[str, int]]  # year -> status -> agency-years
    years: tuple[int, ...]
    grid: tuple[queries.Timeliness, ...]
    regions: tuple[RegionRollup, ...]
    recent: tuple[Finding, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "agencies": self.agencies,
            "reports": self.reports,
            "versions": self.versions,
            "open_findings": self.open_findings,
            "open_findings_by_kind": {k: dict(v) for k, v in self.by_kind_severity.items()},
            "timeliness_by_year": {
                str(y): {s: self.by_year[y].get(s, 0) for s in timeliness.STATUSES}
                for y in self.years
            },
            "regions": [r.to_dict() for r in self.regions],
        }


def build(
    archive: Archive, today: dt.date, *, first_year: int = queries.FIRST_YEAR, recent: int = 10
) -> Overview:
    agencies = archive.agencies()
    grid = queries.timeliness_grid(archive, today=today, agencies=agencies, first_year=first_year)
    open_findings = archive.findings(open_only=True)
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for f in open_findings:
        by_kind[f.kind][f.severity] += 1
    by_year: dict[int, Counter[str]] = defaultdict(Counter)
    region_status: dict[str, Counter[str]] = defaultdict(Counter)
    region_reports: Counter[str] = Counter()
    versions = 0
    paths = {a.id: region_path(a.region) for a in agencies}
    for t in grid:
        by_year[t.year][t.status] += 1
        for region in paths[t.agency.id]:
            region_status[region][t.status] += 1
            if t.report is not None:
                region_reports[region] += 1
        if t.report is not None:
            versions += t.report.versions
    region_findings: Counter[str] = Counter()
    for f in open_findings:
        region_findings.update(paths.get(f.agency_id or "", []))
    region_agencies = Counter(r for a in agencies for r in paths[a.id])
    regions = tuple(
        RegionRollup(
            name,
            region_agencies[name],
            region_reports[name],
            dict(region_status[name]),
            region_findings[name],
        )
        for name in sorted(region_agencies)
    )
    return Overview(
        today=today,
        agencies=len(agencies),
        reports=sum(1 for t in grid if t.report is not None),
        versions=versions,
        open_findings=len(open_findings),
        by_kind_severity={k: dict(v) for k, v in sorted(by_kind.items())},
        by_year={y: dict(c) for y, c in by_year.items()},
        years=tuple(sorted(by_year)),
        grid=tuple(grid),
        regions=regions,
        recent=tuple(open_findings[:recent]),
    )
