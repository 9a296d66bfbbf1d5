"""Was a report published on time? Its deadline and its timeliness status, for display.

The monitor owns the "late"/"missing" findings; the deadline comes from the monitor's own
function (``monitor.deadlines.deadline``) so that the grid and the alerts always agree.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, Literal, cast

if TYPE_CHECKING:
    from storage import Archive
    from storage.aggregates import AgencyTally, ReportTally

Status = Literal["on_time", "late", "missing", "not_due"]
STATUSES: Final = ("on_time", "late", "missing", "not_due")


def deadline(level: str, custom: str | None, year: int) -> dt.date:
    """The last day to publish the report on ``year`` (it falls in ``year + 1``)."""
    # imported here: ``monitor`` pulls in Apprise, which ``gkwatch --help`` need not load
    from monitor.deadlines import deadline as monitor_deadline

    return monitor_deadline(level, year, custom)


def status(published: dt.date | None, present: bool, due: dt.date, today: dt.date) -> Status:
    """Timeliness of one agency × year.

    ``published`` is the best known publication date (the page's date, else the list's, else
    the day gkwatch first saw it); ``present`` says whether the archive has the report at all.
    """
    if present:
        if published is None or published <= due:
            return "on_time"
        return "late"
    return "missing" if today > due else "not_due"


def counted(
    archive: Archive,
    *,
    today: dt.date,
    first_year: int,
    region: str | None = None,
    by_region: bool = True,
) -> Counter[tuple[str | None, int, Status]]:
    """Agency-years per (region, year, status), decided and summed by the database (the
    monitor's deadline rule, as SQL in ``storage.deadline_sql``): what ``tally`` computes,
    without reading a row per report. Without ``by_region`` every key's region is None."""
    out: Counter[tuple[str | None, int, Status]] = Counter()
    tallies = archive.status_tallies(
        today=today, first_year=first_year, region=region, by_region=by_region
    )
    for t in tallies:
        out[(t.region, t.year, cast(Status, t.status))] += t.agency_years
    return out


def tally(
    agencies: Iterable[AgencyTally],
    reports: Iterable[ReportTally],
    *,
    today: dt.date,
    first_year: int,
) -> Counter[tuple[str, int, Status]]:
    """Agency-years per (region, year, status), from grouped counts (``storage`` tallies)
    rather than from every report: the statuses the timeliness grid would show, summed.

    An agency owes the years from its ``since`` (else ``first_year``) to last year; an owed
    year without a report is missing or not yet due; every report is on time or late.
    """
    due = functools.cache(deadline)
    out: Counter[tuple[str, int, Status]] = Counter()
    present: Counter[tuple[str, str, str | None, int | None, int]] = Counter()
    for r in reports:
        state = status(r.published, True, due(r.level, r.deadline, r.year), today)
        out[(r.region, r.year, state)] += r.reports
        present[(r.region, r.level, r.deadline, r.since, r.year)] += r.reports
    for a in agencies:
        start = a.since if a.since is not None else first_year
        for year in range(start, today.year):
            # reports are unique per agency and year: each one found frees one agency-year
            absent = a.agencies - present[(a.region, a.level, a.deadline, a.since, year)]
            if absent > 0:
                state = status(None, False, due(a.level, a.deadline, year), today)
                out[(a.region, year, state)] += absent
    return out
