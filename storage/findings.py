"""Findings (opened, updated, resolved in one sync) and the alert outbox with leases."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import JSON, Connection, Table, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from storage.errors import NotFound
from storage.models import AlertRow, FindingRow, UTCDateTime
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


_F = cast(Table, FindingRow.__table__)
_A = cast(Table, AlertRow.__table__)
_ADD_FINDINGS = insert(_F).returning(_F.c.id, _F.c.key)
_ADD_ALERTS = insert(_A)
_SET_FIELDS = (
    update(_F)
    .where(_F.c.id == bindparam("b_id"))
    .values(
        kind=bindparam("b_kind"),
        severity=bindparam("b_severity"),
        agency_id=bindparam("b_agency_id"),
        year=bindparam("b_year"),
        summary=bindparam("b_summary"),
        evidence=bindparam("b_evidence", type_=JSON()),
        state="open",
        opened_at=bindparam("b_opened_at", type_=UTCDateTime()),
        last_seen=bindparam("b_now", type_=UTCDateTime()),
        resolved_at=None,
    )
)


def _canon(evidence: Any) -> str:
    """Evidence as the database gives it back (tuples become lists), for comparison."""
    return json.dumps(evidence, sort_keys=True, ensure_ascii=False, default=str)


def _alert_row(finding_id: int, key: str, event: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "finding_id": finding_id,
        "finding_key": key,
        "event": event,
        "created_at": now,
        "attempts": 0,
        "last_attempt_at": None,
        "delivered_at": None,
        "last_error": None,
        "next_attempt_at": now,
        "lease_until": None,
    }


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):  # bounded IN lists (SQLite allows 32 766 parameters)
        yield ids[i : i + CHUNK]


def sync(
    session: Session,
    kinds: tuple[str, ...],
    current: tuple[FindingState, ...],
    now: dt.datetime,
    scope: frozenset[str] | None,
) -> SyncResult:
    """Set-based: one read of the findings of the kinds involved, then bulk statements — an
    INSERT … RETURNING of the new findings, UPDATEs by id lists (``last_seen`` of those seen
    again, resolutions) or executemany (only the rows whose content changed), and one
    executemany INSERT into the outbox. A concurrent sync opening the same key fails on the
    unique key and the whole unit of work reruns."""
    conn = session.connection()
    by_key = {f.key: f for f in current}  # a key given twice: the last wins
    involved = sorted(set(kinds) | {f.kind for f in by_key.values()})
    columns = (_F.c.id, _F.c.key, _F.c.kind, _F.c.state, _F.c.agency_id, _F.c.year)
    query = select(*columns, _F.c.severity, _F.c.summary, _F.c.evidence)
    existing = {
        r.key: r
        for r in conn.execute(
            query.where(_F.c.kind.in_(involved)).execution_options(yield_per=5000)
        )
    }
    alerts: list[dict[str, Any]] = []
    touched: list[int] = []  # seen again, nothing else changed
    rewritten: list[dict[str, Any]] = []  # seen again with new content, or reopened
    new: list[dict[str, Any]] = []
    opened = updated = 0
    for key, state in by_key.items():
        evidence = dict(state.evidence)
        row = existing.get(key)
        if row is None:
            new.append(
                {
                    "key": key,
                    "kind": state.kind,
                    "severity": state.severity,
                    "agency_id": state.agency_id,
                    "year": state.year,
                    "summary": state.summary,
                    "evidence": evidence,
                    "state": "open",
                    "opened_at": now,
                    "last_seen": now,
                    "resolved_at": None,
                }
            )
            continue
        reopen = row.state != "open"
        same = (
            not reopen
            and (row.kind, row.severity, row.agency_id, row.year, row.summary)
            == (state.kind, state.severity, state.agency_id, state.year, state.summary)
            and _canon(row.evidence) == _canon(evidence)
        )
        if same:
            touched.append(row.id)
        else:
            rewritten.append(
                {
                    "b_id": row.id,
                    "b_kind": state.kind,
                    "b_severity": state.severity,
                    "b_agency_id": state.agency_id,
                    "b_year": state.year,
                    "b_summary": state.summary,
                    "b_evidence": evidence,
                    "b_opened_at": now if reopen else None,
                    "b_now": now,
                }
            )
        if reopen:  # the problem came back: reopen it, alert again
            alerts.append(_alert_row(row.id, key, "opened", now))
            opened += 1
        else:
            updated += 1
    if new:
        for finding_id, key in conn.execute(_ADD_FINDINGS, new):
            alerts.append(_alert_row(finding_id, key, "opened", now))
        opened += len(new)
    for ids in _chunks(touched):
        conn.execute(update(_F).where(_F.c.id.in_(ids)).values(last_seen=now))
    if rewritten:
        _rewrite(conn, rewritten)
    stale = [
        r
        for r in existing.values()
        if r.state == "open"
        and r.kind in kinds
        and r.key not in by_key
        and (scope is None or r.agency_id in scope)
    ]
    for ids in _chunks([r.id for r in stale]):
        conn.execute(update(_F).where(_F.c.id.in_(ids)).values(state="resolved", resolved_at=now))
    alerts += [_alert_row(r.id, r.key, "resolved", now) for r in stale]
    if alerts:
        conn.execute(_ADD_ALERTS, alerts)
    return SyncResult(opened=opened, updated=updated, resolved=len(stale))


def _rewrite(conn: Connection, rows: list[dict[str, Any]]) -> None:
    # opened_at moves only for reopened findings: the others keep theirs
    reopened = [r for r in rows if r["b_opened_at"] is not None]
    kept = [r for r in rows if r["b_opened_at"] is None]
    if reopened:
        conn.execute(_SET_FIELDS, reopened)
    if kept:
        stmt = _SET_FIELDS.values(opened_at=_F.c.opened_at)
        conn.execute(stmt, [{k: v for k, v in r.items() if k != "b_opened_at"} for r in kept])


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
