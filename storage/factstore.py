"""Writing and refreshing the ``version_facts`` rows (Core statements, no ORM objects)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, insert, or_, select
from sqlalchemy.orm import Session

from parser.record import Report
from storage.facts import DERIVATION, Derived, derive
from storage.models import VersionFactsRow, VersionRow

FACTS = cast(Table, VersionFactsRow.__table__)
_V = cast(Table, VersionRow.__table__)
_INSERT = insert(FACTS)
BATCH = 1000


def row(version_id: int, derived: Derived) -> dict[str, Any]:
    sketch = derived.sketch
    return {
        "version_id": version_id,
        "derivation": DERIVATION,
        "facts": derived.facts,
        "shingles": sketch.count if sketch else 0,
        "sketch": sketch.to_bytes() if sketch else None,
    }


def write(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(_INSERT, list(rows))


def replace(conn: Connection, version_id: int, derived: Derived) -> None:
    conn.execute(delete(FACTS).where(FACTS.c.version_id == version_id))
    write(conn, [row(version_id, derived)])


def stale_ids(conn: Connection) -> list[int]:
    """Versions without facts, or with facts of an older derivation."""
    query = (
        select(_V.c.id)
        .outerjoin(FACTS, FACTS.c.version_id == _V.c.id)
        .where(or_(FACTS.c.version_id.is_(None), FACTS.c.derivation < DERIVATION))
        .order_by(_V.c.id)
    )
    return list(conn.scalars(query))


def refresh_batch(conn: Connection, ids: Sequence[int]) -> int:
    found = conn.execute(select(_V.c.id, _V.c.record).where(_V.c.id.in_(list(ids)))).all()
    conn.execute(delete(FACTS).where(FACTS.c.version_id.in_([i for i, _ in found])))
    write(conn, [row(i, derive(Report.from_dict(record))) for i, record in found])
    return len(found)


def refresh_in(session: Session, ids: Sequence[int]) -> int:
    return refresh_batch(session.connection(), ids)


def refresh(conn: Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Derive the facts of every stale version on ``conn`` (the caller commits)."""
    ids = stale_ids(conn)
    done = 0
    for i in range(0, len(ids), BATCH):
        done += refresh_batch(conn, ids[i : i + BATCH])
        if progress is not None:
            progress(done, len(ids))
    return done
