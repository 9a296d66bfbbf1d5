"""Findings (opened, updated, resolved in one sync) and the alert outbox with leases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.errors import NotFound
from storage.models import AlertRow, FindingRow
from storage.types import Alert, Finding, FindingState, SyncResult

CHUNK = 5000


def to_finding(row: FindingRow) -> Finding:
    return Finding(
        key=row.key,
        kind=row.kind,
        severity=row.severity,
        agency_id=row.agency_id,
        year=row.year,
        summary=row.summary,
        evidence=dict(row.evidence or {}),
        id=row.id,
        opened_at=row.opened_at,
        last_seen=row.last_seen,
        resolved_at=row.resolved_at,
        state=row.state,
    )


def to_alert(row: AlertRow) -> Alert:
    return Alert(
        id=row.id,
        finding_id=row.finding_id,
        finding_key=row.finding_key,
        event=row.event,
        created_at=row.created_at,
        attempts=row.attempts,
        last_attempt_at=row.last_attempt_at,
        delivered_at=row.delivered_at,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        lease_until=row.lease_until,
    )


def _enqueue(session: Session, row: FindingRow, event: str, now: dt.datetime) -> None:
    session.add(
        AlertRow(
            finding_id=row.id,
            finding_key=row.key,
            event=event,
            created_at=now,
            attempts=0,
            last_attempt_at=None,
            delivered_at=None,
            last_error=None,
            next_attempt_at=now,
            lease_until=None,
        )
    )


def sync(
    session: Session,
    kinds: tuple[str, ...],
    current: tuple[FindingState, ...],
    now: dt.datetime,
    scope: frozenset[str] | None,
) -> SyncResult:
    by_key = {f.key: f for f in current}  # a key given twice: the last wins
    existing: dict[str, FindingRow] = {}
    keys = list(by_key)
    for i in range(0, len(keys), CHUNK):  # bounded IN lists (SQLite allows 32 766 parameters)
        chunk = keys[i : i + CHUNK]
        existing.update(
            (row.key, row)
            for row in session.scalars(select(FindingRow).where(FindingRow.key.in_(chunk)))
        )
    opened = updated = resolved = 0
    new: list[FindingRow] = []
    for key, state in by_key.items():
        row = existing.get(key)
        fields: dict[str, Any] = {
            "kind": state.kind,
            "severity": state.severity,
            "agency_id": state.agency_id,
            "year": state.year,
            "summary": state.summary,
            "evidence": dict(state.evidence),
        }
        if row is None:
            row = FindingRow(key=key, state="open", opened_at=now, last_seen=now, **fields)
            session.add(row)
            new.append(row)
            continue
        for name, value in fields.items():
            setattr(row, name, value)
        row.last_seen = now
        if row.state != "open":  # the problem came back: reopen it, alert again
            row.state = "open"
            row.opened_at = now
            row.resolved_at = None
            _enqueue(session, row, "opened", now)
            opened += 1
        else:
            updated += 1
    if new:
        # One flush for all new rows (a multi-row INSERT … RETURNING): their ids are needed for
        # the outbox. A concurrent sync opening the same key fails here and the sync reruns.
        session.flush()
        for row in new:
            _enqueue(session, row, "opened", now)
        opened += len(new)
    if kinds:
        stale = select(FindingRow).where(
            FindingRow.kind.in_(list(kinds)), FindingRow.state == "open"
        )
        if scope is not None:
            stale = stale.where(FindingRow.agency_id.in_(list(scope)))
        for row in session.scalars(stale):
            if row.key in by_key:
                continue
            row.state = "resolved"
            row.resolved_at = now
            _enqueue(session, row, "resolved", now)
            resolved += 1
    session.flush()
    return SyncResult(opened=opened, updated=updated, resolved=resolved)


def select_findings(
    session: Session,
    *,
    kind: str | None,
    severity: str | None,
    open_only: bool,
    since: dt.datetime | None,
    agency_id: str | None,
    year: int | None,
) -> list[Finding]:
    query = select(FindingRow).order_by(FindingRow.opened_at.desc(), FindingRow.id.desc())
    if kind is not None:
        query = query.where(FindingRow.kind == kind)
    if severity is not None:
        query = query.where(FindingRow.severity == severity)
    if open_only:
        query = query.where(FindingRow.state == "open")
    if since is not None:
        query = query.where(or_(FindingRow.opened_at >= since, FindingRow.last_seen >= since))
    if agency_id is not None:
        query = query.where(FindingRow.agency_id == agency_id)
    if year is not None:
        query = query.where(FindingRow.year == year)
    return [to_finding(r) for r in session.scalars(query)]


def get(session: Session, key: str) -> Finding:
    row = session.scalars(select(FindingRow).where(FindingRow.key == key)).one_or_none()
    if row is None:
        raise NotFound("finding", key)
    return to_finding(row)


def _due(now: dt.datetime) -> Any:
    return (
        AlertRow.delivered_at.is_(None),
        AlertRow.next_attempt_at.is_not(None),
        AlertRow.next_attempt_at <= now,
        or_(AlertRow.lease_until.is_(None), AlertRow.lease_until <= now),
    )


def due_alerts(session: Session, now: dt.datetime, limit: int) -> list[Alert]:
    query = select(AlertRow).where(*_due(now)).order_by(AlertRow.id).limit(limit)
    return [to_alert(r) for r in session.scalars(query)]


def claim(session: Session, alert_id: int, now: dt.datetime, lease_seconds: float) -> bool:
    # One conditional UPDATE: the database serialises concurrent claimers on the row, and only
    # the first still sees it unleased, so exactly one of them gets rowcount 1.
    result = session.execute(
        update(AlertRow)
        .where(AlertRow.id == alert_id, *_due(now))
        .values(
            lease_until=now + dt.timedelta(seconds=lease_seconds),
            attempts=AlertRow.attempts + 1,
            last_attempt_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _alert(session: Session, alert_id: int) -> AlertRow:
    row = session.get(AlertRow, alert_id)
    if row is None:
        raise NotFound("alert", alert_id)
    return row


def delivered(session: Session, alert_id: int, now: dt.datetime) -> None:
    row = _alert(session, alert_id)
    row.delivered_at = now
    row.lease_until = None
    row.last_error = None


def failed(
    session: Session,
    alert_id: int,
    now: dt.datetime,
    error: str,
    next_attempt_at: dt.datetime | None,
) -> None:
    row = _alert(session, alert_id)
    row.last_error = error
    row.last_attempt_at = now
    row.next_attempt_at = next_attempt_at
    row.lease_until = None


def alerts(session: Session, *, pending_only: bool) -> list[Alert]:
    query = select(AlertRow).order_by(AlertRow.id)
    if pending_only:
        query = query.where(AlertRow.delivered_at.is_(None))
    return [to_alert(r) for r in session.scalars(query)]
