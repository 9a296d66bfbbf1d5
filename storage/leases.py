"""Named leases (a lock that expires) and the log of scheduled job runs, for the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from storage.models import JobRunRow, LeaseRow
from storage.types import JobRun, Lease


def acquire(session: Session, name: str, holder: str, ttl: float, now: dt.datetime) -> bool:
    until = now + dt.timedelta(seconds=ttl)
    # take it over when it expired or is already ours (one conditional UPDATE) …
    result = session.execute(
        update(LeaseRow)
        .where(LeaseRow.name == name, or_(LeaseRow.until <= now, LeaseRow.holder == holder))
        .values(holder=holder, acquired_at=now, until=until)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) == 1:
        return True
    if session.get(LeaseRow, name) is not None:
        return False
    # … or create it; a concurrent creator makes this flush fail and the write is rerun,
    # when the UPDATE above then finds the other holder's live lease.
    session.add(LeaseRow(name=name, holder=holder, acquired_at=now, until=until))
    session.flush()
    return True


def renew(session: Session, name: str, holder: str, ttl: float, now: dt.datetime) -> bool:
    result = session.execute(
        update(LeaseRow)
        .where(LeaseRow.name == name, LeaseRow.holder == holder)
        .values(until=now + dt.timedelta(seconds=ttl))
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def release(session: Session, name: str, holder: str) -> None:
    session.execute(delete(LeaseRow).where(LeaseRow.name == name, LeaseRow.holder == holder))


def get(session: Session, name: str) -> Lease | None:
    row = session.get(LeaseRow, name)
    if row is None:
        return None
    return Lease(row.name, row.holder, row.acquired_at, row.until)


def record_run(
    session: Session,
    job: str,
    started_at: dt.datetime,
    finished_at: dt.datetime,
    status: str,
    detail: dict[str, Any],
) -> int:
    row = JobRunRow(
        job=job, started_at=started_at, finished_at=finished_at, status=status, detail=detail
    )
    session.add(row)
    session.flush()
    return row.id


def runs(session: Session, job: str | None, limit: int) -> list[JobRun]:
    query = select(JobRunRow).order_by(JobRunRow.started_at.desc(), JobRunRow.id.desc())
    if job is not None:
        query = query.where(JobRunRow.job == job)
    return [
        JobRun(r.id, r.job, r.started_at, r.finished_at, r.status, dict(r.detail or {}))
        for r in session.scalars(query.limit(limit))
    ]
