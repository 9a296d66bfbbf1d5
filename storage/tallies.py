"""The report tallies that triggers keep (migration 0005), read back and recounted.

``report_tallies`` is what the overview reads instead of every report. The triggers keep it in
step with ``reports`` and ``agencies`` in the same transaction; ``recount`` computes the same
groups from scratch with the rule of ``storage.deadline_sql`` (not the triggers' SQL), so that
tests can hold the two equal, and ``repair`` rewrites the table from the recount for an archive
loaded with triggers switched off (``session_replication_role = replica``, a data-only
restore that skipped the table).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from storage import deadline_sql
from storage.models import AgencyRow, ReportRow, report_tallies

_A = cast(Table, AgencyRow.__table__)
_R = cast(Table, ReportRow.__table__)
_T = report_tallies

Key = tuple[str, str, str, int, int]  # region, level, deadline ("" none), since (0 none), year
Counts = tuple[int, int, int]  # reports, on time, versions


def stored(session: Session) -> dict[Key, Counts]:
    """The table as kept, without the groups that hold nothing any more."""
    keys = (_T.c.region, _T.c.level, _T.c.deadline, _T.c.since, _T.c.year)
    rows = session.execute(select(*keys, _T.c.reports, _T.c.on_time, _T.c.versions))
    return {cast(Key, tuple(r[:5])): cast(Counts, tuple(r[5:])) for r in rows if any(r[5:])}


def recount(session: Session) -> dict[Key, Counts]:
    """The same groups counted from ``reports`` and ``agencies``."""
    dialect = session.get_bind().dialect.name
    on_time = deadline_sql.on_time(
        dialect,
        level=_A.c.level,
        override=_A.c.deadline,
        year=_R.c.year,
        published=(_R.c.published_on, _R.c.list_date),
        first_seen=_R.c.first_seen,
    )
    keys: tuple[Any, ...] = (
        _A.c.region,
        _A.c.level,
        func.coalesce(_A.c.deadline, ""),
        func.coalesce(_A.c.since, 0),
        _R.c.year,
    )
    query = (
        select(*keys, func.count(), func.sum(on_time), func.sum(_R.c.latest_version))
        .select_from(_R.join(_A, _A.c.id == _R.c.agency_id))
        .group_by(*keys)
    )
    return {
        cast(Key, tuple(r[:5])): (int(r[5]), int(r[6]), int(r[7])) for r in session.execute(query)
    }


def repair(session: Session) -> int:
    """Rewrite the table from ``recount``; the number of groups that were wrong."""
    kept, counted = stored(session), recount(session)
    wrong = sum(1 for k in kept.keys() | counted.keys() if kept.get(k) != counted.get(k))
    if wrong:
        session.execute(delete(_T))
        names = ("region", "level", "deadline", "since", "year", "reports", "on_time", "versions")
        rows = [dict(zip(names, (*k, *v), strict=True)) for k, v in counted.items()]
        if rows:
            session.execute(insert(_T), rows)
    return wrong
