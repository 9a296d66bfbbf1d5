"""Questions users ask of the archive, answered once for the command line and the web.

Everything here reads through ``storage.Archive`` and returns frozen values; rendering is
``gkwatch.render``'s job.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gkwatch import timeliness
from gkwatch.errors import QueryError
from parser.record import Report

if TYPE_CHECKING:
    from storage import Agency, Archive, Finding, ReportInfo, Version

#: ``--status`` values: ``published`` is any report in the archive (on time or late).
STATUS_FILTERS = ("published", "on_time", "late", "missing", "not_due")


@dataclass(frozen=True)
class Timeliness:
    """One cell of the timeliness grid: an agency and a year it owes a report for."""

    agency: Agency
    year: int
    due: dt.date
    status: timeliness.Status
    published: dt.date | None  # best known publication date
    report: ReportInfo | None


@dataclass(frozen=True)
class ReportView:
    """One report as a person reads it: the agency, the report, the version shown, all versions."""

    agency: Agency
    info: ReportInfo
    version: Version
    versions: tuple[Version, ...]
    timeliness: Timeliness

    @property
    def record(self) -> Report:
        return self.version.record


def published_date(info: ReportInfo) -> dt.date:
    """Best known publication date: the page's, else the list's, else first seen by gkwatch."""
    return info.published_on or info.list_date or info.first_seen.date()


#: The first report year expected of an agency without ``since`` (the monitor's default).
FIRST_YEAR = 2019
#: Up to this many agencies, the grid reads only their reports (an ``IN`` list).
ID_LIST_LIMIT = 500


def _years_owed(agency: Agency, first_year: int, today: dt.date) -> range:
    start = agency.since if agency.since is not None else first_year
    return range(start, today.year)  # the report on year Y is due in Y+1


def timeliness_grid(
    archive: Archive,
    *,
    today: dt.date,
    agencies: Sequence[Agency] | None = None,
    agency_id: str | None = None,
    region: str | None = None,
    level: str | None = None,
    years: Iterable[int] | None = None,
    first_year: int = FIRST_YEAR,
) -> list[Timeliness]:
    """Every agency × year owed — from the agency's ``since`` (else ``first_year``, the
    monitor's setting) up to last year — with its status; reports outside that span too."""
    if agencies is None:
        agencies = archive.agencies(
            region=region, level=level, ids=[agency_id] if agency_id else None
        )
        if agency_id and not agencies:
            archive.agency(agency_id)  # raises NotFound with the archive's message
    by_agency: dict[str, dict[int, ReportInfo]] = defaultdict(dict)
    if agency_id is not None:
        ids: list[str] | None = [agency_id]
    elif region is None and len(agencies) <= ID_LIST_LIMIT:
        ids = [a.id for a in agencies]
    else:
        ids = None
    wanted = set(years) if years is not None else None
    for info in archive.report_infos(agency_ids=ids, region=region, years=wanted):
        by_agency[info.agency_id][info.year] = info
    out: list[Timeliness] = []
    for agency in agencies:
        mine = by_agency.get(agency.id, {})
        span = set(_years_owed(agency, first_year, today)) | set(mine)
        for year in sorted(span):
            if wanted is not None and year not in wanted:
                continue
            out.append(_cell(agency, year, mine.get(year), today))
    return out


def _cell(agency: Agency, year: int, info: ReportInfo | None, today: dt.date) -> Timeliness:
    due = timeliness.deadline(agency.level, agency.deadline, year)
    published = published_date(info) if info is not None else None
    state = timeliness.status(published, info is not None, due, today)
    return Timeliness(agency, year, due, state, published, info)


def filter_status(rows: Iterable[Timeliness], wanted: str | None) -> list[Timeliness]:
    if wanted is None:
        return list(rows)
    if wanted not in STATUS_FILTERS:
        raise QueryError(f"unknown status {wanted!r}; choose one of {', '.join(STATUS_FILTERS)}")
    if wanted == "published":
        return [r for r in rows if r.report is not None]
    return [r for r in rows if r.status == wanted]


def report_view(
    archive: Archive, agency_id: str, year: int, *, version: int | None = None, today: dt.date
) -> ReportView:
    agency = archive.agency(agency_id)
    info = archive.report(agency_id, year)
    versions = tuple(archive.versions(info.id))
    number = info.latest_version if version is None else version
    chosen = next((v for v in versions if v.number == number), None)
    if chosen is None:
        known = ", ".join(str(v.number) for v in versions)
        raise QueryError(f"{agency_id} {year} has no version {number} (versions: {known})")
    return ReportView(agency, info, chosen, versions, _cell(agency, year, info, today))


def findings(
    archive: Archive,
    *,
    kind: str | None = None,
    severity: str | None = None,
    open_only: bool = False,
    since: dt.datetime | None = None,
    agency_id: str | None = None,
    year: int | None = None,
    region: str | None = None,
) -> list[Finding]:
    """Findings, newest opened first, filtered by the database (region included)."""
    page = archive.findings_page(
        kind=kind,
        severity=severity,
        state="open" if open_only else None,
        since=since,
        agency_id=agency_id,
        year=year,
        region=region,
    )
    return list(page.findings)


def parse_since(text: str | None) -> dt.datetime | None:
    """``--since`` accepts an ISO date or datetime, or a span such as ``7d`` / ``12h``."""
    if text is None:
        return None
    value = text.strip()
    now = dt.datetime.now(dt.UTC)
    if value[:-1].isdigit() and value[-1:] in {"d", "h"}:
        amount = int(value[:-1])
        return now - (dt.timedelta(days=amount) if value[-1] == "d" else dt.timedelta(hours=amount))
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise QueryError(f"--since {text!r}: expected a date (2025-01-31), or 7d / 12h") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def in_region(region: str, within: str) -> bool:
    """``示范省/青禾市/松川区`` lies in ``示范省/青禾市`` (and in itself)."""
    within = within.strip("/")
    return region == within or region.startswith(within + "/")
