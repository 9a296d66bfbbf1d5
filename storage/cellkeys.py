"""Ids of cell keys (table, row, column), cached per process.

Keys are only ever added, never changed or deleted, so an id once read stays right. New keys
are inserted in their own short transaction *before* the caller's unit of work starts: the
cache must never hold an id from a transaction that could still roll back.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.engine import Database
from storage.models import CellKeyRow

Key = tuple[str, str, str]


class CellKeys:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._ids: dict[Key, int] = {}

    def ids(self, keys: Iterable[Key]) -> dict[Key, int]:
        wanted = set(keys)
        missing = wanted - self._ids.keys()
        if missing:
            self._ids.update(self._db.write(lambda s: _ensure(s, missing)))
        return {k: self._ids[k] for k in wanted}


def _ensure(session: Session, keys: set[Key]) -> dict[Key, int]:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"table_name": t, "row_key": r, "column_key": c} for t, r, c in sorted(keys)]
    session.execute(insert(CellKeyRow).values(rows).on_conflict_do_nothing())
    # Read every key (not only ours): the cache fills in one go.
    query = select(CellKeyRow.table_name, CellKeyRow.row_key, CellKeyRow.column_key, CellKeyRow.id)
    return {(t, r, c): i for t, r, c, i in session.execute(query)}
