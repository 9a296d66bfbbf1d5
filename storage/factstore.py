"""Writing and refreshing the ``version_facts`` and ``report_figures`` rows (Core statements,
no ORM objects). Both are derived together (``storage.facts.derive``) and replaced together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, insert, inspect, or_, select
from sqlalchemy.orm import Session

from parser.record import Report
from storage.facts import DERIVATION, Derived, derive
from storage.models import VersionFactsRow, VersionRow, report_figures

FACTS = cast(Table, VersionFactsRow.__table__)
FIGURES = report_figures
_V = cast(Table, VersionRow.__table__)
BATCH = 1000


def row(version_id: int, derived: Derived) -> dict[str, Any]:
    """The ``version_facts`` row."""
    sketch = derived.sketch
    return {
        "version_id": version_id,
        "derivation": DERIVATION,
        "facts": derived.facts,
        "shingles": sketch.count if sketch else 0,
        "sketch": sketch.to_bytes() if sketch else None,
    }


def figures_row(version_id: int, derived: Derived) -> dict[str, Any]:
    """The ``report_figures`` row."""
    sketch = derived.sketch
    return {
        "version_id": version_id,
        **derived.figures,
        "shingles": sketch.count if sketch else 0,
        "sketch": sketch.to_bytes() if sketch else None,
    }


def write(conn: Connection, items: Sequence[tuple[int, Derived]], *, figures: bool = True) -> None:
    """Insert the rows of ``(version_id, derived)`` pairs (``figures=False``: only the facts,
    for migration 0003, which runs before the figures table exists)."""
    if not items:
        return
    conn.execute(insert(FACTS), [row(i, d) for i, d in items])
    if figures:
        conn.execute(insert(FIGURES), [figures_row(i, d) for i, d in items])


def store(conn: Connection, version_id: int, derived: Derived) -> None:
    write(conn, [(version_id, derived)])


def _delete(conn: Connection, ids: list[int], figures: bool) -> None:
    conn.execute(delete(FACTS).where(FACTS.c.version_id.in_(ids)))
    if figures:
        conn.execute(delete(FIGURES).where(FIGURES.c.version_id.in_(ids)))


def replace(conn: Connection, version_id: int, derived: Derived) -> None:
    _delete(conn, [version_id], True)
    store(conn, version_id, derived)


def has_figures(conn: Connection) -> bool:
    """False only inside migration 0003, before 0004 created the table."""
    return inspect(conn).has_table(FIGURES.name)


def _all_current(conn: Connection, figures: bool) -> bool:
    """True when every version has facts of the current derivation (and figures): three
    counts instead of outer joins over the whole archive on every check pass. Exact: the
    facts and figures are keyed by version id and reference a version."""
    versions = conn.scalar(select(func.count()).select_from(_V))
    current = conn.scalar(
        select(func.count()).select_from(FACTS).where(FACTS.c.derivation >= DERIVATION)
    )
    if current != versions:
        return False
    return not figures or conn.scalar(select(func.count()).select_from(FIGURES)) == versions


def stale_ids(conn: Connection, *, figures: bool = True) -> list[int]:
    """Versions without facts (or figures), or with facts of an older derivation."""
    if _all_current(conn, figures):
        return []
    query = select(_V.c.id).outerjoin(FACTS, FACTS.c.version_id == _V.c.id).order_by(_V.c.id)
    stale = or_(FACTS.c.version_id.is_(None), FACTS.c.derivation < DERIVATION)
    if figures:
        query = query.outerjoin(FIGURES, FIGURES.c.version_id == _V.c.id)
        stale = or_(stale, FIGURES.c.version_id.is_(None))
    return list(conn.scalars(query.where(stale)))


def refresh_batch(conn: Connection, ids: Sequence[int], *, figures: bool = True) -> int:
    found = conn.execute(select(_V.c.id, _V.c.record).where(_V.c.id.in_(list(ids)))).all()
    _delete(conn, [i for i, _ in found], figures)
    write(conn, [(i, derive(Report.from_dict(record))) for i, record in found], figures=figures)
    return len(found)


def refresh_in(session: Session, ids: Sequence[int]) -> int:
    return refresh_batch(session.connection(), ids)


def refresh(conn: Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Derive the facts of every stale version on ``conn`` (the caller commits)."""
    figures = has_figures(conn)
    ids = stale_ids(conn, figures=figures)
    done = 0
    for i in range(0, len(ids), BATCH):
        done += refresh_batch(conn, ids[i : i + BATCH], figures=figures)
        if progress is not None:
            progress(done, len(ids))
    return done
