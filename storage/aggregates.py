"""Read-only, set-based questions over the whole archive: counts, groups and pages computed in
SQL (Core statements), returned as small frozen dataclasses.

The dashboard's overview and findings list must answer in milliseconds on 100 000 reports;
loading every report or finding as an object takes seconds. So the database groups and pages,
and only the groups travel. Timeliness (``status_tallies``) is decided with the deadline
rule as SQL (``storage.deadline_sql``) over ``report_tallies``, which triggers keep at write
time; ``report_tallies()`` (groups with their best known publication date) lets a caller apply
the rule itself, as the tests do to hold the two equal.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Date,
    String,
    Table,
    and_,
    case,
    exists,
    func,
    null,
    or_,
    select,
    text,
    true,
    type_coerce,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from storage import deadline_sql
from storage.agencies import to_agency
from storage.findings import to_finding
from storage.history import to_info
from storage.models import AgencyRow, FindingRow, ReportRow
from storage.models import report_tallies as _T
from storage.types import Agency, Finding, ReportInfo

_A = cast(Table, AgencyRow.__table__)
_R = cast(Table, ReportRow.__table__)
_F = cast(Table, FindingRow.__table__)


@dataclass(frozen=True)
class ArchiveCounts:
    agencies: int
    reports: int
    versions: int  # every version of every report
    open_findings: int


@dataclass(frozen=True)
class AgencyTally:
    """How many agencies share a region, level, deadline override and first year owed."""

    region: str
    level: str
    deadline: str | None
    since: int | None
    agencies: int


@dataclass(frozen=True)
class ReportTally:
    """Reports of one agency group (as in ``AgencyTally``) for one year that share their best
    known publication date: the page's, else the list's, else the day first seen (UTC)."""

    region: str
    level: str
    deadline: str | None
    since: int | None
    year: int
    published: dt.date
    reports: int
    versions: int


@dataclass(frozen=True)
class StatusTally:
    """Agency-years of one region and year with one timeliness status (on_time, late,
    missing, not_due)."""

    region: str | None  # None: every region together (``by_region=False``)
    year: int
    status: str
    agency_years: int


@dataclass(frozen=True)
class FindingTally:
    kind: str
    severity: str
    region: str | None  # the agency's region; None when the agency is not in the registry
    findings: int


@dataclass(frozen=True)
class FindingsPage:
    findings: tuple[Finding, ...]  # newest opened first
    total: int  # matching findings on all pages


@dataclass(frozen=True)
class AgencyPage:
    agencies: tuple[Agency, ...]
    total: int


def in_region(column: Any, region: str) -> Any:
    """The region itself and everything below it (``a/b`` covers ``a/b/c``, not ``a/bc``)."""
    region = region.strip("/")
    return or_(column == region, column.startswith(region + "/", autoescape=True))


def _agencies_in(region: str) -> Any:
    return select(_A.c.id).where(in_region(_A.c.region, region))


def counts(session: Session) -> ArchiveCounts:
    # from the tallies the triggers keep: a scan of every report costs ~15 ms at 100 000
    reports, versions = session.execute(
        select(func.coalesce(func.sum(_T.c.reports), 0), func.coalesce(func.sum(_T.c.versions), 0))
    ).one()
    return ArchiveCounts(
        agencies=session.scalar(select(func.count()).select_from(_A)) or 0,
        reports=int(reports),
        # numbers run 1, 2, 3 … without gaps: the latest number is the count
        versions=int(versions),
        open_findings=session.scalar(select(func.count()).where(_F.c.state == "open")) or 0,
    )


def agency_tallies(session: Session, *, region: str | None = None) -> list[AgencyTally]:
    keys = (_A.c.region, _A.c.level, _A.c.deadline, _A.c.since)
    query = select(*keys, func.count()).group_by(*keys)
    if region is not None:
        query = query.where(in_region(_A.c.region, region))
    return [AgencyTally(*row) for row in session.execute(query)]


def report_tallies(session: Session, *, region: str | None = None) -> list[ReportTally]:
    if session.get_bind().dialect.name == "postgresql":
        return _grouped_tallies(session, region)
    return _projected_tallies(session, region)


#: Enough for PostgreSQL to group 100 000s of reports in a hash table: with the default 4 MB it
#: sorts them on disk instead (external merge; ~0.5 s at 100 000 reports).
GROUPING_WORK_MEM = "64MB"


def _grouped_tallies(session: Session, region: str | None) -> list[ReportTally]:
    """PostgreSQL groups 100 000 rows with a hash in tens of milliseconds."""
    # SET LOCAL: for this read transaction only (Database.read rolls it back)
    session.execute(text(f"SET LOCAL work_mem = '{GROUPING_WORK_MEM}'"))
    seen_day = sql_cast(func.timezone("UTC", _R.c.first_seen), Date)
    best = func.coalesce(_R.c.published_on, _R.c.list_date, seen_day).label("published")
    keys = (_A.c.region, _A.c.level, _A.c.deadline, _A.c.since, _R.c.year, best)
    query = (
        select(*keys, func.count(), func.sum(_R.c.latest_version))
        .select_from(_R.join(_A, _A.c.id == _R.c.agency_id))
        .group_by(*keys)
    )
    if region is not None:
        query = query.where(in_region(_A.c.region, region))
    return [ReportTally(*row) for row in session.execute(query)]


def _projected_tallies(session: Session, region: str | None) -> list[ReportTally]:
    """SQLite's GROUP BY sorts every row (~0.3 s for 100 000 reports on the shared machine),
    and reading 100 000 rows into Python costs as much. Grouping by agency follows the
    (agency_id, year) index, so SQLite streams it: one row per agency carrying its reports as
    "year date versions" tokens, counted per agency group in C (``Counter.update``)."""
    agencies = select(_A.c.id, _A.c.region, _A.c.level, _A.c.deadline, _A.c.since)
    if region is not None:
        agencies = agencies.where(in_region(_A.c.region, region))
    group_of = {row[0]: tuple(row[1:]) for row in session.execute(agencies)}
    # dates stay text ("YYYY-MM-DD"; first_seen is UTC text): parsed once per distinct value
    best = func.coalesce(_R.c.published_on, _R.c.list_date, func.date(_R.c.first_seen))
    token = (
        type_coerce(_R.c.year, String)
        + " "
        + type_coerce(best, String)
        + " "
        + type_coerce(_R.c.latest_version, String)
    )
    query = select(_R.c.agency_id, func.group_concat(token, ",")).group_by(_R.c.agency_id)
    if region is not None:
        query = query.where(_R.c.agency_id.in_(_agencies_in(region)))
    tokens: dict[tuple[Any, ...], Counter[str]] = {}
    for agency_id, joined in session.connection().execute(query).cursor.fetchall():
        group = group_of[agency_id]
        found = tokens.get(group)
        if found is None:
            found = tokens[group] = Counter()
        found.update(joined.split(","))
    days: dict[str, dt.date] = {}
    counts: dict[tuple[Any, ...], list[int]] = {}
    for group, counter in tokens.items():
        for item, n in counter.items():
            year, day, number = item.split(" ")  # number: the latest version's = versions
            key = (group, int(year), day)
            found_n = counts.setdefault(key, [0, 0])
            found_n[0] += n
            found_n[1] += n * int(number)
    out = []
    for ((where, level, deadline, since), year, day), (n, versions) in counts.items():
        parsed = days.get(day) or days.setdefault(day, dt.date.fromisoformat(day))
        out.append(ReportTally(where, level, deadline, since, year, parsed, n, versions))
    return out


def status_tallies(
    session: Session,
    *,
    today: dt.date,
    first_year: int,
    region: str | None = None,
    by_region: bool = True,
) -> list[StatusTally]:
    """The timeliness grid summed per (region, year, status), decided by the database.

    A report is on time when its best known publication date (the page's, else the list's,
    else the day first seen, UTC) is on or before its deadline (``deadline_sql``), else late.
    An agency owes the years from its ``since`` (else ``first_year``) to ``today``'s year,
    exclusive; an owed year without a report is missing once ``today`` is past its deadline,
    else not yet due. Reports are unique per agency and year, so the owed agency-years
    without a report are the owed ones less the reports on owed years, each side split by
    "past its deadline". The reports side reads ``report_tallies`` (kept by triggers: one row
    per agency group and year, not one per report), the owed side the few agency groups;
    only regions × years leave the database (years alone without ``by_region``)."""
    out: Counter[tuple[str | None, int, str]] = Counter()
    query = _report_statuses(today=today, first_year=first_year, region=region, by=by_region)
    for where, year, on_time, n, found_missing, found_not_due in session.execute(query):
        out[(where, year, "on_time")] += int(on_time)
        out[(where, year, "late")] += int(n) - int(on_time)
        out[(where, year, "missing")] -= int(found_missing)
        out[(where, year, "not_due")] -= int(found_not_due)
    query = _owed(session, today=today, first_year=first_year, region=region, by=by_region)
    for where, year, missing, n in session.execute(query):
        out[(where, year, "missing")] += int(missing)
        out[(where, year, "not_due")] += int(n) - int(missing)
    return [StatusTally(*key, n) for key, n in out.items() if n]


def _sum_if(value: Any, *conditions: Any) -> Any:
    return func.sum(case((and_(*conditions), value), else_=0))


def _past_due(today: dt.date, level: Any, override: Any, year: Any) -> Any:
    """For a year owed (before ``today``'s): is ``today`` past its deadline? All but last
    year's are, whatever the rule; last year's when its "MM-DD" is before today's."""
    md = deadline_sql.month_day(level, override, year)
    return or_(year + 1 < today.year, md < today.strftime("%m-%d"))


def _report_statuses(*, today: dt.date, first_year: int, region: str | None, by: bool) -> Any:
    """(region, year, reports on time, reports, reports on owed years past their deadline,
    reports on owed years not yet due) from ``report_tallies``; region NULL unless ``by``."""
    t = _T
    since = func.coalesce(func.nullif(t.c.since, 0), first_year)
    owed = and_(t.c.year >= since, t.c.year < today.year)
    past_due = _past_due(today, t.c.level, t.c.deadline, t.c.year)
    where = t.c.region if by else null()
    query = select(
        where,
        t.c.year,
        func.sum(t.c.on_time),
        func.sum(t.c.reports),
        _sum_if(t.c.reports, owed, past_due),
        _sum_if(t.c.reports, owed, ~past_due),
    ).group_by(*((t.c.region, t.c.year) if by else (t.c.year,)))
    return query if region is None else query.where(in_region(t.c.region, region))


def _owed(
    session: Session, *, today: dt.date, first_year: int, region: str | None, by: bool
) -> Any:
    """(region, year, agency-years owed past their deadline, agency-years owed): the agency
    groups (region, level, override, since) × the years before ``today``'s; region NULL
    and the region left out of the groups unless ``by``."""
    keys = (_A.c.region, _A.c.level, _A.c.deadline, _A.c.since)[0 if by else 1 :]
    groups = select(*keys, func.count().label("n")).group_by(*keys)
    if region is not None:
        groups = groups.where(in_region(_A.c.region, region))
    g = groups.subquery("g")
    where = g.c.region if by else null()
    since = session.scalar(select(func.min(_A.c.since)))
    start = min(first_year, since) if since is not None else first_year
    y = deadline_sql.years(range(start, max(start, today.year)) or range(start, start + 1))
    past_due = _past_due(today, g.c.level, g.c.deadline, y.c.year)
    return (
        select(where, y.c.year, _sum_if(g.c.n, past_due), func.sum(g.c.n))
        .select_from(g.join(y, true()))
        .where(y.c.year >= func.coalesce(g.c.since, first_year), y.c.year < today.year)
        .group_by(*((g.c.region, y.c.year) if by else (y.c.year,)))
    )


def finding_tallies(
    session: Session, *, open_only: bool = True, by_region: bool = True, region: str | None = None
) -> list[FindingTally]:
    """Findings counted by kind, severity and (``by_region``) their agency's region; without
    ``by_region`` every tally has region None and no join is made. ``region``: only the
    findings of agencies in that region or below it."""
    keys = (_F.c.kind, _F.c.severity, _A.c.region if by_region else null())
    joined = by_region or region is not None
    source = _F.outerjoin(_A, _A.c.id == _F.c.agency_id) if joined else _F
    query = select(*keys, func.count()).select_from(source).group_by(*keys[: 3 if by_region else 2])
    if open_only:
        query = query.where(_F.c.state == "open")
    if region is not None:
        query = query.where(in_region(_A.c.region, region))
    return [FindingTally(row[0], row[1], row[2], row[3]) for row in session.execute(query)]


def findings_page(
    session: Session,
    *,
    kind: str | None = None,
    severity: str | None = None,
    state: str | None = None,
    since: dt.datetime | None = None,
    agency_id: str | None = None,
    year: int | None = None,
    region: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> FindingsPage:
    conditions = []
    for column, value in (
        (FindingRow.kind, kind),
        (FindingRow.severity, severity),
        (FindingRow.state, state),
        (FindingRow.agency_id, agency_id),
        (FindingRow.year, year),
    ):
        if value is not None:
            conditions.append(column == value)
    if since is not None:
        conditions.append(or_(FindingRow.opened_at >= since, FindingRow.last_seen >= since))
    if region is not None:
        conditions.append(
            FindingRow.agency_id.in_(select(_A.c.id).where(in_region(_A.c.region, region)))
        )
    where = and_(True, *conditions)
    total = session.scalar(select(func.count()).select_from(FindingRow).where(where)) or 0
    query = (
        select(FindingRow)
        .where(where)
        .order_by(FindingRow.opened_at.desc(), FindingRow.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return FindingsPage(tuple(to_finding(r) for r in session.scalars(query)), total)


def finding_kinds(session: Session) -> list[str]:
    return list(session.scalars(select(_F.c.kind).distinct().order_by(_F.c.kind)))


def regions(session: Session) -> list[str]:
    """Every region path an agency of the registry is in (not their parents)."""
    return list(session.scalars(select(_A.c.region).distinct().order_by(_A.c.region)))


def agencies_page(
    session: Session,
    *,
    region: str | None = None,
    level: str | None = None,
    search: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> AgencyPage:
    """Agencies ordered by id, a page at a time, and how many match: ``region`` and below,
    ``level``, ``search`` a piece of the id or the name (ignoring case; literally: ``%`` and
    ``_`` are not wildcards)."""
    conditions = []
    if region is not None:
        conditions.append(in_region(_A.c.region, region))
    if level is not None:
        conditions.append(_A.c.level == level)
    if search:
        conditions.append(
            or_(
                _A.c.name.icontains(search, autoescape=True),
                _A.c.id.icontains(search, autoescape=True),
            )
        )
    where = and_(true(), *conditions)
    total = session.scalar(select(func.count()).select_from(_A).where(where)) or 0
    query = select(AgencyRow).where(where).order_by(AgencyRow.id).offset(offset).limit(limit)
    return AgencyPage(tuple(to_agency(r) for r in session.scalars(query)), total)


def grid_agencies(
    session: Session,
    *,
    first_year: int,
    before_year: int,
    region: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> AgencyPage:
    """Agencies with a row in the timeliness grid — owing a report on a year before
    ``before_year`` (from ``since``, else ``first_year``) or having any report — ordered by
    region and id."""
    owes = func.coalesce(_A.c.since, first_year) < before_year
    has_report = exists().where(_R.c.agency_id == _A.c.id)
    where = or_(owes, has_report)
    if region is not None:
        where = and_(where, in_region(_A.c.region, region))
    total = session.scalar(select(func.count()).select_from(_A).where(where)) or 0
    query = (
        select(AgencyRow)
        .where(where)
        .order_by(AgencyRow.region, AgencyRow.id)
        .offset(offset)
        .limit(limit)
    )
    return AgencyPage(tuple(to_agency(r) for r in session.scalars(query)), total)


def report_infos(
    session: Session,
    *,
    agency_ids: Iterable[str] | None = None,
    region: str | None = None,
    years: Iterable[int] | None = None,
) -> list[ReportInfo]:
    """``Archive.reports`` for many agencies at once, read as plain rows (no ORM objects):
    ordered by agency and year."""
    query = select(*_R.c).order_by(_R.c.agency_id, _R.c.year)
    if agency_ids is not None:
        query = query.where(_R.c.agency_id.in_(list(agency_ids)))
    if years is not None:
        query = query.where(_R.c.year.in_(list(years)))
    if region is not None:
        query = query.where(
            _R.c.agency_id.in_(select(_A.c.id).where(in_region(_A.c.region, region)))
        )
    return [to_info(cast(ReportRow, row)) for row in session.execute(query)]
