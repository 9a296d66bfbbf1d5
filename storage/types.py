"""The dataclasses storage speaks: frozen values in, frozen values out.

Nothing here knows about SQLAlchemy; ``storage.archive.Archive`` converts rows to these.
Datetimes coming out of the archive are always timezone-aware (UTC); naive datetimes going
in are taken to be UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from parser.record import Report

LEVELS = ("province", "city", "county", "township", "department")
Level = Literal["province", "city", "county", "township", "department"]
Severity = Literal["high", "medium", "low"]


@dataclass(frozen=True)
class Agency:
    """One reporting body from the registry (plus the lists the crawler discovered)."""

    id: str
    name: str
    level: str  # one of LEVELS
    region: str
    parent: str | None
    portal: str
    report_lists: tuple[str, ...] = ()
    discovered_lists: tuple[str, ...] = ()
    deadline: str | None = None  # "MM-DD" of the following year; None: the 条例 default
    since: int | None = None  # first report year expected


@dataclass(frozen=True)
class RegistryImport:
    """Counts of one registry import (agencies added, changed, left as they were)."""

    added: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class StoredDocument:
    sha256: str
    size: int
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class FetchRecord:
    """One fetch attempt: the crawl log and the evidence for "late" and "disappeared"."""

    url: str
    agency_id: str | None
    fetched_at: dt.datetime
    status: int | None  # HTTP status; None when no answer (DNS, timeout, TLS …)
    etag: str | None = None
    last_modified: str | None = None
    document_sha: str | None = None
    content_type: str | None = None
    error: str | None = None
    crawl_run_id: int | None = None
    id: int | None = None  # set on records read back from the archive


@dataclass(frozen=True)
class ReportObservation:
    """What a crawl (or an ingest) saw of one report at one moment."""

    agency_id: str
    year: int
    url: str
    title: str | None
    published_on: dt.date | None
    list_date: dt.date | None
    seen_at: dt.datetime
    document_sha: str
    record: Report
    attachments: tuple[str, ...] = ()  # sha256 of attached documents


@dataclass(frozen=True)
class StoreResult:
    report_id: int
    version: int  # the number of the version now current
    created: bool  # the report (agency, year) was new
    changed: bool  # a new version was recorded


@dataclass(frozen=True)
class ReportInfo:
    id: int
    agency_id: str
    year: int
    url: str
    title: str | None
    published_on: dt.date | None
    list_date: dt.date | None
    first_seen: dt.datetime
    last_seen: dt.datetime
    status: str  # "present" | "removed"
    removed_at: dt.datetime | None
    versions: int
    latest_version: int


@dataclass(frozen=True)
class Version:
    report_id: int
    number: int
    document_sha: str
    record: Report
    parser_version: str
    content_hash: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    attachments: tuple[str, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class FindingState:
    """What a check produces; ``key`` is stable across runs for the same problem."""

    key: str
    kind: str
    severity: str  # "high" | "medium" | "low"
    agency_id: str | None
    year: int | None
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding(FindingState):
    """A finding as stored: its state and the times it was opened, last seen and resolved."""

    id: int = 0
    opened_at: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    state: str = "open"  # "open" | "resolved"


@dataclass(frozen=True)
class SyncResult:
    opened: int
    updated: int
    resolved: int


@dataclass(frozen=True)
class Alert:
    """One outbox row: a finding event ("opened"/"resolved") to deliver once."""

    id: int
    finding_id: int
    finding_key: str
    event: str
    created_at: dt.datetime
    attempts: int
    last_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    last_error: str | None
    next_attempt_at: dt.datetime | None
    lease_until: dt.datetime | None = None


@dataclass(frozen=True)
class CrawlRun:
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    node: str | None
    agency_ids: tuple[str, ...]
    stats: dict[str, Any]
    status: str  # "running", then what finish_crawl_run was told ("ok", "failed", …)


@dataclass(frozen=True)
class CellValue:
    """One table cell of a stored version (the ``cells`` table joined to its report)."""

    agency_id: str
    year: int
    version: int
    table: str
    row: str
    column: str
    value: float | None
    blank: bool
    resolved: bool


@dataclass(frozen=True)
class Lease:
    """A named lock held by one holder until ``until`` (the service's single-scheduler lock)."""

    name: str
    holder: str
    acquired_at: dt.datetime
    until: dt.datetime


@dataclass(frozen=True)
class JobRun:
    """One run of a scheduled job (crawl, checks, sweep, delivery) and its outcome."""

    id: int
    job: str
    started_at: dt.datetime
    finished_at: dt.datetime
    status: str  # "ok" | "failed"
    detail: dict[str, Any] = field(default_factory=dict)
