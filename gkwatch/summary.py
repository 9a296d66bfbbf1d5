"""The archive at a glance: counts, open findings by kind and severity, timeliness by year and
by region. The dashboard's overview and region pages and the demo's closing summary use it."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gkwatch import queries, timeliness

if TYPE_CHECKING:
    from collections.abc import Iterable

    from storage import Archive, Finding
    from storage.aggregates import AgencyTally, FindingTally


@functools.lru_cache(maxsize=65536)
def region_path(region: str) -> tuple[str, ...]:
    """``示范省/青禾市/松川区`` → every region it lies in, outermost first."""
    parts = [p for p in region.replace("／", "/").split("/") if p]
    return tuple("/".join(parts[: i + 1]) for i in range(len(parts))) or (region,)


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
    grid: tuple[queries.Timeliness, ...]  # the cells of the first ``grid_limit`` agencies
    regions: tuple[RegionRollup, ...]
    recent: tuple[Finding, ...] = field(default=())
    grid_agencies: int = 0  # agencies with a row in the whole grid

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
    archive: Archive,
    today: dt.date,
    *,
    first_year: int = queries.FIRST_YEAR,
    recent: int = 10,
    grid_limit: int = 60,
    with_regions: bool = True,
) -> Overview:
    """The overview from set-based queries (``storage.aggregates``): the database counts and
    groups; only groups, one page of the grid and the latest findings are read.
    ``with_regions=False`` skips the region roll-ups (``regions`` stays empty)."""
    agency_groups = archive.agency_tallies()
    counts = archive.counts()
    statuses = timeliness.counted(
        archive, today=today, first_year=first_year, by_region=with_regions
    )
    finding_groups = archive.finding_tallies(open_only=True, by_region=with_regions)
    by_year: dict[int, Counter[str]] = defaultdict(Counter)
    for (_, year, status), n in statuses.items():
        by_year[year][status] += n
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for f in finding_groups:
        by_kind[f.kind][f.severity] += f.findings
    page = archive.grid_agencies(first_year=first_year, before_year=today.year, limit=grid_limit)
    grid = queries.timeliness_grid(
        archive, today=today, agencies=page.agencies, first_year=first_year
    )
    return Overview(
        today=today,
        agencies=sum(a.agencies for a in agency_groups),
        reports=counts.reports,
        versions=counts.versions,
        open_findings=sum(f.findings for f in finding_groups),
        by_kind_severity={k: dict(v) for k, v in sorted(by_kind.items())},
        by_year={y: dict(c) for y, c in by_year.items()},
        years=tuple(sorted(by_year)),
        grid=tuple(grid),
        regions=_rollups(agency_groups, statuses, finding_groups) if with_regions else (),
        recent=archive.findings_page(state="open", limit=recent).findings,
        grid_agencies=page.total,
    )


def regions(
    archive: Archive,
    today: dt.date,
    *,
    first_year: int = queries.FIRST_YEAR,
    region: str | None = None,
) -> tuple[RegionRollup, ...]:
    """Every region (each including its sub-regions) rolled up, without the rest of the
    overview; with ``region``, that region, its sub-regions and the regions above it as seen
    from its agencies only."""
    agency_groups = archive.agency_tallies(region=region)
    statuses = timeliness.counted(archive, today=today, first_year=first_year, region=region)
    found = archive.finding_tallies(open_only=True, region=region)
    return _rollups(agency_groups, statuses, found)


def _rollups(
    agency_groups: Iterable[AgencyTally],
    statuses: Counter[tuple[str | None, int, timeliness.Status]],
    finding_groups: Iterable[FindingTally],
) -> tuple[RegionRollup, ...]:
    agencies: Counter[str] = Counter()
    for a in agency_groups:
        for region in region_path(a.region):
            agencies[region] += a.agencies
    by_region: dict[str, Counter[str]] = defaultdict(Counter)
    for (where, _, status), n in statuses.items():
        for region in region_path(where) if where is not None else ():
            by_region[region][status] += n
    findings: Counter[str] = Counter()
    for f in finding_groups:
        for region in region_path(f.region) if f.region is not None else ():
            findings[region] += f.findings
    return tuple(
        RegionRollup(
            name,
            agencies[name],
            # a report in the archive is on time or late; missing and not due have none
            by_region[name]["on_time"] + by_region[name]["late"],
            {k: v for k, v in by_region[name].items() if v},
            findings[name],
        )
        for name in sorted(agencies)
    )
