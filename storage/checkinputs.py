"""The check pass's reader: one streaming Core query over reports, their latest versions and
those versions' facts, ordered by agency and year (the previous year of an agency is the row
just before). Server-side cursor on PostgreSQL (``stream_results``), batches of ``yield_per``
rows everywhere; no record JSON is read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import cast

from sqlalchemy import Connection, Table, select

from storage.facts import CheckInput, failing_of, slim_record
from storage.factstore import FACTS
from storage.models import ReportRow, VersionRow
from storage.sketch import Signature

_R = cast(Table, ReportRow.__table__)
_V = cast(Table, VersionRow.__table__)
YIELD_PER = 2000


def check_inputs(
    conn: Connection,
    *,
    years: Iterable[int] | None = None,
    agency_ids: Iterable[str] | None = None,
    report_ids: Iterable[int] | None = None,
) -> Iterator[CheckInput]:
    query = (
        select(
            _R.c.id,
            _R.c.agency_id,
            _R.c.year,
            _R.c.url,
            _R.c.published_on,
            _R.c.list_date,
            _R.c.first_seen,
            _R.c.status,
            _R.c.removed_at,
            _R.c.latest_version,
            FACTS.c.facts,
            FACTS.c.shingles,
            FACTS.c.sketch,
        )
        .join(_V, (_V.c.report_id == _R.c.id) & (_V.c.number == _R.c.latest_version))
        .join(FACTS, FACTS.c.version_id == _V.c.id)
        .order_by(_R.c.agency_id, _R.c.year)
    )
    if years is not None:
        query = query.where(_R.c.year.in_(list(years)))
    if agency_ids is not None:
        query = query.where(_R.c.agency_id.in_(list(agency_ids)))
    if report_ids is not None:
        query = query.where(_R.c.id.in_(list(report_ids)))
    # the options go on the statement: on the connection they would outlive this query
    for r in conn.execute(query.execution_options(stream_results=True, yield_per=YIELD_PER)):
        facts = r.facts
        yield CheckInput(
            report_id=r.id,
            agency_id=r.agency_id,
            year=r.year,
            url=r.url,
            published_on=r.published_on,
            list_date=r.list_date,
            first_seen=r.first_seen,
            status=r.status,
            removed_at=r.removed_at,
            versions=r.latest_version,
            record=slim_record(facts),
            failing=failing_of(facts),
            sketch=None if r.sketch is None else Signature.from_bytes(r.shingles, r.sketch),
        )
