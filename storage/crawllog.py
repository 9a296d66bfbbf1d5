"""The crawl log: fetch attempts and crawl runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.errors import NotFound
from storage.models import CrawlRunRow, FetchRow
from storage.types import CrawlRun, FetchRecord


def to_fetch(row: FetchRow) -> FetchRecord:
    return FetchRecord(
        url=row.url,
        agency_id=row.agency_id,
        fetched_at=row.fetched_at,
        status=row.status,
        etag=row.etag,
        last_modified=row.last_modified,
        document_sha=row.document_sha,
        content_type=row.content_type,
        error=row.error,
        crawl_run_id=row.crawl_run_id,
        id=row.id,
    )


def record_fetch(session: Session, fetch: FetchRecord) -> int:
    row = FetchRow(
        url=fetch.url,
        agency_id=fetch.agency_id,
        fetched_at=fetch.fetched_at,
        status=fetch.status,
        etag=fetch.etag,
        last_modified=fetch.last_modified,
        document_sha=fetch.document_sha,
        content_type=fetch.content_type,
        error=fetch.error,
        crawl_run_id=fetch.crawl_run_id,
    )
    session.add(row)
    session.flush()
    return row.id


def last_fetch(session: Session, url: str) -> FetchRecord | None:
    query = (
        select(FetchRow)
        .where(FetchRow.url == url, FetchRow.status == 200)
        .order_by(FetchRow.fetched_at.desc(), FetchRow.id.desc())
        .limit(1)
    )
    row = session.scalars(query).one_or_none()
    return None if row is None else to_fetch(row)


def fetches(
    session: Session, *, agency_id: str | None, url: str | None, limit: int
) -> list[FetchRecord]:
    query = select(FetchRow).order_by(FetchRow.fetched_at.desc(), FetchRow.id.desc()).limit(limit)
    if agency_id is not None:
        query = query.where(FetchRow.agency_id == agency_id)
    if url is not None:
        query = query.where(FetchRow.url == url)
    return [to_fetch(r) for r in session.scalars(query)]


def to_run(row: CrawlRunRow) -> CrawlRun:
    return CrawlRun(
        id=row.id,
        started_at=row.started_at,
        finished_at=row.finished_at,
        node=row.node,
        agency_ids=tuple(row.agency_ids or ()),
        stats=dict(row.stats or {}),
        status=row.status,
    )


def start_run(
    session: Session, agency_ids: tuple[str, ...], node: str | None, now: dt.datetime | None
) -> int:
    row = CrawlRunRow(
        started_at=now or dt.datetime.now(dt.UTC),
        finished_at=None,
        node=node,
        agency_ids=list(agency_ids),
        stats={},
        status="running",
    )
    session.add(row)
    session.flush()
    return row.id


def finish_run(
    session: Session, run_id: int, stats: dict[str, Any], status: str, now: dt.datetime | None
) -> None:
    row = session.get(CrawlRunRow, run_id)
    if row is None:
        raise NotFound("crawl run", run_id)
    row.finished_at = now or dt.datetime.now(dt.UTC)
    row.stats = dict(stats)
    row.status = status


def runs(session: Session, limit: int) -> list[CrawlRun]:
    query = select(CrawlRunRow).order_by(CrawlRunRow.id.desc()).limit(limit)
    return [to_run(r) for r in session.scalars(query)]
