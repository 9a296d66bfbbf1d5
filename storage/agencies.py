"""Agencies: registry import (in place, never deleting) and queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.errors import NotFound
from storage.models import AgencyRow
from storage.registry import RegistryEntry, in_parent_order, load_registry
from storage.types import Agency, RegistryImport


def to_agency(row: AgencyRow) -> Agency:
    return Agency(
        id=row.id,
        name=row.name,
        level=row.level,
        region=row.region,
        parent=row.parent_id,
        portal=row.portal,
        report_lists=tuple(row.report_lists or ()),
        discovered_lists=tuple(row.discovered_lists or ()),
        deadline=row.deadline,
        since=row.since,
    )


def _fields(e: RegistryEntry) -> dict[str, Any]:
    return {
        "name": e.name,
        "level": e.level,
        "region": e.region,
        "parent_id": e.parent,
        "portal": e.portal,
        "report_lists": list(e.report_lists),
        "deadline": e.deadline,
        "since": e.since,
    }


def import_file(session: Session, path: Path) -> RegistryImport:
    known = frozenset(session.scalars(select(AgencyRow.id)))
    entries = load_registry(path, known)
    return import_entries(session, entries)


def import_entries(session: Session, entries: list[RegistryEntry]) -> RegistryImport:
    now = dt.datetime.now(dt.UTC)
    # All rows, not an IN list: a national registry has more agencies than SQLite's
    # parameter limit, and the import compares most of them anyway.
    existing = {row.id: row for row in session.scalars(select(AgencyRow))}
    added = updated = unchanged = 0
    for entry in in_parent_order(entries):
        values = _fields(entry)
        row = existing.get(entry.id)
        if row is None:
            session.add(
                AgencyRow(
                    id=entry.id, discovered_lists=[], created_at=now, updated_at=now, **values
                )
            )
            session.flush()
            added += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return RegistryImport(added=added, updated=updated, unchanged=unchanged)


def select_agencies(
    session: Session,
    *,
    region: str | None = None,
    level: str | None = None,
    ids: Iterable[str] | None = None,
) -> list[Agency]:
    query = select(AgencyRow).order_by(AgencyRow.id)
    if region is not None:
        region = region.strip("/")
        query = query.where(
            or_(
                AgencyRow.region == region,
                AgencyRow.region.startswith(region + "/", autoescape=True),
            )
        )
    if level is not None:
        query = query.where(AgencyRow.level == level)
    if ids is not None:
        query = query.where(AgencyRow.id.in_(list(ids)))
    return [to_agency(row) for row in session.scalars(query)]


def get(session: Session, agency_id: str) -> Agency:
    row = session.get(AgencyRow, agency_id)
    if row is None:
        raise NotFound("agency", agency_id)
    return to_agency(row)


def set_discovered(session: Session, agency_id: str, urls: list[str]) -> None:
    row = session.get(AgencyRow, agency_id)
    if row is None:
        raise NotFound("agency", agency_id)
    unique = list(dict.fromkeys(urls))
    if row.discovered_lists != unique:
        row.discovered_lists = unique
        row.updated_at = dt.datetime.now(dt.UTC)
