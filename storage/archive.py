"""``Archive``: the only door to the database. One transaction per method call."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session

from parser.record import Report
from storage import agencies as _agencies
from storage import aggregates as _aggregates
from storage import candidatepass as _candidatepass
from storage import checkinputs as _checkinputs
from storage import crawllog as _crawllog
from storage import factstore as _factstore
from storage import findings as _findings
from storage import history as _history
from storage import leases as _leases
from storage import reparse as _reparse
from storage import reports as _reports
from storage import schema as _schema
from storage import tallies as _tallies
from storage.cellkeys import CellKeys
from storage.documents import DocumentStore
from storage.engine import Database
from storage.facts import CheckInput
from storage.types import (
    Agency,
    Alert,
    CellValue,
    CrawlRun,
    FetchRecord,
    Finding,
    FindingState,
    JobRun,
    Lease,
    RegistryImport,
    ReportInfo,
    ReportObservation,
    StoredDocument,
    StoreResult,
    SyncResult,
    Version,
)

#: ``parse(data, url, content_type) -> Report`` — what ``reparse`` re-derives records with.
ParseFn = Callable[[bytes, str | None, str | None], Report]


#: Agency ids bound in one statement at most (PostgreSQL's limit is 65 535 parameters).
ID_SLICE = 10_000


class Archive:
    """Agencies, documents, fetches, reports, versions, cells, findings and the alert outbox.

    Open with ``Archive.open(url)``; use as a context manager or call ``close()``.
    """

    def __init__(self, db: Database, documents: DocumentStore) -> None:
        self._db = db
        self._docs = documents
        self._keys = CellKeys(db)

    # -- opening and schema --------------------------------------------------------------
    @classmethod
    def open(
        cls, url: str, *, document_dir: Path | None = None, check_schema: bool = True
    ) -> Archive:
        """Connect to the archive at ``url`` (a SQLAlchemy URL).

        ``check_schema`` raises ``SchemaBehind`` (naming ``gkwatch db upgrade``) when migrations
        are pending. ``document_dir`` stores new document bytes as files under that directory
        instead of in the database (documents already in the database stay readable).
        """
        db = Database(url)
        try:
            if check_schema:
                _schema.check(db.engine, url)
        except BaseException:
            db.dispose()
            raise
        return cls(db, DocumentStore(document_dir))

    @staticmethod
    def upgrade(url: str, revision: str = "head") -> str:
        """Apply the migrations up to ``revision`` (default head); returns the new revision."""
        return _schema.upgrade(url, revision)

    @staticmethod
    def downgrade(url: str, revision: str = "base") -> str | None:
        """Undo migrations down to ``revision`` (default: empty database)."""
        return _schema.downgrade(url, revision)

    def info(self) -> dict[str, Any]:
        """``url`` (password hidden), ``backend``, ``revision``, ``head``, ``counts`` per table,
        ``document_dir``."""
        with self._db.read() as s:
            out = _schema.info(s, self._db)
        out["document_dir"] = str(self._docs.directory) if self._docs.directory else None
        return out

    def close(self) -> None:
        self._db.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- agencies ------------------------------------------------------------------------
    def import_registry(self, path: str | Path) -> RegistryImport:
        """Import the registry YAML: adds new agencies and updates changed ones in place; never
        deletes. All or nothing: any problem raises ``RegistryError`` (file, line, reason)."""
        return self._db.write(lambda s: _agencies.import_file(s, Path(path)))

    def agencies(
        self,
        *,
        region: str | None = None,
        level: str | None = None,
        ids: Iterable[str] | None = None,
    ) -> list[Agency]:
        """Agencies ordered by id; ``region`` matches the region path and everything below it."""
        with self._db.read() as s:
            return _agencies.select_agencies(s, region=region, level=level, ids=ids)

    def agency(self, agency_id: str) -> Agency:
        """One agency; ``NotFound`` when the registry has no such id."""
        with self._db.read() as s:
            return _agencies.get(s, agency_id)

    def set_discovered_lists(self, agency_id: str, urls: list[str]) -> None:
        """Remember the report-list URLs the crawler found for an agency (replaces the old)."""
        self._db.write(lambda s: _agencies.set_discovered(s, agency_id, urls))

    # -- documents and fetches -------------------------------------------------------------
    def put_document(self, data: bytes, content_type: str | None) -> str:
        """Store raw bytes (zlib-compressed, deduplicated); returns their sha256."""
        return self._db.write(lambda s: self._docs.put(s, data, content_type))

    def put_documents(self, items: Iterable[tuple[bytes, str | None]]) -> list[str]:
        """``put_document`` for many documents in one transaction (bulk loads)."""
        batch = list(items)
        return self._db.write(lambda s: self._docs.put_many(s, batch))

    def document(self, sha: str) -> StoredDocument:
        """The stored bytes of a document; ``NotFound`` when unknown."""
        with self._db.read() as s:
            return self._docs.get(s, sha)

    def has_document(self, sha: str) -> bool:
        with self._db.read() as s:
            return self._docs.exists(s, sha)

    def record_fetch(self, fetch: FetchRecord) -> int:
        """Log one fetch attempt; returns its id."""
        return self._db.write(lambda s: _crawllog.record_fetch(s, fetch))

    def record_fetches(self, fetches: Iterable[FetchRecord]) -> list[int]:
        """``record_fetch`` for many fetches in one transaction (the crawler's batches)."""
        batch = list(fetches)
        return self._db.write(lambda s: [_crawllog.record_fetch(s, f) for f in batch])

    def last_fetch(self, url: str) -> FetchRecord | None:
        """The latest successful (200) fetch of ``url``, for conditional requests."""
        with self._db.read() as s:
            return _crawllog.last_fetch(s, url)

    def fetches(
        self, *, agency_id: str | None = None, url: str | None = None, limit: int = 100
    ) -> list[FetchRecord]:
        """Fetch attempts, newest first."""
        with self._db.read() as s:
            return _crawllog.fetches(s, agency_id=agency_id, url=url, limit=limit)

    # -- reports and versions ------------------------------------------------------------
    def store_report(self, obs: ReportObservation) -> StoreResult:
        """Record one observation of a report. A new version is made only when the content
        (cells + normalised narrative, agency, year, signed_on) differs from the current
        version; otherwise the current version's ``last_seen`` moves. A removed report seen
        again becomes present."""
        prepared = _reports.prepare(obs.record, self._keys)
        return self._db.write(lambda s: _reports.store(s, obs, prepared))

    def store_reports(self, observations: Iterable[ReportObservation]) -> list[StoreResult]:
        """``store_report`` for many observations in one transaction (bulk loads, imports of
        existing archives): all are stored or none."""
        batch = list(observations)
        prepared = [_reports.prepare(o.record, self._keys) for o in batch]

        def work(s: Session) -> list[StoreResult]:
            _reports.check_refs(s, batch)
            pairs = zip(batch, prepared, strict=True)
            return [_reports.store(s, o, p, refs_checked=True) for o, p in pairs]

        return self._db.write(work)

    def mark_missing(self, url: str, status: int, seen_at: dt.datetime) -> int:
        """The report page at ``url`` answered ``status`` (404/410) or left its list: its
        report becomes ``removed``. Returns how many reports were marked."""
        return self._db.write(lambda s: _reports.mark_missing(s, url, status, seen_at))

    def reports(
        self,
        *,
        agency_id: str | None = None,
        year: int | None = None,
        region: str | None = None,
        ids: Iterable[int] | None = None,
    ) -> list[ReportInfo]:
        """Reports ordered by agency and year."""
        with self._db.read() as s:
            return _history.select_reports(
                s, agency_id=agency_id, year=year, region=region, ids=ids
            )

    def report(self, agency_id: str, year: int) -> ReportInfo:
        """The report of an agency for a year; ``NotFound`` when none was seen."""
        with self._db.read() as s:
            return _history.get(s, agency_id, year)

    def versions(self, report_id: int) -> list[Version]:
        """Every version of a report, oldest first."""
        with self._db.read() as s:
            return _history.versions(s, report_id)

    def version(self, report_id: int, number: int) -> Version:
        """One version; ``NotFound`` when there is no such number."""
        with self._db.read() as s:
            return _history.version(s, report_id, number)

    def latest_records(
        self, *, years: Iterable[int] | None = None, agency_ids: Iterable[str] | None = None
    ) -> Iterator[tuple[ReportInfo, Report]]:
        """Stream ``(report, record of its latest version)`` ordered by agency and year.

        A long ``agency_ids`` (a whole registry) is read in slices of ``ID_SLICE``, one
        read transaction each: PostgreSQL takes at most 65 535 parameters a statement."""
        if agency_ids is None:
            with self._db.read() as s:
                yield from _history.latest_records(s, years=years)
            return
        ids = sorted(set(agency_ids))
        for start in range(0, len(ids), ID_SLICE):
            with self._db.read() as s:
                yield from _history.latest_records(
                    s, years=years, agency_ids=ids[start : start + ID_SLICE]
                )

    def check_inputs(
        self, *, years: Iterable[int] | None = None, agency_ids: Iterable[str] | None = None
    ) -> Iterator[CheckInput]:
        """Stream every report with the compact facts of its latest version (``storage.facts``),
        ordered by agency and year: what a check pass reads instead of full records. Versions
        whose facts are missing or outdated get them first (``refresh_facts``)."""
        self.refresh_facts()
        with self._db.read() as s:
            yield from _checkinputs.check_inputs(s.connection(), years=years, agency_ids=agency_ids)

    def check_candidates(self, plan: _candidatepass.Plan) -> _candidatepass.Candidates:
        """The set-based part of a check pass (``storage.candidatepass``): which reports each
        check must look at, with the compact facts of those only."""
        self.refresh_facts()
        with self._db.read() as s:
            return _candidatepass.run(s.connection(), plan, time.perf_counter)

    def refresh_facts(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Derive the facts of versions that have none, or outdated ones, from their stored
        records (one transaction per batch); returns how many were derived."""
        with self._db.read() as s:
            ids = _factstore.stale_ids(s.connection())
        done = 0
        for i in range(0, len(ids), _factstore.BATCH):
            batch = ids[i : i + _factstore.BATCH]
            done += self._db.write(partial(_factstore.refresh_in, ids=batch))
            if progress is not None:
                progress(done, len(ids))
        return done

    def reparse(
        self,
        parse: ParseFn,
        *,
        force: bool = False,
        parser_version: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        on_error: Callable[[int, int, Exception], None] | None = None,
    ) -> int:
        """Re-derive the record and cells of every version whose ``parser_version`` differs from
        ``parser_version`` (default: the version of what ``parse`` returns), or of every version
        with ``force``, from the stored documents. Calls ``parse(data, url, content_type)``.

        Each version is updated in its own transaction, so an interrupted reparse keeps what it
        did. ``progress(done, total)`` is called after each version; a ``ValueError`` from
        ``parse`` goes to ``on_error(report_id, number, error)`` (or is raised when no handler is
        given) and leaves that version as it was. Returns the number of versions re-derived.
        """
        return _reparse.reparse(
            self._db,
            self._docs,
            self._keys,
            parse,
            force=force,
            parser_version=parser_version,
            progress=progress,
            on_error=on_error,
        )

    def cells(
        self,
        *,
        table: str | None = None,
        row: str | None = None,
        column: str | None = None,
        agency_ids: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        latest_only: bool = True,
    ) -> list[CellValue]:
        """Table cells across agencies and years (of the latest versions unless
        ``latest_only=False``), ordered by agency, year and version."""
        with self._db.read() as s:
            return _history.cells(
                s,
                table=table,
                row=row,
                column=column,
                agency_ids=agency_ids,
                years=years,
                latest_only=latest_only,
            )

    def query(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read-only SQL statement (e.g. on the views ``latest_versions``,
        ``t3_totals``) with ``:name`` parameters; rows as dicts. The transaction is rolled back,
        so nothing it might change is kept."""
        with self._db.read() as s:
            return _schema.run_query(s, sql, params)

    # -- aggregates: read-only, set-based (the dashboard's overview and lists) -------------
    def counts(self) -> _aggregates.ArchiveCounts:
        """Agencies, reports, versions and open findings, counted by the database."""
        with self._db.read() as s:
            return _aggregates.counts(s)

    def tally_drift(self) -> int:
        """How many groups of ``report_tallies`` (kept by triggers, read by the overview)
        differ from a recount of the reports; 0 unless data was loaded with triggers off."""
        with self._db.read() as s:
            kept, counted = _tallies.stored(s), _tallies.recount(s)
        return sum(1 for k in kept.keys() | counted.keys() if kept.get(k) != counted.get(k))

    def repair_tallies(self) -> int:
        """Rewrite ``report_tallies`` from a recount; the number of groups that were wrong."""
        return self._db.write(_tallies.repair)

    def agency_tallies(self, *, region: str | None = None) -> list[_aggregates.AgencyTally]:
        """Agencies counted by (region, level, deadline, since)."""
        with self._db.read() as s:
            return _aggregates.agency_tallies(s, region=region)

    def report_tallies(self, *, region: str | None = None) -> list[_aggregates.ReportTally]:
        """Reports (and their versions) counted by agency group, year and best known
        publication date."""
        with self._db.read() as s:
            return _aggregates.report_tallies(s, region=region)

    def status_tallies(
        self,
        *,
        today: dt.date,
        first_year: int,
        region: str | None = None,
        by_region: bool = True,
    ) -> list[_aggregates.StatusTally]:
        """The timeliness grid summed per (region, year, status) by the database; per year
        only (region None) without ``by_region``."""
        with self._db.read() as s:
            return _aggregates.status_tallies(
                s, today=today, first_year=first_year, region=region, by_region=by_region
            )

    def finding_tallies(
        self, *, open_only: bool = True, by_region: bool = True, region: str | None = None
    ) -> list[_aggregates.FindingTally]:
        """Findings counted by kind, severity and (``by_region``) their agency's region; with
        ``region``, only those of agencies in it (and below it)."""
        with self._db.read() as s:
            return _aggregates.finding_tallies(
                s, open_only=open_only, by_region=by_region, region=region
            )

    def findings_page(
        self,
        *,
        kind: str | None = None,
        severity: str | None = None,
        state: str | None = None,
        since: dt.datetime | None = None,
        agency_id: str | None = None,
        year: int | None = None,
        region: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> _aggregates.FindingsPage:
        """One page of findings (newest opened first) and how many match in all; filtered in
        SQL (``region`` covers its sub-regions; ``since``: opened or seen since)."""
        with self._db.read() as s:
            return _aggregates.findings_page(
                s,
                kind=kind,
                severity=severity,
                state=state,
                since=since,
                agency_id=agency_id,
                year=year,
                region=region,
                limit=limit,
                offset=offset,
            )

    def finding_kinds(self) -> list[str]:
        """The kinds of finding present in the archive, sorted."""
        with self._db.read() as s:
            return _aggregates.finding_kinds(s)

    def regions(self) -> list[str]:
        """The distinct regions of the registry's agencies, sorted."""
        with self._db.read() as s:
            return _aggregates.regions(s)

    def agencies_page(
        self,
        *,
        region: str | None = None,
        level: str | None = None,
        search: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> _aggregates.AgencyPage:
        """A page of the registry ordered by id, and the number matching: ``region`` (and
        below), ``level``, ``search`` (a piece of the id or name)."""
        with self._db.read() as s:
            return _aggregates.agencies_page(
                s, region=region, level=level, search=search, limit=limit, offset=offset
            )

    def grid_agencies(
        self,
        *,
        first_year: int,
        before_year: int,
        region: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> _aggregates.AgencyPage:
        """A page of the agencies that have a timeliness row (owing a year before
        ``before_year``, or with a report), by region and id, and their total."""
        with self._db.read() as s:
            return _aggregates.grid_agencies(
                s,
                first_year=first_year,
                before_year=before_year,
                region=region,
                limit=limit,
                offset=offset,
            )

    def report_infos(
        self,
        *,
        agency_ids: Iterable[str] | None = None,
        region: str | None = None,
        years: Iterable[int] | None = None,
    ) -> list[ReportInfo]:
        """``reports()`` for many agencies, years or a region at once, read without ORM
        objects (several times faster on big archives); ordered by agency and year."""
        with self._db.read() as s:
            return _aggregates.report_infos(s, agency_ids=agency_ids, region=region, years=years)

    # -- findings and alerts -------------------------------------------------------------
    def sync_findings(
        self,
        kinds: Iterable[str],
        current: Iterable[FindingState],
        *,
        now: dt.datetime,
        scope_agency_ids: Iterable[str] | None = None,
    ) -> SyncResult:
        """In one transaction: open new keys (or reopen resolved ones), update ``last_seen`` and
        evidence of open ones, resolve open findings of ``kinds`` (within ``scope_agency_ids``
        when given) missing from ``current``. Each open/resolve enqueues one outbox row."""
        kinds_t = tuple(kinds)
        current_t = tuple(current)
        scope = None if scope_agency_ids is None else frozenset(scope_agency_ids)
        return self._db.write(lambda s: _findings.sync(s, kinds_t, current_t, now, scope))

    def findings(
        self,
        *,
        kind: str | None = None,
        severity: str | None = None,
        open_only: bool = False,
        since: dt.datetime | None = None,
        agency_id: str | None = None,
        year: int | None = None,
    ) -> list[Finding]:
        """Findings, newest opened first; ``since`` keeps those opened or seen since then."""
        with self._db.read() as s:
            return _findings.select_findings(
                s,
                kind=kind,
                severity=severity,
                open_only=open_only,
                since=since,
                agency_id=agency_id,
                year=year,
            )

    def finding(self, key: str) -> Finding:
        """One finding by key; ``NotFound`` when unknown."""
        with self._db.read() as s:
            return _findings.get(s, key)

    def due_alerts(self, now: dt.datetime, limit: int = 100) -> list[Alert]:
        """Undelivered alerts whose next attempt is due and that no deliverer holds a lease on,
        oldest first. Claim each with ``claim_alert`` before sending it."""
        with self._db.read() as s:
            return _findings.due_alerts(s, now, limit)

    def claim_alert(self, alert_id: int, now: dt.datetime, lease_seconds: float) -> bool:
        """Take a lease on an alert (atomic conditional UPDATE): True for exactly one claimer;
        False when it is delivered or another deliverer holds an unexpired lease."""
        return self._db.write(lambda s: _findings.claim(s, alert_id, now, lease_seconds))

    def alert_delivered(self, alert_id: int, now: dt.datetime) -> None:
        self._db.write(lambda s: _findings.delivered(s, alert_id, now))

    def alert_failed(
        self, alert_id: int, now: dt.datetime, error: str, next_attempt_at: dt.datetime | None
    ) -> None:
        """Record a failed attempt; ``next_attempt_at`` None gives up on the alert."""
        self._db.write(lambda s: _findings.failed(s, alert_id, now, error, next_attempt_at))

    def alerts(self, *, pending_only: bool = False) -> list[Alert]:
        """Outbox rows, oldest first; ``pending_only`` keeps the undelivered ones."""
        with self._db.read() as s:
            return _findings.alerts(s, pending_only=pending_only)

    # -- crawl runs ----------------------------------------------------------------------
    def start_crawl_run(
        self, agency_ids: Iterable[str], *, node: str | None = None, now: dt.datetime | None = None
    ) -> int:
        ids = tuple(agency_ids)
        return self._db.write(lambda s: _crawllog.start_run(s, ids, node, now))

    def finish_crawl_run(
        self, run_id: int, stats: dict[str, Any], status: str, *, now: dt.datetime | None = None
    ) -> None:
        self._db.write(lambda s: _crawllog.finish_run(s, run_id, stats, status, now))

    def crawl_runs(self, limit: int = 20) -> list[CrawlRun]:
        """Crawl runs, newest first."""
        with self._db.read() as s:
            return _crawllog.runs(s, limit)

    # -- leases and job runs (the service) -------------------------------------------------
    def acquire_lease(self, name: str, holder: str, ttl_seconds: float, now: dt.datetime) -> bool:
        """Take the lease ``name`` for ``holder`` until now + ttl: True when it was free,
        expired or already ``holder``'s; False while another holder's lease is live."""
        return self._db.write(lambda s: _leases.acquire(s, name, holder, ttl_seconds, now))

    def renew_lease(self, name: str, holder: str, ttl_seconds: float, now: dt.datetime) -> bool:
        """Extend ``holder``'s lease; False when it is no longer ``holder``'s."""
        return self._db.write(lambda s: _leases.renew(s, name, holder, ttl_seconds, now))

    def release_lease(self, name: str, holder: str) -> None:
        self._db.write(lambda s: _leases.release(s, name, holder))

    def lease(self, name: str) -> Lease | None:
        with self._db.read() as s:
            return _leases.get(s, name)

    def record_job_run(
        self,
        job: str,
        started_at: dt.datetime,
        finished_at: dt.datetime,
        status: str,
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Log the outcome of one scheduled job run (shown by ``gkwatch status``)."""
        return self._db.write(
            lambda s: _leases.record_run(s, job, started_at, finished_at, status, detail or {})
        )

    def job_runs(self, *, job: str | None = None, limit: int = 20) -> list[JobRun]:
        """Job runs, newest first."""
        with self._db.read() as s:
            return _leases.runs(s, job, limit)
