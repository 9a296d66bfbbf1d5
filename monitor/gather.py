"""From the archive to the pure checks: one streaming pass over the compact facts of the latest
versions (``Archive.check_inputs``: key table rows, prose, failing identities, dates and a
narrative signature, ordered by agency and year so that the previous year of an agency is
always the item just before), then small targeted reads for what only a few reports need
(fetch logs, old versions, texts of copy candidates)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Protocol
from zoneinfo import ZoneInfo

from monitor.checks import (
    carryover,
    changed,
    copied,
    crawl_failing,
    identity,
    in_force,
    jump,
    late,
    missing,
    prose_mismatch,
    removed,
)
from monitor.inputs import AgencyFacts, CrawlAttempt, ReportFacts
from monitor.settings import Settings
from storage import Archive, FetchRecord, FindingState
from storage.facts import CheckInput
from storage.sketch import SHINGLE

_OK = range(200, 400)
CHINA = ZoneInfo("Asia/Shanghai")
#: how much of the crawl log (newest first) the checks read: several crawls of every agency
FETCH_WINDOW = 200_000
#: a list fetched this shortly before the report was first seen belongs to the same crawl
_SAME_CRAWL = dt.timedelta(minutes=30)


def agency_facts(archive: Archive) -> tuple[dict[str, AgencyFacts], dict[str, set[str]]]:
    """The agencies as the checks need them, and each one's list URLs."""
    facts: dict[str, AgencyFacts] = {}
    lists: dict[str, set[str]] = {}
    for a in archive.agencies():
        facts[a.id] = AgencyFacts(a.id, a.name, a.level, a.region, a.deadline, a.since)
        lists[a.id] = set(a.report_lists) | set(a.discovered_lists)
    return facts, lists


def collect(
    archive: Archive,
    settings: Settings,
    now: dt.datetime,
    timings: dict[str, float] | None = None,
) -> list[FindingState]:
    """Every finding the enabled checks produce now: the set-based pass (``monitor.setpass``)
    when the stored narrative signatures fit the configured shingle size, else the streaming
    pass, which shingles the texts itself. ``timings``: the set-based pass's stage seconds."""
    if settings.copy_shingle == SHINGLE:
        from monitor import setpass  # setpass reuses this module's helpers

        return setpass.collect(archive, settings, now, timings)
    return collect_streaming(archive, settings, now)


def collect_streaming(archive: Archive, settings: Settings, now: dt.datetime) -> list[FindingState]:
    """Every finding the enabled checks produce now, from one stream over every report's
    compact facts (the reference the set-based pass is tested against)."""
    kinds = set(settings.kinds)
    agencies, lists = agency_facts(archive)
    #: the recent crawl log, read once: evidence for late, outcomes for crawl_failing
    log = archive.fetches(limit=FETCH_WINDOW)
    names = {a.id: a.name for a in agencies.values()}
    out: list[FindingState] = []
    present: set[tuple[str, int]] = set()
    facts: list[ReportFacts] = []
    versioned: list[CheckInput] = []
    index = copied.CopyIndex(
        threshold=settings.copy_threshold,
        shingle=settings.copy_shingle,
        min_shingles=settings.copy_min_shingles,
    )
    # signatures stored with the facts are of SHINGLE-character shingles; another size
    # configured means shingling the texts here (slow, but right)
    stored_sketches = settings.copy_shingle == SHINGLE
    prev: CheckInput | None = None
    prev_figures: dict[str, float] = {}
    for item in archive.check_inputs():
        agency_id, year, record = item.agency_id, item.year, item.record
        present.add((agency_id, year))
        facts.append(_facts(item))
        if item.versions > 1:
            versioned.append(item)
        name = names.get(agency_id)
        if "identity" in kinds and item.failing:
            out += identity.check_failing(agency_id, year, item.failing, name or record.agency)
        if "prose_mismatch" in kinds:
            out += prose_mismatch.check_report(agency_id, record)
        figures = jump.figures(record) if "jump" in kinds else {}
        if prev is not None and prev.agency_id == agency_id and prev.year == year - 1:
            if "carryover" in kinds:
                out += carryover.check(agency_id, prev.record, record)
            if "in_force" in kinds:
                out += in_force.check(agency_id, prev.record, record)
            if "jump" in kinds:
                out += jump.check(agency_id, year, prev_figures, figures, settings.jump_rule, name)
        if "copied" in kinds and stored_sketches and item.sketch is not None:
            index.add_signature(copied.DocRef(agency_id, year), item.sketch)
        prev, prev_figures = item, figures
    if "copied" in kinds and not stored_sketches:
        for info, full in archive.latest_records():
            index.add(copied.DocRef(info.agency_id, info.year), copied.narrative_text(full))
    today = now.astimezone(CHINA).date()  # deadlines are dates in China
    if kinds & {"missing", "due"}:
        found = missing.check(
            agencies.values(),
            present,
            today,
            grace_days=settings.grace_days,
            due_days=settings.due_days if "due" in kinds else 0,
            first_year=settings.first_year,
        )
        out += [f for f in found if f.kind in kinds]
    if "late" in kinds:
        out += late.check(with_crawl_evidence(facts, agencies, lists, log), agencies)
    if "removed" in kinds:
        out += removed.check(with_removal_status(archive, facts), agencies)
    if "changed" in kinds:
        out += changed_findings(archive, versioned, names)
    if "copied" in kinds:
        out += verify_copies(archive, index.candidates(), settings, names)
    if "crawl_failing" in kinds:
        out += crawl_failing.check(
            crawl_histories(archive, agencies, log), failures=settings.crawl_failures, names=names
        )
    return out


def _facts(item: CheckInput) -> ReportFacts:
    return ReportFacts(
        agency_id=item.agency_id,
        year=item.year,
        url=item.url,
        first_seen=item.first_seen,
        published_on=item.published_on,
        list_date=item.list_date,
        signed_on=item.record.signed_on,
        status=item.status,
        removed_at=item.removed_at,
    )


def absent_at(
    report: ReportFacts, lists: set[str], log: Iterable[FetchRecord]
) -> dt.datetime | None:
    """The last successful fetch of one of the agency's lists from an earlier crawl than the
    one that first saw the report: that crawl looked and the report was not there."""
    log = list(log)
    first_runs = {
        f.crawl_run_id for f in log if f.url == report.url and f.fetched_at <= report.first_seen
    }
    earlier = [
        f.fetched_at
        for f in log
        if f.url in lists
        and f.status in _OK
        and f.fetched_at < report.first_seen
        and (f.crawl_run_id not in first_runs if f.crawl_run_id else True)
        and report.first_seen - f.fetched_at > _SAME_CRAWL
    ]
    return max(earlier, default=None)


def with_crawl_evidence(
    facts: list[ReportFacts],
    agencies: Mapping[str, AgencyFacts],
    lists: Mapping[str, set[str]],
    log: list[FetchRecord],
) -> list[ReportFacts]:
    """Fills ``absent_at`` for reports first seen after their deadline (the only ones for
    which the crawler's observation can matter), from the recent crawl log."""
    by_agency: dict[str, list[FetchRecord]] = defaultdict(list)
    for fetch in log:
        if fetch.agency_id:
            by_agency[fetch.agency_id].append(fetch)
    out = []
    for report in facts:
        agency = agencies.get(report.agency_id)
        fetched = by_agency.get(report.agency_id)
        if agency is None or not fetched or report.first_seen.date() <= agency.due(report.year):
            out.append(report)
            continue
        found = absent_at(report, lists.get(report.agency_id, set()), fetched)
        out.append(replace(report, absent_at=found))
    return out


def with_removal_status(archive: Archive, facts: list[ReportFacts]) -> list[ReportFacts]:
    out = []
    for report in facts:
        if report.status == "removed":
            last = archive.fetches(url=report.url, limit=1)
            status = last[0].status if last and last[0].status in (404, 410) else None
            report = replace(report, removed_status=status)
        out.append(report)
    return out


class _Versioned(Protocol):
    @property
    def report_id(self) -> int: ...
    @property
    def agency_id(self) -> str: ...
    @property
    def year(self) -> int: ...


def changed_findings(
    archive: Archive, versioned: Iterable[_Versioned], names: Mapping[str, str]
) -> list[FindingState]:
    out = []
    for info in versioned:
        versions = archive.versions(info.report_id)
        for old, new in itertools.pairwise(versions):
            out += changed.check(
                info.agency_id,
                info.year,
                new.number,
                old.record,
                new.record,
                names.get(info.agency_id),
            )
    return out


def verify_copies(
    archive: Archive,
    pairs: set[tuple[copied.DocRef, copied.DocRef]],
    settings: Settings,
    names: Mapping[str, str],
) -> list[FindingState]:
    """Exact similarity of the candidate pairs, on the texts of those reports only."""
    refs = {ref for pair in pairs for ref in pair}
    if not refs:
        return []
    texts: dict[copied.DocRef, str] = {}
    wanted_agencies = sorted({r.agency_id for r in refs})
    wanted_years = sorted({r.year for r in refs})
    for info, record in archive.latest_records(years=wanted_years, agency_ids=wanted_agencies):
        ref = copied.DocRef(info.agency_id, info.year)
        if ref in refs:
            texts[ref] = copied.narrative_text(record)
    return copied.verify(
        pairs, texts, threshold=settings.copy_threshold, shingle=settings.copy_shingle, names=names
    )


def crawl_histories(
    archive: Archive, agencies: Mapping[str, AgencyFacts], log: list[FetchRecord], runs: int = 20
) -> dict[str, list[CrawlAttempt]]:
    """Per agency, the outcome of each recent finished crawl run that included it. A run's
    outcome for an agency comes from its fetches (ok when any page answered 2xx/3xx); the
    number of reports its lists showed comes from the run's stats when the crawler wrote
    ``stats["agencies"][id]["listed"]``."""
    finished = [r for r in reversed(archive.crawl_runs(runs)) if r.finished_at is not None]
    if not finished:
        return {}
    run_ids = {r.id for r in finished}
    outcome: dict[tuple[int, str], list[FetchRecord]] = defaultdict(list)
    for fetch in log:
        if fetch.crawl_run_id in run_ids and fetch.agency_id:
            outcome[(fetch.crawl_run_id, fetch.agency_id)].append(fetch)
    histories: dict[str, list[CrawlAttempt]] = defaultdict(list)
    for run in finished:
        per_agency = run.stats.get("agencies") if isinstance(run.stats, dict) else None
        for agency_id in run.agency_ids or tuple(agencies):
            seen = outcome.get((run.id, agency_id))
            if not seen:
                continue  # no trace of it in this run: neither a failure nor a success
            ok = any(f.status in _OK for f in seen)
            error = next((f.error or f"HTTP {f.status}" for f in seen if f.status not in _OK), None)
            listed = None
            if isinstance(per_agency, dict) and isinstance(per_agency.get(agency_id), dict):
                value = per_agency[agency_id].get("listed")
                listed = value if isinstance(value, int) else None
            histories[agency_id].append(
                CrawlAttempt(run.id, run.started_at, ok, None if ok else error, listed)
            )
    return dict(histories)
